"""Shared pieces of the progress pages: filters on visible measures, statuses shown with text and icon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core import permissions
from cleanasia.core.fiscal import fiscal_year_bounds

from ..models import Indicator, Measure, MeasureBudget, ProgressStatus

# Each status has a symbol and a word; colour only repeats what they say (WCAG 1.4.1).
STATUS_ICONS = {
    ProgressStatus.ACHIEVED: "✓",
    ProgressStatus.SUBSTANTIAL: "▲",
    ProgressStatus.MODERATE: "►",
    ProgressStatus.LIMITED: "▼",
    ProgressStatus.DETERIORATION: "✕",
    ProgressStatus.NOT_AVAILABLE: "–",
}
RATING_ICONS = {"on_track": "✓", "at_risk": "!", "off_track": "✕"}

HAS_COMPUTED = any(f.name == "computed_status" for f in Indicator._meta.get_fields())


def effective_status(indicator: Indicator) -> str:
    """The status shown everywhere: the justified manual override, else the computed one."""
    return indicator.status_override or getattr(indicator, "computed_status", "") or ProgressStatus.NOT_AVAILABLE


def status_badge(value: str) -> dict[str, str]:
    status = ProgressStatus(value or ProgressStatus.NOT_AVAILABLE)
    return {"value": status.value, "label": str(status.label), "icon": STATUS_ICONS[status]}


def goal_condition(goal: Any, prefix: str = "") -> Q:
    """Measures under a goal: on the goal itself or on a line (or sub-line) below it."""
    p = f"{prefix}framework_node"
    return Q(**{p: goal}) | Q(**{f"{p}__parent": goal}) | Q(**{f"{p}__parent__parent": goal})


def filter_measures(qs: QuerySet, filters: dict[str, Any]) -> QuerySet:
    """Apply the URL's filters (goal, country, status, fiscal year, search) to a queryset of measures."""
    if goal := filters.get("goal"):
        qs = qs.filter(goal_condition(goal))
    if country := filters.get("country"):
        through = Measure.partner_countries.through
        qs = qs.filter(pk__in=through.objects.filter(country=country).values("measure_id"))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if fy := filters.get("fy"):
        start, end = fiscal_year_bounds(fy)
        running = (Q(starts_on__isnull=True) | Q(starts_on__lte=end)) & (
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )
        budgeted = Q(pk__in=MeasureBudget.objects.filter(fiscal_year=fy).values("measure_id"))
        qs = qs.filter(running | budgeted)
    if term := filters.get("q"):
        qs = qs.filter(Q(code__icontains=term) | Q(title_ja__icontains=term) | Q(title_en__icontains=term))
    return qs


def visible_measures(user: Any) -> QuerySet:
    return permissions.visible(Measure.objects.all(), user)


def overdue_label() -> str:
    return str(_("Overdue"))


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
