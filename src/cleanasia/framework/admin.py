"""The policy framework in Django's admin site (the administrators' fallback; the secretariat edits on the platform).

A node's `code` is fixed once created (imports and reports name nodes by it);
a node cannot be moved under itself. Saves raise the version and leave a
history row with who made them and a `framework.node.*_in_admin` action code.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from cleanasia.core import permissions
from cleanasia.core.audit import register_action
from cleanasia.core.history import mark_action

from .models import FrameworkNode

CREATED_IN_ADMIN = "framework.node.created_in_admin"
CHANGED_IN_ADMIN = "framework.node.changed_in_admin"
DELETED_IN_ADMIN = "framework.node.deleted_in_admin"
register_action(CREATED_IN_ADMIN, _("Framework node created in the administration"))
register_action(CHANGED_IN_ADMIN, _("Framework node changed in the administration"))
register_action(DELETED_IN_ADMIN, _("Framework node deleted in the administration"))


class FrameworkNodeForm(forms.ModelForm):
    class Meta:
        model = FrameworkNode
        fields = ("parent", "kind", "code", "title", "description", "position", "source")

    def clean_parent(self) -> FrameworkNode | None:
        parent = self.cleaned_data.get("parent")
        node, seen = parent, set()
        while node is not None and node.pk not in seen:
            if self.instance.pk and node.pk == self.instance.pk:
                raise forms.ValidationError(_("A node cannot be placed under itself or one of its descendants."))
            seen.add(node.pk)
            node = node.parent
        return parent


class ChildInline(admin.TabularInline):
    """The node's lines, read-only here; each opens on its own page."""

    model = FrameworkNode
    fk_name = "parent"
    fields = ("code", "kind", "title", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(SimpleHistoryAdmin, TranslationAdmin):
    form = FrameworkNodeForm
    list_display = ("code", "title", "kind", "parent", "position", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("code", "title_ja", "title_en", "description_ja", "description_en")
    ordering = ("position", "code")
    inlines = [ChildInline]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        return ("code", "version", "is_demo") if obj is not None else ("version", "is_demo")

    def has_module_permission(self, request: Any) -> bool:
        return permissions.can(request.user, permissions.CHANGE, FrameworkNode)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.CHANGE, FrameworkNode)

    def has_add_permission(self, request: Any) -> bool:
        return permissions.can(request.user, permissions.ADD, FrameworkNode)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.CHANGE, obj if obj is not None else FrameworkNode)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.DELETE, obj if obj is not None else FrameworkNode)

    def save_model(self, request: Any, obj: FrameworkNode, form: Any, change: bool) -> None:
        if change:
            obj.version += 1  # so an edit started on the platform from the old version is refused
        mark_action(obj, CHANGED_IN_ADMIN if change else CREATED_IN_ADMIN, actor=request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request: Any, obj: FrameworkNode) -> None:
        mark_action(obj, DELETED_IN_ADMIN, actor=request.user)
        super().delete_model(request, obj)
