"""The progress module in a real browser: a period opened, a report written and approved, the dashboard.

Also axe-core on the measure list, the measure page, the report form and the dashboard, in ja and en.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cleanasia.accounts.models import Role
from cleanasia.framework.models import NodeKind
from cleanasia.measures import services
from cleanasia.measures.models import ProgressReport, ReportState
from tests.factories import FrameworkNodeFactory, user_with_role
from tests.measures.ui.conftest import add_measure

from .conftest import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATINGS = ["on_track", "on_track", "at_risk", "off_track"]


def path(name, lang, *args, query=""):
    with translation.override(lang):
        found = reverse(name, args=args or None)
    return f"{found}?{query}" if query else found


def build_portfolio(owner):
    """Two goals, six measures, a year of approved quarterly reports (the trend), FY2026 Q1 still planned."""
    g1 = FrameworkNodeFactory(
        kind=NodeKind.GOAL, code="G1", title_ja="低炭素型・低公害型社会の実現", title_en="Low-carbon society"
    )
    g2 = FrameworkNodeFactory(
        kind=NodeKind.GOAL, code="G2", title_ja="循環型社会の実現", title_en="Material-cycle society"
    )
    l1 = FrameworkNodeFactory(
        kind=NodeKind.DIRECTION, code="G1.1", parent=g1, title_ja="ビジョンの共有", title_en="Vision"
    )
    l2 = FrameworkNodeFactory(kind=NodeKind.DIRECTION, code="G2.1", parent=g2, title_ja="3R支援", title_en="3R")
    mine = add_measure(
        node=l1, owner=owner, countries=("VN",), code="M-AIR", title_ja="大気汚染対策", title_en="Clean air for Hanoi"
    )
    others = [
        add_measure(node=l1 if i % 2 else l2, countries=(("TH", "VN", "JP")[i % 3],), code=f"M-{i:02d}", status=s)
        for i, s in enumerate(["ongoing", "ongoing", "planned", "completed", "suspended"])
    ]
    quarters = []
    for number in range(1, 5):
        period = services.period_open(
            actor=None, period=services.period_create(actor=None, kind="quarter", fiscal_year=2025, number=number)
        )
        for k, measure in enumerate([mine, *others[:3]]):
            report = services.report_get_or_create_draft(actor=None, measure=measure, period=period)
            indicator = measure.results.get().indicators.get()
            services.actual_record(
                actor=None, indicator=indicator, period=period, value=100 + number * 8 + k, report=report
            )
            rating = RATINGS[(number + k) % 4]
            report = services.report_update(
                actor=None,
                report=report,
                expected_version=report.version,
                changes={"rating": rating, "rating_reason": "" if rating == "on_track" else "Delayed procurement"},
            )
            report = services.report_submit(actor=None, report=report)
            services.report_approve(actor=None, report=report)
        quarters.append(services.period_close(actor=None, period=period))
    target = services.period_create(actor=None, kind="quarter", fiscal_year=2026, number=1)
    return mine, target


def test_a_period_is_opened_reported_approved_and_shown(browser, live_server, sign_in_as, screenshot):
    secretariat = user_with_role(Role.SECRETARIAT, full_name="Sato Secretariat")
    owner = user_with_role(Role.EXPERT, full_name="Nguyen Owner")
    measure, period = build_portfolio(owner)
    base = live_server.url
    found = {}

    sec_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    sec = sec_context.new_page()
    sign_in_as(sec, secretariat)
    own_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    own = own_context.new_page()
    sign_in_as(own, owner)

    # 1. The secretariat opens FY2026 Q1.
    sec.goto(base + path("measures:periods", "en"))
    sec.get_by_role("button", name="Open FY2026 Q1").click()
    sec.wait_for_url(re.compile(r"/en/staff/measures/periods/$"))
    assert sec.get_by_text("The period FY2026 Q1 is open for reporting.").is_visible()

    # 2. The owner writes the report from the measure page and submits it.
    own.goto(base + path("measures:detail", "en", measure.pk))
    own.get_by_role("button", name="Report for FY2026 Q1").click()
    own.wait_for_url(re.compile(r"/en/staff/measures/reports/\d+/$"))
    own.get_by_label("Narrative (Japanese)").fill("ハノイの大気質モニタリングを開始した。")
    own.get_by_label("Narrative (English)").fill("Air quality monitoring in Hanoi has started.")
    own.get_by_label("Status rating").select_option("on_track")
    own.get_by_label(re.compile(r"Emissions avoided: value")).fill("150")
    for lang in ("en", "ja"):
        if lang == "ja":
            own.goto(base + own.url.replace(base, "").replace("/en/", "/ja/"))
        found[f"{lang} report form"] = blocking_violations(own)
    screenshot(own, "measures-report-form-ja")
    own.goto(base + own.url.replace(base, "").replace("/ja/", "/en/"))
    own.get_by_label("Narrative (English)").fill("Air quality monitoring in Hanoi has started.")
    own.get_by_label("Status rating").select_option("on_track")
    own.get_by_label(re.compile(r"Emissions avoided: value")).fill("150")
    own.get_by_role("button", name="Submit to the secretariat").click()
    own.wait_for_url(re.compile(rf"/en/staff/measures/{measure.pk}/$"))
    assert own.get_by_text("Your report was submitted to the secretariat.").is_visible()
    report = ProgressReport.objects.get(measure=measure, period=period)
    assert report.state == ReportState.SUBMITTED

    # 3. The secretariat approves it.
    sec.goto(base + path("measures:report-review", "en", report.pk))
    assert sec.get_by_text("Air quality monitoring in Hanoi has started.").is_visible()
    sec.get_by_role("button", name="Approve").click()
    sec.wait_for_url(re.compile(r"/en/staff/measures/periods/$"))
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED

    # 4. The dashboard shows the result: FY2026 Q1 in the trend, with one approved on-track report.
    sec.goto(base + path("measures:dashboard", "en"))
    trend = sec.locator("#chart-trend-table-caption").locator("xpath=ancestor::table")
    row = trend.locator("tr", has=sec.locator("th", has_text="FY2026 Q1"))
    assert row.locator("td").first.text_content().strip() == "1"  # inside a closed <details>
    sec.goto(base + path("measures:dashboard", "ja"))
    screenshot(sec, "measures-dashboard")

    # 5. Accessibility of the main pages in both languages.
    for lang in ("ja", "en"):
        for name, target in {
            "list": path("measures:list", lang),
            "measure": path("measures:detail", lang, measure.pk),
            "dashboard": path("measures:dashboard", lang),
            "periods": path("measures:periods", lang),
        }.items():
            sec.goto(base + target)
            found[f"{lang} {name}"] = blocking_violations(sec)
            if lang == "en":
                screenshot(sec, f"measures-{name}-en")
    sec_context.close()
    own_context.close()
    assert not {k: v for k, v in found.items() if v}, found
