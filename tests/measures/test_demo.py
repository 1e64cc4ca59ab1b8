"""Demonstration data of the progress module: plausible, complete, deterministic, idempotent and removable."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from cleanasia.accounts.demo import demo_email
from cleanasia.accounts.models import User
from cleanasia.core.permissions import visible
from cleanasia.measures.models import (
    Actual,
    Indicator,
    Measure,
    MeasureBudget,
    Milestone,
    ProgressReport,
    ReportingPeriod,
)

from .factories import make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def progress_and_its_prerequisites_only(demo_modules):
    """The progress module's data and what it builds on; the others' generators are not run."""
    demo_modules("accounts", "directory", "measures")


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def reference(db):
    call_command("load_reference", stdout=io.StringIO())


@pytest.fixture
def seeded(reference):
    seed(scale=1, seed=1)


def test_scale_one_gives_about_forty_measures_and_two_hundred_indicators(seeded):
    # The network module adds a measure per working group (its annual reports): not counted here.
    kinds = Counter(Measure.objects.filter(is_demo=True, working_group__isnull=True).values_list("kind", flat=True))
    assert kinds == {"measure": 30, "activity": 10}
    assert Indicator.objects.filter(is_demo=True).count() == 200
    assert all(
        code.count(".") >= 1
        for code in Measure.objects.filter(working_group__isnull=True).values_list("framework_node__code", flat=True)
    )
    assert set(Indicator.objects.values_list("direction", flat=True)) == {"increase", "decrease"}
    assert {"t CO2e", "%", "people trained"} <= set(Indicator.objects.values_list("unit", flat=True))
    assert MeasureBudget.objects.filter(is_demo=True).count() > 40


def test_ten_fiscal_years_of_quarters_and_the_current_one_open(seeded):
    periods = ReportingPeriod.objects.filter(kind="quarter").order_by("starts_on")
    closed = periods.filter(state="closed")
    assert closed.count() == 42  # FY2016–FY2025 and FY2026 Q1–Q2
    assert str(closed.first()) == "FY2016 Q1"
    assert str(closed.last()) == "FY2026 Q2"
    assert [str(p) for p in periods.filter(state="open")] == ["FY2026 Q3"]
    q3 = periods.get(fiscal_year=2026, number=3)
    assert (q3.starts_on.isoformat(), q3.ends_on.isoformat()) == ("2026-10-01", "2026-12-31")


def test_every_indicator_has_an_actual_for_every_closed_period(seeded):
    closed = ReportingPeriod.objects.filter(state="closed", kind="quarter").count()
    per_indicator = Counter(Actual.objects.values_list("indicator_id", flat=True))
    assert len(per_indicator) == 200
    assert set(per_indicator.values()) == {closed}
    assert not Actual.objects.filter(period__state="open").exists()


def test_progress_is_computed_and_varied(seeded):
    statuses = Counter(Indicator.objects.values_list("computed_status", flat=True))
    assert len(statuses) >= 4, statuses
    assert statuses["not_available"] < 40  # only the qualitative ones
    assert Indicator.objects.filter(latest_value__isnull=False).count() > 150


def test_milestones_some_overdue_and_reports_approved_or_mixed(seeded):
    assert Milestone.objects.filter(completed_on__isnull=True, due_on__lt="2026-11-29").exists()
    assert Milestone.objects.filter(completed_on__isnull=False).exists()
    closed_states = set(
        ProgressReport.objects.filter(period__state="closed", measure__working_group__isnull=True).values_list(
            "state", flat=True
        )
    )
    assert closed_states == {"approved"}
    open_states = set(ProgressReport.objects.filter(period__state="open").values_list("state", flat=True))
    assert len(open_states) >= 3, open_states


def test_demo_accounts_own_measures_and_focal_points_see_their_countries(seeded):
    owners = set(Measure.objects.filter(owner__isnull=False).values_list("owner__email", flat=True))
    assert demo_email("secretariat") in owners
    focal = User.objects.get(email=demo_email("focal-point-vn"))
    seen = visible(Measure.objects.all(), focal)
    assert seen.filter(partner_countries__code="VN", visibility="secretariat").exists()


def test_everything_is_marked_demo(seeded):
    for model in (Measure, Indicator, Actual, Milestone, ProgressReport, MeasureBudget):
        assert not model.objects.filter(is_demo=False).exists(), model


def _snapshot():
    return {
        "measures": list(Measure.objects.order_by("code").values_list("code", "title_en", "status", "visibility")),
        "actuals": list(
            Actual.objects.order_by("indicator__code", "period__starts_on").values_list("indicator__code", "value")[
                :500
            ]
        ),
    }


def test_the_same_seed_gives_the_same_data_and_running_again_changes_nothing(reference):
    with transaction.atomic():
        seed(scale=1, seed=7)
        first = _snapshot()
        transaction.set_rollback(True)
    seed(scale=1, seed=7)
    assert _snapshot() == first
    output = seed(scale=1, seed=7)
    assert "measures: already loaded" in output
    assert _snapshot() == first


def test_a_reset_removes_the_demo_measures_and_keeps_real_ones(reference):
    seed(scale=1, seed=1)
    from cleanasia.framework.models import FrameworkNode

    real = make_measure(code="REAL-1", node=FrameworkNode.objects.get(code="G1.1"))
    seed(scale=1, seed=2)  # another seed: the demonstration data is replaced
    assert Measure.objects.filter(is_demo=True, working_group__isnull=True).count() == 40
    assert Measure.objects.filter(pk=real.pk).exists()
    assert ReportingPeriod.objects.filter(kind="quarter").count() == 44
