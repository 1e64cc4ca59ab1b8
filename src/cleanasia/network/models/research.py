"""Joint research: projects with lead and partner institutions and countries, outputs and milestones."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel, VisibilityControlled

from .experts import doi_address


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class ResearchProject(DomainModel, VisibilityControlled):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=400)  # translated
    summary = models.TextField(_("summary"), blank=True)  # translated
    field = models.ForeignKey(
        "network.Field", on_delete=models.PROTECT, related_name="research_projects", verbose_name=_("field")
    )
    working_group = models.ForeignKey(
        "network.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="research_projects",
        verbose_name=_("working group"),
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead institution")
    )
    partner_organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="+", verbose_name=_("partner institutions")
    )
    countries = models.ManyToManyField("directory.Country", blank=True, related_name="+", verbose_name=_("countries"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    funder = models.CharField(_("funder"), max_length=300, blank=True)
    funding_amount = models.DecimalField(_("funding"), max_digits=14, decimal_places=0, null=True, blank=True)
    funding_currency = models.CharField(_("currency"), max_length=3, default="JPY")
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED)

    class Meta:
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="network_project_period_ordered",
                violation_error_message=_("A project cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title or self.code


class OutputKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    DATASET = "dataset", _("Dataset")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    OTHER = "other", _("Other")


class ResearchOutput(DomainModel):
    project = models.ForeignKey(
        ResearchProject, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=500)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    url = models.URLField(_("address"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    history = historied()

    class Meta:
        verbose_name = _("research output")
        verbose_name_plural = _("research outputs")
        ordering = ["project", "-published_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def doi_url(self) -> str:
        return doi_address(self.doi)


class ResearchMilestone(DomainModel):
    project = models.ForeignKey(
        ResearchProject, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=300)  # translated
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("research milestone")
        verbose_name_plural = _("research milestones")
        ordering = ["project", "due_on"]

    def __str__(self) -> str:
        return self.title
