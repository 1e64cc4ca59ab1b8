"""Services of the progress module: validation naming the field, the report workflow, periods, history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.core.audit import action_label
from cleanasia.core.concurrency import StaleEditError
from cleanasia.measures import services
from cleanasia.measures.models import Actual, Indicator, ProgressReport, ReportState

from .factories import make_indicator, make_measure, make_period

pytestmark = pytest.mark.django_db


def field_errors(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


# --- periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "starts", "ends"),
    [
        ("quarter", 1, dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("quarter", 2, dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("quarter", 3, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("quarter", 4, dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        ("half", 1, dt.date(2026, 4, 1), dt.date(2026, 9, 30)),
        ("half", 2, dt.date(2026, 10, 1), dt.date(2027, 3, 31)),
        ("year", 1, dt.date(2026, 4, 1), dt.date(2027, 3, 31)),
    ],
)
def test_period_dates_follow_the_japanese_fiscal_year(secretariat, kind, number, starts, ends):
    period = services.period_create(actor=secretariat, kind=kind, fiscal_year=2026, number=number)
    assert (period.starts_on, period.ends_on) == (starts, ends)
    assert period.due_on == ends + dt.timedelta(days=30)
    assert period.state == "planned"


def test_period_due_date_can_be_given(secretariat):
    period = services.period_create(
        actor=secretariat, kind="quarter", fiscal_year=2026, number=1, due_on=dt.date(2026, 7, 15)
    )
    assert period.due_on == dt.date(2026, 7, 15)


@pytest.mark.parametrize(("kind", "number"), [("quarter", 5), ("quarter", 0), ("half", 3), ("year", 2)])
def test_period_number_out_of_range_is_refused(secretariat, kind, number):
    with pytest.raises(ValidationError) as exc:
        services.period_create(actor=secretariat, kind=kind, fiscal_year=2026, number=number)
    assert field_errors(exc) == {"number"}


def test_period_twice_is_refused(secretariat):
    services.period_create(actor=secretariat, kind="quarter", fiscal_year=2026, number=1)
    with pytest.raises(ValidationError) as exc:
        services.period_create(actor=secretariat, kind="quarter", fiscal_year=2026, number=1)
    assert "number" in field_errors(exc)


def test_period_open_close_and_history(secretariat):
    period = services.period_create(actor=secretariat, kind="quarter", fiscal_year=2026, number=1)
    period = services.period_open(actor=secretariat, period=period)
    assert period.state == "open"
    with pytest.raises(ValidationError) as exc:
        services.period_open(actor=secretariat, period=period)
    assert field_errors(exc) == {"state"}
    period = services.period_close(actor=secretariat, period=period)
    assert period.state == "closed"
    rows = list(period.history.order_by("history_id"))
    assert [r.action_code for r in rows] == [
        "measures.period.created",
        "measures.period.opened",
        "measures.period.closed",
    ]
    assert rows[-1].history_user == secretariat
    assert action_label("measures.period.opened") == "Reporting period opened"


def test_only_the_secretariat_opens_periods(make_user):
    period = make_period(open=False)
    with pytest.raises(PermissionDenied):
        services.period_open(actor=make_user("expert"), period=period)


# --- measures, budgets -----------------------------------------------------


def test_measure_create_update_with_countries(secretariat):
    measure = make_measure(countries=("VN",))
    assert list(measure.partner_countries.values_list("code", flat=True)) == ["VN"]
    updated = services.measure_update(
        actor=secretariat,
        measure=measure,
        expected_version=measure.version,
        changes={"title_en": "Cleaner air", "partner_countries": []},
    )
    assert updated.title_en == "Cleaner air"
    assert updated.version == measure.version + 1
    assert not updated.partner_countries.exists()
    assert updated.history.first().action_code == "measures.measure.updated"
    with pytest.raises(StaleEditError):
        services.measure_update(
            actor=secretariat, measure=measure, expected_version=measure.version, changes={"title_en": "x"}
        )


def test_measure_needs_japanese_title_and_unique_code(secretariat):
    make_measure(code="M-1")
    with pytest.raises(ValidationError) as exc:
        make_measure(code="M-2", title_ja="")
    assert field_errors(exc) == {"title_ja"}
    with pytest.raises(ValidationError) as exc:
        make_measure(code="M-1")
    assert "code" in field_errors(exc)


def test_activity_needs_a_measure(secretariat):
    with pytest.raises(ValidationError) as exc:
        make_measure(kind="activity")
    assert field_errors(exc) == {"parent"}
    parent = make_measure()
    activity = make_measure(kind="activity", parent=parent)
    assert activity.parent == parent


def test_budget_set_replaces_and_refuses_negative(secretariat):
    measure = make_measure()
    services.budget_set(actor=secretariat, measure=measure, fiscal_year=2026, amount_jpy=1_000_000)
    budget = services.budget_set(actor=secretariat, measure=measure, fiscal_year=2026, amount_jpy=2_000_000)
    assert measure.budgets.get().amount_jpy == 2_000_000 == budget.amount_jpy
    with pytest.raises(ValidationError) as exc:
        services.budget_set(actor=secretariat, measure=measure, fiscal_year=2027, amount_jpy=-1)
    assert field_errors(exc) == {"amount_jpy"}


def test_owner_cannot_create_measures(owner):
    with pytest.raises(PermissionDenied):
        services.measure_create(
            actor=owner, framework_node=make_measure().framework_node, code="X", title_ja="x", title_en="x"
        )


# --- baselines, targets, actuals ------------------------------------------


def test_target_in_another_unit_is_refused(secretariat):
    indicator = make_indicator(unit="t CO2e")
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=secretariat, indicator=indicator, year=2030, value=5, unit="kt CO2e")
    assert field_errors(exc) == {"unit"}
    with pytest.raises(ValidationError) as exc:
        services.baseline_set(actor=secretariat, indicator=indicator, year=2020, value=5, unit="kg")
    assert field_errors(exc) == {"unit"}
    assert not indicator.targets.exists()
    assert not indicator.baselines.exists()
    services.target_set(actor=secretariat, indicator=indicator, year=2030, value=5, unit="t CO2e")
    assert indicator.targets.get().value == 5


def test_quantitative_value_must_be_a_number(secretariat):
    indicator = make_indicator()
    with pytest.raises(ValidationError) as exc:
        services.baseline_set(actor=secretariat, indicator=indicator, year=2020, value="lots")
    assert field_errors(exc) == {"value"}


def test_actual_for_a_period_that_is_not_open_is_refused(secretariat):
    indicator = make_indicator()
    planned = make_period(number=1, open=False)
    with pytest.raises(ValidationError) as exc:
        services.actual_record(actor=secretariat, indicator=indicator, period=planned, value=3)
    assert field_errors(exc) == {"period"}
    closed = services.period_close(actor=secretariat, period=make_period(number=2))
    with pytest.raises(ValidationError) as exc:
        services.actual_record(actor=secretariat, indicator=indicator, period=closed, value=3)
    assert field_errors(exc) == {"period"}
    assert not Actual.objects.exists()


def test_recording_values_recomputes_progress(secretariat):
    indicator = make_indicator(direction="decrease")
    assert indicator.computed_status == "not_available"
    services.baseline_set(actor=secretariat, indicator=indicator, year=2020, value=100)
    services.target_set(actor=secretariat, indicator=indicator, year=2030, value=50)
    period = make_period(fiscal_year=2025, number=4)
    services.actual_record(actor=secretariat, indicator=indicator, period=period, value=60, comment="measured")
    indicator.refresh_from_db()
    # Observed (0.6)^(1/5)-1 = -9.71 %, required (0.5)^(1/10)-1 = -6.70 %: ratio 1.45, substantial.
    assert indicator.computed_status == "substantial"
    assert indicator.computed_score == 0.85
    assert indicator.latest_value == 60
    assert indicator.latest_period == period
    assert indicator.computed_at is not None
    # Recording did not bump the version nor write a history row of the indicator.
    assert indicator.version == 1
    assert indicator.history.count() == 1


def test_override_needs_justification_and_wins(secretariat):
    indicator = make_indicator()
    with pytest.raises(ValidationError) as exc:
        services.indicator_override_status(actor=secretariat, indicator=indicator, status="achieved", justification="")
    assert field_errors(exc) == {"override_justification"}
    services.indicator_override_status(
        actor=secretariat, indicator=indicator, status="achieved", justification="Survey of 2026 confirms it."
    )
    indicator.refresh_from_db()
    assert indicator.effective_status == "achieved"
    assert indicator.computed_status == "not_available"
    services.indicator_override_status(actor=secretariat, indicator=indicator, status="", justification="")
    indicator.refresh_from_db()
    assert indicator.effective_status == "not_available"
    assert indicator.override_justification == ""


def test_indicator_unit_is_fixed_once_values_exist(secretariat):
    indicator = make_indicator(unit="t")
    services.baseline_set(actor=secretariat, indicator=indicator, year=2020, value=1)
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(
            actor=secretariat, indicator=indicator, expected_version=indicator.version, changes={"unit": "kt"}
        )
    assert field_errors(exc) == {"unit"}


# --- reports ---------------------------------------------------------------


@pytest.fixture
def reporting(owner):
    measure = make_measure(owner=owner)
    period = make_period()
    return measure, period


def test_report_workflow(owner, secretariat, reporting):
    measure, period = reporting
    report = services.report_get_or_create_draft(actor=owner, measure=measure, period=period)
    assert report.state == ReportState.DRAFT
    assert services.report_get_or_create_draft(actor=owner, measure=measure, period=period).pk == report.pk

    with pytest.raises(ValidationError) as exc:
        services.report_update(
            actor=owner, report=report, expected_version=report.version, changes={"rating": "at_risk"}
        )
    assert field_errors(exc) == {"rating_reason"}
    report = services.report_update(
        actor=owner,
        report=report,
        expected_version=report.version,
        changes={"rating": "at_risk", "rating_reason": "Procurement delayed", "narrative_ja": "進捗"},
    )
    report = services.report_submit(actor=owner, report=report)
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_by == owner

    with pytest.raises(PermissionDenied):
        services.report_approve(actor=owner, report=report)
    with pytest.raises(ValidationError) as exc:
        services.report_return(actor=secretariat, report=report, comment=" ")
    assert field_errors(exc) == {"comment"}
    report = services.report_return(actor=secretariat, report=report, comment="Add the Q1 figures.")
    assert report.state == ReportState.RETURNED
    assert report.secretariat_comment == "Add the Q1 figures."

    report = services.report_update(
        actor=owner, report=report, expected_version=report.version, changes={"narrative_en": "Figures added"}
    )
    report = services.report_submit(actor=owner, report=report)
    report = services.report_approve(actor=secretariat, report=report)
    assert report.state == ReportState.APPROVED
    assert report.decided_by == secretariat
    codes = list(report.history.order_by("history_id").values_list("action_code", flat=True))
    assert codes == [
        "measures.report.created",
        "measures.report.updated",
        "measures.report.submitted",
        "measures.report.returned",
        "measures.report.updated",
        "measures.report.submitted",
        "measures.report.approved",
    ]


def _approved(owner, secretariat, measure, period):
    report = services.report_get_or_create_draft(actor=owner, measure=measure, period=period)
    report = services.report_update(
        actor=owner, report=report, expected_version=report.version, changes={"rating": "on_track"}
    )
    report = services.report_submit(actor=owner, report=report)
    return services.report_approve(actor=secretariat, report=report)


def test_approved_report_is_immutable(owner, secretariat, reporting):
    measure, period = reporting
    report = _approved(owner, secretariat, measure, period)
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            actor=secretariat, report=report, expected_version=report.version, changes={"narrative_en": "x"}
        )
    assert field_errors(exc) == {"state"}
    for step in (services.report_submit, services.report_approve):
        with pytest.raises(ValidationError) as exc:
            step(actor=secretariat, report=report)
        assert field_errors(exc) == {"state"}
    indicator = make_indicator(measure)
    with pytest.raises(ValidationError) as exc:
        services.actual_record(actor=owner, indicator=indicator, period=period, value=1, report=report)
    assert field_errors(exc) == {"report"}


def test_correction_is_a_new_version(owner, secretariat, reporting):
    measure, period = reporting
    indicator = make_indicator(measure)
    draft = services.report_get_or_create_draft(actor=owner, measure=measure, period=period)
    services.actual_record(actor=owner, indicator=indicator, period=period, value=10, report=draft)
    report = _approved(owner, secretariat, measure, period)
    # The approved value cannot be replaced outside a correction.
    with pytest.raises(ValidationError) as exc:
        services.actual_record(actor=owner, indicator=indicator, period=period, value=11)
    assert field_errors(exc) == {"report"}

    correction = services.report_correct(actor=owner, report=report)
    assert correction.report_version == 2
    assert correction.supersedes == report
    assert correction.state == ReportState.DRAFT
    assert correction.rating == "on_track"
    assert services.report_get_or_create_draft(actor=owner, measure=measure, period=period) == correction
    services.actual_record(actor=owner, indicator=indicator, period=period, value=11, report=correction)
    assert Actual.objects.get(indicator=indicator).value == 11
    with pytest.raises(ValidationError) as exc:
        services.report_correct(actor=owner, report=report)
    assert field_errors(exc) == {"state"}
    with pytest.raises(ValidationError) as exc:
        services.report_correct(actor=owner, report=correction)
    assert field_errors(exc) == {"state"}
    assert ProgressReport.objects.filter(measure=measure).count() == 2
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_submit_needs_a_rating(owner, reporting):
    measure, period = reporting
    report = services.report_get_or_create_draft(actor=owner, measure=measure, period=period)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=owner, report=report)
    assert field_errors(exc) == {"rating"}


def test_others_cannot_report_on_a_measure(make_user, reporting):
    measure, period = reporting
    with pytest.raises(PermissionDenied):
        services.report_get_or_create_draft(actor=make_user("expert"), measure=measure, period=period)


def test_no_draft_for_a_period_that_is_not_open(owner):
    measure = make_measure(owner=owner)
    with pytest.raises(ValidationError) as exc:
        services.report_get_or_create_draft(actor=owner, measure=measure, period=make_period(open=False))
    assert field_errors(exc) == {"period"}


def test_milestone_complete_by_owner(owner, make_user):
    measure = make_measure(owner=owner)
    milestone = services.milestone_create(actor=None, measure=measure, title_ja="節目", due_on=dt.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.milestone_complete(actor=make_user("expert"), milestone=milestone, completed_on=dt.date(2026, 1, 2))
    done = services.milestone_complete(actor=owner, milestone=milestone, completed_on=dt.date(2026, 1, 2))
    assert done.completed_late()


def test_indicator_code_unique(secretariat):
    make_indicator(code="I-1")
    with pytest.raises(ValidationError) as exc:
        make_indicator(code="I-1")
    assert "code" in field_errors(exc)
    assert Indicator.objects.count() == 1


def test_indicators_recompute_many_at_once(django_assert_max_num_queries):
    period = make_period(fiscal_year=2025, number=4)
    earlier = make_period(fiscal_year=2024, number=4)
    indicators = {}
    for latest in (60, 90, 110):
        indicator = make_indicator(direction="decrease")
        services.baseline_set(actor=None, indicator=indicator, year=2020, value=100)
        services.target_set(actor=None, indicator=indicator, year=2030, value=50)
        services.actual_record(actor=None, indicator=indicator, period=earlier, value=40)  # older, ignored
        services.actual_record(actor=None, indicator=indicator, period=period, value=latest)
        indicators[latest] = indicator.pk
    Indicator.objects.update(computed_status="not_available", computed_score=None, latest_value=None)
    with django_assert_max_num_queries(7):
        assert services.indicators_recompute(queryset=Indicator.objects.all()) == 3
    stored = dict(Indicator.objects.values_list("pk", "computed_status"))
    # Required 0.5 ** 0.1 - 1 = -6.70 %/yr; 60: -9.71 % (R 1.45); 90: -2.09 % (R 0.31); 110: rising.
    assert stored == {indicators[60]: "substantial", indicators[90]: "limited", indicators[110]: "deterioration"}
    assert Indicator.objects.get(pk=indicators[90]).latest_value == 90
