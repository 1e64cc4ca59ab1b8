"""`cleanasia remind`: reminders for missing/returned reports and milestones, never sent twice."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cleanasia.measures import services
from cleanasia.measures.models import ReminderSent

from .factories import make_measure, make_milestone, make_period

pytestmark = pytest.mark.django_db


def remind(*args):
    out = StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def setup(owner):
    owner.preferred_language = "en"
    owner.save(update_fields=["preferred_language"])
    period = make_period()
    measure = make_measure(owner=owner, code="AIR-1", title_en="Cleaner air", status="ongoing")
    return measure, period


def test_missing_report_reminded_once(owner, setup):
    _measure, period = setup
    output = remind()
    assert "Sent 1 reminder(s) in 1 e-mail(s)" in output
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "AIR-1 Cleaner air" in message.body
    assert str(period) in message.body
    assert "has not been submitted" in message.body

    output = remind()
    assert "Sent 0 reminder(s) in 0 e-mail(s); 1 already sent before." in output
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_dry_run_sends_and_records_nothing(setup, owner):
    output = remind("--dry-run")
    assert "Would send 1 reminder(s)" in output
    assert owner.email in output
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_returned_report_gets_a_new_reminder(owner, secretariat, setup):
    measure, period = setup
    remind()
    report = services.report_get_or_create_draft(actor=owner, measure=measure, period=period)
    report = services.report_update(
        actor=owner, report=report, expected_version=report.version, changes={"rating": "on_track"}
    )
    report = services.report_submit(actor=owner, report=report)
    assert "Sent 0 reminder(s)" in remind()  # submitted: nothing missing

    report = services.report_return(actor=secretariat, report=report, comment="Add figures")
    assert "Sent 1 reminder(s)" in remind()
    assert "was returned with comments" in mail.outbox[-1].body
    assert "Sent 0 reminder(s)" in remind()

    # Returned a second time: reminded again.
    report = services.report_submit(actor=owner, report=report)
    services.report_return(actor=secretariat, report=report, comment="Still missing")
    assert "Sent 1 reminder(s)" in remind()
    assert len(mail.outbox) == 3


def test_approved_and_closed_are_not_reminded(owner, secretariat, setup):
    measure, period = setup
    report = services.report_get_or_create_draft(actor=owner, measure=measure, period=period)
    report = services.report_update(
        actor=owner, report=report, expected_version=report.version, changes={"rating": "on_track"}
    )
    services.report_approve(actor=secretariat, report=services.report_submit(actor=owner, report=report))
    services.period_close(actor=secretariat, period=make_period(number=2))
    assert "Sent 0 reminder(s)" in remind()
    assert mail.outbox == []


def test_milestones_due_soon_and_overdue(owner, make_user):
    other = make_user("expert")
    measure = make_measure(owner=owner, status="ongoing")
    today = timezone.localdate()
    make_milestone(measure, today + dt.timedelta(days=10))  # due soon, to the measure owner
    overdue = make_milestone(measure, today - dt.timedelta(days=3), owner=other)  # overdue, to its own owner
    make_milestone(measure, today + dt.timedelta(days=30))  # too far ahead
    done = make_milestone(measure, today - dt.timedelta(days=1))
    services.milestone_complete(actor=None, milestone=done, completed_on=today)

    output = remind()
    assert "Sent 2 reminder(s) in 2 e-mail(s)" in output
    assert "milestone_due: 1" in output
    assert "milestone_overdue: 1" in output
    assert {m.to[0] for m in mail.outbox} == {owner.email, other.email}
    assert "Sent 0 reminder(s)" in remind()

    # The due date moves: a fresh reminder for the new date.
    services.milestone_update(
        actor=None,
        milestone=overdue,
        expected_version=overdue.version,
        changes={"due_on": today + dt.timedelta(days=2)},
    )
    assert "Sent 1 reminder(s)" in remind()


def test_reminder_in_the_recipients_language(owner, setup):
    owner.preferred_language = "ja"
    owner.save(update_fields=["preferred_language"])
    remind()
    assert "施策" in mail.outbox[0].body  # the Japanese title of the measure
