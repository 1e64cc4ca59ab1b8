"""Links from a measure to the records of other modules that advance it.

A first-class relation now, so that the meetings module (action items), the
co-benefits module (projects) and the network (working groups) add their side
without changing this one.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureLinkRelation(models.TextChoices):
    ADVANCES = "advances", _("advances the measure")
    IMPLEMENTS = "implements", _("implements a decision behind the measure")
    INVOLVES = "involves", _("is involved in the measure")
    EVIDENCE = "evidence", _("is evidence of the measure's progress")


class MeasureLink(models.Model):
    """`target` (an action item, a co-benefit project, a working group…) relates to `measure`."""

    measure = models.ForeignKey("measures.Measure", on_delete=models.CASCADE, related_name="links")
    relation = models.CharField(_("relation"), max_length=16, choices=MeasureLinkRelation.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record"))
    target_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("target_type", "target_id")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("measure link")
        verbose_name_plural = _("measure links")
        ordering = ["measure", "target_type", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "relation", "target_type", "target_id"], name="measures_link_unique"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="measures_link_target")]

    def __str__(self) -> str:
        return f"{self.measure_id} ← {self.target_type_id}:{self.target_id} ({self.relation})"
