"""The change history of any historied record, with restore for those allowed to restore.

One generic page for every module: it finds the model from the URL, fetches the
record through the model's permission policy (404 when the user may not see it)
and then asks the policy for `view_history` (403 otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from cleanasia.core import permissions
from cleanasia.core.audit import action_label
from cleanasia.core.concurrency import record_restore
from cleanasia.core.history import translated_base_fields
from cleanasia.core.navigation import record_page_url

# Bookkeeping that would only add noise to a diff.
_NOT_SHOWN = {"id", "version", "created_at", "updated_at", "is_demo"}
RESTORE_ACTION = "core.record.restored"


def history_manager_name(model: type[models.Model]) -> str | None:
    """The attribute of the model's simple_history manager, or None if it keeps no history."""
    return getattr(model._meta, "simple_history_manager_attribute", None)


def historied_model_or_404(app_label: str, model_name: str) -> type[models.Model]:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    if not history_manager_name(model):
        raise Http404
    return model


def display_value(field: models.Field | None, value: Any) -> str:
    """A history value as a reader should see it: choice labels, local dates, a dash for empty."""
    if value is None or value == "" or value == []:
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return formats.localize(timezone.localtime(value))
    if isinstance(value, dt.datetime | dt.date):
        return formats.localize(value)
    return str(value)


def record_label(row: Any) -> str:
    """A short label for a historical row without touching related rows (no extra queries)."""
    lang = (get_language() or "ja")[:2]
    other = "en" if lang == "ja" else "ja"
    for name in ("title", "name", "email", "code"):
        value = (
            getattr(row, f"{name}_{lang}", None) or getattr(row, f"{name}_{other}", None) or getattr(row, name, None)
        )
        if value:
            return str(value)
    return f"#{row.pk}"


@dataclass
class ChangedField:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    row: Any
    action: str
    changes: list[ChangedField]
    is_current: bool
    is_first: bool


def build_entries(model: type[models.Model], rows: list[Any]) -> list[HistoryEntry]:
    """Each row (newest first) with what it changed compared with the row before it."""
    excluded = _NOT_SHOWN | translated_base_fields(model)
    fields = {f.name: f for f in model._meta.concrete_fields}
    entries = []
    for index, row in enumerate(rows):
        older = rows[index + 1] if index + 1 < len(rows) else None
        if older is not None:
            delta = row.diff_against(older, excluded_fields=[n for n in excluded if n in fields])
            changes = [
                ChangedField(
                    label=str(fields[c.field].verbose_name),
                    old=display_value(fields[c.field], c.old),
                    new=display_value(fields[c.field], c.new),
                )
                for c in delta.changes
            ]
        else:
            # The first row: every value it was created with.
            changes = [
                ChangedField(label=str(f.verbose_name), old="—", new=display_value(f, getattr(row, f.attname, None)))
                for name, f in fields.items()
                if name not in excluded and not f.primary_key and getattr(row, f.attname, None) not in (None, "", [])
            ]
        entries.append(
            HistoryEntry(
                row=row,
                action=action_label(getattr(row, "action_code", ""), row.history_type),
                changes=changes,
                is_current=index == 0,
                is_first=older is None,
            )
        )
    return entries


def _record_for(request: HttpRequest, app_label: str, model_name: str, pk: str) -> tuple[type[models.Model], Any]:
    model = historied_model_or_404(app_label, model_name)
    obj = permissions.get_visible_or_404(model._default_manager.all(), request.user, pk=pk)
    if not permissions.can(request.user, permissions.VIEW_HISTORY, obj):
        raise PermissionDenied
    return model, obj


class RecordHistoryView(LoginRequiredMixin, View):
    """Every history row of one record: when, who, which action, each field old → new."""

    template_name = "core/history.html"

    def get(self, request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
        model, obj = _record_for(request, app_label, model_name, pk)
        manager = getattr(obj, history_manager_name(model))
        rows = list(manager.select_related("history_user").order_by("-history_date", "-history_id"))
        can_restore = "version" in {f.name for f in model._meta.concrete_fields} and permissions.can(
            request.user, permissions.RESTORE, obj
        )
        context = {
            "object": obj,
            "object_label": record_label(obj),
            "model_name": model._meta.verbose_name,
            "entries": build_entries(model, rows),
            "can_restore": can_restore,
            "restore_url": reverse(
                "core:record-restore", kwargs={"app_label": app_label, "model_name": model_name, "pk": pk}
            ),
            "record_url": record_page_url(obj),
        }
        return render(request, self.template_name, context)


class RecordRestoreView(LoginRequiredMixin, View):
    """Put an earlier version back (as a new version, so the restore itself is in the history)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
        model, obj = _record_for(request, app_label, model_name, pk)
        if not permissions.can(request.user, permissions.RESTORE, obj):
            raise PermissionDenied
        try:
            history_id = int(request.POST.get("history_id", ""))
        except ValueError as exc:
            raise Http404 from exc
        manager = getattr(obj, history_manager_name(model))
        if not manager.filter(history_id=history_id).exists():
            raise Http404
        try:
            record_restore(actor=request.user, instance=obj, history_id=history_id, action_code=RESTORE_ACTION)
        except ValidationError as exc:
            messages.error(
                request, _("The earlier version could not be restored: %(reason)s") % {"reason": " ".join(exc.messages)}
            )
        else:
            messages.success(request, _("The earlier version was restored as a new version."))
        return redirect("core:record-history", app_label=app_label, model_name=model_name, pk=pk)
