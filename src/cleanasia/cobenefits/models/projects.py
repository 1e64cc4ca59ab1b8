"""Co-benefit projects (a technology or know-how package deployed in a country) and their evaluations.

An evaluation keeps the full request it was computed from, the factor file versions, the overrides and the
engine's whole result document (`Evaluation.to_dict()`), with the totals per species and the CO2e reduction
copied out for portfolio queries. A stored evaluation is never changed: recomputing with newer factor files
makes a new one (numbered 1, 2, … per project) that points back to the one it recomputes.

The measures a project advances are linked through the progress module's MeasureLink (target: the project).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import DemoMarked, DomainModel, VisibilityControlled


class Sector(models.TextChoices):
    ENERGY = "energy", _("Energy")
    INDUSTRY = "industry", _("Industry")
    TRANSPORT = "transport", _("Transport")
    WASTE = "waste", _("Waste")
    WASTEWATER = "wastewater", _("Wastewater")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class CobenefitProject(DomainModel, VisibilityControlled):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)  # translated
    country = models.ForeignKey(
        "directory.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    package = models.ForeignKey(
        "network.KnowHowPackage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cobenefit_projects",
        verbose_name=_("know-how package"),
    )
    working_group = models.ForeignKey(
        "network.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cobenefit_projects",
        verbose_name=_("working group"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)

    class Meta:
        verbose_name = _("co-benefit project")
        verbose_name_plural = _("co-benefit projects")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title or self.code


class Evaluation(DemoMarked):
    """One stored evaluation of a project: immutable once stored."""

    project = models.ForeignKey(
        CobenefitProject, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("project")
    )
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recomputed_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recomputations",
        verbose_name=_("recomputed from"),
    )
    request = models.JSONField(_("request"))
    gwp = models.CharField(_("GWP set"), max_length=8)
    fod_convention = models.CharField(_("landfill convention"), max_length=20)
    factor_versions = models.JSONField(_("factor versions"), default=dict)
    overrides = models.JSONField(_("overrides"), default=list)
    result = models.JSONField(_("result"))
    totals = models.JSONField(_("totals per species"), default=dict)
    co2e_reduction = models.FloatField(_("CO2e reduction (t)"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("co-benefit evaluation")
        verbose_name_plural = _("co-benefit evaluations")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="cobenefits_evaluation_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} #{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A stored evaluation is never changed; recompute it instead.")
        super().save(*args, **kwargs)
