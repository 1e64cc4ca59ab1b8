"""Who sees and changes meeting series, meetings and agendas, and the action codes of their services.

- Meeting: by its visibility level (public meetings are seen by everyone);
  besides, a country focal point sees the meetings their country is invited
  to and a delegate the meetings their delegation attends, whatever the level.
  The secretariat sees all and is the only one to create or change.
- MeetingSeries: by its visibility level, and a series whose meeting the user
  sees through their country or delegation (so the meeting page can name it).
- AgendaItem: seen with its meeting; changed by the secretariat.
- Nothing here is ever deleted: a postponed or cancelled meeting keeps its record.
- CalendarFeedToken: a user's own, for no one else (not even the secretariat).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.permissions import (
    DELETE,
    PermissionPolicy,
    SecretariatWritesPolicy,
    is_secretariat,
    register_policy,
    visibility_filter,
)

from ..models import AgendaItem, CalendarFeedToken, DelegationState, Meeting, MeetingSeries, Participant

SERIES_CREATED = "meetings.series.created"
SERIES_UPDATED = "meetings.series.updated"
SERIES_LOADED = "meetings.series.loaded"
MEETING_CREATED = "meetings.meeting.created"
MEETING_UPDATED = "meetings.meeting.updated"
MEETING_STATUS_SET = "meetings.meeting.status_set"
MEETING_RESCHEDULED = "meetings.meeting.rescheduled"
MEETING_LOADED = "meetings.meeting.loaded"
AGENDA_ITEM_CREATED = "meetings.agenda_item.created"
AGENDA_ITEM_UPDATED = "meetings.agenda_item.updated"
AGENDA_ITEM_MOVED = "meetings.agenda_item.moved"

for _code, _label in (
    (SERIES_CREATED, _("Meeting series created")),
    (SERIES_UPDATED, _("Meeting series changed")),
    (SERIES_LOADED, _("Meeting series loaded from reference data")),
    (MEETING_CREATED, _("Meeting created")),
    (MEETING_UPDATED, _("Meeting changed")),
    (MEETING_STATUS_SET, _("Meeting status changed")),
    (MEETING_RESCHEDULED, _("Meeting rescheduled")),
    (MEETING_LOADED, _("Meeting loaded from reference data")),
    (AGENDA_ITEM_CREATED, _("Agenda item added")),
    (AGENDA_ITEM_UPDATED, _("Agenda item changed")),
    (AGENDA_ITEM_MOVED, _("Agenda item moved")),
):
    register_action(_code, _label)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _own_meetings(user: Any) -> Q | None:
    """Meetings the user sees whatever their level: their country's invitations, their delegations."""
    if not _signed_in(user):
        return None
    condition = Q(
        pk__in=Participant.objects.filter(user=user)
        .exclude(delegation__state=DelegationState.WITHDRAWN)
        .values("delegation__meeting_id")
    )
    countries = set(getattr(user, "focal_point_countries", set()))
    if countries:
        invited = Meeting.invited_countries.through.objects.filter(country_id__in=countries).values("meeting_id")
        condition |= Q(pk__in=invited)
    return condition


def meeting_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting meetings (or rows under a meeting, through `prefix`) to what `user` sees; None: all."""
    if is_secretariat(user):
        return None
    condition = visibility_filter(user, Meeting)
    assert condition is not None
    own = _own_meetings(user)
    if own is not None:
        condition |= own
    if not prefix:
        return condition
    return Q(**{f"{prefix}__in": Meeting.objects.filter(condition).values("pk")})


def series_filter(user: Any) -> Q | None:
    if is_secretariat(user):
        return None
    condition = visibility_filter(user, MeetingSeries)
    assert condition is not None
    own = _own_meetings(user)
    if own is not None:
        condition |= Q(pk__in=Meeting.objects.filter(own).values("series_id"))
    return condition


def agenda_item_filter(user: Any) -> Q | None:
    """An agenda item is seen with its meeting."""
    return meeting_filter(user, "meeting")


class CalendarFeedTokenPolicy(PermissionPolicy):
    """A feed token is its user's secret: only they see it or reset it."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs.filter(user=user) if _signed_in(user) else qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if not _signed_in(user) or action == DELETE:
            return False
        return obj is None or getattr(obj, "user_id", None) == user.pk


register_policy(Meeting, SecretariatWritesPolicy(meeting_filter))
register_policy(MeetingSeries, SecretariatWritesPolicy(series_filter))
register_policy(AgendaItem, SecretariatWritesPolicy(agenda_item_filter))
register_policy(CalendarFeedToken, CalendarFeedTokenPolicy())
