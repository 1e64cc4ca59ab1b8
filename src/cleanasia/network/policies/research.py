"""Who sees and changes joint research projects, their outputs and milestones; the action codes of their services.

- ResearchProject: by its visibility level; besides, whatever the level, the
  current members of the project's working group (its workspace is theirs) and
  the focal points of the countries taking part. The secretariat sees all and
  is the only one to create or change. Nothing is deleted: a stopped project
  is suspended or completed and keeps its record.
- ResearchOutput, ResearchMilestone: seen with their project; changed by the secretariat.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.permissions import (
    DELETE,
    VIEW,
    PermissionPolicy,
    is_secretariat,
    register_policy,
    visibility_filter,
)

from ..models import ResearchMilestone, ResearchOutput, ResearchProject
from .common import current_group_ids, signed_in

# Actions beyond the generic ones.
SET_STATUS = "set_status"

# Action codes written by services/research.py.
PROJECT_CREATED = "network.project.created"
PROJECT_UPDATED = "network.project.updated"
PROJECT_STATUS_SET = "network.project.status_set"
OUTPUT_ADDED = "network.output.added"
OUTPUT_UPDATED = "network.output.updated"
MILESTONE_ADDED = "network.milestone.added"
MILESTONE_UPDATED = "network.milestone.updated"
MILESTONE_DONE = "network.milestone.done"

for _code, _label in (
    (PROJECT_CREATED, _("Research project created")),
    (PROJECT_UPDATED, _("Research project changed")),
    (PROJECT_STATUS_SET, _("Status of the research project changed")),
    (OUTPUT_ADDED, _("Research output added")),
    (OUTPUT_UPDATED, _("Research output changed")),
    (MILESTONE_ADDED, _("Research milestone added")),
    (MILESTONE_UPDATED, _("Research milestone changed")),
    (MILESTONE_DONE, _("Research milestone marked as done")),
):
    register_action(_code, _label)


def project_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting projects (or rows under a project, through `prefix`) to what `user` sees; None: all."""
    if is_secretariat(user):
        return None
    condition = visibility_filter(user, ResearchProject)
    assert condition is not None
    if signed_in(user):
        condition |= Q(working_group__in=current_group_ids(user))
        countries = set(getattr(user, "focal_point_countries", set()) or set())
        if countries:
            taking_part = ResearchProject.countries.through.objects.filter(country_id__in=countries).values(
                "researchproject_id"
            )
            condition |= Q(pk__in=taking_part)
    if not prefix:
        return condition
    return Q(**{f"{prefix}__in": ResearchProject.objects.filter(condition).values("pk")})


class _ProjectPolicy(PermissionPolicy):
    """Reading follows the project; every change by the secretariat; deleting by nobody."""

    prefix = ""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = project_filter(user, self.prefix)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if action == VIEW:
            if obj is None or is_secretariat(user):
                return True
            return self.visible(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()
        return is_secretariat(user)


class ResearchProjectPolicy(_ProjectPolicy):
    prefix = ""


class UnderProjectPolicy(_ProjectPolicy):
    prefix = "project"


register_policy(ResearchProject, ResearchProjectPolicy())
register_policy(ResearchOutput, UnderProjectPolicy())
register_policy(ResearchMilestone, UnderProjectPolicy())
