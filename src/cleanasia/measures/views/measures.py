"""The measure list (filters in the URL) and the measure page (results, indicators, milestones, reports).

Both run a fixed number of queries whatever the number of rows: related rows
come with select_related / prefetch_related over querysets the user may see.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.views.generic import TemplateView

from cleanasia.core import permissions
from cleanasia.core.charts import line_chart
from cleanasia.core.views.forms import paginate

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
from .common import RATING_ICONS, effective_status, status_badge, today


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


TREND_PERIODS_ON_PAGE = 12
ACTUAL_FIELDS = (
    "indicator_id",
    "value",
    "text_value",
    "period__kind",
    "period__fiscal_year",
    "period__number",
    "period__starts_on",
)


def _decisions_behind(measure: Measure, user: Any) -> list[dict[str, Any]]:
    """The meetings' decisions whose elements advance the measure (when the meetings module is installed)."""
    if not django_apps.is_installed("cleanasia.meetings"):
        return []
    from cleanasia.meetings.selectors.outcomes import decisions_for_measure

    return decisions_for_measure(measure=measure, user=user)


def latest_actuals(indicator_ids: list[int]) -> dict[int, list[Actual]]:
    """Each indicator's actuals of its latest TREND_PERIODS_ON_PAGE periods, oldest first (one query).

    Ten years of quarters would fit neither a sparkline nor a glance; the
    full series is in the CSV export and the API.
    """
    newest_first = Window(RowNumber(), partition_by=F("indicator_id"), order_by=F("period__starts_on").desc())
    rows = (
        Actual.objects.filter(indicator_id__in=indicator_ids, dimension_key="")
        .select_related("period")
        .only(*ACTUAL_FIELDS)
        .annotate(recency=newest_first)
        .filter(recency__lte=TREND_PERIODS_ON_PAGE)
        .order_by("indicator_id", "period__starts_on")
    )
    found: dict[int, list[Actual]] = defaultdict(list)
    for actual in rows:
        found[actual.indicator_id].append(actual)
    return found


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
        )
        results = list(
            permissions.visible(Result.objects.filter(measure=measure), user).prefetch_related(
                Prefetch("indicators", queryset=indicators, to_attr="visible_indicators")
            )
        )
        latest = latest_actuals([i.pk for r in results for i in r.visible_indicators])
        for result in results:
            for indicator in result.visible_indicators:
                self._decorate(indicator, latest.get(indicator.pk, []))
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
            meeting_decisions=_decisions_behind(measure, user),
        )
        return context

    @staticmethod
    def _decorate(indicator: Indicator, actuals: list[Actual]) -> None:
        """Baseline, latest target, latest actual, status badge and trend chart, from prefetched rows."""
        baselines = list(indicator.baselines.all())
        targets = list(indicator.targets.all())
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
