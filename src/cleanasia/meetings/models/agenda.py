"""The agenda and timetable of a meeting: ordered items with sub-items, presenters, documents, time slots."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import DomainModel


class AgendaItem(DomainModel):
    """An item ("3") or sub-item ("3.a") of a meeting's agenda.

    `adopts_minutes` is set on the "adoption of the minutes" item and points
    to the minutes of an earlier meeting, which link back to it.
    """

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_items", verbose_name=_("item")
    )
    number = models.CharField(_("number"), max_length=12, help_text=_("1, 2, 3.a…"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=500)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    presenters = models.CharField(_("presenters"), max_length=500, blank=True)  # translated
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    documents = models.ManyToManyField(
        "meetings.Document", blank=True, related_name="agenda_items", verbose_name=_("documents")
    )
    adopts_minutes = models.ForeignKey(
        "meetings.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_at_items",
        verbose_name=_("minutes to adopt"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="meetings_agenda_number_unique"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meetings_agenda_slot_ordered",
                violation_error_message=_("A time slot cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
