"""The policy framework of the Clean Asia Initiative as an editable tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cleanasia.core.models import DomainModel


class NodeKind(models.TextChoices):
    """The kinds of node in the seed's diagram, from the vision down to its lines."""

    VISION = "vision", _("Vision")
    GOAL = "goal", _("Policy goal")
    CROSS_CUTTING = "cross_cutting", _("Cross-cutting goal")
    FOUNDATION = "foundation", _("Foundation for cooperation")
    DIRECTION = "direction", _("Basic direction")
    PRINCIPLE = "principle", _("Principle")
    MEANS = "means", _("Means of delivery")


class FrameworkNode(DomainModel):
    """One node of the framework: a goal, the cross-cutting goal, a foundation, or one of their lines.

    Measures (progress module) hang under the nodes; `code` is stable so that
    imports and reports can name a node in any language.
    """

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NodeKind.choices)
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=300)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    position = models.PositiveIntegerField(pgettext_lazy("display order", "position"), default=0)
    source = models.TextField(_("source"), blank=True)

    # history: registered in translation.py (see core.history.register_history)

    class Meta:
        verbose_name = _("framework node")
        verbose_name_plural = _("framework nodes")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
