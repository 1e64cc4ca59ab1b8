"""Countries, groups, organisations and people in Django's admin site (the administrators' fallback).

Day-to-day work belongs in the platform's own pages, which call the services.
Changes made here still leave a history row with who made them and an
`...changed_in_admin` action code, raise the record's version (so an edit
started elsewhere from the old version is refused), and obey the same rules
as the services (no overlapping memberships, no organisation under itself).
Countries follow pycountry and are read-only here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from cleanasia.core import permissions
from cleanasia.core.audit import register_action
from cleanasia.core.history import mark_action

from . import services
from .models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person


class PolicyAdmin(SimpleHistoryAdmin):
    """Admin permissions from the model's permission policy; saves marked in the history and versioned."""

    action_prefix = ""

    def has_module_permission(self, request: Any) -> bool:
        return permissions.can(request.user, permissions.CHANGE, self.model)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.VIEW, obj if obj is not None else self.model)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.ADD, self.model)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.CHANGE, obj if obj is not None else self.model)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.DELETE, obj if obj is not None else self.model)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        mark_action(obj, f"{self.action_prefix}.{'changed' if change else 'created'}_in_admin", actor=request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request: Any, obj: Any) -> None:
        mark_action(obj, f"{self.action_prefix}.deleted_in_admin", actor=request.user)
        super().delete_model(request, obj)


class TranslatedPolicyAdmin(PolicyAdmin, TranslationAdmin):
    """PolicyAdmin for a model with ja/en fields (modeltranslation)."""


@admin.register(Country)
class CountryAdmin(TranslationAdmin):
    """Read-only: countries are ISO 3166-1 as pycountry has it (`cleanasia load_reference`)."""

    list_display = ("code", "name_en", "name_ja", "alpha3", "numeric")
    search_fields = ("code", "alpha3", "name_en", "name_ja", "official_name")
    ordering = ("name_en",)

    def has_module_permission(self, request: Any) -> bool:
        return permissions.can(request.user, permissions.CHANGE, Country)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.CHANGE, Country)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class GroupMembershipForm(forms.ModelForm):
    class Meta:
        model = GroupMembership
        fields = ("group", "country", "joined_on", "left_on", "note", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if all(data.get(name) for name in ("group", "country", "joined_on")):
            try:
                services.group_membership_check(
                    group=data["group"],
                    country=data["country"],
                    joined_on=data["joined_on"],
                    left_on=data.get("left_on"),
                    exclude_pk=self.instance.pk,
                )
            except ValidationError as exc:
                self.add_error(None, exc)  # the messages are keyed by field: shown beside joined_on / left_on
        return data


@admin.register(GroupMembership)
class GroupMembershipAdmin(PolicyAdmin):
    action_prefix = "directory.membership"
    form = GroupMembershipForm
    list_display = ("group", "country", "joined_on", "left_on", "note", "is_demo")
    list_filter = ("group", "is_demo")
    search_fields = ("country__name_en", "country__name_ja", "country__code", "note")
    autocomplete_fields = ("country",)
    date_hierarchy = "joined_on"


class GroupMembershipInline(admin.TabularInline):
    """Read-only list of a group's memberships; they are added and corrected on their own page."""

    model = GroupMembership
    fields = ("country", "joined_on", "left_on", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(CountryGroup)
class CountryGroupAdmin(TranslatedPolicyAdmin):
    action_prefix = "directory.group"
    list_display = ("code", "name", "is_demo")
    search_fields = ("code", "name_ja", "name_en")
    inlines = [GroupMembershipInline]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        # `website` is built by the admin (formfield_overrides below, with an https default scheme).
        fields = ("name", "acronym", "kind", "country", "parent", "alternative_names", "source")

    def clean_parent(self) -> Organisation | None:
        parent = self.cleaned_data.get("parent")
        try:
            services.organisation_parent_check(organisation=self.instance if self.instance.pk else None, parent=parent)
        except ValidationError as exc:
            raise ValidationError(exc.error_dict["parent"]) from exc
        return parent


@admin.register(Organisation)
class OrganisationAdmin(TranslatedPolicyAdmin):
    action_prefix = "directory.organisation"
    form = OrganisationForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "acronym", "kind", "country", "parent", "is_demo")
    list_filter = ("kind", "is_demo", "country")
    search_fields = ("name_ja", "name_en", "acronym")
    autocomplete_fields = ("country", "parent")
    readonly_fields = ("is_demo", "version")


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fields = ("organisation", "position", "started_on", "ended_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(TranslatedPolicyAdmin):
    action_prefix = "directory.person"
    list_display = ("name", "country", "visibility", "is_demo")
    list_filter = ("visibility", "is_demo", "country")
    search_fields = ("name_ja", "name_en", "family_name", "given_name", "email")
    autocomplete_fields = ("country", "user")
    filter_horizontal = ("audience_groups",)
    readonly_fields = ("is_demo", "version")
    inlines = [AffiliationInline]


@admin.register(Affiliation)
class AffiliationAdmin(TranslatedPolicyAdmin):
    action_prefix = "directory.affiliation"
    list_display = ("person", "organisation", "position", "started_on", "ended_on", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("person__name_en", "person__name_ja", "organisation__name_en", "organisation__name_ja")
    autocomplete_fields = ("person", "organisation")
    readonly_fields = ("is_demo", "version")


# Labels of the admin's action codes (literal strings, so that each is translated when displayed).
for _code, _label in (
    ("directory.membership.created_in_admin", _("Group membership created in the administration")),
    ("directory.membership.changed_in_admin", _("Group membership changed in the administration")),
    ("directory.membership.deleted_in_admin", _("Group membership deleted in the administration")),
    ("directory.group.created_in_admin", _("Country group created in the administration")),
    ("directory.group.changed_in_admin", _("Country group changed in the administration")),
    ("directory.group.deleted_in_admin", _("Country group deleted in the administration")),
    ("directory.organisation.created_in_admin", _("Organisation created in the administration")),
    ("directory.organisation.changed_in_admin", _("Organisation changed in the administration")),
    ("directory.organisation.deleted_in_admin", _("Organisation deleted in the administration")),
    ("directory.person.created_in_admin", _("Person created in the administration")),
    ("directory.person.changed_in_admin", _("Person changed in the administration")),
    ("directory.person.deleted_in_admin", _("Person deleted in the administration")),
    ("directory.affiliation.created_in_admin", _("Affiliation created in the administration")),
    ("directory.affiliation.changed_in_admin", _("Affiliation changed in the administration")),
    ("directory.affiliation.deleted_in_admin", _("Affiliation deleted in the administration")),
):
    register_action(_code, _label)
