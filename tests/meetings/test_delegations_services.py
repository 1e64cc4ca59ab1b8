"""Invitations, the registration workflow and its rules, copying from the last meeting, and the purge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Delegation, DelegationState, Invitation, Participant
from cleanasia.meetings.services import delegations as services
from tests.factories import CountryFactory, OrganisationFactory, PersonFactory

from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db


# --- builders shared by the delegations tests -----------------------------------------------------------


def person(family: str, role: str = "delegate", **extra) -> dict:
    """A participant row as the registration form gives it."""
    return {
        "role": role,
        "honorific": extra.pop("honorific", "Ms"),
        "given_name": extra.pop("given_name", "An"),
        "family_name": family,
        "organisation_name": extra.pop("organisation_name", "Ministry of Natural Resources and Environment"),
        "email": extra.pop("email", f"{family.lower()}@example.vn"),
        **extra,
    }


def registered(meeting, country: str, *rows: dict, state: str = DelegationState.DRAFT) -> Delegation:
    """A delegation with participants, built through the services as the system, then moved to `state`."""
    delegation = services.delegation_create(actor=None, meeting=meeting, country=CountryFactory(code=country))
    for row in rows:
        services.participant_add(actor=None, delegation=delegation, **row)
    if state in (DelegationState.SUBMITTED, DelegationState.APPROVED, DelegationState.RETURNED):
        delegation = services.delegation_submit(actor=None, delegation=delegation)
    if state == DelegationState.APPROVED:
        delegation = services.delegation_approve(actor=None, delegation=delegation)
    if state == DelegationState.RETURNED:
        delegation = services.delegation_return(actor=None, delegation=delegation, comment="Add an adviser.")
    return delegation


def field_errors(exc_info) -> dict:
    return exc_info.value.message_dict


# --- invitations --------------------------------------------------------------------------------------------


def test_the_secretariat_invites_an_address_and_the_email_carries_the_bound_link(
    make_user, django_capture_on_commit_callbacks
):
    secretariat = make_user(Role.SECRETARIAT)
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(actor=secretariat, meeting=meeting, email="Minister@Example.VN")
    assert invitation.email == "minister@example.vn"
    assert len(invitation.token) >= 40
    assert [m.to for m in mail.outbox] == [["minister@example.vn"]]
    assert f"/en/staff/meetings/invitations/{invitation.token}/" in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_invites(role, make_user):
    meeting = make_meeting()
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=make_user(role), meeting=meeting, email="x@example.org")
    with pytest.raises(PermissionDenied):
        services.invitations_create_for_focal_points(
            actor=make_user(role, email=f"{role}2@example.org"), meeting=meeting
        )


def test_an_invitation_is_refused_for_a_country_not_invited_and_for_an_address_invited_twice(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    meeting = make_meeting(invite=("JP", "VN"))
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(
            actor=secretariat, meeting=meeting, email="a@example.org", country=CountryFactory(code="TH"), send=False
        )
    assert "country" in field_errors(exc)
    services.invitation_create(actor=secretariat, meeting=meeting, email="a@example.org", send=False)
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(actor=secretariat, meeting=meeting, email="A@example.org", send=False)
    assert "already invited" in field_errors(exc)["email"][0]
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(actor=secretariat, meeting=meeting, email=" ", send=False)
    assert "email" in field_errors(exc)


def test_the_focal_points_of_the_invited_countries_are_invited_once_each_in_their_language(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    vn = make_user(Role.FOCAL_POINT, country="VN", preferred_language="en")
    jp = make_user(Role.FOCAL_POINT, country="JP", preferred_language="ja")
    make_user(Role.FOCAL_POINT, country="US")  # not invited
    meeting = make_meeting(invite=("JP", "VN", "TH"))
    created = services.invitations_create_for_focal_points(actor=secretariat, meeting=meeting, send=False)
    assert {(i.email, i.country_id, i.language) for i in created} == {
        (vn.email, "VN", "en"),
        (jp.email, "JP", "ja"),
    }
    assert services.invitations_create_for_focal_points(actor=secretariat, meeting=meeting, send=False) == []


def test_an_invitation_is_accepted_only_by_the_account_of_its_address(make_user):
    invitee = make_user(Role.EXPERT, email="invitee@example.org")
    other = make_user(Role.SECRETARIAT)
    meeting = make_meeting()
    invitation = services.invitation_create(actor=None, meeting=meeting, email="INVITEE@example.org", send=False)
    with pytest.raises(PermissionDenied) as exc:
        services.invitation_accept(actor=other, invitation=invitation)
    assert "i***@example.org" in str(exc.value)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    services.invitation_accept(actor=invitee, invitation=invitation)
    invitation.refresh_from_db()
    first = invitation.accepted_at
    assert first is not None
    services.invitation_accept(actor=invitee, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.accepted_at == first


# --- registration ----------------------------------------------------------------------------------------------


def test_the_focal_point_registers_submits_is_returned_resubmits_and_is_approved(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    secretariat = make_user(Role.SECRETARIAT)
    meeting = make_meeting()
    delegation = services.delegation_create(actor=focal_point, meeting=meeting, country=CountryFactory(code="VN"))
    assert delegation.state == DelegationState.DRAFT
    services.participant_add(actor=focal_point, delegation=delegation, **person("Tran", role="head"))
    services.participant_add(actor=focal_point, delegation=delegation, **person("Le"))
    delegation = services.delegation_submit(actor=focal_point, delegation=delegation)
    assert delegation.state == DelegationState.SUBMITTED
    assert delegation.submitted_by == focal_point
    with pytest.raises(ValidationError) as exc:
        services.delegation_return(actor=secretariat, delegation=delegation, comment="  ")
    assert "secretariat_comment" in field_errors(exc)
    delegation = services.delegation_return(actor=secretariat, delegation=delegation, comment="Add the adviser.")
    assert delegation.state == DelegationState.RETURNED
    services.participant_add(actor=focal_point, delegation=delegation, **person("Pham", role="adviser"))
    delegation = services.delegation_submit(actor=focal_point, delegation=delegation)
    assert delegation.state == DelegationState.SUBMITTED
    delegation = services.delegation_approve(actor=secretariat, delegation=delegation)
    assert delegation.state == DelegationState.APPROVED
    assert delegation.decided_by == secretariat
    codes = list(delegation.history.order_by("history_id").values_list("action_code", flat=True))
    assert codes == [
        "meetings.delegation.created",
        "meetings.delegation.submitted",
        "meetings.delegation.returned",
        "meetings.delegation.submitted",
        "meetings.delegation.approved",
    ]


def test_only_the_secretariat_approves(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"), state=DelegationState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.delegation_approve(actor=focal_point, delegation=delegation)


def test_a_draft_cannot_be_approved_and_an_approved_one_cannot_be_submitted_again(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"))
    with pytest.raises(ValidationError) as exc:
        services.delegation_approve(actor=secretariat, delegation=delegation)
    assert "state" in field_errors(exc)
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"), state=DelegationState.APPROVED)
    with pytest.raises(ValidationError) as exc:
        services.delegation_submit(actor=None, delegation=delegation)
    assert "state" in field_errors(exc)


def test_submitting_needs_participants_and_a_head(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    delegation = services.delegation_create(
        actor=focal_point, meeting=make_meeting(), country=CountryFactory(code="VN")
    )
    with pytest.raises(ValidationError) as exc:
        services.delegation_submit(actor=focal_point, delegation=delegation)
    assert "at least one participant" in field_errors(exc)["participants"][0]
    services.participant_add(actor=focal_point, delegation=delegation, **person("Le"))
    with pytest.raises(ValidationError) as exc:
        services.delegation_submit(actor=focal_point, delegation=delegation)
    assert "head of delegation" in field_errors(exc)["participants"][0]


def test_registration_after_the_deadline_is_refused_for_the_focal_point_but_not_the_secretariat(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    secretariat = make_user(Role.SECRETARIAT)
    meeting = make_meeting(registration_deadline=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        services.delegation_create(actor=focal_point, meeting=meeting, country=CountryFactory(code="VN"))
    message = field_errors(exc)["registration_deadline"][0]
    assert "closed on" in message
    assert "Asia/Ho_Chi_Minh" in message
    delegation = services.delegation_create(actor=secretariat, meeting=meeting, country=CountryFactory(code="VN"))
    with pytest.raises(ValidationError) as exc:
        services.participant_add(actor=focal_point, delegation=delegation, **person("Tran", role="head"))
    assert "registration_deadline" in field_errors(exc)
    services.participant_add(actor=secretariat, delegation=delegation, **person("Tran", role="head"))


def test_a_country_not_invited_is_refused_by_name(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    meeting = make_meeting(invite=("JP", "TH"))
    with pytest.raises(ValidationError) as exc:
        services.delegation_create(actor=secretariat, meeting=meeting, country=CountryFactory(code="VN"))
    assert "Viet Nam is not invited" in field_errors(exc)["country"][0]


def test_a_focal_point_of_another_country_is_refused_by_name_and_others_are_denied(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    meeting = make_meeting()
    with pytest.raises(ValidationError) as exc:
        services.delegation_create(actor=focal_point, meeting=meeting, country=CountryFactory(code="TH"))
    assert "You are the focal point of VN" in field_errors(exc)["country"][0]
    with pytest.raises(PermissionDenied):
        services.delegation_create(actor=make_user(Role.EXPERT), meeting=meeting, country=CountryFactory(code="VN"))
    th = registered(meeting, "TH", person("Somchai", role="head"))
    with pytest.raises(PermissionDenied):
        services.participant_add(actor=focal_point, delegation=th, **person("Intruder"))
    with pytest.raises(PermissionDenied):
        services.delegation_submit(actor=focal_point, delegation=th)


def test_one_delegation_per_country(make_user):
    meeting = make_meeting()
    registered(meeting, "VN")
    with pytest.raises(ValidationError) as exc:
        services.delegation_create(actor=None, meeting=meeting, country=CountryFactory(code="VN"))
    assert "already registered" in field_errors(exc)["country"][0]


def test_a_second_head_is_refused_in_the_service_and_by_the_database(make_user):
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"))
    with pytest.raises(ValidationError) as exc:
        services.participant_add(actor=None, delegation=delegation, **person("Nguyen", role="head"))
    assert "already has a head (Ms An Tran)" in field_errors(exc)["role"][0]
    le = services.participant_add(actor=None, delegation=delegation, **person("Le"))
    with pytest.raises(ValidationError) as exc:
        services.participant_update(actor=None, participant=le, expected_version=le.version, changes={"role": "head"})
    assert "role" in field_errors(exc)
    # The constraint stands behind the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(delegation=delegation, role="head", family_name="Backstop")


def test_participant_rules_name_the_field(make_user):
    delegation = registered(make_meeting(), "VN")
    cases = [
        ({"family_name": "", "given_name": ""}, "family_name"),
        ({"role": "observer"}, "role"),
        ({"role": "chief"}, "role"),
        ({"organisation_name": ""}, "organisation"),
        ({"email": "not-an-address"}, "email"),
        ({"purged_at": timezone.now()}, "purged_at"),
    ]
    for change, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.participant_add(actor=None, delegation=delegation, **{**person("Tran"), **change})
        assert field in field_errors(exc), change


def test_an_organisation_from_the_directory_is_enough(make_user):
    delegation = registered(make_meeting(), "VN")
    ministry = OrganisationFactory(country=CountryFactory(code="VN"))
    participant = services.participant_add(
        actor=None, delegation=delegation, **{**person("Tran"), "organisation_name": "", "organisation": ministry}
    )
    assert participant.organisation == ministry


def test_consents_are_recorded_with_their_time_and_again_when_they_change(make_user):
    delegation = registered(make_meeting(), "VN")
    participant = services.participant_add(
        actor=None, delegation=delegation, **person("Tran", consent_public_listing=True)
    )
    first = participant.consent_recorded_at
    assert first is not None
    assert participant.consent_public_listing
    participant = services.participant_update(
        actor=None, participant=participant, expected_version=participant.version, changes={"phone": "+84 1"}
    )
    assert participant.consent_recorded_at == first
    participant = services.participant_update(
        actor=None,
        participant=participant,
        expected_version=participant.version,
        changes={"consent_keep_for_next": True},
    )
    assert participant.consent_recorded_at > first


def test_the_participant_is_linked_to_the_account_of_their_address(make_user):
    account = make_user(Role.EXPERT, email="tran@example.vn")
    delegation = registered(make_meeting(), "VN", person("Tran"))
    assert delegation.participants.get().user == account


def test_a_focal_point_cannot_change_a_submitted_registration(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"), state=DelegationState.SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        services.participant_add(actor=focal_point, delegation=delegation, **person("Le"))
    assert "state" in field_errors(exc)


def test_the_whole_form_saves_at_once_and_a_head_can_be_swapped(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"), person("Le"), person("Vo"))
    tran, le, vo = (delegation.participants.get(family_name=n) for n in ("Tran", "Le", "Vo"))
    delegation = services.delegation_participants_save(
        actor=focal_point,
        delegation=delegation,
        expected_version=delegation.version,
        rows=[
            {"id": le.pk, **person("Le", role="head")},
            {"id": tran.pk, **person("Tran", role="alternate")},
            {"id": vo.pk, "delete": True},
            person("Pham", role="adviser"),
        ],
    )
    roles = dict(delegation.participants.values_list("family_name", "role"))
    assert roles == {"Le": "head", "Tran": "alternate", "Pham": "adviser"}


def test_the_whole_form_names_the_row_and_field_of_an_error_and_saves_nothing(make_user):
    delegation = registered(make_meeting(), "VN", person("Tran", role="head"))
    with pytest.raises(ValidationError) as exc:
        services.delegation_participants_save(
            actor=None,
            delegation=delegation,
            expected_version=delegation.version,
            rows=[person("Le"), person("Nguyen", role="head")],
        )
    assert "participants.1.role" in field_errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.delegation_participants_save(
            actor=None,
            delegation=delegation,
            expected_version=delegation.version,
            rows=[person("Le"), person("Ho", email="broken")],
        )
    assert "participants.1.email" in field_errors(exc)
    assert delegation.participants.count() == 1


def test_the_whole_form_refuses_a_stale_version(make_user):
    from cleanasia.core.concurrency import StaleEditError

    delegation = registered(make_meeting(), "VN")
    services.delegation_participants_save(
        actor=None, delegation=delegation, expected_version=delegation.version, rows=[person("Le")]
    )
    with pytest.raises(StaleEditError):
        services.delegation_participants_save(
            actor=None, delegation=delegation, expected_version=delegation.version, rows=[person("Ho")]
        )


# --- copy from the last meeting --------------------------------------------------------------------------------


def test_copy_offers_the_previous_meetings_participants_who_agreed_to_be_kept():
    series = make_series()
    first = make_meeting(series, starts_at=timezone.now() - dt.timedelta(days=300))
    second = make_meeting(series, starts_at=timezone.now() + dt.timedelta(days=60))
    someone = PersonFactory()
    registered(
        first,
        "VN",
        person("Tran", role="head", consent_keep_for_next=True, consent_public_listing=True, person=someone),
        person("Le", consent_keep_for_next=False),
    )
    registered(first, "TH", person("Somchai", role="head", consent_keep_for_next=True))
    delegation = registered(second, "VN")
    rows = services.participants_to_copy(delegation=delegation)
    assert [(r["family_name"], r["role"], r["person"]) for r in rows] == [("Tran", "head", someone)]
    assert "consent_public_listing" not in rows[0]  # asked again for the new meeting
    services.delegation_participants_save(
        actor=None, delegation=delegation, expected_version=delegation.version, rows=rows
    )
    assert services.participants_to_copy(delegation=delegation) == []


# --- purge ------------------------------------------------------------------------------------------------------


def test_purge_blanks_personal_data_after_retention_keeps_counts_and_is_idempotent(capsys):
    old_series = make_series(retention_days=30)
    old = make_meeting(old_series, starts_at=timezone.now() - dt.timedelta(days=60))
    recent = make_meeting(old_series, starts_at=timezone.now() - dt.timedelta(days=10))
    registered(
        old,
        "VN",
        person("Tran", role="head", phone="+84 1", dietary_needs="vegetarian", job_title="Minister"),
        person("Le"),
        state=DelegationState.APPROVED,
    )
    registered(recent, "VN", person("Kept", role="head"))
    ids = list(Participant.objects.filter(delegation__meeting=old).values_list("pk", flat=True))
    assert Participant.history.filter(id__in=ids).exists()

    call_command("purge_participant_data", "--dry-run")
    assert "Would purge the personal data of 2 participant(s) of 1 meeting(s)" in capsys.readouterr().out
    assert Participant.objects.filter(purged_at__isnull=False).count() == 0

    call_command("purge_participant_data")
    assert "Purged the personal data of 2 participant(s) of 1 meeting(s)" in capsys.readouterr().out
    purged = Participant.objects.get(delegation__meeting=old, role="head")
    assert purged.purged_at is not None
    for name in services.PERSONAL_FIELDS:
        assert getattr(purged, name) == "", name
    assert str(purged) == "(personal data removed)"
    assert purged.delegation.country_id == "VN"
    assert purged.phone == ""
    assert purged.job_title == ""
    assert not Participant.history.filter(id__in=ids).exists()
    assert Participant.objects.filter(delegation__meeting=old).values("role").distinct().count() == 2
    assert Participant.objects.get(family_name="Kept").purged_at is None

    call_command("purge_participant_data")
    assert "Purged the personal data of 0 participant(s) of 0 meeting(s)" in capsys.readouterr().out


def test_invitation_tokens_are_unique():
    meeting = make_meeting()
    a = services.invitation_create(actor=None, meeting=meeting, email="a@example.org", send=False)
    b = services.invitation_create(actor=None, meeting=meeting, email="b@example.org", send=False)
    assert a.token != b.token
    assert Invitation.objects.count() == 2
