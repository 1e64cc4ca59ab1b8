"""The reporting cycle: periods (opened and closed by the secretariat), the owner's report, the review.

Every write goes through measures.services; permission through core.permissions.can.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core import permissions
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.views.forms import add_service_errors
from cleanasia.core.views.history import display_value

from .. import selectors, services
from ..forms import PeriodCreateForm, ReportForm, ReviewForm
from ..models import (
    Actual,
    Indicator,
    Measure,
    Milestone,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)
from .common import RATING_ICONS

EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class PeriodsView(LoginRequiredMixin, View):
    """Reporting periods with their reports by state; the secretariat creates, opens and closes them."""

    template_name = "measures/periods.html"

    def _context(self, request: HttpRequest, form: PeriodCreateForm | None = None) -> dict[str, Any]:
        may_manage = permissions.can(request.user, "open_period", ReportingPeriod)
        visible_reports = permissions.visible(ProgressReport.objects.all(), request.user)
        counts = {
            row["period_id"]: row
            for row in visible_reports.order_by()
            .values("period_id")
            .annotate(
                total=Count("id"),
                submitted=Count("id", filter=Q(state=ReportState.SUBMITTED)),
                approved=Count("id", filter=Q(state=ReportState.APPROVED)),
            )
        }
        periods = list(permissions.visible(ReportingPeriod.objects.all(), request.user).order_by("-starts_on", "kind"))
        for period in periods:
            period.counts = counts.get(period.pk, {"total": 0, "submitted": 0, "approved": 0})
        # The owner's own measures, to start a report for an open period.
        own = list(Measure.objects.filter(owner=request.user).order_by("code")) if request.user.is_authenticated else []
        # The secretariat's queue: submitted reports waiting for a decision, oldest first.
        awaiting = (
            list(
                visible_reports.filter(state=ReportState.SUBMITTED)
                .select_related("measure", "period", "submitted_by")
                .order_by("submitted_at", "pk")
            )
            if permissions.can(request.user, "approve", ProgressReport)
            else []
        )
        return {
            "periods": periods,
            "awaiting": awaiting,
            "may_manage": may_manage,
            "form": form or (PeriodCreateForm() if may_manage else None),
            "own_measures": own,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        if not permissions.can(request.user, "view", ReportingPeriod):
            raise PermissionDenied
        return render(request, self.template_name, self._context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not permissions.can(request.user, "open_period", ReportingPeriod):
            raise PermissionDenied
        form = PeriodCreateForm(request.POST)
        if form.is_valid():
            try:
                period = services.period_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The period %(period)s was created.") % {"period": period})
                return redirect("measures:periods")
        return render(request, self.template_name, self._context(request, form), status=400)


class PeriodStateView(LoginRequiredMixin, View):
    """POST only: open or close a period."""

    action = "open"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        period = get_object_or_404(permissions.visible(ReportingPeriod.objects.all(), request.user), pk=pk)
        if not permissions.can(request.user, "open_period", period):
            raise PermissionDenied
        try:
            if self.action == "open":
                services.period_open(actor=request.user, period=period)
                messages.success(request, _("The period %(period)s is open for reporting.") % {"period": period})
            else:
                services.period_close(actor=request.user, period=period)
                messages.success(request, _("The period %(period)s is closed.") % {"period": period})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("measures:periods")


class MissingReportsView(LoginRequiredMixin, TemplateView):
    """Measures that have no submitted or approved report for the period (secretariat)."""

    template_name = "measures/missing_reports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = get_object_or_404(ReportingPeriod, pk=kwargs["pk"])
        if not permissions.can(self.request.user, "open_period", period):
            raise PermissionDenied
        missing = list(selectors.missing_reports(period=period))
        context.update(period=period, missing=missing)
        return context


class ReportStartView(LoginRequiredMixin, View):
    """POST: the owner's draft for a measure and an open period (created once), then its form."""

    def post(self, request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
        measure = permissions.get_visible_or_404(Measure.objects.all(), request.user, pk=pk)
        if not permissions.can(request.user, "report", measure):
            raise PermissionDenied
        period = get_object_or_404(ReportingPeriod, pk=period_pk)
        try:
            report = services.report_get_or_create_draft(actor=request.user, measure=measure, period=period)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("measures:detail", pk=measure.pk)
        return redirect("measures:report-edit", pk=report.pk)


def _report(request: HttpRequest, pk: int) -> ProgressReport:
    return permissions.get_visible_or_404(
        ProgressReport.objects.select_related("measure", "period", "submitted_by", "decided_by", "supersedes"),
        request.user,
        pk=pk,
    )


def _report_rows(report: ProgressReport, user: Any) -> tuple[list[Indicator], list[Milestone], dict[int, Actual]]:
    """The measure's indicators and milestones, and the actuals already recorded for the period (fixed queries)."""
    indicators = list(
        permissions.visible(Indicator.objects.filter(result__measure=report.measure), user).order_by(
            "result__position", "code"
        )
    )
    milestones = list(permissions.visible(Milestone.objects.filter(measure=report.measure), user))
    actuals = {
        a.indicator_id: a
        for a in permissions.visible(
            Actual.objects.filter(indicator__in=[i.pk for i in indicators], period=report.period, dimension_key=""),
            user,
        )
    }
    return indicators, milestones, actuals


class ReportEditView(LoginRequiredMixin, View):
    """The owner's report form; an approved (or submitted) report is shown read-only."""

    template_name = "measures/report_edit.html"

    def _setup(self, request: HttpRequest, pk: int):
        report = _report(request, pk)
        indicators, milestones, actuals = _report_rows(report, request.user)
        may_edit = permissions.can(request.user, "report", report.measure) and report.state in EDITABLE_STATES
        return report, indicators, milestones, actuals, may_edit

    @staticmethod
    def _initial(report: ProgressReport, milestones, actuals) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(report, name) or "" for name in ReportForm.REPORT_FIELDS}
        initial["version"] = report.version
        for indicator_id, actual in actuals.items():
            initial[f"actual_{indicator_id}"] = actual.value if actual.value is not None else actual.text_value
            initial[f"actual_comment_{indicator_id}"] = actual.comment
        for milestone in milestones:
            initial[f"milestone_{milestone.pk}"] = milestone.completed_on
        return initial

    def _render(self, request, report, form, actuals, may_edit, status=200, stale=None) -> HttpResponse:
        for indicator, _value, _comment in form.indicator_rows:
            indicator.recorded = actuals.get(indicator.pk)
        context = {
            "report": report,
            "form": form,
            "may_edit": may_edit,
            "may_correct": report.state == ReportState.APPROVED
            and permissions.can(request.user, "report", report.measure)
            and not hasattr_superseded(report),
            "may_review": report.state == ReportState.SUBMITTED and permissions.can(request.user, "approve", report),
            "rating_icon": RATING_ICONS.get(report.rating, ""),
            "stale": stale,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report, indicators, milestones, actuals, may_edit = self._setup(request, pk)
        form = ReportForm(
            initial=self._initial(report, milestones, actuals), indicators=indicators, milestones=milestones
        )
        return self._render(request, report, form, actuals, may_edit)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report, indicators, milestones, actuals, may_edit = self._setup(request, pk)
        if not permissions.can(request.user, "report", report.measure):
            raise PermissionDenied
        form = ReportForm(request.POST, indicators=indicators, milestones=milestones)
        if not may_edit:
            form.add_error(
                None,
                _("This report is %(state)s and can no longer be edited.") % {"state": report.get_state_display()},
            )
            return self._render(request, report, form, actuals, False, status=400)
        if not form.is_valid():
            return self._render(request, report, form, actuals, may_edit, status=400)
        try:
            self._save(request, report, form, indicators, milestones, actuals)
        except StaleEditError as exc:
            return self._stale(request, report, form, exc, indicators, milestones, actuals)
        except ValidationError as exc:
            add_service_errors(form, exc)
            report.refresh_from_db()
            return self._render(request, report, form, actuals, may_edit, status=400)
        if "submit" in request.POST:
            try:
                services.report_submit(actor=request.user, report=ProgressReport.objects.get(pk=report.pk))
            except ValidationError as exc:
                add_service_errors(form, exc)
                report.refresh_from_db()
                return self._render(request, report, form, actuals, may_edit, status=400)
            messages.success(request, _("Your report was submitted to the secretariat."))
            return redirect("measures:detail", pk=report.measure_id)
        messages.success(request, _("Your draft was saved."))
        return redirect("measures:report-edit", pk=report.pk)

    @staticmethod
    def _save(request, report, form, indicators, milestones, actuals) -> None:
        changes = form.report_changes(report)
        if changes or form.cleaned_data["version"] != report.version:
            services.report_update(
                actor=request.user, report=report, expected_version=form.cleaned_data["version"], changes=changes
            )
        for indicator in indicators:
            raw = form.cleaned_data.get(f"actual_{indicator.pk}")
            comment = form.cleaned_data.get(f"actual_comment_{indicator.pk}") or ""
            if raw in (None, "") and indicator.pk not in actuals:
                continue
            recorded = actuals.get(indicator.pk)
            is_text = indicator.indicator_type == "qualitative"
            value = None if is_text else raw
            text_value = (raw or "") if is_text else ""
            if (
                recorded
                and recorded.value == value
                and recorded.text_value == text_value
                and recorded.comment == comment
            ):
                continue
            try:
                services.actual_record(
                    actor=request.user,
                    indicator=indicator,
                    period=report.period,
                    value=value,
                    text_value=text_value,
                    comment=comment,
                    report=report,
                )
            except ValidationError as exc:
                # Name the indicator's own field, so the message sits next to the input.
                raise ValidationError({f"actual_{indicator.pk}": exc.messages}) from exc
        for milestone in milestones:
            done = form.cleaned_data.get(f"milestone_{milestone.pk}")
            if done and done != milestone.completed_on:
                services.milestone_complete(actor=request.user, milestone=milestone, completed_on=done)

    def _stale(self, request, report, form, exc: StaleEditError, indicators, milestones, actuals) -> HttpResponse:
        """Keep the owner's input, list what the other change did, and move the version on."""
        current: ProgressReport = exc.instance
        fields = {f.name: f for f in ProgressReport._meta.concrete_fields}
        changes = [
            {
                "label": form.fields[c.field].label if c.field in form.fields else c.label,
                "value": display_value(fields.get(c.field), c.new),
            }
            for c in exc.changes
            if c.field in fields
        ]
        data = request.POST.copy()
        data["version"] = str(current.version)
        rebound = ReportForm(data, indicators=indicators, milestones=milestones)
        rebound.is_valid()
        may_edit = current.state in EDITABLE_STATES
        return self._render(
            request, current, rebound, actuals, may_edit, status=409, stale={"by": exc.by, "changes": changes}
        )


def hasattr_superseded(report: ProgressReport) -> bool:
    try:
        return report.superseded_by is not None
    except ProgressReport.DoesNotExist:
        return False


class ReportCorrectView(LoginRequiredMixin, View):
    """POST: a new version of an approved report, to correct it (the approved one stays as it was)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = _report(request, pk)
        if not permissions.can(request.user, "report", report.measure):
            raise PermissionDenied
        try:
            correction = services.report_correct(actor=request.user, report=report)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("measures:report-edit", pk=report.pk)
        messages.success(request, _("A new version of the report was created for your correction."))
        return redirect("measures:report-edit", pk=correction.pk)


class ReportReviewView(LoginRequiredMixin, View):
    """The secretariat's review: return with comments, or approve."""

    template_name = "measures/report_review.html"

    def _setup(self, request: HttpRequest, pk: int) -> ProgressReport:
        report = _report(request, pk)
        if not permissions.can(request.user, "approve", report):
            raise PermissionDenied
        return report

    def _render(self, request, report, form, status=200) -> HttpResponse:
        indicators, milestones, actuals = _report_rows(report, request.user)
        for indicator in indicators:
            indicator.recorded = actuals.get(indicator.pk)
        context = {
            "report": report,
            "form": form,
            "indicators": indicators,
            "milestones": milestones,
            "rating_icon": RATING_ICONS.get(report.rating, ""),
            "may_decide": report.state == ReportState.SUBMITTED,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._setup(request, pk)
        return self._render(request, report, ReviewForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._setup(request, pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return self._render(request, report, form, status=400)
        try:
            if form.cleaned_data["decision"] == "approve":
                services.report_approve(actor=request.user, report=report)
                messages.success(request, _("The report was approved."))
            else:
                services.report_return(actor=request.user, report=report, comment=form.cleaned_data["comment"])
                messages.success(request, _("The report was returned to its owner with your comments."))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, report, form, status=400)
        return redirect("measures:periods")
