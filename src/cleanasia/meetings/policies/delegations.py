"""Who sees and changes invitations, delegations and participants (see core.permissions).

- Delegation: the secretariat sees and decides all; a country's focal point
  sees and registers their country's delegation; a participant sees the
  delegation they belong to; everyone sees the approved delegations of the
  meetings they may see (which countries attend is not personal data).
- Participant: the secretariat; the focal point of the delegation's country;
  the person themselves (Participant.user). Anyone else sees only the people
  who consented to public listing, in approved delegations of PUBLIC
  meetings, and of them only the name and the organisation.
- Personal data (contact, dietary and access needs, consents): action
  VIEW_PERSONAL, for the secretariat, the person and their country's focal
  point (who entered it and keeps it up to date).
- Invitation: the secretariat; the invitee (by e-mail address) sees their own.
- Reminder rules and the record of notices sent: the secretariat only.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import (
    VIEW,
    PermissionPolicy,
    focal_countries,
    is_secretariat,
    register_policy,
    signed_in,
    visible,
)

from ..models import Delegation, DelegationState, Invitation, Meeting, NoticeSent, Participant, ReminderRule

REGISTER = "register"  # create, fill in and submit a delegation's registration
DECIDE = "decide"  # approve or return a submitted registration
INVITE = "invite"
ACCEPT = "accept"
VIEW_PERSONAL = "view_personal_data"

# Action codes written on history rows, with their labels (translated when displayed).
DELEGATION_CREATED = "meetings.delegation.created"
DELEGATION_PARTICIPANTS_SAVED = "meetings.delegation.participants_saved"
DELEGATION_SUBMITTED = "meetings.delegation.submitted"
DELEGATION_APPROVED = "meetings.delegation.approved"
DELEGATION_RETURNED = "meetings.delegation.returned"
PARTICIPANT_ADDED = "meetings.participant.added"
PARTICIPANT_CHANGED = "meetings.participant.changed"
PARTICIPANT_REMOVED = "meetings.participant.removed"

register_action(DELEGATION_CREATED, _("Delegation registration started"))
register_action(DELEGATION_PARTICIPANTS_SAVED, _("Delegation's participants saved"))
register_action(DELEGATION_SUBMITTED, _("Delegation submitted to the secretariat"))
register_action(DELEGATION_APPROVED, _("Delegation approved"))
register_action(DELEGATION_RETURNED, _("Delegation returned for changes"))
register_action(PARTICIPANT_ADDED, _("Participant added"))
register_action(PARTICIPANT_CHANGED, _("Participant changed"))
register_action(PARTICIPANT_REMOVED, _("Participant removed"))


def public_listing_q(prefix: str = "") -> Q:
    """Participants anyone may see (name and organisation): consenting, approved, public meeting, not purged."""
    return Q(
        **{
            f"{prefix}consent_public_listing": True,
            f"{prefix}purged_at__isnull": True,
            f"{prefix}delegation__state": DelegationState.APPROVED,
            f"{prefix}delegation__meeting__visibility": Visibility.PUBLIC,
        }
    )


def _exists(policy: PermissionPolicy, obj: models.Model, user: Any) -> bool:
    return policy.visible(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()


class DelegationPolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        if is_secretariat(user):
            return qs
        meetings = visible(Meeting.objects.all(), user).values("pk")
        condition = Q(state=DelegationState.APPROVED, meeting__in=meetings)
        countries = focal_countries(user)
        if countries:
            condition |= Q(country_id__in=countries)
        if signed_in(user):
            condition |= Q(pk__in=Participant.objects.filter(user=user).values("delegation_id"))
        return qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            return obj is None or _exists(self, obj, user)
        if action in (REGISTER, "add", "change"):
            countries = focal_countries(user)
            if obj is None:
                return bool(countries)
            return isinstance(obj, Delegation) and obj.country_id is not None and obj.country_id in countries
        return False


class ParticipantPolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        if is_secretariat(user):
            return qs
        condition = public_listing_q()
        countries = focal_countries(user)
        if countries:
            condition |= Q(delegation__country_id__in=countries)
        if signed_in(user):
            condition |= Q(user=user)
        return qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            return obj is None or _exists(self, obj, user)
        countries = focal_countries(user)
        if obj is None:
            return action in ("add", "change", "delete") and bool(countries)
        # Read without a query when the delegation was selected with the participant.
        in_own_country = obj.delegation.country_id is not None and obj.delegation.country_id in countries
        if action == VIEW_PERSONAL:
            return in_own_country or (signed_in(user) and obj.user_id == user.pk)
        if action in ("add", "change", "delete"):
            return in_own_country
        return False


class InvitationPolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        if is_secretariat(user):
            return qs
        if not signed_in(user):
            return qs.none()
        return qs.filter(email__iexact=user.email)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user) and action != ACCEPT:
            return True
        if action == ACCEPT:
            return isinstance(obj, Invitation) and signed_in(user) and obj.email.lower() == user.email.lower()
        if action == VIEW:
            return signed_in(user) and (obj is None or _exists(self, obj, user))
        return False


class SecretariatOnlyPolicy(PermissionPolicy):
    """Records of the notices machinery: nobody but the secretariat needs them."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs if is_secretariat(user) else qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        return is_secretariat(user)


register_policy(Delegation, DelegationPolicy())
register_policy(Participant, ParticipantPolicy())
register_policy(Invitation, InvitationPolicy())
register_policy(ReminderRule, SecretariatOnlyPolicy())
register_policy(NoticeSent, SecretariatOnlyPolicy())
