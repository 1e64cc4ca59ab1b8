"""Who sees and changes countries, groups, organisations and people."""

from typing import Any

from django.db import models
from django.db.models import QuerySet

from cleanasia.core.permissions import (
    VIEW,
    PermissionPolicy,
    ReferenceDataPolicy,
    is_secretariat,
    register_policy,
)

from .models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person


class PersonPolicy(PermissionPolicy):
    """People: by the record's visibility; a person always sees their own record."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        base = super().visible(qs, user)
        if getattr(user, "is_authenticated", False) and not is_secretariat(user):
            return base | qs.filter(user=user)
        return base

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            return super().can(user, action, obj)
        return is_secretariat(user)


def can_see_contact_details(user: Any, person: Person) -> bool:
    """Contact details are personal data: the secretariat and the person only."""
    return is_secretariat(user) or (getattr(user, "is_authenticated", False) and person.user_id == user.pk)


class AffiliationPolicy(PermissionPolicy):
    """Affiliations are seen with the person they belong to."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs.filter(person__in=PersonPolicy().visible(Person.objects.all(), user))


for _model in (Country, CountryGroup, GroupMembership, Organisation):
    register_policy(_model, ReferenceDataPolicy())
register_policy(Person, PersonPolicy())
register_policy(Affiliation, AffiliationPolicy())
