"""What the network's policies ask of a user, whatever the area: signed in, focal point for which countries,
member of which working groups today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cleanasia.core.permissions import focal_countries, signed_in

from ..models import WorkingGroup, WorkingGroupMember

__all__ = ["current_group_ids", "focal_countries", "signed_in", "term_covers"]


def term_covers(day: dt.date, prefix: str = "") -> Q:
    """The Q of membership terms running on `day` (started, and not ended before it)."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": day})
    )


def current_group_ids(user: Any, *, roles: tuple[str, ...] = (), day: dt.date | None = None) -> QuerySet:
    """Ids (a subquery) of the groups `user` is a current member of (with one of `roles`, when given)."""
    if not signed_in(user):
        return WorkingGroupMember.objects.none().values("group_id")
    terms = WorkingGroupMember.objects.filter(term_covers(day or timezone.localdate()), person__user=user)
    if roles:
        terms = terms.filter(role__in=roles)
    return terms.values("group_id")


def is_current_member(user: Any, group: WorkingGroup | int, *, roles: tuple[str, ...] = ()) -> bool:
    group_id = getattr(group, "pk", group)
    return signed_in(user) and current_group_ids(user, roles=roles).filter(group_id=group_id).exists()
