"""Reads of joint research for pages, the API and exports.

Everything goes through the policies (`visible`); each function runs a fixed number of queries whatever the
number of rows (related rows come with select_related / prefetch_related, counts are subqueries in SQL).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cleanasia.core.permissions import CHANGE, can, get_visible_or_404, visible
from cleanasia.directory.models import Country, Organisation
from cleanasia.measures.models import Measure, MeasureLink
from cleanasia.measures.selectors import measures_advanced_by

from ..models import Field, ResearchMilestone, ResearchOutput, ResearchProject, WorkingGroup
from ..services.research import STATUS_TRANSITIONS, is_overdue


def _count(qs: QuerySet) -> Coalesce:
    """A correlated count (a subquery, so that several counts never multiply each other's rows)."""
    counted = qs.order_by().values("project").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _key(value: Any, attribute: str) -> Any:
    """A filter value given as a record or as its key (a code)."""
    return getattr(value, attribute) if hasattr(value, attribute) else value


def project_type() -> ContentType:
    return ContentType.objects.get_for_model(ResearchProject)


def projects_for(
    *,
    user: Any,
    field: Field | str | None = None,
    country: Country | str | None = None,
    status: str | None = None,
    working_group: WorkingGroup | str | None = None,
) -> QuerySet[ResearchProject]:
    """Projects the user may see, filtered by field (record or code), country taking part (record or ISO code),
    status and working group (record or code); each with its field, group, lead institution, countries and
    the counts of outputs, milestones and overdue milestones. Two queries when evaluated."""
    qs = visible(ResearchProject.objects.all(), user)
    if field:
        qs = qs.filter(field__code=_key(field, "code"))
    if country:
        # A subquery, so that a project is never listed twice.
        taking_part = ResearchProject.countries.through.objects.filter(country_id=_key(country, "code"))
        qs = qs.filter(pk__in=taking_part.values("researchproject_id"))
    if status:
        qs = qs.filter(status=status)
    if working_group:
        qs = qs.filter(working_group__code=_key(working_group, "code"))
    return (
        with_counts(qs)
        .select_related("field", "working_group", "lead_organisation")
        .prefetch_related(Prefetch("countries", queryset=Country.objects.order_by("name_en")))
        .order_by("-starts_on", "code")
    )


def with_counts(qs: QuerySet[ResearchProject]) -> QuerySet[ResearchProject]:
    """Projects annotated with `output_count`, `milestone_count` and `overdue_count` (subqueries, no join)."""
    today = timezone.localdate()
    return qs.annotate(
        output_count=_count(ResearchOutput.objects.filter(project=OuterRef("pk"))),
        milestone_count=_count(ResearchMilestone.objects.filter(project=OuterRef("pk"))),
        overdue_count=_count(
            ResearchMilestone.objects.filter(project=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
        ),
    )


def measures_for_projects(project_ids: list[int], user: Any) -> dict[int, list[dict[str, Any]]]:
    """The measures (visible to the user) each project is linked to, with their visible indicators (two queries)."""
    return measures_advanced_by(project_type(), project_ids, user)


def project_detail_for(*, user: Any, pk: int) -> dict[str, Any]:
    """A project (404 when not visible) with its partners, countries, outputs (newest first), milestones (by due
    date, each with `.overdue`), the measures it is linked to with their indicators, and what the user may do.

    Keys: project, outputs, milestones, overdue_count, measures, may_change, next_statuses. Fixed queries.
    """
    project = get_visible_or_404(
        ResearchProject.objects.select_related("field", "working_group", "lead_organisation__country").prefetch_related(
            Prefetch(
                "partner_organisations", queryset=Organisation.objects.select_related("country").order_by("name_en")
            ),
            Prefetch("countries", queryset=Country.objects.order_by("name_en")),
        ),
        user,
        pk=pk,
    )
    today = timezone.localdate()
    milestones = list(ResearchMilestone.objects.filter(project=project).order_by("due_on", "pk"))
    for milestone in milestones:
        milestone.overdue = is_overdue(milestone, today)
    may_change = can(user, CHANGE, project)
    return {
        "project": project,
        "outputs": list(ResearchOutput.objects.filter(project=project).order_by("-published_on", "title")),
        "milestones": milestones,
        "overdue_count": sum(1 for m in milestones if m.overdue),
        "measures": measures_for_projects([project.pk], user).get(project.pk, []),
        "may_change": may_change,
        "next_statuses": sorted(STATUS_TRANSITIONS[project.status]) if may_change else [],
    }


def projects_for_measure(*, user: Any, measure: Measure) -> list[ResearchProject]:
    """The projects (visible to the user) linked to `measure`, each with `.relation_label` (two queries)."""
    relations = dict(
        MeasureLink.objects.filter(measure=measure, target_type=project_type()).values_list("target_id", "relation")
    )
    if not relations:
        return []
    labels = dict(MeasureLink._meta.get_field("relation").flatchoices)
    projects = list(
        visible(ResearchProject.objects.filter(pk__in=list(relations)), user)
        .select_related("field", "lead_organisation")
        .order_by("-starts_on", "code")
    )
    for project in projects:
        project.relation_label = labels.get(relations[project.pk], relations[project.pk])
    return projects
