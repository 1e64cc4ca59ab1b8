"""The reporting cycle: periods opened by the secretariat, progress reports by measure owners."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Fiscal half-year")
    YEAR = "year", _("Fiscal year")


class PeriodState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for reporting")
    CLOSED = "closed", _("Closed")


class ReportingPeriod(DomainModel):
    """A period of the Japanese fiscal year (April–March) for which owners report.

    Q1 of FY2026 is April–June 2026; H2 is October–March. Actuals may be
    recorded only while the period is open.
    """

    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("number"), default=1, help_text=_("1–4 for quarters, 1–2 for halves"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    due_on = models.DateField(_("reports due"))
    state = models.CharField(_("state"), max_length=8, choices=PeriodState.choices, default=PeriodState.PLANNED)

    history = historied()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "fiscal_year", "number"], name="measures_period_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="measures_period_ordered",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.label(get_language() or "ja")

    def short_label(self) -> str:
        """FY26 Q1, FY26 H2, FY26: for chart axes, where the full label does not fit."""
        year = f"FY{self.fiscal_year % 100:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{year} Q{self.number}"
        if self.kind == PeriodKind.HALF:
            return f"{year} H{self.number}"
        return year

    def label(self, language: str) -> str:
        """2026年度 第1四半期 / FY2026 Q1; 2026年度 上期 / FY2026 H1; 2026年度 / FY2026."""
        if language.startswith("ja"):
            if self.kind == PeriodKind.QUARTER:
                return f"{self.fiscal_year}年度 第{self.number}四半期"
            if self.kind == PeriodKind.HALF:
                return f"{self.fiscal_year}年度 {'上' if self.number == 1 else '下'}期"
            return f"{self.fiscal_year}年度"
        if self.kind == PeriodKind.QUARTER:
            return f"FY{self.fiscal_year} Q{self.number}"
        if self.kind == PeriodKind.HALF:
            return f"FY{self.fiscal_year} H{self.number}"
        return f"FY{self.fiscal_year}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


class ReportRating(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class ProgressReport(DomainModel):
    """A measure owner's report for a period: draft → submitted → returned / approved.

    An approved report is immutable; a correction is a new version that
    supersedes it (and is approved in turn).
    """

    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, related_name="reports", verbose_name=_("measure")
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    report_version = models.PositiveSmallIntegerField(_("report version"), default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    state = models.CharField(_("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT)
    narrative = models.TextField(_("narrative"), blank=True)  # translated
    rating = models.CharField(_("status rating"), max_length=16, choices=ReportRating.choices, blank=True)
    rating_reason = models.TextField(_("reason for the rating"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    secretariat_comment = models.TextField(_("secretariat's comments"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period__starts_on", "measure", "-report_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "report_version"], name="measures_report_version_unique"
            ),
            models.CheckConstraint(
                condition=~Q(rating__in=["at_risk", "off_track"]) | ~Q(rating_reason=""),
                name="measures_report_rating_reason",
                violation_error_message=_("Say why the measure is at risk or off track."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period} v{self.report_version}"


class ReportAttachment(models.Model):
    """A file attached to a progress report (evidence, annex)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="measures/reports/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.title
