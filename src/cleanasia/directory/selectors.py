"""Reads of countries, groups, organisations and people.

Countries, groups and organisations are public reference data; people are read
through the person policy (`core.permissions.visible`), so a list never shows a
person the reader may not see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from cleanasia.core.permissions import visible

from .models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person


def country_group_members_on(*, group_code: str, day: dt.date) -> QuerySet[Country]:
    """The countries that were members of the group `group_code` on `day` (empty for an unknown group).

    For example, the East Asia Summit on 2009-10-01 had 16 members; on
    2012-01-01, with the United States and Russia, 18.
    """
    memberships = GroupMembership.objects.active_on(day).filter(group__code=group_code)
    return Country.objects.filter(pk__in=memberships.values("country_id")).order_by("name_en")


def country_groups_of(*, country: Country | str, day: dt.date) -> QuerySet[CountryGroup]:
    """The groups `country` (an object or an ISO code) belonged to on `day`."""
    code = country if isinstance(country, str) else country.pk
    memberships = GroupMembership.objects.active_on(day).filter(country_id=code)
    return CountryGroup.objects.filter(pk__in=memberships.values("group_id"))


def country_group_history(*, group_code: str) -> QuerySet[GroupMembership]:
    """Every membership of a group, oldest first: who joined (and left) when, with sources."""
    return (
        GroupMembership.objects.filter(group__code=group_code)
        .select_related("country", "group")
        .order_by("joined_on", "country__name_en")
    )


def organisation_list(*, country: str | None = None, query: str = "", include_demo: bool = True) -> QuerySet:
    """Organisations, optionally of one country and matching `query` in a name, acronym or alternative name."""
    qs = Organisation.objects.select_related("country", "parent")
    if country:
        qs = qs.filter(country_id=country)
    if query:
        qs = qs.filter(
            Q(name_ja__icontains=query)
            | Q(name_en__icontains=query)
            | Q(acronym__iexact=query)
            # JSON lists are matched as text: good enough for "other spellings" search on both databases.
            | Q(alternative_names__icontains=query)
        )
    if not include_demo:
        qs = qs.filter(is_demo=False)
    return qs


def organisation_units(*, organisation: Organisation) -> list[Organisation]:
    """The chain from the top organisation down to `organisation` (e.g. ministry, bureau, office)."""
    chain = []
    node: Organisation | None = organisation
    while node is not None and node not in chain:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def person_list_for(*, user: Any, country: str | None = None, query: str = "") -> QuerySet[Person]:
    """People `user` may see, optionally of one country and matching `query` in a name."""
    qs = visible(Person.objects.select_related("country"), user)
    if country:
        qs = qs.filter(country_id=country)
    if query:
        qs = qs.filter(Q(name_ja__icontains=query) | Q(name_en__icontains=query))
    return qs


def affiliations_for(*, user: Any, person: Person) -> QuerySet[Affiliation]:
    """A person's affiliations, newest first, if `user` may see the person."""
    return visible(Affiliation.objects.filter(person=person), user).select_related("organisation")
