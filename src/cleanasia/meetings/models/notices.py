"""Invitations bound to an address, and the notices a safe-to-rerun command has sent."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """An invitation to a meeting, bound to the invitee's e-mail address (the token works for that address only)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    token = models.CharField(_("token"), max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="meetings_one_invitation_per_address")]

    def __str__(self) -> str:
        return f"{self.meeting} → {self.email}"


class ReminderAnchor(models.TextChoices):
    MEETING_START = "meeting_start", _("Before the meeting starts")
    REGISTRATION_DEADLINE = "registration_deadline", _("Before the registration deadline")
    ITEM_DUE = "item_due", _("Before an action item is due")


class ReminderRule(models.Model):
    """A reminder stored relative to its anchor, so a rescheduled meeting moves its reminders."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="reminder_rules"
    )
    series = models.ForeignKey(
        "meetings.MeetingSeries", on_delete=models.CASCADE, null=True, blank=True, related_name="reminder_rules"
    )
    anchor = models.CharField(_("relative to"), max_length=24, choices=ReminderAnchor.choices)
    offset = models.DurationField(_("how long before"), default=dt.timedelta(days=7))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.anchor} −{self.offset}"


class NoticeSent(models.Model):
    """One row per notice sent; the unique key makes the notices command safe to run again."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")

    def __str__(self) -> str:
        return self.key
