"""The one permission helper every view, API endpoint and export uses.

A policy per model answers two questions: which rows may this user see
(`visible`), and may this user do `action` to this row (`can`). Views never
test roles themselves. Where existence itself is confidential, lookups go
through `get_visible_or_404`, which gives the same 404 for missing and
forbidden.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from .models.visibility import Visibility, VisibilityControlled

VIEW, ADD, CHANGE, DELETE, RESTORE, VIEW_HISTORY = "view", "add", "change", "delete", "restore", "view_history"


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def focal_countries(user: Any) -> set[str]:
    """ISO codes of the countries the user is a focal point for (empty when signed out)."""
    return set(getattr(user, "focal_point_countries", set()) or set()) if signed_in(user) else set()


def is_secretariat(user: Any) -> bool:
    """Secretariat staff and administrators: see everything, manage reference data."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_secretariat", False))


def visibility_filter(user: Any, model: type[models.Model]) -> Q | None:
    """The Q that limits VisibilityControlled rows to what `user` may see (None: all).

    Named groups are matched with a subquery rather than a join, so rows are
    never repeated and the result can be combined with other querysets.
    """
    if is_secretariat(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return Q(visibility=Visibility.PUBLIC)
    m2m = model._meta.get_field("audience_groups")
    through = m2m.remote_field.through
    in_users_groups = through.objects.filter(
        **{f"{m2m.m2m_reverse_field_name()}__in": user.groups.values("pk")}
    ).values(m2m.m2m_field_name())
    return Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]) | Q(
        visibility=Visibility.GROUPS, pk__in=in_users_groups
    )


class PermissionPolicy:
    """Default policy: visibility-controlled reading; the secretariat writes.

    Modules subclass it for their own rules (owners, countries, groups) and
    register it with `register_policy`.
    """

    model: ClassVar[type[models.Model] | None] = None

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        if issubclass(qs.model, VisibilityControlled):
            condition = visibility_filter(user, qs.model)
            return qs if condition is None else qs.filter(condition)
        return qs

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            if obj is None:
                return True
            return self.visible(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()
        return is_secretariat(user)


class SecretariatWritesPolicy(PermissionPolicy):
    """Reading by a condition (a function of the user giving a Q, or None for all); every change by the
    secretariat; deleting by nobody."""

    def __init__(self, condition: Callable[[Any], Q | None]) -> None:
        self.condition = condition

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = self.condition(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if action == VIEW:
            if obj is None or is_secretariat(user):
                return True
            return self.visible(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()
        return is_secretariat(user)


class ReferenceDataPolicy(PermissionPolicy):
    """Reference data (countries, groups, framework): public to read, secretariat to change."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            return True
        return is_secretariat(user)


_POLICIES: dict[type[models.Model], PermissionPolicy] = {}
_DEFAULT = PermissionPolicy()


def register_policy(model: type[models.Model], policy: PermissionPolicy) -> None:
    _POLICIES[model] = policy


def policy_for(model: type[models.Model]) -> PermissionPolicy:
    return _POLICIES.get(model, _DEFAULT)


def visible(qs: QuerySet, user: Any) -> QuerySet:
    """Rows of `qs` that `user` may see, by the model's policy."""
    return policy_for(qs.model).visible(qs, user)


def can(user: Any, action: str, obj_or_model: models.Model | type[models.Model]) -> bool:
    """May `user` do `action` to the object (or, given a model class, to that kind of object)."""
    if isinstance(obj_or_model, type):
        return policy_for(obj_or_model).can(user, action, None)
    # __class__ rather than type(): a lazily loaded request.user is a SimpleLazyObject.
    return policy_for(obj_or_model.__class__).can(user, action, obj_or_model)


def require(user: Any, action: str, obj_or_model: models.Model | type[models.Model]) -> None:
    """Refuse (403) unless `user` may do `action` on the record or model."""
    if not can(user, action, obj_or_model):
        raise PermissionDenied


def get_visible_or_404(qs: QuerySet, user: Any, **lookup: Any) -> models.Model:
    """Fetch one row the user may see; missing and forbidden look the same."""
    try:
        return visible(qs, user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def access_fingerprint(user: Any) -> tuple:
    """What decides what `user` sees, as a cache-key part: who they are, their roles in force and groups.

    Two requests with the same fingerprint see the same rows of the same data, so a
    page part cached per data generation (core.cache) may be shared between them.
    """
    if not getattr(user, "is_authenticated", False):
        return ("anonymous",)
    known = getattr(user, "_access_fingerprint", None)
    if known is not None:  # one read of the groups per request (the user object lives as long as the request)
        return known
    roles = sorted(
        (a.role, a.country_id or "", a.scope_type or "", a.scope_id or 0) for a in getattr(user, "active_roles", ())
    )
    groups = sorted(user.groups.values_list("pk", flat=True))
    user._access_fingerprint = ("user", user.pk, user.is_superuser, tuple(roles), tuple(groups))
    return user._access_fingerprint
