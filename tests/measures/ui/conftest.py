"""Fixtures of the progress pages: a small portfolio built through the services, and page URLs."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from cleanasia.accounts.models import Role
from cleanasia.framework.models import NodeKind
from cleanasia.measures import services
from tests.factories import CountryFactory, FrameworkNodeFactory, user_with_role

_seq = itertools.count(1)


def url(name: str, lang: str = "en", *args: Any, query: str = "") -> str:
    with translation.override(lang):
        path = reverse(name, args=args or None)
    return f"{path}?{query}" if query else path


def add_measure(*, node, owner=None, countries=(), visibility="secretariat", status="ongoing", code=None, **kwargs):
    """A measure with one outcome, one indicator (baseline, target), a budget and two milestones."""
    n = next(_seq)
    measure = services.measure_create(
        actor=None,
        framework_node=node,
        code=code or f"M-{n:04d}",
        title_ja=kwargs.pop("title_ja", f"施策{n}"),
        title_en=kwargs.pop("title_en", f"Measure {n}"),
        owner=owner,
        visibility=visibility,
        partner_countries=[CountryFactory(code=c) for c in countries],
        status=status,
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2028, 3, 31),
        **kwargs,
    )
    services.budget_set(actor=None, measure=measure, fiscal_year=2026, amount_jpy=1_000_000 * n)
    result = services.result_create(actor=None, measure=measure, level="outcome", title_ja="成果", title_en="Outcome")
    indicator = services.indicator_create(
        actor=None,
        result=result,
        code=f"IND-{n:04d}",
        title_ja="削減量",
        title_en="Emissions avoided",
        unit="t CO2e",
        public_approved=visibility == "public",
    )
    services.baseline_set(actor=None, indicator=indicator, year=2020, value=100)
    services.target_set(actor=None, indicator=indicator, year=2030, value=200)
    services.milestone_create(
        actor=None, measure=measure, title_ja="調査完了", title_en="Survey done", due_on=dt.date(2020, 1, 31)
    )
    services.milestone_create(
        actor=None, measure=measure, title_ja="報告書", title_en="Report out", due_on=dt.date(2099, 1, 31)
    )
    return measure


@pytest.fixture
def people(db):
    return {
        "secretariat": user_with_role(Role.SECRETARIAT),
        "owner": user_with_role(Role.EXPERT, full_name="Owner One"),
        "other_owner": user_with_role(Role.EXPERT, full_name="Owner Two"),
        "focal_vn": user_with_role(Role.FOCAL_POINT, country="VN"),
        "expert": user_with_role(Role.EXPERT),
    }


@pytest.fixture
def portfolio(people):
    """Two goals; M-VN owned by `owner` with Viet Nam; M-TH owned by `other_owner` with Thailand; a public one."""
    g1 = FrameworkNodeFactory(kind=NodeKind.GOAL, code="G1", title_ja="低炭素", title_en="Low carbon")
    l1 = FrameworkNodeFactory(kind=NodeKind.DIRECTION, code="G1.1", parent=g1, title_ja="線1", title_en="Line 1")
    g2 = FrameworkNodeFactory(kind=NodeKind.GOAL, code="G2", title_ja="循環", title_en="Material cycle")
    l2 = FrameworkNodeFactory(kind=NodeKind.DIRECTION, code="G2.1", parent=g2, title_ja="線2", title_en="Line 2")
    vn = add_measure(node=l1, owner=people["owner"], countries=("VN",), code="M-VN", title_en="Viet Nam air")
    th = add_measure(node=l2, owner=people["other_owner"], countries=("TH",), code="M-TH", title_en="Thai waste")
    public = add_measure(node=l2, code="M-PUB", visibility="public", status="planned", title_en="Open measure")
    period = services.period_create(actor=None, kind="quarter", fiscal_year=2026, number=1)
    return {"g1": g1, "g2": g2, "l1": l1, "l2": l2, "vn": vn, "th": th, "public": public, "period": period}


def bulk_measures(portfolio, count: int, start: int) -> None:
    """More of everything, to show the number of queries does not grow with the rows."""
    for i in range(count):
        node = portfolio["l1"] if i % 2 else portfolio["l2"]
        add_measure(node=node, code=f"BULK-{start + i:04d}", countries=("VN", "TH")[: 1 + i % 2])
