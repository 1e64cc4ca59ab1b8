"""Who sees and changes accounts and role assignments.

Accounts hold personal data: the secretariat sees every account, a signed-in
person sees their own, the public sees none. Granting or changing the
platform-wide roles (secretariat, administrator) is for administrators only,
so that secretariat staff cannot raise their own rights.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet

from cleanasia.core.permissions import CHANGE, VIEW, PermissionPolicy, is_secretariat, register_policy

from .models import SECRETARIAT_ROLES, RoleAssignment, User

# Access to Django's admin site and to platform-wide role management.
ADMINISTER = "administer"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_administrator(user: Any) -> bool:
    """An administrator today (or a superuser)."""
    return _signed_in(user) and bool(getattr(user, "is_administrator", False))


class UserPolicy(PermissionPolicy):
    """Accounts: the secretariat sees all; a person sees and edits their own; the public sees none."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        if is_secretariat(user):
            return qs
        if _signed_in(user):
            return qs.filter(pk=user.pk)
        return qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == ADMINISTER:
            return is_administrator(user)
        if obj is not None and _signed_in(user) and obj.pk == user.pk and action in (VIEW, CHANGE):
            return True
        return is_secretariat(user)


class RoleAssignmentPolicy(PermissionPolicy):
    """Roles: the secretariat sees and manages them; a person sees their own.

    Assignments of the secretariat and administrator roles are managed by
    administrators only.
    """

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        if is_secretariat(user):
            return qs
        if _signed_in(user):
            return qs.filter(user=user)
        return qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == ADMINISTER:
            return is_administrator(user)
        if action == VIEW:
            if obj is not None and _signed_in(user) and obj.user_id == user.pk:  # type: ignore[attr-defined]
                return True
            return is_secretariat(user)
        if obj is not None and obj.role in SECRETARIAT_ROLES:  # type: ignore[attr-defined]
            return is_administrator(user)
        return is_secretariat(user)


register_policy(User, UserPolicy())
register_policy(RoleAssignment, RoleAssignmentPolicy())
