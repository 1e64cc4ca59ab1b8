"""Measures (施策) and their activities, placed under a line of the policy framework."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel, VisibilityControlled


class MeasureKind(models.TextChoices):
    MEASURE = "measure", _("Measure")
    ACTIVITY = "activity", _("Activity")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class Measure(DomainModel, VisibilityControlled):
    """A measure of the initiative, or an activity under a measure (kind ACTIVITY, `parent` set).

    The owner (responsible officer) fills its progress reports; partner countries
    open it to those countries' focal points. `weight` is used when progress
    rolls up from activities to measures to goals.
    """

    framework_node = models.ForeignKey(
        "framework.FrameworkNode",
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("framework line"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="activities", verbose_name=_("measure")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeasureKind.choices, default=MeasureKind.MEASURE)
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    responsible_unit = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible unit"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_measures",
        verbose_name=_("responsible officer"),
    )
    partner_countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="measures", verbose_name=_("partner countries")
    )
    partner_organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="partner_in_measures",
        verbose_name=_("partner organisations"),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="measures_measure_period_ordered",
                violation_error_message=_("A measure cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="measures_measure_weight_not_negative",
                violation_error_message=_("The weight cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(kind="measure", parent__isnull=True) | Q(kind="activity", parent__isnull=False),
                name="measures_activity_has_measure",
                violation_error_message=_("An activity belongs to a measure; a measure has no parent."),
            ),
        ]
        indexes = [models.Index(fields=["framework_node", "status"], name="measures_node_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class MeasureBudget(DomainModel):
    """The budget of a measure for one Japanese fiscal year (April–March), in yen."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("measure"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    amount_jpy = models.DecimalField(_("amount (JPY)"), max_digits=15, decimal_places=0)

    history = historied()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["measure", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "fiscal_year"], name="measures_budget_one_per_year"),
            models.CheckConstraint(
                condition=Q(amount_jpy__gte=0),
                name="measures_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} FY{self.fiscal_year}: ¥{self.amount_jpy:,}"
