"""Know-how packages (Japan's technology, institutions and organisational models, deployed "as packages"
with regard to each country's conditions) and the register of country needs they are matched against.

Conditions are structured (`conditions`: a small dict of named facts such as
{"urban_population_min": 500000, "income": ["lower_middle", "upper_middle"]})
so that the matching engine (engines/, no Django) can compare them and say why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import DomainModel, VisibilityControlled


class PackageKind(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology")
    INSTITUTION = "institution", _("Institutional system")
    ORGANISATION = "organisation", _("Organisational model")
    COMBINATION = "combination", _("Combination")


class KnowHowPackage(DomainModel, VisibilityControlled):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)  # translated
    kind = models.CharField(_("kind"), max_length=12, choices=PackageKind.choices)
    fields = models.ManyToManyField("network.Field", related_name="packages", verbose_name=_("fields"))
    problem = models.TextField(_("problem it solves"))  # translated
    fits_where = models.TextField(_("conditions where it fits"), blank=True)  # translated
    conditions = models.JSONField(_("conditions (structured)"), default=dict, blank=True)
    cost_min = models.DecimalField(_("cost from"), max_digits=14, decimal_places=0, null=True, blank=True)
    cost_max = models.DecimalField(_("cost up to"), max_digits=14, decimal_places=0, null=True, blank=True)
    cost_currency = models.CharField(_("currency"), max_length=3, default="JPY")
    cobenefit_evidence = models.TextField(_("co-benefit evidence"), blank=True)  # translated
    providers = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="+", verbose_name=_("Japanese providers")
    )

    class Meta:
        verbose_name = _("know-how package")
        verbose_name_plural = _("know-how packages")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_min__isnull=True) | Q(cost_max__isnull=True) | Q(cost_max__gte=models.F("cost_min")),
                name="network_package_cost_ordered",
                violation_error_message=_("The upper cost cannot be below the lower one."),
            )
        ]

    def __str__(self) -> str:
        return self.title or self.code


class PackageCase(DomainModel):
    """A case study of the package in Asia: where, when, what it achieved, its source."""

    package = models.ForeignKey(
        KnowHowPackage, on_delete=models.CASCADE, related_name="cases", verbose_name=_("package")
    )
    country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)  # translated
    summary = models.TextField(_("summary"), blank=True)  # translated
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        ordering = ["package", "-year"]

    def __str__(self) -> str:
        return self.title


class NeedStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class CountryNeed(DomainModel, VisibilityControlled):
    """A need a country's focal point registers, by field, with the country's conditions."""

    country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey("network.Field", on_delete=models.PROTECT, related_name="needs", verbose_name=_("field"))
    title = models.CharField(_("title"), max_length=300)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    conditions = models.JSONField(_("conditions (structured)"), default=dict, blank=True)
    budget_max = models.DecimalField(_("budget up to"), max_digits=14, decimal_places=0, null=True, blank=True)
    budget_currency = models.CharField(_("currency"), max_length=3, default="USD")
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("country need")
        verbose_name_plural = _("country needs")
        ordering = ["country", "field", "pk"]

    def __str__(self) -> str:
        return self.title
