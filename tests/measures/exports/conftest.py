"""A small portfolio for the exports: a vision, two goals with lines, measures of every visibility."""

import datetime as dt
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from typing import Any

import pytest

from cleanasia.accounts.models import Role
from cleanasia.framework.models import NodeKind
from cleanasia.measures import services

from ...factories import CountryFactory, FrameworkNodeFactory, OrganisationFactory
from ..factories import make_indicator, make_measure, make_milestone, make_period


@dataclass
class Portfolio:
    period: Any
    goal1: Any
    goal2: Any
    public: Any  # public measure, partner VN, owned by `owner`
    secret: Any  # secretariat-only measure, partner TH
    members: Any  # members-only measure
    indicator: Any  # on `public`, t CO2e, public_approved
    owner: Any


@pytest.fixture
def portfolio(db, make_user):
    for code in ("JP", "VN", "TH"):
        CountryFactory(code=code)
    vision = FrameworkNodeFactory(kind=NodeKind.VISION, code="V", title_ja="ビジョン", title_en="Vision", position=0)
    goal1 = FrameworkNodeFactory(
        kind=NodeKind.GOAL,
        code="G1",
        parent=vision,
        position=1,
        title_ja="低炭素社会の実現",
        title_en="Low-carbon society",
    )
    goal2 = FrameworkNodeFactory(
        kind=NodeKind.GOAL,
        code="G2",
        parent=vision,
        position=2,
        title_ja="資源循環型社会",
        title_en="Resource circulation",
    )
    line1 = FrameworkNodeFactory(
        kind=NodeKind.DIRECTION, code="G1.1", parent=goal1, title_ja="排出削減", title_en="Cut"
    )
    line2 = FrameworkNodeFactory(
        kind=NodeKind.DIRECTION, code="G2.1", parent=goal2, title_ja="廃棄物", title_en="Waste"
    )
    owner = make_user(Role.EXPERT, full_name="山田 花子")
    unit = OrganisationFactory(name_ja="環境省 国際協力室", name_en="MOE International Cooperation Office")
    public = make_measure(
        node=line1,
        code="M-PUB",
        title_ja="アジア低炭素都市づくり支援",
        title_en="Low-carbon cities in Asia",
        owner=owner,
        visibility="public",
        countries=("VN",),
        responsible_unit=unit,
    )
    secret = make_measure(
        node=line2, code="M-SEC", title_ja="秘密の施策", title_en="Confidential measure", countries=("TH",)
    )
    members = make_measure(
        node=line2, code="M-MEM", title_ja="会員向け施策", title_en="Members' measure", visibility="members"
    )
    indicator = make_indicator(public, unit="t CO2e", direction="decrease", public_approved=True, code="IND-CO2")
    services.baseline_set(actor=None, indicator=indicator, year=2020, value=1000)
    services.target_set(actor=None, indicator=indicator, year=2030, value=500)
    make_indicator(secret, unit="t", code="IND-SEC")
    period = make_period(fiscal_year=2026, number=1)
    services.actual_record(actor=None, indicator=indicator, period=period, value=800)
    report = services.report_get_or_create_draft(actor=None, measure=public, period=period)
    report = services.report_update(
        actor=None,
        report=report,
        expected_version=report.version,
        changes={"rating": "on_track", "narrative_ja": "順調"},
    )
    services.report_submit(actor=None, report=report)
    services.report_approve(actor=None, report=report)
    make_milestone(secret, due_on=dt.date(2020, 1, 1))  # overdue
    return Portfolio(period, goal1, goal2, public, secret, members, indicator, owner)


def pdf_font_names(pdf: bytes) -> set[str]:
    """Names of the fonts embedded in a PDF (pdffonts when installed, else read from the streams)."""
    if shutil.which("pdffonts"):
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            command = [shutil.which("pdffonts"), f.name]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
        return {line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()}
    names = set(re.findall(rb"/FontName\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", pdf))
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            names |= set(re.findall(rb"/FontName\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", zlib.decompress(stream)))
        except zlib.error:
            continue
    return {n.decode() for n in names}


def pdf_text(pdf: bytes) -> str | None:
    """The text of a PDF with pdftotext, or None when poppler is missing."""
    if not shutil.which("pdftotext"):
        return None
    command = [shutil.which("pdftotext"), "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603
