"""Reminders already sent, so that `cleanasia remind` (run from cron) never sends one twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    REPORT_MISSING = "report_missing", _("Progress report missing")
    REPORT_RETURNED = "report_returned", _("Progress report returned")
    MILESTONE_DUE = "milestone_due", _("Milestone due soon")
    MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")


class ReminderSent(models.Model):
    """One reminder e-mail sent: of a kind, about an object, to a recipient, for a period or due date.

    `object_key` names what the reminder is about (e.g. "report:12:v1:returned:3",
    "milestone:7"); `due_on` is the period's due date or the milestone's due date,
    so that a milestone whose due date moves gets a fresh reminder.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=ReminderKind.choices)
    object_key = models.CharField(_("about"), max_length=120)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    period = models.ForeignKey(
        "measures.ReportingPeriod",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("period"),
    )
    due_on = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "due_on"],
                name="measures_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} → {self.recipient_id}"
