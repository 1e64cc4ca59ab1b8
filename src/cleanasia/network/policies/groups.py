"""Who sees and changes fields, working groups, their members and work plans, and the action codes of their
services.

- Field: reference data: everyone reads the list; the secretariat edits it.
- WorkingGroup: the secretariat sees all and is the only one to create or
  change. A group's current members (people whose account is the user, with a
  term covering today, any role) see it whatever its level, and its workspace
  (members, work plan, annual reports); everyone else sees the group by its
  visibility level, and of it only what the group publishes.
- WorkingGroupMember: the secretariat; the current members of the group; the
  person themself (their own terms, past ones too); others see the current
  terms of a visible group that publishes its members (names, country and
  role only: contact details stay on the person, behind its own policy).
- WorkPlanItem: the secretariat; the group's current members; others when the
  group is visible to them and publishes its work plan. The secretariat adds,
  edits, orders and links items to measures; the group's current chair and
  co-chairs also set an item's status (they lead the plan; its content, order
  and links are agreed with the secretariat). Ordinary members and observers read.
- Nothing here is deleted: a term ends, an item is dropped, a group is closed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
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

from ..models import Field, GroupRole, WorkingGroup, WorkingGroupMember, WorkPlanItem
from .common import current_group_ids, is_current_member, signed_in, term_covers

# Actions beyond the generic ones.
VIEW_WORKSPACE = "view_workspace"
SET_STATUS = "set_status"

# Roles that lead a group's work plan (and may set its items' status).
LEADING_ROLES = (GroupRole.CHAIR, GroupRole.CO_CHAIR)

# Action codes written by services/groups.py.
FIELD_CREATED = "network.field.created"
FIELD_UPDATED = "network.field.updated"
FIELD_MOVED = "network.field.moved"
GROUP_CREATED = "network.group.created"
GROUP_UPDATED = "network.group.updated"
MEMBER_ADDED = "network.member.added"
MEMBER_UPDATED = "network.member.updated"
MEMBER_ENDED = "network.member.ended"
WORK_PLAN_ITEM_CREATED = "network.work_plan_item.created"
WORK_PLAN_ITEM_UPDATED = "network.work_plan_item.updated"
WORK_PLAN_ITEM_STATUS_SET = "network.work_plan_item.status_set"
WORK_PLAN_ITEM_MOVED = "network.work_plan_item.moved"

for _code, _label in (
    (FIELD_CREATED, _("Field created")),
    (FIELD_UPDATED, _("Field changed")),
    (FIELD_MOVED, _("Field moved in the list")),
    (GROUP_CREATED, _("Working group created")),
    (GROUP_UPDATED, _("Working group changed")),
    (MEMBER_ADDED, _("Member added to a working group")),
    (MEMBER_UPDATED, _("Working group membership corrected")),
    (MEMBER_ENDED, _("Working group membership ended")),
    (WORK_PLAN_ITEM_CREATED, _("Work plan item added")),
    (WORK_PLAN_ITEM_UPDATED, _("Work plan item changed")),
    (WORK_PLAN_ITEM_STATUS_SET, _("Status of a work plan item set")),
    (WORK_PLAN_ITEM_MOVED, _("Work plan item moved")),
):
    register_action(_code, _label)


def group_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting groups (or rows under a group, through `prefix`) to those `user` sees; None: all."""
    if is_secretariat(user):
        return None
    condition = visibility_filter(user, WorkingGroup)
    assert condition is not None
    if signed_in(user):
        condition |= Q(pk__in=current_group_ids(user))
    if not prefix:
        return condition
    return Q(**{f"{prefix}__in": WorkingGroup.objects.filter(condition).values("pk")})


def published_filter(user: Any, switch: str, prefix: str = "group") -> Q | None:
    """Rows under a group that `user` sees: all for the secretariat; the rows of their own groups; the rows
    of groups visible to them that publish this part (`switch`, e.g. "publishes_work_plan")."""
    if is_secretariat(user):
        return None
    visible_condition = visibility_filter(user, WorkingGroup)
    assert visible_condition is not None
    publishing = WorkingGroup.objects.filter(visible_condition, **{switch: True}).values("pk")
    condition = Q(**{f"{prefix}__in": publishing})
    if signed_in(user):
        condition |= Q(**{f"{prefix}__in": current_group_ids(user)})
    return condition


class FieldPolicy(PermissionPolicy):
    """The list of fields: read by everyone (the public pages name them), edited by the secretariat."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if action == VIEW:
            return True
        return is_secretariat(user)


class WorkingGroupPolicy(PermissionPolicy):
    """Groups by their level, and their own groups to current members; the workspace to members only."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = group_filter(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return True
            return self.visible(WorkingGroup.objects.filter(pk=obj.pk), user).exists()
        if action == VIEW_WORKSPACE:
            return obj is not None and is_current_member(user, obj)
        return False


class WorkingGroupMemberPolicy(PermissionPolicy):
    """Memberships: the secretariat, the group's current members, the person; published current terms."""

    def _condition(self, user: Any) -> Q | None:
        if is_secretariat(user):
            return None
        published = published_filter(user, "publishes_members") & term_covers(timezone.localdate())
        if not signed_in(user):
            return published
        return published | Q(group__in=current_group_ids(user)) | Q(person__user=user)

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = self._condition(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if action == VIEW:
            if obj is None or is_secretariat(user):
                return True
            return self.visible(WorkingGroupMember.objects.filter(pk=obj.pk), user).exists()
        return is_secretariat(user)


class WorkPlanItemPolicy(PermissionPolicy):
    """Work plans: the secretariat writes; the group's chair and co-chairs set an item's status."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = published_filter(user, "publishes_work_plan")
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return True
            return self.visible(WorkPlanItem.objects.filter(pk=obj.pk), user).exists()
        if action == SET_STATUS:
            return isinstance(obj, WorkPlanItem) and is_current_member(user, obj.group_id, roles=LEADING_ROLES)
        return False


register_policy(Field, FieldPolicy())
register_policy(WorkingGroup, WorkingGroupPolicy())
register_policy(WorkingGroupMember, WorkingGroupMemberPolicy())
register_policy(WorkPlanItem, WorkPlanItemPolicy())
