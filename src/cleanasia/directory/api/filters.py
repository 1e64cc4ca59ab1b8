"""Query parameters of the directory endpoints."""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cleanasia.core.permissions import visible
from cleanasia.directory.models import CountryGroup, GroupMembership, Organisation, OrganisationKind, Person


def _visible_groups(request) -> QuerySet:
    return visible(CountryGroup.objects.all(), getattr(request, "user", None))


class _CountryFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("on") and not data.get("group"):
            self.add_error("on", _("Give a group (group=...) with the date."))
        return data


@extend_schema_field(OpenApiTypes.STR)
class GroupCodeFilter(django_filters.ModelChoiceFilter):
    """A country group named by its code (`eas`, `asean`)."""


class CountryFilterSet(django_filters.FilterSet):
    """`group` (a group code) with an optional `on` date: the members of the group on that date."""

    group = GroupCodeFilter(
        queryset=_visible_groups,
        to_field_name="code",
        method="filter_membership",
        label=_("Members of the group with this code (on the date given by 'on', else today)."),
    )
    on = django_filters.DateFilter(method="filter_membership", label=_("Membership date (YYYY-MM-DD), with 'group'."))

    class Meta:
        form = _CountryFilterForm
        fields: list[str] = []

    def filter_membership(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Both parameters are applied together in filter_queryset.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        group = self.form.cleaned_data.get("group")
        if group is None:
            return queryset
        day = self.form.cleaned_data.get("on") or timezone.localdate()
        members = GroupMembership.objects.active_on(day).filter(group=group).values("country_id")
        return queryset.filter(pk__in=members)


def text_search(queryset: QuerySet, value: str, fields: list[str], json_fields: list[str] = ()) -> QuerySet:
    """Rows where every word of `value` is found in one of `fields` (case-insensitive).

    JSON lists are matched as their text, which is stored unescaped
    (core.json.UnicodeJSONEncoder), so Japanese words are found there too.
    """
    conditions = []
    for word in value.split():
        alternatives = [Q(**{f"{name}__icontains": word}) for name in [*fields, *json_fields]]
        conditions.append(reduce(or_, alternatives))
    return queryset.filter(reduce(and_, conditions)) if conditions else queryset


class OrganisationFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Words found in a name, the acronym or an alternative name.")
    )
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    country = django_filters.CharFilter(method="filter_country", label=_("ISO 3166-1 alpha-2 code."))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Id of the parent organisation."))
    is_demo = django_filters.BooleanFilter()

    class Meta:
        model = Organisation
        fields = ["search", "kind", "country", "parent", "is_demo"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return text_search(queryset, value, ["name_ja", "name_en", "acronym"], ["alternative_names"])

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country_id=value.upper())


class PersonFilterSet(django_filters.FilterSet):
    country = django_filters.CharFilter(method="filter_country", label=_("ISO 3166-1 alpha-2 code."))
    is_demo = django_filters.BooleanFilter()

    class Meta:
        model = Person
        fields = ["country", "is_demo"]

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country_id=value.upper())
