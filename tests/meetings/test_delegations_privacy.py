"""Participants' personal data, for every role: who sees whom, and who sees contact details and needs.

Contact details, dietary and access needs are for the secretariat, the person
and their country's focal point; anyone else sees only the name and the
organisation of people who consented, in approved delegations of public
meetings. Checked on the API, the staff pages, the public page and the files.
"""

from __future__ import annotations

import pytest

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import DelegationState
from tests.conftest import ROLES, verified_client

from .factories import make_meeting
from .test_delegations_services import person, registered

pytestmark = pytest.mark.django_db

SECRETARIAT_ROLES = {Role.SECRETARIAT, Role.ADMIN}


@pytest.fixture
def meeting():
    """A public meeting: Viet Nam and Thailand approved (one consenting person each), Japan still a draft."""
    meeting = make_meeting(visibility="public")
    registered(
        meeting,
        "VN",
        person("Tran", role="head", consent_public_listing=True, phone="+84 24 111", dietary_needs="halal"),
        person("Levan", email="le@example.vn", access_needs="wheelchair"),
        state=DelegationState.APPROVED,
    )
    registered(
        meeting,
        "TH",
        person("Somchai", role="head", consent_public_listing=True, email="somchai@example.th"),
        person("Niran", email="niran@example.th"),
        state=DelegationState.APPROVED,
    )
    registered(meeting, "JP", person("Sato", role="head", consent_public_listing=True, email="sato@example.jp"))
    return meeting


ALL = ["Levan", "Niran", "Sato", "Somchai", "Tran"]
PUBLIC = ["Somchai", "Tran"]
# (who is listed, whose contact details are shown) for each role; the focal point is Viet Nam's.
EXPECTED = {
    "public": (PUBLIC, []),
    Role.EXPERT: (PUBLIC, []),
    Role.WG_MEMBER: (PUBLIC, []),
    Role.FOCAL_POINT: (["Levan", "Somchai", "Tran"], ["Levan", "Tran"]),
    Role.SECRETARIAT: (ALL, ALL),
    Role.ADMIN: (ALL, ALL),
}


def _api_rows(client, meeting):
    response = client.get("/api/v1/meeting-participants/", {"meeting": meeting.pk})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("role", ROLES)
def test_the_api_gives_each_role_the_people_and_details_it_may_see(role, meeting, client_for):
    client, _user = client_for(role)
    rows = _api_rows(client, meeting)
    listed, detailed = EXPECTED[role]
    assert sorted(r["family_name"] for r in rows) == listed
    assert sorted(r["family_name"] for r in rows if r["personal_data_shown"]) == detailed
    for row in rows:
        private = {"email", "phone", "dietary_needs", "access_needs", "job_title", "consent_public_listing"}
        if row["family_name"] in detailed:
            assert private <= set(row), row
        else:
            assert not private & set(row), row


def test_the_person_sees_their_own_record_with_their_details(meeting, make_user):
    le = make_user(Role.EXPERT, email="le@example.vn")
    # The account existed before the registration: link it the way a save does.
    from cleanasia.meetings.models import Participant

    Participant.objects.filter(family_name="Levan").update(user=le)
    rows = _api_rows(verified_client(le), meeting)
    assert sorted(r["family_name"] for r in rows) == ["Levan", "Somchai", "Tran"]
    own = next(r for r in rows if r["family_name"] == "Levan")
    assert own["email"] == "le@example.vn"
    assert own["access_needs"] == "wheelchair"
    assert "email" not in next(r for r in rows if r["family_name"] == "Tran")


def test_a_members_meeting_lists_nobody_to_others(make_user, client_for):
    meeting = make_meeting(visibility="members")
    registered(meeting, "TH", person("Somchai", role="head", consent_public_listing=True), state="approved")
    client, _user = client_for(Role.EXPERT)
    assert _api_rows(client, meeting) == []
    anonymous, _none = client_for("public")
    assert anonymous.get(f"/en/meetings/{meeting.pk}/participants/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_list_shows_each_role_only_what_it_may_see(role, meeting, client_for):
    client, _user = client_for(role)
    response = client.get(f"/en/staff/meetings/{meeting.pk}/participants/")
    if role == "public":
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]
        return
    assert response.status_code == 200
    page = response.content.decode()
    listed, detailed = EXPECTED[role]
    for name in ALL:
        assert (name in page) == (name in listed), name
    assert ("+84 24 111" in page) == ("Tran" in detailed)
    assert ("wheelchair" in page) == ("Levan" in detailed)
    assert ("niran@example.th" in page) == ("Niran" in detailed)


@pytest.mark.parametrize("role", ROLES)
def test_the_public_list_shows_only_consenting_names_and_organisations_whoever_reads(role, meeting, client_for):
    client, _user = client_for(role)
    response = client.get(f"/en/meetings/{meeting.pk}/participants/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ALL:
        assert (name in page) == (name in PUBLIC), name
    assert "Ministry of Natural Resources and Environment" in page
    for private in ("+84 24 111", "halal", "@example", "wheelchair"):
        assert private not in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_downloads_the_full_list(role, meeting, client_for):
    client, _user = client_for(role)
    for url in (
        f"/en/staff/meetings/{meeting.pk}/participants.xlsx",
        f"/en/staff/meetings/{meeting.pk}/participants.pdf",
        f"/en/staff/meetings/{meeting.pk}/name-cards.pdf",
    ):
        response = client.get(url)
        if role == "public":
            assert response.status_code == 302, url
        elif role in SECRETARIAT_ROLES:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize("role", ROLES)
def test_the_delegation_page_shows_details_only_to_those_allowed(role, meeting, client_for):
    from cleanasia.meetings.models import Delegation

    client, _user = client_for(role)
    vn = Delegation.objects.get(country="VN")
    response = client.get(f"/en/staff/meetings/delegations/{vn.pk}/")
    if role == "public":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    page = response.content.decode()
    listed, detailed = EXPECTED[role]
    assert ("le@example.vn" in page) == ("Levan" in detailed)
    assert ("halal" in page) == ("Tran" in detailed)
    assert ("Levan" in page) == ("Levan" in listed)
    jp = Delegation.objects.get(country="JP")
    # A draft is nobody's business but its country's and the secretariat's.
    assert client.get(f"/en/staff/meetings/delegations/{jp.pk}/").status_code == (
        200 if role in SECRETARIAT_ROLES else 404
    )
