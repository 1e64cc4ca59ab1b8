"""The results framework of a measure, with the semantics of the IATI results standard.

Result (output / outcome / impact) → indicators → baselines, targets and actuals.
Values of one indicator are all in the indicator's unit; a disaggregated value
names its dimensions (e.g. country=VN, sex=F) and is kept beside the total.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cleanasia.core.history import historied
from cleanasia.core.json import UnicodeJSONEncoder
from cleanasia.core.models import DomainModel


class ResultLevel(models.TextChoices):
    # Codes of IATI's ResultType codelist: 1 output, 2 outcome, 3 impact.
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


class IndicatorType(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


class Direction(models.TextChoices):
    """Whether a higher or a lower value is better (emissions must go down)."""

    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class ProgressStatus(models.TextChoices):
    """Progress toward target, computed by engines.progress (compound annual growth method)."""

    ACHIEVED = "achieved", _("Target achieved")
    SUBSTANTIAL = "substantial", _("Substantial progress")
    MODERATE = "moderate", _("Moderate progress")
    LIMITED = "limited", _("Limited progress")
    DETERIORATION = "deterioration", _("Deterioration")
    NOT_AVAILABLE = "not_available", _("Not available")


class Result(DomainModel):
    """An intended result of a measure at one level of the results chain."""

    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="results", verbose_name=_("measure")
    )
    level = models.CharField(_("level"), max_length=16, choices=ResultLevel.choices)
    title = models.CharField(_("title"), max_length=300)  # translated
    position = models.PositiveIntegerField(pgettext_lazy("display order", "position"), default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["measure", "position", "id"]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.title}"


class Indicator(DomainModel):
    """A measurable (or described) sign of a result.

    The public sees an indicator only when its measure is public and the
    secretariat has approved it for publication (`public_approved`). A manual
    status override needs a written justification (database constraint).
    """

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("result"))
    code = models.CharField(_("code"), max_length=48, unique=True)
    title = models.CharField(_("title"), max_length=300)  # translated
    indicator_type = models.CharField(
        _("type"), max_length=16, choices=IndicatorType.choices, default=IndicatorType.QUANTITATIVE
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("e.g. t CO2e, %, people, µg/m³"))
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices, default=Direction.INCREASE)
    disaggregations = models.JSONField(
        _("disaggregation dimensions"), default=list, blank=True, encoder=UnicodeJSONEncoder
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    public_approved = models.BooleanField(_("approved for publication"), default=False)
    status_override = models.CharField(
        _("status override"), max_length=16, choices=ProgressStatus.choices, blank=True, default=""
    )
    override_justification = models.TextField(_("justification of the override"), blank=True)
    # Stored, recomputed by services.indicator_recompute so dashboards aggregate them in SQL.
    computed_status = models.CharField(
        _("computed status"), max_length=16, choices=ProgressStatus.choices, default=ProgressStatus.NOT_AVAILABLE
    )
    computed_score = models.FloatField(_("computed score"), null=True, blank=True, editable=False)
    latest_value = models.FloatField(_("latest value"), null=True, blank=True, editable=False)
    latest_period = models.ForeignKey(
        "measures.ReportingPeriod",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("latest period"),
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_override="") | ~Q(override_justification=""),
                name="measures_indicator_override_justified",
                violation_error_message=_("A manual status needs a justification."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="measures_indicator_weight_not_negative",
                violation_error_message=_("The weight cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["computed_status"], name="measures_indicator_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def effective_status(self) -> str:
        """The status shown everywhere: the justified manual override, else the computed one."""
        return self.status_override or self.computed_status


def dimension_key(dimensions: dict[str, str] | None) -> str:
    """A canonical text form of a disaggregation ("" for the total), used for uniqueness."""
    if not dimensions:
        return ""
    return ";".join(f"{k}={dimensions[k]}" for k in sorted(dimensions))


class IndicatorValue(DomainModel):
    """A value of an indicator (a number, or a description for qualitative ones), total or disaggregated."""

    value = models.FloatField(_("value"), null=True, blank=True)
    text_value = models.TextField(_("description"), blank=True)
    dimensions = models.JSONField(_("disaggregation"), default=dict, blank=True, encoder=UnicodeJSONEncoder)
    dimension_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True


class Baseline(IndicatorValue):
    """A reference value of the indicator in a base year (one per disaggregation)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="baselines")
    year = models.PositiveSmallIntegerField(_("base year"))

    history = historied()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "dimension_key"], name="measures_baseline_one_per_year_and_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} baseline {self.year}: {self.value}"


class Target(IndicatorValue):
    """The value the indicator should reach in a target year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("target year"))

    history = historied()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "dimension_key"], name="measures_target_one_per_year_and_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} target {self.year}: {self.value}"


class Actual(IndicatorValue):
    """The value the indicator reached in a reporting period, with comment and evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period = models.ForeignKey(
        "measures.ReportingPeriod", on_delete=models.PROTECT, related_name="actuals", verbose_name=_("period")
    )
    evidence = models.FileField(_("evidence"), upload_to="measures/evidence/%Y/", blank=True)
    report = models.ForeignKey(
        "measures.ProgressReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actuals",
        verbose_name=_("reported in"),
    )

    history = historied()

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "dimension_key"], name="measures_actual_one_per_period_and_dimension"
            )
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="measures_actual_period")]

    def __str__(self) -> str:
        return f"{self.indicator_id} @ {self.period_id}: {self.value}"
