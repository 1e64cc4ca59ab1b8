"""Who sees and changes the expert directory; the action codes of its services.

- ExpertProfile: anyone, the public included, sees the accepted experts who
  consented to a public listing. Signed-in members also see accepted experts
  whose visibility level admits them. A focal point sees every expert of their
  country (they nominate them), whatever the state; a person sees their own
  profile. The secretariat sees all.
- Contact details (the person's e-mail address and telephone; action
  VIEW_CONTACT) are never public: the secretariat, the person and the focal
  points of the expert's country only, whatever else the reader may see.
- Nominating: a focal point (for their country) or the secretariat. Accepting,
  declining and merging duplicates: the secretariat. Changing a profile: the
  secretariat, the person, the focal points of the expert's country. The
  consent to a public listing: the person or the secretariat (who records a
  consent given on paper).
- Publication: seen with its expert; changed by whoever changes the expert.
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
    is_secretariat,
    register_policy,
    visibility_filter,
)

from ..models import ExpertProfile, NominationState, Publication
from .common import focal_countries, signed_in

# Actions beyond the generic ones.
NOMINATE = "nominate"
DECIDE = "decide"  # accept or decline a nomination
MERGE = "merge"
SET_CONSENT = "set_consent"
VIEW_CONTACT = "view_contact_details"

# Action codes written by services/experts.py.
EXPERT_NOMINATED = "network.expert.nominated"
EXPERT_UPDATED = "network.expert.updated"
EXPERT_ACCEPTED = "network.expert.accepted"
EXPERT_DECLINED = "network.expert.declined"
EXPERT_CONSENT_GIVEN = "network.expert.consent_given"
EXPERT_CONSENT_WITHDRAWN = "network.expert.consent_withdrawn"
EXPERT_MERGED = "network.expert.merged"  # the kept record and what was moved onto it
EXPERT_MERGED_AWAY = "network.expert.merged_away"  # the record merged into another
PUBLICATION_ADDED = "network.publication.added"
PUBLICATION_UPDATED = "network.publication.updated"

for _code, _label in (
    (EXPERT_NOMINATED, _("Expert nominated")),
    (EXPERT_UPDATED, _("Expert profile changed")),
    (EXPERT_ACCEPTED, _("Expert accepted by the secretariat")),
    (EXPERT_DECLINED, _("Expert nomination declined by the secretariat")),
    (EXPERT_CONSENT_GIVEN, _("Consent to a public listing recorded")),
    (EXPERT_CONSENT_WITHDRAWN, _("Public listing withdrawn by the expert")),
    (EXPERT_MERGED, _("Duplicate expert record merged into this one")),
    (EXPERT_MERGED_AWAY, _("Merged into another expert record (a duplicate)")),
    (PUBLICATION_ADDED, _("Publication added")),
    (PUBLICATION_UPDATED, _("Publication changed")),
):
    register_action(_code, _label)


def public_listing_q(prefix: str = "") -> Q:
    """Experts anyone may see: accepted, and consenting to a public listing."""
    return Q(**{f"{prefix}state": NominationState.ACCEPTED, f"{prefix}listed_publicly": True})


def is_own(user: Any, expert: ExpertProfile) -> bool:
    return signed_in(user) and expert.person.user_id is not None and expert.person.user_id == user.pk


def is_focal_point_for(user: Any, expert: ExpertProfile) -> bool:
    country = expert.person.country_id
    return country is not None and country in focal_countries(user)


def expert_filter(user: Any) -> Q | None:
    """The Q limiting experts to those `user` sees (None: all, the secretariat)."""
    if is_secretariat(user):
        return None
    condition = public_listing_q()
    if signed_in(user):
        members = visibility_filter(user, ExpertProfile)
        assert members is not None
        condition |= Q(state=NominationState.ACCEPTED) & members
        condition |= Q(person__user=user)
        countries = focal_countries(user)
        if countries:
            condition |= Q(person__country_id__in=countries)
    return condition


class ExpertPolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = expert_filter(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            return obj is None or self.visible(ExpertProfile.objects.filter(pk=obj.pk), user).exists()
        if action in (NOMINATE, ADD):
            if isinstance(obj, ExpertProfile):
                return is_focal_point_for(user, obj)
            return bool(focal_countries(user))
        if not isinstance(obj, ExpertProfile):
            return False
        # Read without a query when the person was selected with the profile.
        if action in (CHANGE, VIEW_CONTACT):
            return is_own(user, obj) or is_focal_point_for(user, obj)
        if action == SET_CONSENT:
            return is_own(user, obj)
        return False


class PublicationPolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = expert_filter(user)
        if condition is None:
            return qs
        return qs.filter(expert__in=ExpertProfile.objects.filter(condition).values("pk"))

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            return obj is None or self.visible(Publication.objects.filter(pk=obj.pk), user).exists()
        if isinstance(obj, Publication) and action in (ADD, CHANGE, DELETE):
            return ExpertPolicy().can(user, CHANGE, obj.expert)
        return False


register_policy(ExpertProfile, ExpertPolicy())
register_policy(Publication, PublicationPolicy())
