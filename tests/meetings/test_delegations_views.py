"""The pages: the invitation link, the registration form, the review, the hub section, and their query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Delegation, DelegationState, Invitation, Participant
from cleanasia.meetings.selectors.delegations import meeting_section
from cleanasia.meetings.services import delegations as services
from tests.conftest import ROLES, verified_client
from tests.factories import CountryFactory, OrganisationFactory

from .factories import make_meeting, make_series
from .test_delegations_services import person, registered

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_row(index: int, family: str, role: str = "delegate", **extra) -> dict:
    values = {
        "role": role,
        "honorific": "Mr",
        "given_name": "Minh",
        "family_name": family,
        "organisation_name": "MONRE",
        "email": f"{family.lower()}@example.vn",
        **extra,
    }
    return {f"p-{index}-{name}": value for name, value in values.items()}


# --- invitations --------------------------------------------------------------------------------------


def test_the_invitation_link_works_for_its_address_only(make_user):
    invitee = make_user(Role.FOCAL_POINT, country="VN", email="focal@example.vn")
    stranger = make_user(Role.FOCAL_POINT, country="VN", email="other@example.vn")
    meeting = make_meeting()
    invitation = services.invitation_create(
        actor=None, meeting=meeting, email="focal@example.vn", country=CountryFactory(code="VN"), send=False
    )
    url = f"/en/staff/meetings/invitations/{invitation.token}/"

    refused = verified_client(stranger).post(url)
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "This invitation was sent to another e-mail address (f***@example.vn)" in page
    assert "You are signed in as other@example.vn" in page
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert verified_client(stranger).get(url).status_code == 403

    client = verified_client(invitee)
    page = client.get(url).content.decode()
    assert "Accept the invitation" in page
    assert f"/en/staff/meetings/{meeting.pk}/delegations/register/VN/" in page
    response = client.post(url)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_the_invitation_link_asks_to_sign_in_and_an_unknown_token_is_not_found(client, make_user):
    invitation = services.invitation_create(actor=None, meeting=make_meeting(), email="a@example.org", send=False)
    response = client.get(f"/en/staff/meetings/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert "sign-in" in response["Location"]
    signed_in = verified_client(make_user(Role.EXPERT))
    assert signed_in.get("/en/staff/meetings/invitations/not-a-token/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_opens_the_invitations_page(role, client_for):
    meeting = make_meeting()
    client, _user = client_for(role)
    response = client.get(f"/en/staff/meetings/{meeting.pk}/invitations/")
    expected = {"public": 302, Role.SECRETARIAT: 200, Role.ADMIN: 200}.get(role, 403)
    assert response.status_code == expected


def test_the_secretariat_invites_focal_points_and_an_address_from_the_page(client_for, make_user):
    client, _user = client_for(Role.SECRETARIAT)
    focal_point = make_user(Role.FOCAL_POINT, country="VN", preferred_language="en")
    meeting = make_meeting()
    url = f"/en/staff/meetings/{meeting.pk}/invitations/"
    with translation.override("en"):
        response = client.post(url, {"focal_points": "1"})
    assert response.status_code == 302
    assert Invitation.objects.get(meeting=meeting).email == focal_point.email
    response = client.post(url, {"email": "not an address", "language": "en"})
    assert response.status_code == 400
    response = client.post(url, {"email": focal_point.email, "language": "en"})
    assert response.status_code == 400
    assert "is already invited" in response.content.decode()
    response = client.post(url, {"email": "adviser@example.org", "language": "ja"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "adviser@example.org" in page
    assert focal_point.email in page


def test_inviting_from_the_page_sends_the_email_on_commit(client_for, make_user, django_capture_on_commit_callbacks):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/staff/meetings/{meeting.pk}/invitations/", {"email": "x@example.org", "language": "ja"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["x@example.org"]
    assert "/ja/staff/meetings/invitations/" in mail.outbox[0].body


# --- the registration form ----------------------------------------------------------------------------------


def test_the_focal_point_registers_fills_in_and_submits_through_the_pages(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    meeting = make_meeting()
    register = f"/en/staff/meetings/{meeting.pk}/delegations/register/VN/"
    assert "Start the registration" in client.get(register).content.decode()
    response = client.post(register)
    delegation = Delegation.objects.get(meeting=meeting, country="VN")
    assert response["Location"] == f"/en/staff/meetings/delegations/{delegation.pk}/"
    # Once registered, the link opens the registration.
    assert client.get(register)["Location"] == f"/en/staff/meetings/delegations/{delegation.pk}/"

    url = f"/en/staff/meetings/delegations/{delegation.pk}/"
    page = client.get(url).content.decode()
    assert 'name="p-0-family_name"' in page
    assert 'name="p-TOTAL_FORMS"' in page
    data = {
        "version": str(delegation.version),
        **management("p", 3, 0),
        **form_row(0, "Tran", "head", consent_public_listing="on"),
        **form_row(1, "Le", "adviser"),
        "p-2-role": "delegate",  # the blank third row, untouched
        "save": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(delegation.participants.values_list("family_name", "role")) == [("Le", "adviser"), ("Tran", "head")]
    tran = delegation.participants.get(family_name="Tran")
    assert tran.consent_public_listing
    assert tran.consent_recorded_at is not None

    delegation.refresh_from_db()
    le = delegation.participants.get(family_name="Le")
    data = {
        "version": str(delegation.version),
        **management("p", 2, 2),
        "p-0-id": str(tran.pk),
        **form_row(0, "Tran", "head"),
        "p-1-id": str(le.pk),
        **form_row(1, "Le", "adviser"),
        "p-1-DELETE": "on",
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    delegation.refresh_from_db()
    assert delegation.state == DelegationState.SUBMITTED
    assert list(delegation.participants.values_list("family_name", flat=True)) == ["Tran"]
    page = client.get(url).content.decode()
    assert "awaits the secretariat" in page
    assert 'name="p-0-family_name"' not in page


def test_a_second_head_in_the_form_is_shown_on_that_row(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    delegation = registered(make_meeting(), "VN")
    data = {
        "version": str(delegation.version),
        **management("p", 2, 0),
        **form_row(0, "Tran", "head"),
        **form_row(1, "Nguyen", "head"),
    }
    response = client.post(f"/en/staff/meetings/delegations/{delegation.pk}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_p-1-role_error"' in page
    assert "A delegation has one head" in page
    assert not delegation.participants.exists()


def test_a_stale_form_is_refused_and_said_so(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    delegation = registered(make_meeting(), "VN")
    data = {"version": str(delegation.version - 1 if delegation.version > 1 else 99), **management("p", 1, 0)}
    data.update(form_row(0, "Tran", "head"))
    response = client.post(f"/en/staff/meetings/delegations/{delegation.pk}/", data)
    assert response.status_code == 409
    assert "Someone else changed this registration" in response.content.decode()


def test_after_the_deadline_the_focal_point_sees_the_registration_read_only(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    meeting = make_meeting()
    delegation = registered(meeting, "VN", person("Tran", role="head"))
    meeting.registration_deadline = timezone.now() - dt.timedelta(minutes=5)
    meeting.save()
    url = f"/en/staff/meetings/delegations/{delegation.pk}/"
    assert 'name="p-0-family_name"' not in client.get(url).content.decode()
    data = {"version": str(delegation.version), **management("p", 1, 0), **form_row(0, "Le")}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Registration for this meeting closed on" in response.content.decode()


def test_the_form_offers_the_previous_meetings_consenting_participants(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    series = make_series()
    first = make_meeting(series, starts_at=timezone.now() - dt.timedelta(days=200))
    second = make_meeting(series)
    registered(first, "VN", person("Tran", role="head", consent_keep_for_next=True), person("Hidden"))
    delegation = registered(second, "VN")
    url = f"/en/staff/meetings/delegations/{delegation.pk}/"
    page = client.get(url).content.decode()
    assert "Copy from the last meeting" in page
    assert "Tran" not in page
    page = client.get(url + "?copy=previous").content.decode()
    assert 'value="Tran"' in page
    assert "Hidden" not in page


def test_a_focal_point_cannot_register_another_country_through_the_page(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    meeting = make_meeting()
    response = client.post(f"/en/staff/meetings/{meeting.pk}/delegations/register/TH/")
    assert response.status_code == 400
    assert "only the focal point of Thailand registers" in response.content.decode()
    assert not Delegation.objects.exists()


def test_organisations_of_the_country_are_offered(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    delegation = registered(make_meeting(), "VN")
    mine = OrganisationFactory(name_en="Vietnam Environment Administration", country=CountryFactory(code="VN"))
    OrganisationFactory(name_en="Pollution Control Department", country=CountryFactory(code="TH"))
    page = client.get(f"/en/staff/meetings/delegations/{delegation.pk}/").content.decode()
    assert "Vietnam Environment Administration" in page
    assert "Pollution Control Department" not in page
    data = {
        "version": str(delegation.version),
        **management("p", 1, 0),
        **form_row(0, "Tran", "head", organisation_name="", organisation=str(mine.pk)),
    }
    assert client.post(f"/en/staff/meetings/delegations/{delegation.pk}/", data).status_code == 302
    assert delegation.participants.get().organisation == mine


# --- the secretariat's review --------------------------------------------------------------------------------


def test_the_secretariat_approves_and_returns_from_the_review_list(client_for, make_user):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = make_meeting()
    vn = registered(meeting, "VN", person("Tran", role="head"), state=DelegationState.SUBMITTED)
    th = registered(meeting, "TH", person("Somchai", role="head"), state=DelegationState.SUBMITTED)
    page = client.get(f"/en/staff/meetings/{meeting.pk}/delegations/").content.decode()
    assert "Registrations to review" in page
    assert "Return for changes" in page
    assert client.post(f"/en/staff/meetings/delegations/{vn.pk}/decide/", {"decision": "approve"}).status_code == 302
    response = client.post(f"/en/staff/meetings/delegations/{th.pk}/decide/", {"decision": "return"})
    assert response.status_code == 302
    th.refresh_from_db()
    assert th.state == DelegationState.SUBMITTED  # a return needs a comment
    client.post(
        f"/en/staff/meetings/delegations/{th.pk}/decide/",
        {"decision": "return", "secretariat_comment": "Name the alternate.", "back_to": "delegation"},
    )
    vn.refresh_from_db()
    th.refresh_from_db()
    assert (vn.state, th.state) == (DelegationState.APPROVED, DelegationState.RETURNED)
    assert th.secretariat_comment == "Name the alternate."


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_nobody_else_decides(role, client_for):
    client, _user = client_for(role)
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"), state=DelegationState.SUBMITTED)
    response = client.post(f"/en/staff/meetings/delegations/{delegation.pk}/decide/", {"decision": "approve"})
    assert response.status_code in (403, 404)
    delegation.refresh_from_db()
    assert delegation.state == DelegationState.SUBMITTED


# --- the hub section --------------------------------------------------------------------------------------------


def _render_section(meeting, user):
    request = RequestFactory().get("/")
    request.user = user
    section = meeting_section(meeting=meeting, user=user)
    return section, render_to_string("meetings/delegations/meeting_section.html", {"section": section}, request)


def test_the_section_gives_the_secretariat_counts_and_the_focal_point_their_own(make_user):
    meeting = make_meeting(registration_deadline=timezone.now() + dt.timedelta(days=10))
    registered(meeting, "VN", person("Tran", role="head"), person("Le"), state=DelegationState.APPROVED)
    registered(meeting, "TH", person("Somchai", role="head"), state=DelegationState.SUBMITTED)
    section, html = _render_section(meeting, make_user(Role.SECRETARIAT))
    counts = {row["state"]: row["count"] for row in section["by_state"]}
    assert counts["approved"] == 1
    assert counts["submitted"] == 1
    assert counts["draft"] == 0
    assert section["participants_count"] == 3
    assert [row["label"] for row in section["by_country"]] == ["Thailand", "Viet Nam"]
    assert "<h2" in html
    assert "Delegations and registration" in html
    assert "Review registrations" in html

    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    section, html = _render_section(meeting, focal_point)
    assert [row["label"] for row in section["own_delegations"]] == ["Viet Nam"]
    assert section["participants_count"] == 2
    assert section["register"] == []
    assert "Somchai" not in html
    assert "by_state" not in section

    japan = make_user(Role.FOCAL_POINT, country="JP")
    section, html = _render_section(meeting, japan)
    assert section["own_delegations"] == []
    assert section["register"][0]["url"] == f"/en/staff/meetings/{meeting.pk}/delegations/register/JP/"
    assert "Register the delegation of Japan" in html


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.WG_MEMBER])
def test_the_section_is_empty_for_those_with_nothing_there(role, make_user):
    from django.contrib.auth.models import AnonymousUser

    meeting = make_meeting()
    registered(meeting, "VN", person("Tran", role="head"), state=DelegationState.APPROVED)
    user = AnonymousUser() if role == "public" else make_user(role)
    section, html = _render_section(meeting, user)
    assert section is None
    assert html.strip() == ""


def test_the_section_uses_a_fixed_number_of_queries(make_user, django_assert_max_num_queries):
    meeting = make_meeting()
    secretariat = make_user(Role.SECRETARIAT)
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    for code in ("VN", "TH", "JP"):
        registered(meeting, code, person(f"Head{code}", role="head"), person(f"Member{code}"))
    secretariat.role_codes, focal_point.focal_point_countries  # noqa: B018 - load the roles outside the budget
    with django_assert_max_num_queries(4):
        meeting_section(meeting=meeting, user=secretariat)
    with django_assert_max_num_queries(3):
        meeting_section(meeting=meeting, user=focal_point)


# --- query budgets of the pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [2, 12])
@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FOCAL_POINT])
def test_the_pages_use_a_fixed_number_of_queries(role, people, client_for, django_assert_max_num_queries):
    client, _user = client_for(role)
    meeting = make_meeting(invite=("JP", "VN", "TH"))
    for code in ("VN", "TH", "JP"):
        rows = [person(f"Head{code}", role="head")] + [person(f"M{code}{i}") for i in range(people - 1)]
        registered(meeting, code, *rows, state=DelegationState.DRAFT if code == "VN" else DelegationState.SUBMITTED)
    vn = Delegation.objects.get(country="VN")
    client.get(f"/en/staff/meetings/{meeting.pk}/delegations/")  # warm the session and the roles
    with django_assert_max_num_queries(12):
        assert client.get(f"/en/staff/meetings/{meeting.pk}/delegations/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/en/staff/meetings/{meeting.pk}/participants/").status_code == 200
    with django_assert_max_num_queries(11):
        # The registration form itself for both (the focal point's own draft; the secretariat may correct any).
        page = client.get(f"/en/staff/meetings/delegations/{vn.pk}/").content.decode()
        assert 'name="p-0-family_name"' in page
    with django_assert_max_num_queries(8):
        assert client.get(f"/en/meetings/{meeting.pk}/participants/").status_code == 200
    assert Participant.objects.count() == 3 * people


def test_the_pages_render_in_japanese(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = make_meeting(title_ja="第5回日ASEAN環境大臣会合")
    delegation = registered(meeting, "VN", person("Tran", role="head"), state=DelegationState.SUBMITTED)
    for url in (
        f"/ja/staff/meetings/{meeting.pk}/delegations/",
        f"/ja/staff/meetings/delegations/{delegation.pk}/",
        f"/ja/staff/meetings/{meeting.pk}/participants/",
        f"/ja/staff/meetings/{meeting.pk}/invitations/",
        f"/ja/meetings/{meeting.pk}/participants/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "第5回日ASEAN環境大臣会合" in response.content.decode(), url
