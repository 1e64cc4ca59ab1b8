"""Milestones of a measure: due dates, owners, completion; overdue ones are flagged."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import DomainModel


class Milestone(DomainModel):
    """A dated step of a measure. Overdue: past its due date and not completed."""

    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="milestones", verbose_name=_("measure")
    )
    title = models.CharField(_("title"), max_length=300)  # translated
    due_on = models.DateField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("owner"),
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "completed_on"], name="measures_milestone_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.completed_on is None and self.due_on < (today or timezone.localdate())

    def completed_late(self) -> bool:
        return self.completed_on is not None and self.completed_on > self.due_on
