"""The measure list (filters in the URL) and the measure page (results, indicators, milestones, reports).

Both run a fixed number of queries whatever the number of rows: related rows
come with select_related / prefetch_related over querysets the user may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.views.generic import TemplateView

from cleanasia.core import permissions

from .. import selectors
from ..forms import MeasureFilterForm
from ..models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    MeasureBudget,
    PeriodState,
    ProgressReport,
    ReportingPeriod,
    Result,
    Target,
)
from .charts import line_chart
from .common import RATING_ICONS, effective_status, paginate, status_badge, today


class MeasureListView(LoginRequiredMixin, TemplateView):
    """Measures the user may see, filtered by goal, country, status, fiscal year and a search term."""

    template_name = "measures/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = MeasureFilterForm(self.request.GET or None)
        filters = form.filters()
        # The URL says "fy" (short, shareable); the selector says fiscal_year.
        if "fy" in filters:
            filters["fiscal_year"] = filters.pop("fy")
        qs = selectors.measure_list_for(user=self.request.user, filters=filters)
        context["form"] = form
        context["page_obj"], context["query_without_page"] = paginate(self.request, qs)
        context["filtered"] = bool(filters)
        return context


class MeasureDetailView(LoginRequiredMixin, TemplateView):
    """One measure (404 when not visible) with everything the secretariat follows about it."""

    template_name = "measures/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        measure: Measure = permissions.get_visible_or_404(
            Measure.objects.select_related(
                "framework_node", "framework_node__parent", "owner", "responsible_unit", "parent"
            ).prefetch_related("partner_countries", "partner_organisations"),
            user,
            pk=kwargs["pk"],
        )
        indicators = permissions.visible(Indicator.objects.all(), user).prefetch_related(
            Prefetch("baselines", queryset=Baseline.objects.filter(dimension_key="").order_by("year")),
            Prefetch("targets", queryset=Target.objects.filter(dimension_key="").order_by("year")),
            Prefetch(
                "actuals",
                queryset=Actual.objects.filter(dimension_key="").select_related("period").order_by("period__starts_on"),
            ),
        )
        results = list(
            permissions.visible(Result.objects.filter(measure=measure), user).prefetch_related(
                Prefetch("indicators", queryset=indicators, to_attr="visible_indicators")
            )
        )
        for result in results:
            for indicator in result.visible_indicators:
                self._decorate(indicator)
        day = today()
        milestones = list(permissions.visible(measure.milestones.select_related("owner"), user))
        for milestone in milestones:
            milestone.overdue = milestone.is_overdue(day)
        reports = list(
            permissions.visible(ProgressReport.objects.filter(measure=measure), user)
            .select_related("period")
            .order_by("-period__starts_on", "-report_version")
        )
        for report in reports:
            report.rating_icon = RATING_ICONS.get(report.rating, "")
        may_report = permissions.can(user, "report", measure)
        open_periods = (
            list(ReportingPeriod.objects.filter(state=PeriodState.OPEN).order_by("starts_on")) if may_report else []
        )
        context.update(
            measure=measure,
            budgets=list(permissions.visible(MeasureBudget.objects.filter(measure=measure), user)),
            results=results,
            milestones=milestones,
            reports=reports,
            may_report=may_report,
            open_periods=open_periods,
            activities=list(permissions.visible(measure.activities.all(), user).order_by("code")),
        )
        return context

    @staticmethod
    def _decorate(indicator: Indicator) -> None:
        """Baseline, latest target, latest actual, status badge and trend chart, from prefetched rows."""
        baselines = list(indicator.baselines.all())
        targets = list(indicator.targets.all())
        actuals = list(indicator.actuals.all())
        indicator.baseline = baselines[0] if baselines else None
        indicator.target_list = targets
        indicator.latest_actual = actuals[-1] if actuals else None
        indicator.badge = status_badge(effective_status(indicator))
        indicator.actual_list = actuals
        values = [a.value for a in actuals if a.value is not None]
        indicator.trend = (
            line_chart(
                f"{indicator.code}",
                [str(a.period) for a in actuals],
                [(str(indicator.unit or indicator.code), [a.value for a in actuals])],
                unit=indicator.unit,
                width=160,
                height=48,
            )
            if len(values) >= 2
            else None
        )
