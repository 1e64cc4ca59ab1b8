"""E-mail notices: invitations in the invitee's language, confirmations on approval, reminders from rules.

Never the same notice twice; a rescheduled meeting moves its reminders and gets a fresh one; --dry-run sends
and records nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import (
    DelegationState,
    Element,
    NoticeSent,
    Outcome,
    ReminderAnchor,
    ReminderRule,
)
from cleanasia.meetings.services import delegations as services
from cleanasia.meetings.services.notices import notices_send, reminders_due
from tests.factories import CountryFactory

from .factories import make_meeting, make_series
from .test_delegations_services import person, registered

pytestmark = pytest.mark.django_db


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- invitations and confirmations --------------------------------------------------------------------------


def test_an_invitation_is_sent_in_the_invitees_language_with_the_bound_link_and_only_once(make_user):
    japanese = make_user(Role.FOCAL_POINT, country="JP", preferred_language="ja")
    english = make_user(Role.FOCAL_POINT, country="VN", preferred_language="en")
    meeting = make_meeting(title_ja="第3回環境大臣会合", title_en="Third Environment Ministers' Meeting")
    services.invitations_create_for_focal_points(actor=None, meeting=meeting, send=False)
    summary = notices_send()
    assert summary["sent"] == 2
    assert summary["by_kind"] == {"invitation": 2}
    by_recipient = {m.to[0]: m for m in mail.outbox}
    ja, en = by_recipient[japanese.email], by_recipient[english.email]
    assert "第3回環境大臣会合" in ja.subject
    assert "/ja/staff/meetings/invitations/" in ja.body
    assert "Third Environment Ministers' Meeting" in en.subject
    assert "/en/staff/meetings/invitations/" in en.body
    token = meeting.invitations.get(email=english.email).token
    assert f"http://localhost:8000/en/staff/meetings/invitations/{token}/" in en.body
    # Times are given in the meeting's time zone.
    assert "Asia/Ho_Chi_Minh" in en.body
    mail.outbox.clear()
    assert notices_send()["sent"] == 0
    assert mail.outbox == []


def test_approval_confirms_the_registration_to_the_focal_point_once(make_user, django_capture_on_commit_callbacks):
    focal_point = make_user(Role.FOCAL_POINT, country="VN", preferred_language="en")
    make_user(Role.FOCAL_POINT, country="TH")
    meeting = make_meeting()
    delegation = registered(meeting, "VN", person("Tran", role="head"), person("Le"), state=DelegationState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.delegation_approve(actor=make_user(Role.SECRETARIAT), delegation=delegation)
    assert recipients() == [focal_point.email]
    message = mail.outbox[0]
    assert "Registration approved: Viet Nam" in message.subject
    assert "Ms An Tran (Head of delegation)" in message.body
    assert f"/en/staff/meetings/delegations/{delegation.pk}/" in message.body
    mail.outbox.clear()
    assert notices_send()["sent"] == 0


def test_the_command_sends_a_confirmation_that_did_not_go_out(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    # Approved without running the on-commit callbacks (as if the mail server had been down).
    registered(make_meeting(), "VN", person("Tran", role="head"), state=DelegationState.APPROVED)
    assert mail.outbox == []
    assert notices_send()["by_kind"] == {"confirmation": 1}
    assert recipients() == [focal_point.email]


def test_a_returned_registration_is_not_confirmed(make_user):
    make_user(Role.FOCAL_POINT, country="VN")
    registered(make_meeting(), "VN", person("Tran", role="head"), state=DelegationState.RETURNED)
    assert notices_send()["sent"] == 0


# --- reminders --------------------------------------------------------------------------------------------------


def test_a_meeting_start_reminder_goes_to_the_invited_focal_points_once_and_moves_with_the_meeting(make_user):
    vn = make_user(Role.FOCAL_POINT, country="VN")
    th = make_user(Role.FOCAL_POINT, country="TH")
    make_user(Role.FOCAL_POINT, country="US")  # not invited
    now = timezone.now()
    meeting = make_meeting(starts_at=now + dt.timedelta(days=5), invite=("VN", "TH"))
    ReminderRule.objects.create(meeting=meeting, anchor=ReminderAnchor.MEETING_START, offset=dt.timedelta(days=7))
    assert notices_send(now=now)["by_kind"] == {"meeting_start": 2}
    assert recipients() == sorted([vn.email, th.email])
    # In each recipient's language, the date as that language writes it (both prefer Japanese, the default).
    assert "に開始されます" in mail.outbox[0].subject
    assert f"{meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.time_zone)).year}年" in mail.outbox[0].subject
    mail.outbox.clear()
    assert notices_send(now=now)["sent"] == 0

    # Postponed by ten days: not due yet, then due again with a fresh key.
    meeting.starts_at += dt.timedelta(days=10)
    meeting.ends_at += dt.timedelta(days=10)
    meeting.save()
    assert notices_send(now=now)["sent"] == 0
    later = meeting.starts_at - dt.timedelta(days=3)
    assert notices_send(now=later)["sent"] == 2
    assert NoticeSent.objects.filter(key__startswith="reminder:").count() == 4
    # After the meeting has started, no more reminders.
    mail.outbox.clear()
    NoticeSent.objects.all().delete()
    assert notices_send(now=meeting.starts_at + dt.timedelta(hours=1))["sent"] == 0


def test_a_series_rule_reminds_of_each_meeting_but_not_of_a_cancelled_one(make_user):
    make_user(Role.FOCAL_POINT, country="VN")
    now = timezone.now()
    series = make_series()
    make_meeting(series, starts_at=now + dt.timedelta(days=2), invite=("VN",))
    make_meeting(series, starts_at=now + dt.timedelta(days=3), invite=("VN",), status="cancelled")
    ReminderRule.objects.create(series=series, anchor=ReminderAnchor.MEETING_START, offset=dt.timedelta(days=7))
    assert len(reminders_due(now=now)) == 1


def test_a_registration_deadline_reminder_skips_countries_that_already_submitted(make_user):
    vn = make_user(Role.FOCAL_POINT, country="VN", preferred_language="en")
    make_user(Role.FOCAL_POINT, country="TH")
    jp = make_user(Role.FOCAL_POINT, country="JP")
    now = timezone.now()
    meeting = make_meeting(registration_deadline=now + dt.timedelta(days=2))
    registered(meeting, "TH", person("Somchai", role="head"), state=DelegationState.SUBMITTED)
    registered(meeting, "VN", person("Tran", role="head"))  # a draft still needs reminding
    ReminderRule.objects.create(
        meeting=meeting, anchor=ReminderAnchor.REGISTRATION_DEADLINE, offset=dt.timedelta(days=3)
    )
    notices_send(now=now)
    assert recipients() == sorted([vn.email, jp.email])
    body = next(m for m in mail.outbox if m.to == [vn.email]).body
    assert f"/en/staff/meetings/{meeting.pk}/delegations/" in body


def _action_item(meeting, *, due_on, status="in_progress", outcome_status="adopted", countries=("VN",)):
    outcome, _created = Outcome.objects.get_or_create(
        meeting=meeting,
        code=f"{meeting.series.code}/{meeting.ordinal}/AP-{outcome_status}",
        defaults={"kind": "action_plan", "title_en": "Action plan", "title_ja": "行動計画", "status": outcome_status},
    )
    element = Element.objects.create(
        outcome=outcome,
        number=str(Element.objects.count() + 1),
        code=f"{outcome.code}.{Element.objects.count() + 1:02d}",
        text_en="Share the national inventory of marine litter.",
        text_ja="海洋ごみの国別目録を共有する。",
        is_operational=True,
        is_action_item=True,
        addressee="countries",
        due_on=due_on,
        status=status,
    )
    element.addressed_countries.set([CountryFactory(code=c) for c in countries])
    return element


def test_an_action_item_reminder_goes_to_the_addressed_countries_focal_points(make_user):
    vn = make_user(Role.FOCAL_POINT, country="VN", preferred_language="en")
    make_user(Role.FOCAL_POINT, country="TH")
    now = timezone.now()
    series = make_series()
    held = make_meeting(series, starts_at=now - dt.timedelta(days=100), status="held")
    today = timezone.localdate()
    due = _action_item(held, due_on=today + dt.timedelta(days=5))
    _action_item(held, due_on=today + dt.timedelta(days=5), status="completed")
    _action_item(held, due_on=today + dt.timedelta(days=5), outcome_status="draft")
    _action_item(held, due_on=today + dt.timedelta(days=40))
    ReminderRule.objects.create(series=series, anchor=ReminderAnchor.ITEM_DUE, offset=dt.timedelta(days=14))
    summary = notices_send(now=now)
    assert summary["by_kind"] == {"item_due": 1}
    assert recipients() == [vn.email]
    assert due.code in mail.outbox[0].subject
    assert "marine litter" in mail.outbox[0].body
    assert notices_send(now=now)["sent"] == 0
    # A new due date is a new reminder.
    due.due_on = today + dt.timedelta(days=10)
    due.save()
    assert notices_send(now=now)["sent"] == 1


def test_the_command_dry_run_sends_and_records_nothing_then_the_real_run_does(make_user, capsys):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    meeting = make_meeting(starts_at=timezone.now() + dt.timedelta(days=1), invite=("VN",))
    ReminderRule.objects.create(meeting=meeting, anchor=ReminderAnchor.MEETING_START, offset=dt.timedelta(days=2))
    call_command("meeting_notices", "--dry-run")
    out = capsys.readouterr().out
    assert "Would send 1 notice(s)" in out
    assert f"to {focal_point.email}" in out
    assert mail.outbox == []
    assert not NoticeSent.objects.exists()
    call_command("meeting_notices")
    assert "Sent 1 notice(s)" in capsys.readouterr().out
    call_command("meeting_notices")
    assert "Sent 0 notice(s); 1 already sent before." in capsys.readouterr().out
    assert len(mail.outbox) == 1
