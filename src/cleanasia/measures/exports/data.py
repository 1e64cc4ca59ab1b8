"""The progress of a reporting period as the exports show it: goals → measures → indicators.

A fixed number of queries whatever the size of the portfolio: measures, their
partner countries, indicators (baseline, target and latest actual up to the
period's end as subqueries), late milestones, and the period's reports. Only
rows the user may see (core.permissions) are read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cleanasia.core.permissions import visible
from cleanasia.framework.models import FrameworkNode, NodeKind
from cleanasia.measures.models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    Milestone,
    ProgressReport,
    ReportingPeriod,
    Target,
)


@dataclass
class IndicatorRow:
    indicator: Indicator
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    latest_value: float | None
    latest_period: ReportingPeriod | None

    @property
    def status(self) -> str:
        return self.indicator.effective_status


@dataclass
class MeasureRow:
    measure: Measure
    goal: FrameworkNode
    report: ProgressReport | None
    milestones_late: int
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass
class GoalSection:
    goal: FrameworkNode
    rows: list[MeasureRow] = field(default_factory=list)


@dataclass
class PeriodProgress:
    period: ReportingPeriod
    goals: list[GoalSection]
    generated_at: dt.datetime

    @property
    def rows(self) -> list[MeasureRow]:
        return [row for section in self.goals for row in section.rows]

    def summary(self) -> dict[str, Any]:
        """Counts for the summary sheet/page: measures by status, reports by state and rating, indicators."""
        rows = self.rows
        indicators = [i for r in rows for i in r.indicators]
        return {
            "measures": len(rows),
            "indicators": len(indicators),
            "milestones_late": sum(r.milestones_late for r in rows),
            "by_status": Counter(r.measure.status for r in rows),
            "by_report_state": Counter(r.report.state if r.report else "" for r in rows),
            "by_rating": Counter(r.report.rating for r in rows if r.report and r.report.rating),
            "by_progress": Counter(i.status for i in indicators),
            "per_goal": [
                {
                    "goal": s.goal,
                    "measures": len(s.rows),
                    "indicators": sum(len(r.indicators) for r in s.rows),
                    "approved": sum(1 for r in s.rows if r.report and r.report.state == "approved"),
                    "missing": sum(1 for r in s.rows if r.report is None or r.report.state in ("draft", "returned")),
                    "milestones_late": sum(r.milestones_late for r in s.rows),
                }
                for s in self.goals
            ],
        }


def goal_of(node: FrameworkNode, nodes: dict[int, FrameworkNode]) -> FrameworkNode:
    """The top framework node above `node`: a root, or a child of the vision (the goals)."""
    while node.parent_id is not None:
        parent = nodes[node.parent_id]
        if parent.kind == NodeKind.VISION:
            return node
        node = parent
    return node


def _ancestors_or_self(pk: int, nodes: dict[int, FrameworkNode]) -> set[int]:
    found = {pk}
    while nodes[pk].parent_id is not None and nodes[pk].parent_id not in found:
        pk = nodes[pk].parent_id
        found.add(pk)
    return found


def visible_measures(user: Any, *, goal: str = "", country: str = "", status: str = "") -> QuerySet:
    """Measures the user may see, narrowed by the URL's filters (goal code or pk, country code, status)."""
    qs = visible(Measure.objects.all(), user)
    if goal:
        nodes = {n.pk: n for n in FrameworkNode.objects.all()}
        wanted = {n.pk for n in nodes.values() if str(goal) in (n.code, str(n.pk))}
        # A goal includes every line under it.
        under = {pk for pk in nodes if _ancestors_or_self(pk, nodes) & wanted}
        qs = qs.filter(framework_node__in=under)
    if country:
        qs = qs.filter(pk__in=Measure.partner_countries.through.objects.filter(country=country).values("measure"))
    if status:
        qs = qs.filter(status=status)
    return qs


def visible_indicators(user: Any, measures: QuerySet) -> QuerySet:
    return visible(Indicator.objects.filter(result__measure__in=measures.values("pk")), user)


def _latest_actual(period: ReportingPeriod) -> QuerySet:
    return Actual.objects.filter(
        indicator=OuterRef("pk"), dimension_key="", value__isnull=False, period__ends_on__lte=period.ends_on
    ).order_by("-period__ends_on")


def period_progress(
    *, user: Any, period: ReportingPeriod, goal: str = "", country: str = "", status: str = ""
) -> PeriodProgress:
    """The period's progress of the measures `user` may see, grouped by goal (the framework's top lines)."""
    nodes = {n.pk: n for n in FrameworkNode.objects.all()}
    measures_qs = visible_measures(user, goal=goal, country=country, status=status)
    measures = list(
        measures_qs.select_related("framework_node", "responsible_unit", "owner", "parent")
        .prefetch_related("partner_countries")
        .order_by("code")
    )
    first_baseline = Baseline.objects.filter(indicator=OuterRef("pk"), dimension_key="").order_by("year")
    last_target = Target.objects.filter(indicator=OuterRef("pk"), dimension_key="").order_by("-year")
    indicators = (
        visible_indicators(user, measures_qs)
        .select_related("result")
        .annotate(
            x_baseline_value=Subquery(first_baseline.values("value")[:1]),
            x_baseline_year=Subquery(first_baseline.values("year")[:1]),
            x_target_value=Subquery(last_target.values("value")[:1]),
            x_target_year=Subquery(last_target.values("year")[:1]),
            x_latest_value=Subquery(_latest_actual(period).values("value")[:1]),
            x_latest_period=Subquery(_latest_actual(period).values("period")[:1]),
        )
        .order_by("code")
    )
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(ends_on__lte=period.ends_on)}
    by_measure: dict[int, list[IndicatorRow]] = defaultdict(list)
    for ind in indicators:
        by_measure[ind.result.measure_id].append(
            IndicatorRow(
                indicator=ind,
                baseline_value=ind.x_baseline_value,
                baseline_year=ind.x_baseline_year,
                target_value=ind.x_target_value,
                target_year=ind.x_target_year,
                latest_value=ind.x_latest_value,
                latest_period=periods.get(ind.x_latest_period),
            )
        )
    today = timezone.localdate()
    late = dict(
        Milestone.objects.filter(measure__in=measures_qs.values("pk"))
        .filter(Q(completed_on__isnull=True, due_on__lt=today) | Q(completed_on__gt=F("due_on")))
        .values("measure")
        .annotate(n=Count("pk"))
        .values_list("measure", "n")
    )
    reports: dict[int, ProgressReport] = {}
    for report in visible(
        ProgressReport.objects.filter(period=period, measure__in=measures_qs.values("pk")), user
    ).order_by("measure_id", "report_version"):
        reports[report.measure_id] = report  # the latest version wins
    sections: dict[int, GoalSection] = {}
    for measure in measures:
        top = goal_of(nodes[measure.framework_node_id], nodes)
        section = sections.setdefault(top.pk, GoalSection(goal=top))
        section.rows.append(
            MeasureRow(
                measure=measure,
                goal=top,
                report=reports.get(measure.pk),
                milestones_late=late.get(measure.pk, 0),
                indicators=by_measure.get(measure.pk, []),
            )
        )
    ordered = sorted(sections.values(), key=lambda s: (s.goal.position, s.goal.code))
    return PeriodProgress(period=period, goals=ordered, generated_at=timezone.localtime())


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def period_label(period: ReportingPeriod | None, language: str) -> str:
    """FY2026 Q1 / 2026年度 第1四半期."""
    return "" if period is None else period.label(language)
