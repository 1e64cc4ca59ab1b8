"""The oversight page: the secretariat alone (every role tried), membership gaps, overdue reports, activity
and trainees against quotas shown with charts and their data tables, status by word and symbol, and the
same number of queries for a few groups or many."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.fiscal import fiscal_year
from cleanasia.measures import services as measures
from cleanasia.network.models import TraineeNomination, TrainingProgramme, TrainingSession
from cleanasia.network.services import groups as services

from ..conftest import ROLES
from ..factories import CountryFactory, PersonFactory
from .factories_groups import add_member, make_field, make_wg

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STAFF = (Role.SECRETARIAT, Role.ADMIN)
_seq = itertools.count(1)
URL = "network:oversight"


def session(group, quota=2):
    programme = TrainingProgramme.objects.create(
        code=f"tp-{next(_seq)}", title_en="Course", field=group.field, working_group=group, level="introductory"
    )
    starts = TODAY - dt.timedelta(days=20)
    return TrainingSession.objects.create(
        programme=programme, starts_on=starts, ends_on=starts + dt.timedelta(days=4), quota_per_country=quota
    )


@pytest.fixture
def network():
    """wg-air: JP and VN represented, TH and KH missing, last year's report overdue, one item done, a
    session with three nominations from Viet Nam against a quota of two."""
    air = make_field("air", name_en="Air")
    group = make_wg("wg-air", field=air, established_on=dt.date(2020, 4, 1), name_en="Air group")
    add_member(group, country="JP", role="chair")
    add_member(group, country="VN")
    period = measures.period_create(
        actor=None, kind="year", fiscal_year=fiscal_year(TODAY) - 1, due_on=TODAY - dt.timedelta(days=3)
    )
    measures.period_open(actor=None, period=period)
    item = services.work_plan_item_create(actor=None, group=group, title_en="Guide")
    services.work_plan_item_set_status(actor=None, item=item, expected_version=1, status="done")
    training = session(group)
    for state in ("nominated", "selected", "selected"):
        TraineeNomination.objects.create(
            session=training, person=PersonFactory(), country=CountryFactory(code="VN"), state=state
        )
    return group


@pytest.mark.parametrize("role", ROLES)
def test_the_oversight_is_for_the_secretariat_alone(role, client_for, network):
    client, _user = client_for(role)
    response = client.get(reverse(URL))
    if role == "public":
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]
    elif role in STAFF:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    home = client.get(reverse("network:home"))
    if role != "public":
        assert (reverse(URL) in home.content.decode()) is (role in STAFF)


def test_the_page_shows_gaps_overdue_reports_activity_and_quotas(client_for, network):
    client, _user = client_for(Role.SECRETARIAT)
    page = client.get(reverse(URL)).content.decode()
    gaps = page.split('id="gaps-caption"')[1].split("</table>")[0]
    assert "KH" in gaps
    assert "Thailand" in gaps
    assert "2 / 4" in gaps  # two of the four EAS countries represented
    reports = page.split('id="reports-caption"')[1].split("</table>")[0]
    assert "Overdue by 3 days" in reports
    assert "⚠" in reports
    assert "Not started" in reports
    # Each chart has its data table, with the same figures.
    assert page.count("<svg") == 3
    assert page.count("Data table") == 3
    activity = page.split('id="chart-activity-table-caption"')[1].split("</table>")[0]
    assert "wg-air" in activity
    assert "Work-plan items done" in activity
    trainees = page.split('id="trainees-caption"')[1].split("</table>")[0]
    assert "Viet Nam" in trainees
    assert "⚠" in trainees  # three nominations against a quota of two


def test_the_page_says_when_nothing_is_due_or_recorded(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    page = client.get(reverse(URL)).content.decode()
    assert "No working group yet." in page
    assert "annual reports are due yet." in page
    assert "No trainee yet." in page


def test_the_page_runs_a_fixed_number_of_queries(client_for, network, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    client.get(reverse(URL))  # warm the per-process caches (content types, sessions)
    with django_assert_max_num_queries(30) as few:
        assert client.get(reverse(URL)).status_code == 200
    for n in range(6):
        group = make_wg(f"wg-more-{n}", established_on=dt.date(2020, 4, 1))
        add_member(group, country="TH")
        session(group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(URL)).status_code == 200
