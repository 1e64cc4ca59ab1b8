"""E-mail notices of the meetings module: invitations, registration confirmations and reminders.

Each notice has a key; sending records it in NoticeSent (unique key) in the
same transaction as the e-mail, so no notice goes out twice, even when two
runs of the command overlap, and a failed send is tried again next time.

Reminders come from ReminderRule, relative to a meeting's start, its
registration deadline or an action item's due date, computed from the anchor
at send time: a rescheduled meeting moves its reminders, and because the key
holds the anchor's date the rescheduled meeting gets a fresh reminder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from cleanasia.accounts.models import Role, RoleAssignment

from ..models import (
    OPEN_ACTION_STATUSES,
    Delegation,
    DelegationState,
    Element,
    Invitation,
    Meeting,
    MeetingStatus,
    NoticeSent,
    OutcomeStatus,
    ReminderAnchor,
    ReminderRule,
)

LANGUAGES = ("ja", "en")
# Meetings that no longer take place as scheduled get no reminders about their dates.
NO_REMINDER_STATUSES = (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED, MeetingStatus.HELD)


@dataclass
class Notice:
    """One e-mail to one recipient, identified by `key`."""

    key: str
    recipient: str
    language: str
    template: str  # meetings/email/<template>_subject.txt and _body.txt
    context: dict[str, Any] = field(default_factory=dict)
    kind: str = ""


# --- helpers ----------------------------------------------------------------------------------


def site_url(path: str) -> str:
    """An absolute link for an e-mail (the site's address comes from CLEANASIA_SITE_URL)."""
    base = getattr(settings, "CLEANASIA_SITE_URL", "http://localhost:8000").rstrip("/")
    return base + path


def recipient_digest(email: str) -> str:
    # Keys stay short whatever the address's length; the address itself is in NoticeSent.recipient.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def _language(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


def in_language(obj: Any, name: str, language: str) -> str:
    """A bilingual field in `language`, else in the other one."""
    other = "en" if language == "ja" else "ja"
    return getattr(obj, f"{name}_{language}", "") or getattr(obj, f"{name}_{other}", "") or getattr(obj, name, "")


def local_time(meeting: Meeting, moment: dt.datetime, language: str) -> str:
    """`moment` at the venue, written as the recipient's language writes dates (2026年12月4日 19:39 / 4 December…)."""
    local = timezone.localtime(moment, ZoneInfo(meeting.time_zone))
    with translation.override(language):
        return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({meeting.time_zone})"


def focal_point_users(countries: Iterable[Any]) -> dict[str, list[Any]]:
    """Active users who are focal points today, by country code (one query)."""
    codes = [getattr(c, "pk", c) for c in countries]
    found: dict[str, list[Any]] = {}
    assignments = (
        RoleAssignment.objects.active_on(timezone.localdate())
        .filter(role=Role.FOCAL_POINT, country_id__in=codes, user__is_active=True)
        .select_related("user")
        .order_by("country_id", "user__email")
    )
    for assignment in assignments:
        users = found.setdefault(assignment.country_id, [])
        if assignment.user not in users:
            users.append(assignment.user)
    return found


def deliver(notice: Notice, *, dry_run: bool = False) -> bool:
    """Send a notice unless it was sent before; True if it was (or, in a dry run, would be) sent."""
    if NoticeSent.objects.filter(key=notice.key).exists():
        return False
    if dry_run:
        return True
    with translation.override(notice.language):
        context = {**notice.context, "language": notice.language}
        subject = " ".join(render_to_string(f"meetings/email/{notice.template}_subject.txt", context).split())
        body = render_to_string(f"meetings/email/{notice.template}_body.txt", context)
    try:
        with transaction.atomic():
            NoticeSent.objects.create(key=notice.key, recipient=notice.recipient)
            send_mail(subject, body, None, [notice.recipient])
    except IntegrityError:
        return False  # another run sent it meanwhile
    return True


def _meeting_context(meeting: Meeting, language: str) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "meeting_title": in_language(meeting, "title", language),
        "meeting_place": ", ".join(
            part for part in (in_language(meeting, "venue", language), in_language(meeting, "city", language)) if part
        ),
        "starts": local_time(meeting, meeting.starts_at, language),
        "ends": local_time(meeting, meeting.ends_at, language),
        "deadline": (
            local_time(meeting, meeting.registration_deadline, language) if meeting.registration_deadline else ""
        ),
    }


# --- invitations and confirmations -------------------------------------------------------------


def invitation_notice(invitation: Invitation) -> Notice:
    language = _language(invitation.language)
    with translation.override(language):
        link = site_url(reverse("meetings:invitation-accept", kwargs={"token": invitation.token}))
    return Notice(
        key=f"invitation:{invitation.pk}",
        recipient=invitation.email,
        language=language,
        template="invitation",
        context={**_meeting_context(invitation.meeting, language), "link": link, "invitation": invitation},
        kind="invitation",
    )


def invitation_send(*, invitation: Invitation, dry_run: bool = False) -> bool:
    """E-mail an invitation (in the invitee's language, with the link bound to their address) once."""
    sent = deliver(invitation_notice(invitation), dry_run=dry_run)
    if sent and not dry_run:
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return sent


def confirmation_notices(delegation: Delegation) -> list[Notice]:
    """To the country's focal points (and whoever submitted), once per approved registration."""
    people = focal_point_users([delegation.country_id]).get(delegation.country_id, []) if delegation.country_id else []
    if delegation.submitted_by is not None and delegation.submitted_by not in people:
        people.append(delegation.submitted_by)
    notices = []
    for user in people:
        language = _language(user.preferred_language)
        with translation.override(language):
            link = site_url(reverse("meetings:delegation-edit", kwargs={"pk": delegation.pk}))
        notices.append(
            Notice(
                key=f"confirmation:d{delegation.pk}:{recipient_digest(user.email)}",
                recipient=user.email,
                language=language,
                template="registration_confirmed",
                context={
                    **_meeting_context(delegation.meeting, language),
                    "delegation": delegation,
                    "country_name": in_language(delegation.country, "name", language) if delegation.country else "",
                    "participants": list(delegation.participants.order_by("role", "position", "family_name")),
                    "link": link,
                    "name": user.get_full_name(),
                },
                kind="confirmation",
            )
        )
    return notices


def registration_confirmation_send(*, delegation: Delegation, dry_run: bool = False) -> int:
    """Confirm an approved registration to the focal points; returns how many e-mails went out."""
    if delegation.state != DelegationState.APPROVED:
        return 0
    return sum(deliver(notice, dry_run=dry_run) for notice in confirmation_notices(delegation))


# --- reminders -------------------------------------------------------------------------------------


def _rule_meetings(rule: ReminderRule) -> list[Meeting]:
    if rule.meeting_id:
        return [rule.meeting]
    return list(rule.series.meetings.select_related("series").exclude(status__in=NO_REMINDER_STATUSES))


def _anchor_date(meeting: Meeting, moment: dt.datetime) -> str:
    return timezone.localtime(moment, ZoneInfo(meeting.time_zone)).date().isoformat()


def _meeting_reminders(rule: ReminderRule, meeting: Meeting, now: dt.datetime) -> list[Notice]:
    if meeting.status in NO_REMINDER_STATUSES:
        return []
    anchor = meeting.starts_at if rule.anchor == ReminderAnchor.MEETING_START else meeting.registration_deadline
    if anchor is None or not (anchor - rule.offset <= now < anchor):
        return []
    countries = list(meeting.invited_countries.values_list("pk", flat=True))
    if rule.anchor == ReminderAnchor.REGISTRATION_DEADLINE:
        # Only countries whose registration has not reached the secretariat.
        done = set(
            Delegation.objects.filter(
                meeting=meeting, state__in=(DelegationState.SUBMITTED, DelegationState.APPROVED)
            ).values_list("country_id", flat=True)
        )
        countries = [c for c in countries if c not in done]
    notices = []
    for code, users in sorted(focal_point_users(countries).items()):
        for user in users:
            language = _language(user.preferred_language)
            with translation.override(language):
                link = site_url(reverse("meetings:delegation-list", kwargs={"meeting_pk": meeting.pk}))
            notices.append(
                Notice(
                    key=f"reminder:r{rule.pk}:m{meeting.pk}:{rule.anchor}:{_anchor_date(meeting, anchor)}:"
                    f"{recipient_digest(user.email)}",
                    recipient=user.email,
                    language=language,
                    template=f"reminder_{rule.anchor}",
                    context={
                        **_meeting_context(meeting, language),
                        "link": link,
                        "name": user.get_full_name(),
                        "country": code,
                    },
                    kind=rule.anchor,
                )
            )
    return notices


def _item_reminders(rule: ReminderRule, now: dt.datetime) -> list[Notice]:
    meetings = Q(outcome__meeting=rule.meeting_id) if rule.meeting_id else Q(outcome__meeting__series=rule.series_id)
    elements = list(
        Element.objects.filter(meetings, is_action_item=True, due_on__isnull=False, status__in=OPEN_ACTION_STATUSES)
        .exclude(outcome__status=OutcomeStatus.DRAFT)
        .select_related("outcome__meeting")
        .prefetch_related("addressed_countries")
    )
    due: list[tuple[Element, dt.datetime]] = []
    for element in elements:
        zone = ZoneInfo(element.outcome.meeting.time_zone)
        anchor = dt.datetime.combine(element.due_on, dt.time.min, tzinfo=zone)
        # The whole due day counts, so that an offset of zero reminds on the day itself.
        if anchor - rule.offset <= now < anchor + dt.timedelta(days=1):
            due.append((element, anchor))
    people = focal_point_users({c.pk for element, _a in due for c in element.addressed_countries.all()})
    notices = []
    for element, _anchor in due:
        for country in element.addressed_countries.all():
            for user in people.get(country.pk, []):
                language = _language(user.preferred_language)
                notices.append(
                    Notice(
                        key=f"reminder:r{rule.pk}:e{element.pk}:{element.due_on.isoformat()}:"
                        f"{recipient_digest(user.email)}",
                        recipient=user.email,
                        language=language,
                        template="reminder_item_due",
                        context={
                            **_meeting_context(element.outcome.meeting, language),
                            "element": element,
                            "element_text": in_language(element, "text", language),
                            "due_on": formats.date_format(element.due_on, "DATE_FORMAT", use_l10n=True),
                            "name": user.get_full_name(),
                            "country": country.pk,
                        },
                        kind=ReminderAnchor.ITEM_DUE,
                    )
                )
    return notices


def reminders_due(*, now: dt.datetime | None = None) -> list[Notice]:
    """The reminders whose time has come, computed from each rule's anchor now (sent or not)."""
    now = now or timezone.now()
    notices: list[Notice] = []
    for rule in ReminderRule.objects.select_related("meeting__series", "series").order_by("pk"):
        if rule.anchor == ReminderAnchor.ITEM_DUE:
            notices += _item_reminders(rule, now)
        else:
            for meeting in _rule_meetings(rule):
                notices += _meeting_reminders(rule, meeting, now)
    return notices


# --- the command's run --------------------------------------------------------------------------------


def notices_send(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Send every notice due and not yet sent: invitations, confirmations, reminders.

    Returns {"sent": n, "skipped": n already sent, "by_kind": {...}, "recipients": [...], "dry_run": bool}.
    """
    now = now or timezone.now()
    summary: dict[str, Any] = {"sent": 0, "skipped": 0, "by_kind": {}, "recipients": [], "dry_run": dry_run}

    def count(notice: Notice, sent: bool) -> None:
        if sent:
            summary["sent"] += 1
            summary["by_kind"][notice.kind] = summary["by_kind"].get(notice.kind, 0) + 1
            summary["recipients"].append(notice.recipient)
        else:
            summary["skipped"] += 1

    for invitation in Invitation.objects.filter(sent_at__isnull=True).select_related("meeting").order_by("pk"):
        notice = invitation_notice(invitation)
        sent = invitation_send(invitation=invitation, dry_run=dry_run)
        count(notice, sent)
    recent = Delegation.objects.filter(state=DelegationState.APPROVED, meeting__ends_at__gte=now).select_related(
        "meeting", "country", "submitted_by"
    )
    for delegation in recent:
        for notice in confirmation_notices(delegation):
            count(notice, deliver(notice, dry_run=dry_run))
    for notice in reminders_due(now=now):
        count(notice, deliver(notice, dry_run=dry_run))
    return summary
