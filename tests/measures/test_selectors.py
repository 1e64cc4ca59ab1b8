"""Selectors: dashboard figures, point-in-time comparison, missing reports, and fixed query counts."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.measures import selectors, services
from cleanasia.measures.models import Measure, Milestone, ProgressReport

from ..factories import FrameworkNodeFactory
from .factories import goal_with_line, make_indicator, make_measure, make_milestone, make_period

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


def approve(measure, period, rating="on_track", reason=""):
    report = services.report_get_or_create_draft(actor=None, measure=measure, period=period)
    report = services.report_update(
        actor=None,
        report=report,
        expected_version=report.version,
        changes={"rating": rating, "rating_reason": reason},
    )
    report = services.report_submit(actor=None, report=report)
    return services.report_approve(actor=None, report=report)


def build(n: int, *, goal=None, line=None, period=None):
    """n measures under one goal with budgets, milestones, indicators, actuals and reports."""
    if goal is None:
        goal, line = goal_with_line()
    period = period or make_period(fiscal_year=2026, number=1)
    for i in range(n):
        measure = make_measure(node=line, countries=("VN", "TH") if i % 2 else ("VN",), status="ongoing")
        services.budget_set(actor=None, measure=measure, fiscal_year=2026, amount_jpy=1000)
        make_milestone(measure, dt.date(2026, 5, 1))
        indicator = make_indicator(measure)
        services.baseline_set(actor=None, indicator=indicator, year=2020, value=100)
        services.target_set(actor=None, indicator=indicator, year=2030, value=200)
        services.actual_record(actor=None, indicator=indicator, period=period, value=150)
        approve(measure, period)
    return goal, line, period


def test_dashboard_figures(secretariat):
    _goal, line = goal_with_line("G1")
    sub_line = FrameworkNodeFactory(kind="means", code="G1.L1.a", parent=line)
    _other_goal, other_line = goal_with_line("G2")
    FrameworkNodeFactory(kind="cross_cutting", code="CC")
    q1 = make_period(fiscal_year=2026, number=1)
    q2 = make_period(fiscal_year=2026, number=2)

    a = make_measure(node=line, countries=("VN",), status="ongoing")
    b = make_measure(node=sub_line, countries=("VN", "TH"), status="completed")
    c = make_measure(node=other_line, status="planned")
    make_measure(node=line, kind="activity", parent=a, status="ongoing")
    services.budget_set(actor=None, measure=a, fiscal_year=2026, amount_jpy=3_000_000)
    services.budget_set(actor=None, measure=b, fiscal_year=2026, amount_jpy=1_000_000)
    services.budget_set(actor=None, measure=c, fiscal_year=2027, amount_jpy=500_000)

    on_time = make_milestone(a, dt.date(2026, 6, 1))
    services.milestone_complete(actor=None, milestone=on_time, completed_on=dt.date(2026, 5, 30))
    late = make_milestone(b, dt.date(2026, 6, 1))
    services.milestone_complete(actor=None, milestone=late, completed_on=dt.date(2026, 6, 10))
    make_milestone(c, dt.date(2026, 10, 1))  # overdue on TODAY
    make_milestone(c, dt.date(2027, 1, 1))  # upcoming

    achieved = make_indicator(a)
    services.baseline_set(actor=None, indicator=achieved, year=2020, value=10)
    services.target_set(actor=None, indicator=achieved, year=2030, value=20)
    services.actual_record(actor=None, indicator=achieved, period=q1, value=25)
    worse = make_indicator(b, direction="decrease")
    services.baseline_set(actor=None, indicator=worse, year=2020, value=10)
    services.target_set(actor=None, indicator=worse, year=2030, value=5)
    services.actual_record(actor=None, indicator=worse, period=q2, value=12)
    overridden = make_indicator(c)
    services.indicator_override_status(actor=None, indicator=overridden, status="moderate", justification="Survey")

    approve(a, q1)
    approve(b, q1, "at_risk", "Delays")
    approve(a, q2, "off_track", "Stopped")

    data = selectors.dashboard_for(user=secretariat, today=TODAY)
    assert {row["status"]: row["count"] for row in data["by_status"]} == {
        "planned": 1,
        "ongoing": 2,  # the activity counts in the status table
        "completed": 1,
        "suspended": 0,
        "cancelled": 0,
    }
    goals = {row["code"]: row for row in data["by_goal"]}
    assert set(goals) == {"G1", "G2", "CC"}
    assert goals["G1"]["count"] == 2  # a (with its activity) and b under a line of a line
    assert goals["G2"]["count"] == 1
    assert goals["CC"]["count"] == 0
    assert goals["G1"]["budget_jpy"] == 4_000_000
    # a scores 1.0 (achieved), b 0.0 (deterioration): equal weights give 0.5, moderate.
    assert goals["G1"]["score"] == pytest.approx(0.5)
    assert goals["G1"]["status"] == "moderate"
    assert goals["G2"]["score"] == pytest.approx(0.6)  # the override counts
    assert (goals["G1"]["indicators"], goals["G1"]["good"], goals["G1"]["deteriorating"]) == (2, 1, 1)
    assert (goals["G2"]["indicators"], goals["G2"]["good"], goals["CC"]["indicators"]) == (1, 0, 0)
    assert {row["code"]: row["count"] for row in data["by_country"]} == {"VN": 2, "TH": 1}
    assert data["by_fiscal_year"] == [
        {"fiscal_year": 2026, "budget_jpy": 4_000_000.0, "measures": 2},
        {"fiscal_year": 2027, "budget_jpy": 500_000.0, "measures": 1},
    ]
    assert data["milestones"] == {"on_time": 1, "late": 1, "overdue": 1, "upcoming": 1}
    indicators = {row["status"]: row["count"] for row in data["indicators"]}
    assert indicators["achieved"] == 1
    assert indicators["deterioration"] == 1
    assert indicators["moderate"] == 1
    assert [(t["period"], t["actuals"], t["reports"], t["on_track_share"]) for t in data["trend"]] == [
        ("FY2026 Q1", 1, 2, 0.5),
        ("FY2026 Q2", 1, 1, 0.0),
    ]
    assert [t["ratings"] for t in data["trend"]] == [
        {"on_track": 1, "at_risk": 1, "off_track": 0},
        {"on_track": 0, "at_risk": 0, "off_track": 1},
    ]
    assert data["totals"]["measures"] == 4

    filtered = selectors.dashboard_for(user=secretariat, goal="G2", today=TODAY)
    assert filtered["totals"]["measures"] == 1
    assert filtered["milestones"]["overdue"] == 1
    by_country = selectors.dashboard_for(user=secretariat, country="TH", today=TODAY)
    assert by_country["totals"]["measures"] == 1
    fy = selectors.dashboard_for(user=secretariat, fiscal_year=2027, today=TODAY)
    assert [r["fiscal_year"] for r in fy["by_fiscal_year"]] == [2027]


def test_dashboard_respects_visibility(make_user):
    make_measure(visibility="public", status="ongoing")
    make_measure(visibility="secretariat", status="ongoing")
    assert selectors.dashboard_for(user=AnonymousUser())["totals"]["measures"] == 1
    assert selectors.dashboard_for(user=make_user(Role.SECRETARIAT))["totals"]["measures"] == 2


def test_the_cached_dashboard_follows_every_change(secretariat, make_user, django_assert_max_num_queries):
    _goal, line, period = build(1)
    first = selectors.cached_dashboard_for(user=secretariat, today=TODAY)
    with django_assert_max_num_queries(1):  # the generation read; the figures come from the cache
        assert selectors.cached_dashboard_for(user=secretariat, today=TODAY) == first

    measure = make_measure(node=line, countries=("TH",), status="ongoing")
    assert selectors.cached_dashboard_for(user=secretariat, today=TODAY)["totals"]["measures"] == 2
    indicator = make_indicator(measure)
    services.actual_record(actor=None, indicator=indicator, period=period, value=1)
    trend = selectors.cached_dashboard_for(user=secretariat, today=TODAY)["trend"]
    assert trend[-1]["actuals"] == 2

    # Each user who is not the secretariat has their own copy: a focal point sees only their country's.
    focal = make_user(Role.FOCAL_POINT, country="TH")
    assert selectors.cached_dashboard_for(user=focal, today=TODAY)["totals"]["measures"] == 1
    assert selectors.cached_dashboard_for(user=secretariat, today=TODAY)["totals"]["measures"] == 2


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow(secretariat, make_user, django_assert_max_num_queries):
    goal, line, _period = build(2)
    focal = make_user(Role.FOCAL_POINT)
    small = _count(lambda: selectors.dashboard_for(user=secretariat))
    small_focal = _count(lambda: selectors.dashboard_for(user=focal, goal=goal.code, country="VN"))
    for _ in range(10):
        m = make_measure(node=line, countries=("TH",), status="ongoing")
        make_indicator(m)
        make_milestone(m, dt.date(2026, 5, 1))
    with django_assert_max_num_queries(small):
        selectors.dashboard_for(user=secretariat)
    with django_assert_max_num_queries(small_focal):
        selectors.dashboard_for(user=focal, goal=goal.code, country="VN")
    assert small <= 15  # a fixed budget: one query per figure


def test_measure_list_and_page_queries_do_not_grow(secretariat, django_assert_max_num_queries):
    goal, line, period = build(2)
    page_pk = Measure.objects.first().pk
    list_small = _count(lambda: list(selectors.measure_list_for(user=secretariat, filters={"goal": goal.code})))
    page_small = _count(lambda: selectors.measure_get_for(user=secretariat, pk=page_pk))
    for _ in range(8):
        m = make_measure(node=line, countries=("TH",))
        ind = make_indicator(m)
        services.actual_record(actor=None, indicator=ind, period=period, value=1)
    m = Measure.objects.get(pk=page_pk)
    for _ in range(5):
        ind = make_indicator(m)
        services.actual_record(actor=None, indicator=ind, period=period, value=1)
        make_milestone(m, dt.date(2027, 1, 1))
    with django_assert_max_num_queries(list_small):
        rows = list(selectors.measure_list_for(user=secretariat, filters={"goal": goal.code}))
        [list(r.partner_countries.all()) for r in rows]
    assert len(rows) == 10
    with django_assert_max_num_queries(page_small):
        page = selectors.measure_get_for(user=secretariat, pk=page_pk)
        [a.period for r in page.results.all() for i in r.indicators.all() for a in i.actuals.all()]
    assert sum(len(r.indicators.all()) for r in page.results.all()) == 6


def test_measure_list_filters(secretariat):
    goal, line = goal_with_line()
    make_measure(node=line, code="AIR-1", title_en="Cleaner air", countries=("VN",), status="ongoing")
    make_measure(code="WASTE-1", title_en="Less waste", status="planned")
    codes = lambda **f: [m.code for m in selectors.measure_list_for(user=secretariat, filters=f)]  # noqa: E731
    assert codes(goal=goal.code) == ["AIR-1"]
    assert codes(country="VN") == ["AIR-1"]
    assert codes(q="waste") == ["WASTE-1"]
    assert codes(status="planned") == ["WASTE-1"]
    assert selectors.measure_list_for(user=secretariat, filters={"goal": goal.code})[0].indicator_count == 0


def test_measure_get_for_hides_invisible(make_user):
    hidden = make_measure(visibility="secretariat")
    with pytest.raises(Http404):
        selectors.measure_get_for(user=make_user(Role.EXPERT), pk=hidden.pk)


def test_indicator_progress(secretariat):
    ind = make_indicator(direction="decrease")
    services.baseline_set(actor=None, indicator=ind, year=2015, value=100)
    services.target_set(actor=None, indicator=ind, year=2030, value=50)
    period = make_period(fiscal_year=2020, number=1)
    services.actual_record(actor=None, indicator=ind, period=period, value=80)
    progress = selectors.indicator_progress(indicators=[ind])[ind.pk]
    assert progress["baseline"] == (2015, 100)
    assert progress["latest"]["value"] == 80
    assert progress["assessment"].status.value == "substantial"
    ind.refresh_from_db()
    assert progress["effective_status"] == ind.computed_status == "substantial"


def _move_history_to(when):
    for model in (Measure, Milestone, ProgressReport):
        model.history.update(history_date=when)


def test_portfolio_as_of_and_changes(secretariat):
    then = timezone.now() - dt.timedelta(days=30)
    kept = make_measure(code="A", status="ongoing")
    closing = make_measure(code="B", status="ongoing")
    milestone = make_milestone(kept, dt.date(2026, 12, 1))
    period = make_period()
    approve(kept, period, "on_track")
    _move_history_to(then)

    added = make_measure(code="C")
    services.measure_update(
        actor=secretariat, measure=closing, expected_version=closing.version, changes={"status": "completed"}
    )
    services.milestone_update(
        actor=secretariat,
        milestone=milestone,
        expected_version=milestone.version,
        changes={"due_on": dt.date(2027, 2, 1)},
    )
    report = ProgressReport.objects.get(measure=kept)
    correction = services.report_correct(actor=secretariat, report=report)
    correction = services.report_update(
        actor=secretariat,
        report=correction,
        expected_version=correction.version,
        changes={"rating": "at_risk", "rating_reason": "Budget cut"},
    )
    correction = services.report_submit(actor=secretariat, report=correction)
    services.report_approve(actor=secretariat, report=correction)

    past = {row["code"]: row for row in selectors.portfolio_as_of(user=secretariat, when=then + dt.timedelta(hours=1))}
    assert set(past) == {"A", "B"}
    assert past["A"]["rating"] == "on_track"
    assert past["A"]["next_due"] == dt.date(2026, 12, 1)
    assert past["B"]["status"] == "ongoing"
    now = {row["code"]: row for row in selectors.portfolio_as_of(user=secretariat, when=timezone.now())}
    assert now["A"]["rating"] == "at_risk"
    assert now["B"]["status"] == "completed"

    changes = selectors.portfolio_changes(user=secretariat, since=then + dt.timedelta(hours=1))
    assert [r["code"] for r in changes["added"]] == [added.code]
    assert [r["code"] for r in changes["closed"]] == ["B"]
    assert [r["code"] for r in changes["rerated"]] == ["A"]
    assert changes["rerated"][0]["before"]["rating"] == "on_track"
    assert [r["code"] for r in changes["slipped"]] == ["A"]
    assert changes["slipped"][0]["moved"] == [
        {"milestone_id": milestone.pk, "was": dt.date(2026, 12, 1), "now": dt.date(2027, 2, 1)}
    ]


def test_portfolio_as_of_respects_visibility(make_user):
    make_measure(code="PUB", visibility="public")
    make_measure(code="SEC", visibility="secretariat")
    rows = selectors.portfolio_as_of(user=make_user(Role.EXPERT), when=timezone.now())
    assert [r["code"] for r in rows] == ["PUB"]


def test_portfolio_as_of_queries_do_not_grow(secretariat, django_assert_max_num_queries):
    goal, line, period = build(2)
    small = _count(lambda: selectors.portfolio_changes(user=secretariat, since=timezone.now() - dt.timedelta(days=1)))
    build(6, goal=goal, line=line, period=period)
    with django_assert_max_num_queries(small):
        selectors.portfolio_changes(user=secretariat, since=timezone.now() - dt.timedelta(days=1))


def test_missing_reports(owner, django_assert_max_num_queries):
    period = make_period()
    reported = make_measure(owner=owner, status="ongoing")
    approve(reported, period)
    drafting = make_measure(owner=owner, status="ongoing")
    services.report_get_or_create_draft(actor=owner, measure=drafting, period=period)
    silent = make_measure(owner=owner, status="planned")
    make_measure(status="completed")
    make_measure(kind="activity", parent=silent, status="ongoing")
    with django_assert_max_num_queries(1):
        rows = [(m.code, m.owner.email, m.report_state) for m in selectors.missing_reports(period=period)]
    assert rows == sorted([(drafting.code, owner.email, "draft"), (silent.code, owner.email, None)])
