"""The secretariat's oversight page: membership gaps against each group's membership group, overdue annual
reports, activity over the last twelve months, trainees by country against quotas — the numbers on a small
data set, the secretariat alone, and the same number of queries for two groups or twelve."""

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.fiscal import fiscal_year
from cleanasia.measures import services as measures
from cleanasia.network.models import (
    GroupRole,
    ResearchProject,
    TraineeNomination,
    TrainingProgramme,
    TrainingSession,
    WorkPlanItem,
)
from cleanasia.network.selectors.oversight import oversight_for
from cleanasia.network.services import groups as services

from ..conftest import ROLES
from ..factories import CountryFactory, OrganisationFactory, PersonFactory
from ..meetings.factories import make_meeting
from .factories_groups import add_member, make_field, make_wg

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_FY = fiscal_year(TODAY) - 1
_seq = itertools.count(1)


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


def moment(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def year_period(fy, *, due_on=None):
    period = measures.period_create(actor=None, kind="year", fiscal_year=fy, due_on=due_on)
    return measures.period_open(actor=None, period=period)


def report(group, period, *, to="approved"):
    draft = measures.report_get_or_create_draft(actor=None, measure=group.measure, period=period)
    if to == "draft":
        return draft
    draft = measures.report_update(
        actor=None, report=draft, expected_version=draft.version, changes={"rating": "on_track"}
    )
    submitted = measures.report_submit(actor=None, report=draft)
    return submitted if to == "submitted" else measures.report_approve(actor=None, report=submitted)


def project(group, starts_on, status="ongoing"):
    return ResearchProject.objects.create(
        code=f"p-{next(_seq)}",
        title_en="Project",
        field=group.field,
        working_group=group,
        lead_organisation=OrganisationFactory(),
        starts_on=starts_on,
        status=status,
    )


def session(group, starts_on, quota=2):
    programme = TrainingProgramme.objects.create(
        code=f"tp-{next(_seq)}", title_en="Course", field=group.field, working_group=group, level="introductory"
    )
    return TrainingSession.objects.create(
        programme=programme, starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=4), quota_per_country=quota
    )


def nominate(training, country, state="nominated", n=1):
    for _ in range(n):
        TraineeNomination.objects.create(
            session=training, person=PersonFactory(), country=CountryFactory(code=country), state=state
        )


def done_item(group, *, long_ago=False, reverted=False):
    item = services.work_plan_item_create(actor=None, group=group, title_en="Item")
    item = services.work_plan_item_set_status(actor=None, item=item, expected_version=1, status="done")
    if reverted:
        services.work_plan_item_set_status(actor=None, item=item, expected_version=2, status="in_progress")
    if long_ago:
        item.history.update(history_date=moment(days_ago(400)))
    return item


@pytest.fixture
def network():
    """Four groups of the EAS (JP, VN, TH, KH) and one without membership group, with their reports,
    activity and trainees (see each test for what counts)."""
    air = make_field("air")
    a = make_wg("wg-air", field=air, chairs=("JP",), co_chairs=("VN",), established_on=dt.date(2020, 4, 1))
    c = make_wg("wg-water", chairs=(), co_chairs=(), established_on=dt.date(2020, 4, 1))
    c.meeting_series.extra_countries.add(CountryFactory(code="US"))
    d = make_wg("wg-waste", chairs=(), co_chairs=(), established_on=dt.date(2020, 4, 1))
    e = make_wg("wg-closed", chairs=(), co_chairs=(), established_on=dt.date(2020, 4, 1), status="closed")
    f = make_wg("wg-new", chairs=(), co_chairs=(), established_on=TODAY)
    b = make_wg("wg-free", membership_group=None, chairs=(), co_chairs=(), established_on=dt.date(2020, 4, 1))

    # Membership: A has JP (chair) and VN now, TH no longer, and an observer from the US.
    add_member(a, country="JP", role=GroupRole.CHAIR)
    add_member(a, country="VN")
    add_member(a, country="TH", started_on=dt.date(2021, 1, 1), ended_on=days_ago(30))
    add_member(a, country="US", role=GroupRole.OBSERVER)
    add_member(a, country="KH", started_on=TODAY + dt.timedelta(days=10))  # not yet
    for code in ("JP", "VN", "TH", "KH"):
        add_member(c, country=code)
    add_member(b, country="VN")

    # Reports: the last fiscal year's are due (the one before and this year's do not count).
    last = year_period(LAST_FY, due_on=days_ago(1))
    older = year_period(LAST_FY - 1)
    year_period(LAST_FY + 1)
    report(a, last, to="approved")
    report(c, last, to="submitted")
    report(d, older, to="approved")  # an older report does not settle last year's

    # Activity of A over the last twelve months.
    done_item(a)
    done_item(a, long_ago=True)
    done_item(a, reverted=True)
    services.work_plan_item_create(actor=None, group=a, title_en="Created done", status="done")
    services.work_plan_item_create(actor=None, group=a, title_en="Under way", status="in_progress")
    project(a, days_ago(90))
    project(a, days_ago(30), status="proposed")
    project(a, days_ago(700))
    project(c, days_ago(10), status="completed")
    recent = session(a, days_ago(60), quota=2)
    coming = session(a, TODAY + dt.timedelta(days=30), quota=3)
    old = session(a, days_ago(700), quota=2)
    make_meeting(a.meeting_series, starts_at=moment(days_ago(30)), status="held")
    make_meeting(a.meeting_series, starts_at=moment(days_ago(700)), status="held")
    make_meeting(a.meeting_series, starts_at=moment(TODAY + dt.timedelta(days=40)))
    make_meeting(a.meeting_series, starts_at=moment(days_ago(20)), status="cancelled", status_note="Typhoon")

    # Trainees: recent (quota 2) and coming (quota 3) sessions count; the old one does not.
    nominate(recent, "VN", "selected", n=2)
    nominate(recent, "VN", "withdrawn")
    nominate(recent, "TH", "selected")
    nominate(recent, "TH")
    nominate(coming, "VN")
    nominate(coming, "KH", n=4)
    nominate(old, "VN", "selected", n=5)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "last": last}


@pytest.fixture
def staff(make_user):
    user = make_user(Role.SECRETARIAT)
    user.role_codes  # noqa: B018 (read once per request)
    return user


def rows_by_code(page):
    return {row["group"].code: row for row in page["groups"]}


def codes(countries):
    return [country.code for country in countries]


def test_membership_gaps_against_the_membership_group_today(network, staff):
    rows = rows_by_code(oversight_for(user=staff))
    a = rows["wg-air"]
    assert a["has_membership_group"]
    assert sorted(codes(a["expected"])) == ["JP", "KH", "TH", "VN"]
    assert sorted(codes(a["represented"])) == ["JP", "VN"]  # the observer represents no seat
    assert sorted(codes(a["missing"])) == ["KH", "TH"]  # TH's term ended, KH's has not begun
    assert codes(rows["wg-water"]["missing"]) == ["US"]  # the series' other invited country counts
    assert rows["wg-free"]["has_membership_group"] is False
    assert rows["wg-free"]["missing"] == []


def test_a_country_that_left_the_membership_group_is_no_gap(network, staff):
    from cleanasia.directory.models import GroupMembership

    GroupMembership.objects.filter(group__code="eas", country_id="KH").update(left_on=days_ago(1))
    rows = rows_by_code(oversight_for(user=staff))
    assert sorted(codes(rows["wg-air"]["missing"])) == ["TH"]


def test_overdue_annual_reports_are_last_years_reports_not_approved(network, staff):
    page = oversight_for(user=staff)
    assert page["report_period"] == network["last"]
    rows = rows_by_code(page)
    states = {code: (row["report"]["state"], row["report"]["overdue"]) for code, row in rows.items()}
    assert states == {
        "wg-air": ("approved", False),
        "wg-water": ("submitted", True),
        "wg-waste": (None, True),  # approved the year before only
        "wg-closed": (None, False),  # closed: owes nothing
        "wg-new": (None, False),  # established after the year ended
        "wg-free": (None, True),
    }
    assert rows["wg-water"]["report"]["days_overdue"] == 1
    assert str(rows["wg-waste"]["report"]["state_label"]) == "Not started"
    assert page["totals"]["overdue_reports"] == 3


def test_a_correction_in_draft_leaves_an_approved_report_overdue_until_approved(network, staff):
    approved = network["a"].measure.reports.get()
    measures.report_correct(actor=None, report=approved)
    row = rows_by_code(oversight_for(user=staff))["wg-air"]
    assert (row["report"]["state"], row["report"]["overdue"]) == ("draft", True)


def test_no_report_is_due_before_a_fiscal_years_due_date(network, staff):
    network["last"].due_on = TODAY
    network["last"].save()
    page = oversight_for(user=staff)
    assert page["report_period"].fiscal_year == LAST_FY - 1
    assert rows_by_code(page)["wg-air"]["report"]["state"] is None  # A did not report on that year


def test_activity_over_the_last_twelve_months(network, staff):
    rows = rows_by_code(oversight_for(user=staff))
    assert rows["wg-air"]["activity"] == {
        "work_plan_done": 2,  # done now, and created done; not done long ago, not reverted
        "projects_started": 1,  # not the proposed one, not the old one
        "sessions_started": 1,  # not the coming one, not the old one
        "meetings_held": 1,  # not the old, planned or cancelled ones
    }
    assert rows["wg-water"]["activity"] == {
        "work_plan_done": 0,
        "projects_started": 1,
        "sessions_started": 0,
        "meetings_held": 0,
    }
    assert rows["wg-free"]["activity"]["meetings_held"] == 0


def test_an_item_done_again_counts_from_its_last_completion(network, staff):
    item = WorkPlanItem.objects.get(group=network["a"], status="in_progress", title_en="Item")
    services.work_plan_item_set_status(actor=None, item=item, expected_version=item.version, status="done")
    assert rows_by_code(oversight_for(user=staff))["wg-air"]["activity"]["work_plan_done"] == 3


def test_trainees_by_country_against_quotas(network, staff):
    page = oversight_for(user=staff)
    trainees = {row["country"].code: row for row in page["trainees"]}
    assert {code: (r["nominated"], r["selected"], r["sessions"], r["over_quota"]) for code, r in trainees.items()} == {
        "VN": (3, 2, 2, 0),
        "TH": (2, 1, 1, 0),
        "KH": (4, 0, 1, 1),  # four nominations for three places
        "JP": (0, 0, 0, 0),  # expected by the groups, sent nobody
        "US": (0, 0, 0, 0),
    }
    assert {row["places"] for row in page["trainees"]} == {5}
    assert page["totals"]["selected"] == 3


@pytest.mark.parametrize("role", ROLES)
def test_the_oversight_is_the_secretariats(role, make_user, network):
    user = AnonymousUser() if role == "public" else make_user(role)
    if role in (Role.SECRETARIAT, Role.ADMIN):
        assert len(oversight_for(user=user)["groups"]) == 6
    else:
        with pytest.raises(PermissionDenied):
            oversight_for(user=user)


def test_a_current_member_of_every_group_does_not_see_the_oversight(make_user, network):
    member = make_user(Role.WG_MEMBER)
    person = PersonFactory(country=CountryFactory(code="JP"), user=member)
    for key in ("a", "c", "d"):
        add_member(network[key], country="JP", person=person, started_on=TODAY)
    with pytest.raises(PermissionDenied):
        oversight_for(user=member)


def _small_network(n):
    for _ in range(n):
        group = make_wg(chairs=(), co_chairs=(), established_on=dt.date(2020, 4, 1))
        add_member(group, country="VN")
        done_item(group)
        project(group, days_ago(10))
        nominate(session(group, days_ago(5)), "TH", "selected")
        make_meeting(group.meeting_series, starts_at=moment(days_ago(3)), status="held")
    year_period(LAST_FY, due_on=days_ago(1))


@pytest.mark.parametrize("n", [2, 12])
def test_the_page_runs_the_same_number_of_queries_for_any_number_of_groups(n, staff, django_assert_max_num_queries):
    _small_network(n)
    with django_assert_max_num_queries(13):
        page = oversight_for(user=staff)
    assert len(page["groups"]) == n
    assert all(row["activity"]["meetings_held"] == 1 for row in page["groups"])
    assert page["totals"]["overdue_reports"] == n
