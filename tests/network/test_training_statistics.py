"""Training statistics on a small data set worked out by hand, the alumni records of a person, and the query
budgets of the training selectors (fixed, whatever the number of rows).

The data set: an air course in March 2024 (5 days) and a water course in June 2025 (3 days).

    trainee        country gender course  selected attended  pre      post     gain
    a  P1 (Lan)    VN      female air     yes      yes       40/100   70/100   0.30
    b  P2          VN      male   air     yes      yes       50/100   60/100   0.10
    c  P3          TH      female air     yes      yes       30/50    40/50    0.20
    d  P4          TH      male   air     yes      no (absent)                 (not trained)
    e  P5          TH      male   air     declined                            (not trained)
    f  P1 (Lan)    VN      female water   yes      yes       20/100   80/100   0.60
    g  P6          TH      other  water   yes      yes       50/100   —        (no gain)

Trained: a b c f g (5 trainings, 4 people); gain over a b c f: (0.3 + 0.1 + 0.2 + 0.6) / 4 = 0.3.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from cleanasia.accounts.models import Role
from cleanasia.network.models import TraineeState
from cleanasia.network.selectors import training as selectors
from cleanasia.network.services import training as services
from tests.factories import CountryFactory, PersonFactory

from .test_training_services import attend, make_field, make_programme, make_session, nominate, today

pytestmark = pytest.mark.django_db


def scored(nomination, pre=None, post=None, max_score=100):
    if pre is not None:
        services.assessment_record(actor=None, nomination=nomination, kind="pre", score=pre, max_score=max_score)
    if post is not None:
        services.assessment_record(actor=None, nomination=nomination, kind="post", score=post, max_score=max_score)


@pytest.fixture
def data():
    air = make_session(
        make_programme(field=make_field("air", 1), code="air-course"), starts_on=dt.date(2024, 3, 4), quota=4
    )
    water = make_session(
        make_programme(field=make_field("water", 2), code="water-course"), starts_on=dt.date(2025, 6, 2), days=3
    )
    lan = PersonFactory(name_en="Lan")
    selected = TraineeState.SELECTED
    a = nominate(air, "VN", person=lan, gender="female", state=selected)
    b = nominate(air, "VN", gender="male", state=selected)
    c = nominate(air, "TH", gender="female", state=selected)
    d = nominate(air, "TH", gender="male", state=selected)
    nominate(air, "TH", gender="male", state=TraineeState.NOT_SELECTED)
    f = nominate(water, "VN", person=lan, gender="female", state=selected)
    g = nominate(water, "TH", gender="other", state=selected)
    for nomination in (a, b, c, f, g):
        attend(nomination, "present", "late")
    attend(d, "absent", "excused")
    scored(a, 40, 70)
    scored(b, 50, 60)
    scored(c, 30, 40, max_score=50)
    scored(d, 10, 90)  # never attended: not in the statistics, whatever their scores
    scored(f, 20, 80)
    scored(g, pre=50)
    return {"air": air, "water": water, "lan": lan}


def table(rows) -> dict:
    return {row["key"]: (row["trainees"], row["people"], row["scored"], row["gain"]) for row in rows}


def test_people_trained_and_learning_gain_by_country_field_year_and_gender(data, make_user):
    stats = selectors.training_statistics(user=make_user(Role.SECRETARIAT))
    assert stats["total"] == {"trainees": 5, "people": 4, "scored": 4, "gain": pytest.approx(0.3)}
    assert table(stats["by_country"]) == {
        "VN": (3, 2, 3, pytest.approx((0.3 + 0.1 + 0.6) / 3)),
        "TH": (2, 2, 1, pytest.approx(0.2)),
    }
    assert [row["label"] for row in stats["by_country"]] == ["Thailand", "Viet Nam"]
    assert table(stats["by_field"]) == {"air": (3, 3, 3, pytest.approx(0.2)), "water": (2, 2, 1, pytest.approx(0.6))}
    assert [row["label"] for row in stats["by_field"]] == ["Air quality", "Water"]
    assert table(stats["by_year"]) == {2024: (3, 3, 3, pytest.approx(0.2)), 2025: (2, 2, 1, pytest.approx(0.6))}
    assert table(stats["by_gender"]) == {
        "female": (3, 2, 3, pytest.approx((0.3 + 0.2 + 0.6) / 3)),
        "male": (1, 1, 1, pytest.approx(0.1)),
        "other": (1, 1, 0, None),
    }


def test_statistics_filter_by_year_field_and_country(data, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    assert selectors.training_statistics(user=secretariat, year=2025)["total"]["trainees"] == 2
    water = make_field("water")
    assert table(selectors.training_statistics(user=secretariat, field=water)["by_country"]) == {
        "VN": (1, 1, 1, pytest.approx(0.6)),
        "TH": (1, 1, 0, None),
    }
    by_country = selectors.training_statistics(user=secretariat, country=CountryFactory(code="VN"))["total"]
    assert by_country["trainees"] == 3


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT])
def test_outside_the_secretariat_the_gain_of_fewer_than_three_people_is_not_shown(role, data, make_user):
    user = AnonymousUser() if role == "public" else make_user(role)
    stats = selectors.training_statistics(user=user)
    assert stats["total"]["gain"] == pytest.approx(0.3)
    assert table(stats["by_country"])["VN"][3] == pytest.approx((0.3 + 0.1 + 0.6) / 3)
    assert table(stats["by_country"])["TH"] == (2, 2, 1, None), "one person's gain would be their own scores"
    assert table(stats["by_gender"])["male"] == (1, 1, 1, None)
    assert table(stats["by_field"])["water"][3] is None


def test_statistics_count_only_the_sessions_a_reader_may_see(data, make_user):
    water = data["water"]
    services.session_update(
        actor=None, session=water, expected_version=water.version, changes={"visibility": "members"}
    )
    assert selectors.training_statistics(user=AnonymousUser())["total"]["trainees"] == 3
    assert selectors.training_statistics(user=make_user(Role.EXPERT))["total"]["trainees"] == 5


def test_the_alumni_records_of_a_person_are_their_ended_trainings_newest_first(data, make_user):
    lan = data["lan"]
    records = selectors.alumni_records_for(user=make_user(Role.SECRETARIAT), person=lan)
    assert [r.session for r in records] == [data["water"], data["air"]]
    upcoming = make_session(starts_on=today() + dt.timedelta(days=30))
    nominate(upcoming, "VN", person=lan, state=TraineeState.SELECTED)
    assert len(selectors.alumni_records_for(user=make_user(Role.SECRETARIAT), person=lan)) == 2
    assert selectors.alumni_records_for(user=make_user(Role.FOCAL_POINT, country="TH"), person=lan) == []
    assert len(selectors.alumni_records_for(user=make_user(Role.FOCAL_POINT, country="VN"), person=lan)) == 2


# --- query budgets ---------------------------------------------------------------------------------------


def more_trainees(session, count: int) -> None:
    for n in range(count):
        nomination = nominate(session, "VN" if n % 2 else "TH", state=TraineeState.SELECTED)
        attend(nomination, "present")
        scored(nomination, 10, 20)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FOCAL_POINT, Role.EXPERT])
def test_the_selectors_keep_a_fixed_number_of_queries(role, data, make_user, django_assert_max_num_queries):
    user = make_user(role)
    user.role_codes  # noqa: B018 - the roles in force are read once per request, not per selector
    air = data["air"]
    services.session_update(actor=None, session=air, expected_version=air.version, changes={"quota_per_country": 20})
    air.refresh_from_db()
    for _round in range(2):  # the same budget with 6 and with 12 more trainees
        more_trainees(air, 6)
        with django_assert_max_num_queries(5):
            selectors.training_statistics(user=user)
        with django_assert_max_num_queries(3):
            rows = selectors.nominations_for(user=user, session=air)
            for row in rows:
                list(row.attendance.all()), list(row.scores.all()), getattr(row, "certificate", None)
                str(row.person), str(row.country)
        with django_assert_max_num_queries(2):
            selectors.quota_usage_for(user=user, session=air)
        with django_assert_max_num_queries(1):
            for session in selectors.sessions_for(user=user):
                str(session.programme.field), str(session.host_country)
        with django_assert_max_num_queries(1):
            for programme in selectors.programmes_for(user=user):
                str(programme.field)
        with django_assert_max_num_queries(1):
            for record in selectors.alumni_records_for(user=user, person=data["lan"]):
                str(record.session.programme.field), getattr(record, "certificate", None)
