"""Reads of stored co-benefit projects and evaluations for pages, the API and exports.

Everything goes through the policies (`visible`); each function runs a fixed number of queries whatever the
number of rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cleanasia.core.permissions import visible
from cleanasia.measures.selectors import measures_advanced_by

from .models import CobenefitProject, Evaluation
from .project_services import project_type


def _key(value: Any, attribute: str) -> Any:
    """A filter value given as a record or as its key (a code)."""
    return getattr(value, attribute) if hasattr(value, attribute) else value


def with_evaluation_counts(qs: QuerySet[CobenefitProject]) -> QuerySet[CobenefitProject]:
    """Projects annotated with `evaluation_count` (a subquery, no join)."""
    counted = (
        Evaluation.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk"))
    ).values("n")
    return qs.annotate(evaluation_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


def projects_for(
    *,
    user: Any,
    country: Any = None,
    sector: str | None = None,
    status: str | None = None,
    package: Any = None,
    working_group: Any = None,
) -> QuerySet[CobenefitProject]:
    """Projects the user may see, filtered by country (record or ISO code), sector, status, package and working
    group (records or codes); each with its country, package, group and evaluation count. One query."""
    qs = visible(CobenefitProject.objects.all(), user)
    if country:
        qs = qs.filter(country_id=str(_key(country, "code")).upper())
    if sector:
        qs = qs.filter(sector=sector)
    if status:
        qs = qs.filter(status=status)
    if package:
        qs = qs.filter(package__code=_key(package, "code"))
    if working_group:
        qs = qs.filter(working_group__code=_key(working_group, "code"))
    return with_evaluation_counts(qs).select_related("country", "package", "working_group").order_by("code")


def measures_for_projects(project_ids: list[int], user: Any) -> dict[int, list[dict[str, Any]]]:
    """The measures (visible to the user) each project is linked to, with their visible indicators (two queries)."""
    return measures_advanced_by(project_type(), project_ids, user)


def evaluations_for(*, user: Any, project: CobenefitProject | int | None = None) -> QuerySet[Evaluation]:
    """Stored evaluations the user may see (of one project when given), newest number last."""
    qs = visible(Evaluation.objects.all(), user)
    if project is not None:
        qs = qs.filter(project_id=getattr(project, "pk", project))
    return qs.select_related("project").order_by("project__code", "number")


def latest_evaluations(*, user: Any) -> QuerySet[Evaluation]:
    """The latest evaluation of each project the user may see (for portfolio totals)."""
    latest = Evaluation.objects.filter(project=OuterRef("project")).order_by("-number").values("pk")[:1]
    return evaluations_for(user=user).filter(pk=Subquery(latest))
