"""Accounts in Django's admin site: for administrators only.

Day-to-day account work belongs in the platform's own pages and commands; the
admin site is the administrators' fallback. Changes made here are still marked
in the change history with who made them, and `is_staff` is kept in step with
the administrator role rather than edited by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from cleanasia.core import permissions
from cleanasia.core.history import mark_action

from . import audit, services
from .models import RoleAssignment, User
from .permissions import ADMINISTER


def _administers(request: Any) -> bool:
    return permissions.can(request.user, ADMINISTER, User)


class AdministratorsOnly:
    """Every admin permission answered by the accounts policy: administrators in office."""

    def has_module_permission(self, request: Any) -> bool:
        return _administers(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return _administers(request)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return _administers(request)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return _administers(request)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return _administers(request)


class AccountCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name", "preferred_language")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class AccountChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes: dict = {}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class RoleAssignmentInline(AdministratorsOnly, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "country", "scope_type", "scope_id", "starts_on", "ends_on", "granted_by")
    readonly_fields = ("granted_by",)


@admin.register(User)
class AccountAdmin(AdministratorsOnly, UserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Record"), {"fields": ("is_demo", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "preferred_language", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "full_name", "is_active", "is_staff", "is_demo", "last_login")
    list_filter = ("is_active", "is_staff", "is_demo", "role_assignments__role")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ("groups",)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        # is_staff mirrors the administrator role (services.user_admin_access_sync).
        fields: tuple[str, ...] = ("is_staff", "is_demo", "last_login", "date_joined")
        if not request.user.is_superuser:
            fields += ("is_superuser",)
        return fields

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        mark_action(obj, audit.USER_CHANGED_IN_ADMIN if change else audit.USER_CREATED, actor=request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        for assignment in formset.save(commit=False):
            if assignment.pk is None and assignment.granted_by_id is None:
                assignment.granted_by = request.user
            mark_action(assignment, audit.ROLE_CHANGED_IN_ADMIN, actor=request.user)
            assignment.save()
        for assignment in formset.deleted_objects:
            mark_action(assignment, audit.ROLE_CHANGED_IN_ADMIN, actor=request.user)
            assignment.delete()
        formset.save_m2m()
        return None

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.user_admin_access_sync(actor=request.user, user=form.instance)
