"""The API of outcomes, elements, action items and updates: every role, filters, writes through the services."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import ElementUpdate, Outcome
from tests.api.helpers import patch_json, problem
from tests.conftest import ROLES

from ..measures.factories import make_measure
from .factories import make_meeting, make_series
from .test_outcomes_builders import TEXT_EN, adopted_outcome, draft_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db
STAFF = (Role.SECRETARIAT, Role.ADMIN)


def post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def field_names(body):
    return {error["field"] for error in body["errors"]}


@pytest.fixture
def world():
    series = make_series("EMM")
    public = adopted_outcome(past_meeting(series, days_ago=500), visibility="public")
    members = adopted_outcome(past_meeting(series, days_ago=400), kind="decision", visibility="members")
    secret = adopted_outcome(past_meeting(series, days_ago=300), kind="action_plan", visibility="secretariat")
    draft = draft_outcome(past_meeting(series, days_ago=200), visibility="public")
    vn = make_action_item(element(public, "02.a"), countries=("VN",))
    th = make_action_item(
        element(public, "02.b"), countries=("TH",), due_on=public.adopted_on + dt.timedelta(days=1000)
    )
    everyone = make_action_item(element(members, "03"), addressee="all")
    return {"public": public, "members": members, "secret": secret, "draft": draft, "vn": vn, "th": th, "all": everyone}


EXPECTED = {
    "public": {"public"},
    Role.EXPERT: {"public", "members"},
    Role.WG_MEMBER: {"public", "members"},
    Role.FOCAL_POINT: {"public", "members"},
    Role.SECRETARIAT: {"public", "members", "secret", "draft"},
    Role.ADMIN: {"public", "members", "secret", "draft"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_outcomes_and_elements_the_policy_gives_it(role, world, client_for):
    client, _user = client_for(role)
    response = client.get("/api/v1/outcomes/")
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == {world[k].code for k in EXPECTED[role]}
    response = client.get("/api/v1/outcome-elements/", {"page_size": 200})
    assert {row["outcome"] for row in response.json()["results"]} == {
        world[k].pk for k in EXPECTED[role] if k != "draft"
    }
    hidden = world["secret"]
    assert client.get(f"/api/v1/outcomes/{hidden.pk}/").status_code == (200 if role in STAFF else 404)


@pytest.mark.parametrize("role", ROLES)
def test_updates_are_posted_by_focal_points_for_their_country_and_by_the_secretariat(role, world, client_for):
    client, _user = client_for(role)
    body = {"element": world["vn"].pk, "status": "in_progress", "note": "Underway.", "country": "VN"}
    response = post_json(client, "/api/v1/action-item-updates/", body)
    if role == "public":
        problem(response, 401)
    elif role in (Role.EXPERT, Role.WG_MEMBER):
        problem(response, 403)
    else:
        assert response.status_code == 201, response.content
        assert response.json()["element_code"] == world["vn"].code
    listing = client.get("/api/v1/action-item-updates/")
    if role == "public":
        problem(listing, 401)
    else:
        assert listing.status_code == 200
        assert listing.json()["count"] == ElementUpdate.objects.count()


def test_a_focal_point_cannot_update_another_countrys_item(world, client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    body = {"element": world["th"].pk, "status": "in_progress", "note": "x"}
    problem(post_json(client, "/api/v1/action-item-updates/", body), 403)


def test_bad_updates_are_refused_naming_the_field(world, client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    url = "/api/v1/action-item-updates/"
    body = problem(post_json(client, url, {"element": world["vn"].pk, "status": "completed", "note": ""}), 400)
    assert field_names(body) == {"note"}
    early = (world["public"].adopted_on - dt.timedelta(days=1)).isoformat()
    body = problem(
        post_json(client, url, {"element": world["vn"].pk, "status": "in_progress", "note": "x", "new_due_on": early}),
        400,
    )
    assert field_names(body) == {"new_due_on"}
    body = problem(post_json(client, url, {"element": world["secret"].pk * 1000, "status": "in_progress"}), 400)
    assert field_names(body) == {"element"}
    body = problem(post_json(client, url, {"element": world["vn"].pk, "status": "done"}), 400)
    assert field_names(body) == {"status"}
    body = problem(
        post_json(client, url, {"element": world["vn"].pk, "status": "in_progress", "recorded_at": "x"}), 400
    )
    assert field_names(body) == {"recorded_at"}


def test_action_item_filters(world, client_for):
    client, _user = client_for(Role.SECRETARIAT)

    def codes(**params):
        response = client.get("/api/v1/action-items/", params)
        assert response.status_code == 200, response.content
        return {row["code"] for row in response.json()["results"]}

    vn, th, everyone = world["vn"].code, world["th"].code, world["all"].code
    assert codes() == {vn, th, everyone}
    assert codes(country="VN") == {vn, everyone}
    assert codes(country="th") == {th, everyone}
    assert codes(overdue="true") == {vn, everyone}
    assert codes(overdue="false") == {th}
    assert codes(meeting=world["members"].meeting_id) == {everyone}
    assert codes(series="EMM", status="not_started") == {vn, th, everyone}
    assert codes(series="OTHER") == set()
    row = client.get(f"/api/v1/action-items/{world['vn'].pk}/").json()
    assert row["overdue"]
    assert row["addressed_countries"] == ["VN"]
    assert row["status"] == "not_started"
    problem(client.get(f"/api/v1/action-items/{element(world['public'], '01').pk}/"), 404)


def test_the_secretariat_records_splits_adopts_and_classifies(world, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = make_meeting(make_series("JAEM"), starts_at=timezone.now() - dt.timedelta(days=3))
    response = post_json(
        client,
        "/api/v1/outcomes/",
        {
            "meeting": meeting.pk,
            "kind": "joint_statement",
            "title_en": "JS",
            "text_en": TEXT_EN,
            "visibility": "public",
        },
    )
    assert response.status_code == 201, response.content
    outcome = response.json()
    assert outcome["code"] == "JAEM/1/JS"
    assert outcome["status"] == "draft"
    response = post_json(client, f"/api/v1/outcomes/{outcome['id']}/split/")
    assert [row["code"] for row in response.json()][-1] == "JAEM/1/JS.03"
    response = post_json(client, f"/api/v1/outcomes/{outcome['id']}/adopt/")
    assert response.json()["status"] == "adopted"
    body = problem(
        patch_json(
            client, f"/api/v1/outcomes/{outcome['id']}/", {"version": response.json()["version"], "text_en": "1. X"}
        ),
        400,
    )
    assert field_names(body) == {"text_en"}
    problem(patch_json(client, f"/api/v1/outcomes/{outcome['id']}/", {"version": 1, "visibility": "members"}), 409)
    item = client.get("/api/v1/outcome-elements/", {"code": "JAEM/1/JS.03"}).json()["results"][0]
    early = (meeting.starts_at.date() - dt.timedelta(days=5)).isoformat()
    body = problem(
        patch_json(
            client,
            f"/api/v1/outcome-elements/{item['id']}/",
            {
                "version": item["version"],
                "is_operational": True,
                "is_action_item": True,
                "addressee": "all",
                "due_on": early,
            },
        ),
        400,
    )
    assert field_names(body) == {"due_on"}
    body = problem(
        patch_json(
            client,
            f"/api/v1/outcome-elements/{item['id']}/",
            {"version": item["version"], "is_action_item": True, "addressee": "all"},
        ),
        400,
    )
    assert field_names(body) == {"is_action_item"}
    response = patch_json(
        client,
        f"/api/v1/outcome-elements/{item['id']}/",
        {
            "version": item["version"],
            "is_operational": True,
            "is_action_item": True,
            "addressee": "countries",
            "addressed_countries": ["VN"],
            "implements": world["vn"].code,
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["implements_code"] == world["vn"].code
    assert response.json()["status"] == "not_started"
    measure = make_measure(code="M-1")
    response = post_json(client, f"/api/v1/outcome-elements/{item['id']}/measures/", {"measure": "M-1"})
    assert response.json()["measures"] == ["M-1"]
    body = problem(post_json(client, f"/api/v1/outcome-elements/{item['id']}/measures/", {"measure": "NOPE"}), 400)
    assert field_names(body) == {"measure"}
    assert measure.links.count() == 1


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_others_cannot_write_outcomes_or_elements(role, world, client_for):
    client, _user = client_for(role)
    status = 401 if role == "public" else 403
    problem(post_json(client, "/api/v1/outcomes/", {"meeting": world["public"].meeting_id, "kind": "decision"}), status)
    problem(post_json(client, f"/api/v1/outcomes/{world['public'].pk}/status/", {"status": "active"}), status)
    problem(patch_json(client, f"/api/v1/outcome-elements/{world['vn'].pk}/", {"version": 1, "due_on": None}), status)
    problem(post_json(client, f"/api/v1/outcome-elements/{world['vn'].pk}/measures/", {"measure": "X"}), status)
    assert Outcome.objects.get(pk=world["public"].pk).status == "adopted"


def test_action_items_are_read_only(world, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    assert patch_json(client, f"/api/v1/action-items/{world['vn'].pk}/", {"version": 1}).status_code == 405


def test_the_element_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.FOCAL_POINT)
    client.get("/api/v1/outcome-elements/")
    for kind in ("decision", "chairs_summary"):
        outcome = adopted_outcome(past_meeting(world["public"].meeting.series), kind=kind, visibility="members")
        for code in ("02.a", "02.b", "03"):
            make_action_item(element(outcome, code), countries=("VN", "TH"))
    with django_assert_max_num_queries(16):
        response = client.get("/api/v1/outcome-elements/", {"page_size": 100})
    assert response.json()["count"] == 32
