"""Who sees and who changes outcomes, their elements and the updates of action items.

- Outcome: the secretariat sees and changes all. Others see an outcome once it
  is adopted (never a draft), by its visibility level, and only when they may
  see its meeting.
- Element: visible with its outcome; the secretariat classifies it.
- Updates: a country focal point reports on the operational elements addressed
  to their country (all participating countries, the country by name, or the
  country as lead); the secretariat on any. Updates are read by signed-in
  users who see the element; the public sees the element's current status only.
- The change history of an element: the secretariat and focal points.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.permissions import (
    VIEW,
    VIEW_HISTORY,
    PermissionPolicy,
    is_secretariat,
    register_policy,
    visibility_filter,
    visible,
)

from ..models import Addressee, Element, ElementUpdate, Meeting, Outcome, OutcomeStatus

# Actions beyond the generic ones.
ADOPT = "adopt"
REPORT_UPDATE = "report_update"

# Action codes written by services/outcomes.py and services/followup.py.
OUTCOME_CREATED = "meetings.outcome.created"
OUTCOME_UPDATED = "meetings.outcome.updated"
OUTCOME_ADOPTED = "meetings.outcome.adopted"
OUTCOME_STATUS_CHANGED = "meetings.outcome.status_changed"
OUTCOME_AMENDED = "meetings.outcome.amended"
ELEMENT_CREATED = "meetings.element.created"
ELEMENT_TEXT_CHANGED = "meetings.element.text_changed"
ELEMENT_CLASSIFIED = "meetings.element.classified"
ELEMENT_STATUS_UPDATED = "meetings.element.status_updated"
ACTION_ITEM_CLOSED = "meetings.action_item.closed"
ACTION_ITEM_REOPENED = "meetings.action_item.reopened"
UPDATE_RECORDED = "meetings.element_update.recorded"

for _code, _label in (
    (OUTCOME_CREATED, _("Outcome created")),
    (OUTCOME_UPDATED, _("Outcome changed")),
    (OUTCOME_ADOPTED, _("Outcome adopted")),
    (OUTCOME_STATUS_CHANGED, _("Status of the outcome changed")),
    (OUTCOME_AMENDED, _("Outcome amended by a later outcome")),
    (ELEMENT_CREATED, _("Element created from the outcome's text")),
    (ELEMENT_TEXT_CHANGED, _("Element's text changed (draft outcome)")),
    (ELEMENT_CLASSIFIED, _("Element classified (addressees, due date, links)")),
    (ELEMENT_STATUS_UPDATED, _("Status of the element updated")),
    (ACTION_ITEM_CLOSED, _("Action item closed")),
    (ACTION_ITEM_REOPENED, _("Action item reopened")),
    (UPDATE_RECORDED, _("Update on an action item recorded")),
):
    register_action(_code, _label)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def user_countries(user: Any) -> set[str]:
    """ISO codes of the countries the user is a focal point for (empty when signed out)."""
    return set(getattr(user, "focal_point_countries", set()) or set()) if _signed_in(user) else set()


def outcome_filter(user: Any) -> Q | None:
    """The Q limiting outcomes to those `user` sees; None: all (the secretariat)."""
    if is_secretariat(user):
        return None
    condition = visibility_filter(user, Outcome)
    assert condition is not None
    meetings = visible(Meeting.objects.all(), user).values("pk")
    return condition & ~Q(status=OutcomeStatus.DRAFT) & Q(meeting__in=meetings)


def visible_outcome_ids(user: Any) -> QuerySet | None:
    """A subquery of the ids of the outcomes `user` sees; None: all."""
    condition = outcome_filter(user)
    return None if condition is None else Outcome.objects.filter(condition).values("pk")


def addressed_to(countries: set[str] | list[str], prefix: str = "") -> Q:
    """Elements (through `prefix`) addressed to any of `countries`.

    Addressed: to all participating countries (the countries invited to the
    outcome's meeting), to the country by name, or with the country as lead.
    Subqueries rather than joins, so rows are never repeated.
    """
    p = prefix
    invited = Meeting.invited_countries.through.objects.filter(country_id__in=countries).values("meeting_id")
    named = Element.addressed_countries.through.objects.filter(country_id__in=countries).values("element_id")
    return (
        Q(**{f"{p}addressee": Addressee.ALL_PARTICIPANTS, f"{p}outcome__meeting__in": invited})
        | Q(**{f"{p}pk__in": named})
        | Q(**{f"{p}lead_country__in": countries})
    )


def is_addressed_to(element: Element, country: str) -> bool:
    """Whether `element` is addressed to `country` (see `addressed_to`)."""
    if element.lead_country_id == country:
        return True
    if element.addressee == Addressee.ALL_PARTICIPANTS:
        return element.outcome.meeting.invited_countries.filter(pk=country).exists()
    return element.addressed_countries.filter(pk=country).exists()


class OutcomePolicy(PermissionPolicy):
    """Outcomes: the secretariat writes; others read adopted ones they may see."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = outcome_filter(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return True
            return self.visible(Outcome.objects.filter(pk=obj.pk), user).exists()
        return False


class ElementPolicy(PermissionPolicy):
    """Elements follow their outcome; focal points report on those addressed to their country."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        ids = visible_outcome_ids(user)
        return qs if ids is None else qs.filter(outcome__in=ids)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return True
            return self.visible(Element.objects.filter(pk=obj.pk), user).exists()
        if action == VIEW_HISTORY:
            return bool(user_countries(user)) and (obj is None or self.can(user, VIEW, obj))
        if action == REPORT_UPDATE:
            countries = user_countries(user)
            if not countries:
                return False
            if obj is None:
                return True
            return (
                isinstance(obj, Element)
                and obj.is_operational
                and self.can(user, VIEW, obj)
                and any(is_addressed_to(obj, country) for country in countries)
            )
        return False


class ElementUpdatePolicy(PermissionPolicy):
    """Updates: signed-in readers of the element; written by focal points (their country) and the secretariat."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        if is_secretariat(user):
            return qs
        if not _signed_in(user):
            return qs.none()
        ids = visible_outcome_ids(user)
        return qs if ids is None else qs.filter(element__outcome__in=ids)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return _signed_in(user)
            return self.visible(ElementUpdate.objects.filter(pk=obj.pk), user).exists()
        if action == "add" and obj is None:
            # Whether this focal point may report on *that* element is asked of the element.
            return bool(user_countries(user))
        return False


register_policy(Outcome, OutcomePolicy())
register_policy(Element, ElementPolicy())
register_policy(ElementUpdate, ElementUpdatePolicy())
