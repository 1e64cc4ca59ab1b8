"""The delegations and participants API: the workflow through the services, refusals naming the field, budgets."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Delegation, DelegationState
from tests.api.helpers import patch_json, problem
from tests.conftest import ROLES

from .factories import make_meeting
from .test_delegations_services import person, registered

pytestmark = pytest.mark.django_db

DELEGATIONS = "/api/v1/meeting-delegations/"
PARTICIPANTS = "/api/v1/meeting-participants/"


def post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def error_fields(body: dict) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}


def test_the_focal_point_registers_and_submits_and_the_secretariat_approves_through_the_api(client_for):
    focal, _fp = client_for(Role.FOCAL_POINT)
    secretariat, _s = client_for(Role.SECRETARIAT)
    meeting = make_meeting()
    response = post_json(focal, DELEGATIONS, {"meeting": meeting.pk, "country": "VN"})
    assert response.status_code == 201, response.content
    delegation = response.json()
    assert delegation["state"] == "draft"
    assert delegation["country"] == "VN"
    response = post_json(focal, PARTICIPANTS, {"delegation": delegation["id"], **person("Tran", role="head")})
    assert response.status_code == 201, response.content
    tran = response.json()
    assert tran["email"] == "tran@example.vn"
    assert tran["personal_data_shown"] is True
    body = problem(post_json(focal, PARTICIPANTS, {"delegation": delegation["id"], **person("Ho", role="head")}), 400)
    assert error_fields(body) == {"role"}

    response = patch_json(focal, f"{PARTICIPANTS}{tran['id']}/", {"version": tran["version"], "phone": "+84 9"})
    assert response.status_code == 200
    assert response.json()["phone"] == "+84 9"
    problem(patch_json(focal, f"{PARTICIPANTS}{tran['id']}/", {"version": tran["version"], "phone": "+84 8"}), 409)

    problem(post_json(focal, f"{DELEGATIONS}{delegation['id']}/approve/"), 403)
    response = post_json(focal, f"{DELEGATIONS}{delegation['id']}/submit/")
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    body = problem(post_json(secretariat, f"{DELEGATIONS}{delegation['id']}/return/", {"secretariat_comment": ""}), 400)
    assert error_fields(body) == {"secretariat_comment"}
    response = post_json(secretariat, f"{DELEGATIONS}{delegation['id']}/approve/")
    assert response.status_code == 200
    assert response.json()["state"] == "approved"


def test_refusals_name_the_field(client_for):
    focal, _fp = client_for(Role.FOCAL_POINT)
    focal.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the API answers in the language asked for
    late = make_meeting(registration_deadline=timezone.now() - dt.timedelta(days=1))
    body = problem(post_json(focal, DELEGATIONS, {"meeting": late.pk, "country": "VN"}), 400)
    assert error_fields(body) == {"registration_deadline"}
    meeting = make_meeting(invite=("JP", "TH", "VN"))
    body = problem(post_json(focal, DELEGATIONS, {"meeting": meeting.pk, "country": "TH"}), 400)
    assert error_fields(body) == {"country"}
    assert "focal point of VN" in body["errors"][0]["detail"]
    elsewhere = make_meeting(invite=("JP", "TH"))
    secretariat, _s = client_for(Role.SECRETARIAT)
    body = problem(post_json(secretariat, DELEGATIONS, {"meeting": elsewhere.pk, "country": "VN"}), 400)
    assert error_fields(body) == {"country"}
    body = problem(post_json(focal, DELEGATIONS, {"meeting": 999999, "country": "VN"}), 400)
    assert error_fields(body) == {"meeting"}
    delegation = registered(meeting, "VN")
    body = problem(post_json(focal, PARTICIPANTS, {"delegation": delegation.pk, "family_name": "X", "user": 1}), 400)
    assert error_fields(body) == {"user"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_register_and_change_participants(role, client_for):
    client, _user = client_for(role)
    meeting = make_meeting()
    vn = registered(meeting, "VN", person("Tran", role="head", consent_public_listing=True))
    vn_head = vn.participants.get()
    registered(meeting, "TH", person("Somchai", role="head"))
    response = post_json(client, DELEGATIONS, {"meeting": meeting.pk, "country": "JP"})
    patch = patch_json(client, f"{PARTICIPANTS}{vn_head.pk}/", {"version": vn_head.version, "phone": "1"})
    if role == "public":
        assert response.status_code == 401
        assert patch.status_code in (401, 404)
    elif role in (Role.SECRETARIAT, Role.ADMIN):
        assert response.status_code == 201
        assert patch.status_code == 200
    elif role == Role.FOCAL_POINT:
        # Viet Nam's focal point: not Japan's delegation, but their own participants.
        assert response.status_code == 400
        assert patch.status_code == 200
    else:
        assert response.status_code == 403
        assert patch.status_code in (403, 404)


def test_delegations_are_listed_by_visibility_and_the_comment_kept_between_the_parties(client_for, make_user):
    meeting = make_meeting()
    registered(meeting, "VN", person("Tran", role="head"), state=DelegationState.RETURNED)
    registered(meeting, "TH", person("Somchai", role="head"), state=DelegationState.APPROVED)
    focal, _fp = client_for(Role.FOCAL_POINT)
    rows = focal.get(DELEGATIONS, {"meeting": meeting.pk}).json()["results"]
    assert [(r["country"], r["state"]) for r in rows] == [("TH", "approved"), ("VN", "returned")]
    assert rows[1]["secretariat_comment"] == "Add an adviser."
    assert "secretariat_comment" not in rows[0]
    expert, _e = client_for(Role.EXPERT)
    assert [r["country"] for r in expert.get(DELEGATIONS, {"meeting": meeting.pk}).json()["results"]] == ["TH"]
    problem(expert.get(DELEGATIONS, {"meeting": "x"}), 400)
    hidden = Delegation.objects.get(country="VN")
    problem(expert.get(f"{DELEGATIONS}{hidden.pk}/"), 404)


def test_removing_a_participant(client_for):
    focal, _fp = client_for(Role.FOCAL_POINT)
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"), person("Le"))
    le = delegation.participants.get(family_name="Le")
    assert focal.delete(f"{PARTICIPANTS}{le.pk}/").status_code == 204
    assert list(delegation.participants.values_list("family_name", flat=True)) == ["Tran"]


@pytest.mark.parametrize("people", [2, 10])
def test_the_lists_use_a_fixed_number_of_queries(people, client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.FOCAL_POINT)
    meeting = make_meeting()
    for code in ("VN", "TH", "JP"):
        rows = [person(f"H{code}", role="head", consent_public_listing=True)]
        rows += [person(f"M{code}{i}", consent_public_listing=True) for i in range(people - 1)]
        registered(meeting, code, *rows, state=DelegationState.APPROVED)
    client.get(PARTICIPANTS)
    with django_assert_max_num_queries(7):
        assert len(client.get(PARTICIPANTS, {"meeting": meeting.pk}).json()["results"]) == 3 * people
    with django_assert_max_num_queries(7):
        assert len(client.get(DELEGATIONS, {"meeting": meeting.pk}).json()["results"]) == 3
