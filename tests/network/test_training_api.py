"""Joint training API: programmes and sessions (public fields to the public), nominations (a focal point their
country's, the secretariat all), attendance and scores; every role, the issue's bad input as 400 naming the
field, stale edits as 409, and personal data never in a public answer."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from cleanasia.accounts.models import Role
from cleanasia.network.models import AttendanceRecord, TraineeNomination, TraineeState
from cleanasia.network.services import training as services
from tests.conftest import ROLES, verified_client
from tests.factories import CountryFactory

from .test_training_services import make_field, make_programme, make_session, nominate

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def api_for(make_user, role, **kwargs):
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    if role == "public":
        return client, None
    user = make_user(role, **kwargs)
    # The API accepts the session of a signed-in, second-factor-verified user.
    client.cookies = verified_client(user).cookies
    return client, user


def rows(response) -> list[dict]:
    data = response.json()
    return data["results"] if isinstance(data, dict) and "results" in data else data


def fields_named(response) -> set[str]:
    return {error.get("field") for error in response.json().get("errors", [])}


@pytest.fixture
def world():
    CountryFactory(code="VN", name_en="Viet Nam")
    CountryFactory(code="TH", name_en="Thailand")
    published = make_programme(title_en="Published course", visibility="public")
    draft = make_programme(title_en="Draft course", visibility="secretariat")
    session = make_session(published, visibility="public")
    vn = nominate(session, "VN", name="Nguyen Thi Lan", email="lan@example.vn", phone="+84 111")
    th = nominate(session, "TH", name="Somchai Prasert", email="somchai@example.th")
    return {"published": published, "draft": draft, "session": session, "vn": vn, "th": th}


# --- reading ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_programmes_and_sessions_for_every_role(role, world, make_user):
    client, _user = api_for(make_user, role)
    programmes = client.get(API + "network-training-programmes/")
    assert programmes.status_code == 200
    titles = {row["title_en"] for row in rows(programmes)}
    secretariat = role in (Role.SECRETARIAT, Role.ADMIN)
    assert "Published course" in titles
    assert ("Draft course" in titles) == secretariat
    assert all(("visibility" in row) == secretariat for row in rows(programmes))
    sessions = client.get(API + "network-training-sessions/", {"programme": world["published"].pk})
    assert [row["id"] for row in rows(sessions)] == [world["session"].pk]
    assert rows(sessions)[0]["call_open"] is True
    body = sessions.content.decode() + programmes.content.decode()
    assert "lan@example.vn" not in body
    assert "Nguyen Thi Lan" not in body


@pytest.mark.parametrize("role", ROLES)
def test_nominations_are_seen_by_the_secretariat_and_the_countrys_focal_point_only(role, world, make_user):
    client, _user = api_for(make_user, role)
    response = client.get(API + "network-training-nominations/", {"session": world["session"].pk})
    if role == "public":
        assert response.status_code == 401
        assert "Nguyen Thi Lan" not in response.content.decode()
        return
    assert response.status_code == 200
    names = {row["name"] for row in rows(response)}
    expected = {
        Role.SECRETARIAT: {"Nguyen Thi Lan", "Somchai Prasert"},
        Role.ADMIN: {"Nguyen Thi Lan", "Somchai Prasert"},
        Role.FOCAL_POINT: {"Nguyen Thi Lan"},
    }.get(role, set())
    assert names == expected
    # Contact details are never in the API answer, whoever asks.
    assert "lan@example.vn" not in response.content.decode()


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.WG_MEMBER])
def test_attendance_and_scores_are_not_public(role, world, make_user):
    services.trainee_select(actor=None, nomination=world["vn"])
    services.attendance_record(actor=None, nomination=world["vn"], day=world["session"].starts_on, status="present")
    services.assessment_record(actor=None, nomination=world["vn"], kind="pre", score=40)
    client, _user = api_for(make_user, role)
    for resource in ("network-training-attendance/", "network-training-scores/"):
        response = client.get(API + resource)
        if role == "public":
            assert response.status_code == 401
        else:
            assert response.status_code == 200
            assert rows(response) == []


def test_the_nomination_list_keeps_its_queries(world, make_user, django_assert_max_num_queries):
    session = world["session"]
    session.quota_per_country = 40
    session.save()
    for _n in range(25):
        nominate(session, "VN")
    client, _user = api_for(make_user, Role.SECRETARIAT)
    with django_assert_max_num_queries(12):
        response = client.get(API + "network-training-nominations/", {"session": session.pk})
    assert response.status_code == 200


# --- writing ------------------------------------------------------------------------------------------------


def test_a_focal_point_nominates_a_trainee_of_their_country(world, make_user):
    session = world["session"]
    session.quota_per_country = 3
    session.save()
    client, focal = api_for(make_user, Role.FOCAL_POINT, country="VN")
    body = {"session": session.pk, "country": "VN", "name_en": "Tran Van Minh", "gender": "male"}
    response = client.post(API + "network-training-nominations/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["name"], response.json()["state"]) == ("Tran Van Minh", "nominated")
    nomination = TraineeNomination.objects.get(pk=response.json()["id"])
    assert (nomination.nominated_by, nomination.person.user) == (focal, None)


def test_a_nomination_over_the_quota_is_400_naming_the_country(world, make_user):
    nominate(world["session"], "VN")  # VN's 2 places are used
    client, _focal = api_for(make_user, Role.FOCAL_POINT, country="VN")
    body = {"session": world["session"].pk, "country": "VN", "name_en": "Tran Van Minh"}
    response = client.post(API + "network-training-nominations/", body, format="json")
    assert response.status_code == 400
    assert "country" in fields_named(response)
    assert "has used its quota of 2 places per country" in response.content.decode()
    assert not TraineeNomination.objects.filter(person__name_en="Tran Van Minh").exists()


def test_a_focal_point_nominating_for_another_country_is_400_naming_the_country(world, make_user):
    client, _focal = api_for(make_user, Role.FOCAL_POINT, country="VN")
    body = {"session": world["session"].pk, "country": "TH", "name_en": "Somebody"}
    response = client.post(API + "network-training-nominations/", body, format="json")
    assert response.status_code == 400
    assert "country" in fields_named(response)


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_selects_and_records(role, world, make_user):
    client, _user = api_for(make_user, role)
    vn = world["vn"]
    response = client.post(API + f"network-training-nominations/{vn.pk}/select/", {}, format="json")
    assert response.status_code in (403, 404)
    day = world["session"].starts_on.isoformat()
    response = client.post(
        API + "network-training-attendance/", {"nomination": vn.pk, "day": day, "status": "present"}, format="json"
    )
    assert response.status_code == 403
    vn.refresh_from_db()
    assert vn.state == TraineeState.NOMINATED


def test_the_secretariat_selects_records_attendance_and_scores(world, make_user):
    client, _user = api_for(make_user, Role.SECRETARIAT)
    vn = world["vn"]
    response = client.post(API + f"network-training-nominations/{vn.pk}/select/", {}, format="json")
    assert (response.status_code, response.json()["state"]) == (200, "selected")
    day = world["session"].starts_on
    response = client.post(
        API + "network-training-attendance/",
        {"nomination": vn.pk, "day": day.isoformat(), "status": "late"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "late"
    response = client.post(
        API + "network-training-scores/", {"nomination": vn.pk, "kind": "post", "score": "85.5"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["score"] == "85.50"
    listed = client.get(API + "network-training-attendance/", {"session": world["session"].pk})
    assert [row["day"] for row in rows(listed)] == [day.isoformat()]


def test_attendance_outside_the_session_is_400_naming_the_day(world, make_user):
    services.trainee_select(actor=None, nomination=world["vn"])
    client, _user = api_for(make_user, Role.SECRETARIAT)
    outside = world["session"].starts_on - dt.timedelta(days=1)
    response = client.post(
        API + "network-training-attendance/",
        {"nomination": world["vn"].pk, "day": outside.isoformat(), "status": "present"},
        format="json",
    )
    assert response.status_code == 400
    assert "day" in fields_named(response)
    assert "is outside the session" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_a_score_above_the_maximum_is_400_naming_the_score(world, make_user):
    services.trainee_select(actor=None, nomination=world["vn"])
    client, _user = api_for(make_user, Role.SECRETARIAT)
    response = client.post(
        API + "network-training-scores/",
        {"nomination": world["vn"].pk, "kind": "pre", "score": "120", "max_score": "100"},
        format="json",
    )
    assert response.status_code == 400
    assert "score" in fields_named(response)


def test_the_secretariat_creates_a_programme_and_a_stale_edit_is_409(world, make_user):
    client, _user = api_for(make_user, Role.SECRETARIAT)
    body = {"code": "water-lab", "title_en": "Water lab", "field": make_field("water").code, "level": "advanced"}
    response = client.post(API + "network-training-programmes/", body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    first = client.patch(API + f"network-training-programmes/{pk}/", {"title_en": "Mine", "version": 1}, format="json")
    assert (first.status_code, first.json()["version"]) == (200, 2)
    stale = client.patch(API + f"network-training-programmes/{pk}/", {"title_en": "Late", "version": 1}, format="json")
    assert stale.status_code == 409


def test_a_stale_session_edit_is_409_and_a_bad_one_400_naming_the_field(world, make_user):
    nominate(world["session"], "VN")  # Viet Nam now uses both its places
    client, _user = api_for(make_user, Role.SECRETARIAT)
    url = API + f"network-training-sessions/{world['session'].pk}/"
    assert client.patch(url, {"quota_per_country": 5, "version": 1}, format="json").status_code == 200
    assert client.patch(url, {"quota_per_country": 6, "version": 1}, format="json").status_code == 409
    bad = client.patch(url, {"quota_per_country": 1, "version": 2}, format="json")
    assert bad.status_code == 400
    assert "quota_per_country" in fields_named(bad)


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT])
def test_only_the_secretariat_creates_programmes_and_sessions(role, world, make_user):
    client, _user = api_for(make_user, role)
    body = {"code": "x", "title_en": "X", "field": make_field().code, "level": "advanced"}
    response = client.post(API + "network-training-programmes/", body, format="json")
    assert response.status_code == (401 if role == "public" else 403)
    start = world["session"].starts_on.isoformat()
    body = {"programme": world["published"].pk, "starts_on": start, "ends_on": start}
    response = client.post(API + "network-training-sessions/", body, format="json")
    assert response.status_code == (401 if role == "public" else 403)
