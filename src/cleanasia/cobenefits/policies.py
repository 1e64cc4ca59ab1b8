"""Who sees and changes co-benefit projects and their stored evaluations; the action codes of their services.

- CobenefitProject: the public sees public projects; signed-in members what the visibility level allows; the
  focal points of the project's country see it whatever the level, create projects of their countries and
  change or delete them; the secretariat sees and does everything.
- Evaluation: seen with its project; added (evaluate, recompute) by whoever may change the project; never
  changed or deleted by anybody (deleting a project takes its evaluations with it).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.permissions import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    PermissionPolicy,
    focal_countries,
    is_secretariat,
    register_policy,
    visibility_filter,
)

from .models import CobenefitProject, Evaluation

# Action codes written by project_services.py.
PROJECT_CREATED = "cobenefits.project.created"
PROJECT_UPDATED = "cobenefits.project.updated"
PROJECT_DELETED = "cobenefits.project.deleted"

for _code, _label in (
    (PROJECT_CREATED, _("Co-benefit project created")),
    (PROJECT_UPDATED, _("Co-benefit project changed")),
    (PROJECT_DELETED, _("Co-benefit project deleted")),
):
    register_action(_code, _label)


def may_manage_country(user: Any, country_code: str) -> bool:
    """Whether `user` may create or change projects of that country: its focal points and the secretariat."""
    return is_secretariat(user) or country_code in focal_countries(user)


def project_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting projects (or rows under a project, through `prefix`) to what `user` sees; None: all."""
    condition = visibility_filter(user, CobenefitProject)
    if condition is None:
        return None
    countries = focal_countries(user)
    if countries:
        condition |= Q(country_id__in=countries)
    if not prefix:
        return condition
    return Q(**{f"{prefix}__in": CobenefitProject.objects.filter(condition).values("pk")})


class CobenefitProjectPolicy(PermissionPolicy):
    """Reading by visibility (and country, for focal points); writing by the country's focal points and the
    secretariat."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = project_filter(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            if obj is None or is_secretariat(user):
                return True
            return self.visible(CobenefitProject.objects.filter(pk=obj.pk), user).exists()
        if action in (ADD, CHANGE, DELETE):
            if is_secretariat(user):
                return True
            countries = focal_countries(user)
            if obj is None:
                return bool(countries)
            return isinstance(obj, CobenefitProject) and obj.country_id in countries
        return is_secretariat(user)


class EvaluationPolicy(PermissionPolicy):
    """Seen with the project; added by who may change the project; never changed nor deleted."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = project_filter(user, "project")
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            if obj is None or is_secretariat(user):
                return True
            return self.visible(Evaluation.objects.filter(pk=obj.pk), user).exists()
        if action == ADD:
            if obj is None:
                return is_secretariat(user) or bool(focal_countries(user))
            project = obj.project if isinstance(obj, Evaluation) else obj
            return CobenefitProjectPolicy().can(user, CHANGE, project)
        return False  # a stored evaluation is never edited or deleted


register_policy(CobenefitProject, CobenefitProjectPolicy())
register_policy(Evaluation, EvaluationPolicy())
