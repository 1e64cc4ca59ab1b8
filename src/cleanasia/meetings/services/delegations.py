"""Every write of invitations, delegations and participants, and the purge of participants' personal data.

Views, the API and commands call these functions. Each takes the acting user
(`actor=None` is the system), checks permission with the policies
(PermissionDenied), validates (ValidationError naming the field), writes in
one transaction and marks the history row with its action code. E-mails
(invitations, confirmations) go out after the write, through services.notices,
which records each notice so that none is sent twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.permissions import can, is_secretariat

from ..models import PROTOCOL_ORDER, Delegation, DelegationState, Invitation, Meeting, Participant, ParticipantRole
from ..policies import delegations as policy

EDITABLE_STATES = (DelegationState.DRAFT, DelegationState.RETURNED)
COUNTRY_ROLES = (ParticipantRole.HEAD, ParticipantRole.ALTERNATE, ParticipantRole.DELEGATE, ParticipantRole.ADVISER)

# What a registration form or API body may set on a participant.
PARTICIPANT_FIELDS = (
    "role",
    "position",
    "honorific",
    "given_name",
    "family_name",
    "name_local",
    "job_title",
    "organisation",
    "organisation_name",
    "email",
    "phone",
    "dietary_needs",
    "access_needs",
    "consent_public_listing",
    "consent_keep_for_next",
    "person",
)
# Blanked by the purge: names, title, contact and needs. Role, country and organisation stay for anonymous counts.
PERSONAL_FIELDS = (
    "honorific",
    "given_name",
    "family_name",
    "name_local",
    "job_title",
    "email",
    "phone",
    "dietary_needs",
    "access_needs",
)


# --- helpers ------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _exempt(actor: Any) -> bool:
    """The system and the secretariat may register late (a focal point may not)."""
    return actor is None or is_secretariat(actor)


def _local(meeting: Meeting, moment: dt.datetime) -> str:
    local = timezone.localtime(moment, ZoneInfo(meeting.time_zone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({meeting.time_zone})"


def registration_open(meeting: Meeting, *, now: dt.datetime | None = None) -> bool:
    deadline = meeting.registration_deadline
    return deadline is None or (now or timezone.now()) <= deadline


def _check_deadline(actor: Any, meeting: Meeting) -> None:
    if not _exempt(actor) and not registration_open(meeting):
        raise ValidationError(
            {
                "registration_deadline": _(
                    "Registration for this meeting closed on %(deadline)s. "
                    "Ask the secretariat to register late participants."
                )
                % {"deadline": _local(meeting, meeting.registration_deadline)}
            }
        )


def _check_editable(actor: Any, delegation: Delegation) -> None:
    """A focal point edits a draft or a returned registration; the secretariat may correct any."""
    _require(actor, policy.REGISTER, delegation, _("Only the country's focal point or the secretariat registers."))
    if not _exempt(actor) and delegation.state not in EDITABLE_STATES:
        raise ValidationError(
            {
                "state": _(
                    "This registration is %(state)s and can no longer be changed. "
                    "Ask the secretariat to return it if something must change."
                )
                % {"state": delegation.get_state_display().lower()}
            }
        )
    _check_deadline(actor, delegation.meeting)


def _save_changed(instance: Any, *, actor: Any, action_code: str) -> Any:
    instance.version += 1
    mark_action(instance, action_code, actor=actor)
    instance.save()
    return instance


def _user_for_email(email: str) -> Any:
    """The platform account of a participant, matched by address, so they can see their own data."""
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email.strip()).first()


def _send_after(callback) -> None:
    # Notices go out once the write is committed, never for a write that was rolled back. A failed send is
    # logged, not shown to the user: nothing was recorded for it, so the notices command sends it later.
    transaction.on_commit(callback, robust=True)


# --- invitations ----------------------------------------------------------------------------


def invitation_create(
    *,
    actor: Any,
    meeting: Meeting,
    email: str,
    country: Any = None,
    organisation: Any = None,
    language: str = "en",
    send: bool = True,
) -> Invitation:
    """Invite one address to a meeting; the link in the e-mail works only for an account with that address."""
    _require(actor, policy.INVITE, Invitation, _("Only the secretariat sends invitations."))
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Give the e-mail address of the person to invite.")})
    if language not in ("ja", "en"):
        raise ValidationError({"language": _("Choose Japanese or English for the invitation.")})
    if country is not None and not meeting.invited_countries.filter(pk=country.pk).exists():
        raise ValidationError(
            {
                "country": _("%(country)s is not among this meeting's invited countries; add it first.")
                % {"country": country.name_en}
            }
        )
    if Invitation.objects.filter(meeting=meeting, email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already invited to this meeting.") % {"email": email}})
    invitation = Invitation(
        meeting=meeting,
        email=email,
        country=country,
        organisation=organisation,
        language=language,
        token=secrets.token_urlsafe(32),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        if send:
            from .notices import invitation_send

            _send_after(lambda: invitation_send(invitation=invitation))
    return invitation


def invitations_create_for_focal_points(
    *, actor: Any, meeting: Meeting, countries: Iterable[Any] | None = None, send: bool = True
) -> list[Invitation]:
    """Invite the focal points of the invited countries (or of `countries`), each in their own language.

    Addresses already invited are skipped, so the secretariat may run it again
    after new focal points were appointed.
    """
    from .notices import focal_point_users

    _require(actor, policy.INVITE, Invitation, _("Only the secretariat sends invitations."))
    invited = {c.pk: c for c in meeting.invited_countries.all()}
    chosen = invited if countries is None else {c.pk: c for c in countries}
    strangers = sorted(code for code in chosen if code not in invited)
    if strangers:
        raise ValidationError(
            {
                "country": _("Not invited to this meeting: %(codes)s. Add them to the invited countries first.")
                % {"codes": ", ".join(strangers)}
            }
        )
    already = {e.lower() for e in Invitation.objects.filter(meeting=meeting).values_list("email", flat=True)}
    created = []
    for code, users in sorted(focal_point_users(chosen).items()):
        for user in users:
            if user.email.lower() in already:
                continue
            already.add(user.email.lower())
            created.append(
                invitation_create(
                    actor=actor,
                    meeting=meeting,
                    email=user.email,
                    country=chosen[code],
                    language=user.preferred_language or "en",
                    send=send,
                )
            )
    return created


def invitation_accept(*, actor: Any, invitation: Invitation) -> Invitation:
    """Accept an invitation: only a signed-in user whose address is the invitation's (records accepted_at)."""
    if not policy.signed_in(actor):
        raise PermissionDenied(_("Sign in to accept the invitation."))
    if not can(actor, policy.ACCEPT, invitation):
        raise PermissionDenied(
            _(
                "This invitation was sent to another e-mail address (%(address)s). Sign in with the account of that "
                "address, or ask the secretariat to invite the address of your own account."
            )
            % {"address": mask_email(invitation.email)}
        )
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return invitation


def mask_email(email: str) -> str:
    """j***@example.org: enough for the invitee to recognise the address, not enough to harvest it."""
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


# --- delegations ---------------------------------------------------------------------------


def delegation_create(*, actor: Any, meeting: Meeting, country: Any = None, organisation: Any = None) -> Delegation:
    """Start the registration of a country's delegation (its focal point) or an observer's (the secretariat)."""
    if (country is None) == (organisation is None):
        raise ValidationError({"country": _("Choose the country (or, for observers, the organisation) to register.")})
    if country is not None:
        if actor is not None and not is_secretariat(actor):
            own = policy.focal_countries(actor)
            if not own:
                raise PermissionDenied(_("Only a country's focal point or the secretariat registers a delegation."))
            if country.pk not in own:
                raise ValidationError(
                    {
                        "country": _(
                            "You are the focal point of %(own)s; only the focal point of %(country)s registers "
                            "its delegation."
                        )
                        % {"own": ", ".join(sorted(own)), "country": country.name_en}
                    }
                )
        if not meeting.invited_countries.filter(pk=country.pk).exists():
            raise ValidationError(
                {
                    "country": _("%(country)s is not invited to this meeting. Ask the secretariat if it should be.")
                    % {"country": country.name_en}
                }
            )
        if Delegation.objects.filter(meeting=meeting, country=country).exists():
            raise ValidationError(
                {
                    "country": _("The delegation of %(country)s is already registered; open its registration.")
                    % {"country": country.name_en}
                }
            )
    else:
        _require(actor, policy.DECIDE, Delegation, _("Only the secretariat registers observer delegations."))
        if not meeting.observer_organisations.filter(pk=organisation.pk).exists():
            raise ValidationError({"organisation": _("This organisation is not an invited observer of the meeting.")})
        if Delegation.objects.filter(meeting=meeting, organisation=organisation).exists():
            raise ValidationError({"organisation": _("This observer's delegation is already registered.")})
    _check_deadline(actor, meeting)
    delegation = Delegation(meeting=meeting, country=country, organisation=organisation)
    delegation.full_clean()
    with transaction.atomic():
        mark_action(delegation, policy.DELEGATION_CREATED, actor=actor)
        delegation.save()
    return delegation


def delegation_submit(*, actor: Any, delegation: Delegation) -> Delegation:
    """Send a draft (or a returned registration, corrected) to the secretariat."""
    _require(actor, policy.REGISTER, delegation, _("Only the country's focal point or the secretariat submits."))
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().select_related("meeting").get(pk=delegation.pk)
        if delegation.state not in EDITABLE_STATES:
            raise ValidationError(
                {
                    "state": _("This registration is %(state)s; only a draft or a returned one is submitted.")
                    % {"state": delegation.get_state_display().lower()}
                }
            )
        _check_deadline(actor, delegation.meeting)
        roles = list(delegation.participants.values_list("role", flat=True))
        if not roles:
            raise ValidationError({"participants": _("Add at least one participant before submitting.")})
        if delegation.country_id and ParticipantRole.HEAD not in roles:
            raise ValidationError({"participants": _("Name the head of delegation before submitting.")})
        delegation.state = DelegationState.SUBMITTED
        delegation.submitted_at = timezone.now()
        delegation.submitted_by = actor if policy.signed_in(actor) else None
        _save_changed(delegation, actor=actor, action_code=policy.DELEGATION_SUBMITTED)
    return delegation


def _decided(actor: Any, delegation: Delegation) -> Delegation:
    _require(actor, policy.DECIDE, delegation, _("Only the secretariat approves or returns registrations."))
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.state != DelegationState.SUBMITTED:
        raise ValidationError(
            {
                "state": _("This registration is %(state)s; only a submitted one is approved or returned.")
                % {"state": locked.get_state_display().lower()}
            }
        )
    locked.decided_at = timezone.now()
    locked.decided_by = actor if policy.signed_in(actor) else None
    return locked


def delegation_approve(*, actor: Any, delegation: Delegation) -> Delegation:
    """Approve a submitted registration; the focal point receives a confirmation."""
    with transaction.atomic():
        delegation = _decided(actor, delegation)
        delegation.state = DelegationState.APPROVED
        _save_changed(delegation, actor=actor, action_code=policy.DELEGATION_APPROVED)
        from .notices import registration_confirmation_send

        pk = delegation.pk
        _send_after(lambda: registration_confirmation_send(delegation=Delegation.objects.get(pk=pk)))
    return delegation


def delegation_return(*, actor: Any, delegation: Delegation, comment: str) -> Delegation:
    """Return a submitted registration to the focal point, saying what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"secretariat_comment": _("Say what the focal point should change.")})
    with transaction.atomic():
        delegation = _decided(actor, delegation)
        delegation.state = DelegationState.RETURNED
        delegation.secretariat_comment = comment
        _save_changed(delegation, actor=actor, action_code=policy.DELEGATION_RETURNED)
    return delegation


# --- participants ----------------------------------------------------------------------------


def _clean_participant(delegation: Delegation, data: dict[str, Any], *, current: Participant | None) -> dict[str, Any]:
    unknown = sorted(set(data) - set(PARTICIPANT_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set on a participant.") for name in unknown})
    merged = {name: getattr(current, name) for name in PARTICIPANT_FIELDS} if current else {}
    merged.update(data)
    for text in (
        "honorific",
        "given_name",
        "family_name",
        "name_local",
        "job_title",
        "organisation_name",
        "email",
        "phone",
        "dietary_needs",
        "access_needs",
    ):
        merged[text] = (merged.get(text) or "").strip()
    merged.setdefault("role", ParticipantRole.DELEGATE)
    if not merged["family_name"] and not merged["given_name"]:
        raise ValidationError({"family_name": _("Give the participant's family name (or the one name they use).")})
    if merged["role"] not in ParticipantRole.values:
        raise ValidationError({"role": _("Choose head, alternate, delegate or adviser.")})
    if delegation.country_id and merged["role"] not in COUNTRY_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "A country's delegation has a head, alternates, delegates and advisers; observer is for "
                    "observer organisations."
                )
            }
        )
    if not merged.get("organisation") and not merged["organisation_name"]:
        raise ValidationError({"organisation": _("Choose the participant's organisation or write its name.")})
    if merged["role"] == ParticipantRole.HEAD:
        other_head = delegation.participants.filter(role=ParticipantRole.HEAD)
        if current is not None:
            other_head = other_head.exclude(pk=current.pk)
        head = other_head.first()
        if head is not None:
            raise ValidationError(
                {
                    "role": _(
                        "This delegation already has a head (%(name)s). Make this participant an alternate, or "
                        "change the current head's role first."
                    )
                    % {"name": str(head)}
                }
            )
    return merged


def _apply(participant: Participant, values: dict[str, Any], *, now: dt.datetime) -> None:
    consents_changed = participant.pk is None or any(
        getattr(participant, name) != values.get(name, getattr(participant, name))
        for name in ("consent_public_listing", "consent_keep_for_next")
    )
    for name, value in values.items():
        setattr(participant, name, value)
    if consents_changed:
        participant.consent_recorded_at = now
    participant.user = _user_for_email(participant.email)
    participant.full_clean(exclude=["delegation"])


def participant_add(*, actor: Any, delegation: Delegation, **fields: Any) -> Participant:
    """Add a participant to a delegation (its country's focal point, or the secretariat)."""
    _check_editable(actor, delegation)
    values = _clean_participant(delegation, fields, current=None)
    with transaction.atomic():
        participant = Participant(delegation=delegation)
        _apply(participant, values, now=timezone.now())
        mark_action(participant, policy.PARTICIPANT_ADDED, actor=actor)
        participant.save()
    return participant


def participant_update(
    *, actor: Any, participant: Participant, expected_version: int, changes: dict[str, Any]
) -> Participant:
    """Change a participant; refused if someone else changed them since `expected_version`."""
    delegation = participant.delegation
    _check_editable(actor, delegation)
    values = _clean_participant(delegation, changes, current=participant)
    changed = {name: values[name] for name in changes}
    if any(getattr(participant, name) != values[name] for name in ("consent_public_listing", "consent_keep_for_next")):
        changed["consent_recorded_at"] = timezone.now()
    if "email" in changes:
        changed["user"] = _user_for_email(values["email"])
    return versioned_update(
        actor=actor,
        instance=participant,
        expected_version=expected_version,
        changes=changed,
        action_code=policy.PARTICIPANT_CHANGED,
    )


def participant_remove(*, actor: Any, participant: Participant) -> None:
    """Take a participant off a delegation that can still be edited."""
    _check_editable(actor, participant.delegation)
    with transaction.atomic():
        mark_action(participant, policy.PARTICIPANT_REMOVED, actor=actor)
        participant.delete()


def delegation_participants_save(
    *, actor: Any, delegation: Delegation, expected_version: int, rows: list[dict[str, Any]]
) -> Delegation:
    """Save the registration form at once: each row adds, changes (`id`) or removes (`delete`) a participant.

    Errors name the row and the field, as the API does: "participants.2.role".
    The delegation's version guards the whole form against a concurrent edit.
    """
    _check_editable(actor, delegation)
    existing = {p.pk: p for p in delegation.participants.select_related("organisation", "person")}
    now = timezone.now()
    plans: list[tuple[int, Participant | None, dict[str, Any] | None]] = []
    for index, row in enumerate(rows):
        row = dict(row)
        pk = row.pop("id", None)
        delete = row.pop("delete", False)
        current = existing.get(pk) if pk else None
        if pk and current is None:
            raise ValidationError({f"participants.{index}.id": _("This participant is not in the delegation.")})
        if delete:
            plans.append((index, current, None))
            continue
        plans.append((index, current, row))
    _check_final_heads(plans)
    with transaction.atomic():
        delegation = versioned_update(
            actor=actor,
            instance=delegation,
            expected_version=expected_version,
            changes={},
            action_code=policy.DELEGATION_PARTICIPANTS_SAVED,
        )
        # Removals first, then everyone who is not becoming head, so that a head can be swapped in one save
        # without meeting the one-head constraint halfway.
        for _index, current, _row in plans:
            if _row is None and current is not None:
                mark_action(current, policy.PARTICIPANT_REMOVED, actor=actor)
                current.delete()
        kept = [plan for plan in plans if plan[2] is not None]
        kept.sort(key=lambda plan: plan[2].get("role", getattr(plan[1], "role", "")) == ParticipantRole.HEAD)
        for index, current, row in kept:
            try:
                values = _clean_participant(delegation, row, current=current)
            except ValidationError as exc:
                raise ValidationError(
                    {f"participants.{index}.{name}": errors for name, errors in exc.message_dict.items()}
                ) from exc
            participant = current or Participant(delegation=delegation)
            if current is not None and not _differs(current, values):
                continue
            try:
                _apply(participant, values, now=now)
            except ValidationError as exc:
                raise ValidationError(
                    {f"participants.{index}.{name}": errors for name, errors in exc.message_dict.items()}
                ) from exc
            if current is None:
                mark_action(participant, policy.PARTICIPANT_ADDED, actor=actor)
            else:
                participant.version += 1
                mark_action(participant, policy.PARTICIPANT_CHANGED, actor=actor)
            participant.save()
    return delegation


def _differs(participant: Participant, values: dict[str, Any]) -> bool:
    return any(getattr(participant, name) != value for name, value in values.items())


def _check_final_heads(plans: list) -> None:
    """One head of delegation after the whole save; the error names the second head's row."""
    seen = False
    for index, current, row in plans:
        if row is None:
            continue
        role = row.get("role", current.role if current else ParticipantRole.DELEGATE)
        if role == ParticipantRole.HEAD:
            if seen:
                raise ValidationError(
                    {f"participants.{index}.role": _("A delegation has one head; make this participant an alternate.")}
                )
            seen = True


# --- copy from the last meeting ----------------------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting of the same series that came before this one."""
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )


def participants_to_copy(*, delegation: Delegation) -> list[dict[str, Any]]:
    """Rows for the registration form: the same country's participants at the series' previous meeting
    who agreed that their details be kept for the next meeting (consents are asked again)."""
    earlier = previous_meeting(delegation.meeting)
    if earlier is None or delegation.country_id is None:
        return []
    names = set(delegation.participants.values_list("family_name", "given_name"))
    rows = []
    earlier_participants = Participant.objects.filter(
        delegation__meeting=earlier,
        delegation__country_id=delegation.country_id,
        consent_keep_for_next=True,
        purged_at__isnull=True,
    ).select_related("organisation", "person")
    for p in sorted(earlier_participants, key=lambda p: (PROTOCOL_ORDER[p.role], p.position, p.family_name)):
        if (p.family_name, p.given_name) in names:
            continue
        rows.append({name: getattr(p, name) for name in PARTICIPANT_FIELDS if not name.startswith("consent_")})
    return rows


# --- purge ----------------------------------------------------------------------------------------


def participants_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Blank the personal data of participants of meetings past their series' retention period.

    Names, title, contact and needs are blanked, the links to the directory and
    to an account removed, `purged_at` set, and their history rows (which hold
    the old names) deleted. Role, country, delegation and organisation stay, so
    that anonymous counts remain. Already purged participants are left alone,
    so running it again does nothing new. Returns counts.
    """
    now = now or timezone.now()
    due_meetings = [
        meeting
        for meeting in Meeting.objects.filter(ends_at__lt=now, delegations__participants__purged_at__isnull=True)
        .select_related("series")
        .distinct()
        if meeting.ends_at + dt.timedelta(days=meeting.series.retention_days) < now
    ]
    participants = Participant.objects.filter(delegation__meeting__in=due_meetings, purged_at__isnull=True)
    ids = list(participants.values_list("pk", flat=True))
    history = Participant.history.model.objects.filter(id__in=ids)
    summary = {
        "meetings": len(due_meetings),
        "participants": len(ids),
        "history_rows": history.count(),
        "dry_run": dry_run,
        "meeting_labels": [f"{m.series.code}/{m.ordinal}" for m in due_meetings],
    }
    if dry_run or not ids:
        return summary
    with transaction.atomic():
        history.delete()
        # A queryset update writes no new history row, which would keep the names again.
        Participant.objects.filter(pk__in=ids).update(
            **dict.fromkeys(PERSONAL_FIELDS, ""),
            person=None,
            user=None,
            purged_at=now,
            updated_at=now,
        )
    return summary
