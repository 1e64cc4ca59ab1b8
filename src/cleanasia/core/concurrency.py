"""Optimistic concurrency and restore for versioned, historied records.

An edit names the version it started from. If the row has moved on, the edit
is refused with StaleEditError, which lists what the other change did (from
the change history) so the user can redo their edit knowingly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .history import mark_action, translated_base_fields

# Fields that bookkeeping owns; never copied by an edit or a restore.
_BOOKKEEPING = {"id", "version", "created_at", "updated_at", "is_demo"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


class StaleEditError(Exception):
    """The record was changed by someone else after the editor loaded it."""

    def __init__(self, instance: models.Model, changes: list[FieldChange], by: str = ""):
        self.instance = instance
        self.changes = changes
        self.by = by
        super().__init__(
            _("This record was changed by someone else while you were editing it. Your changes were not saved.")
        )


def changes_since(instance: models.Model, version: int) -> tuple[list[FieldChange], str]:
    """What changed in `instance` after `version`, and by whom, from its history."""
    history = instance.history.all()  # type: ignore[attr-defined]
    old = history.filter(version=version).order_by("-history_id").first()
    new = history.order_by("-history_id").first()
    if old is None or new is None or old.pk == new.pk:
        return [], ""
    excluded = _BOOKKEEPING | translated_base_fields(type(instance))
    delta = new.diff_against(old, excluded_fields=[f for f in excluded if hasattr(new, f)])
    meta = type(instance)._meta
    changes = [
        FieldChange(
            field=c.field,
            label=str(meta.get_field(c.field).verbose_name),
            old=c.old,
            new=c.new,
        )
        for c in delta.changes
    ]
    by = str(new.history_user) if new.history_user else ""
    return changes, by


def versioned_update(
    *, actor: Any, instance: models.Model, expected_version: int, changes: dict[str, Any], action_code: str
) -> models.Model:
    """Apply `changes` to `instance` if nobody changed it since `expected_version`; record the action."""
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            found, by = changes_since(current, expected_version)
            raise StaleEditError(current, found, by)
        for name, value in changes.items():
            if name in _BOOKKEEPING:
                raise ValueError(f"{name} is not editable")
            setattr(current, name, value)
        current.full_clean()
        current.version += 1
        mark_action(current, action_code, actor=actor)
        current.save()
    return current


def record_restore(*, actor: Any, instance: models.Model, history_id: int, action_code: str) -> models.Model:
    """Put the tracked field values of an earlier history row back, as a new version."""
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        past = current.history.get(history_id=history_id)  # type: ignore[attr-defined]
        skipped = _BOOKKEEPING | translated_base_fields(model)
        for field in model._meta.concrete_fields:
            if field.name in skipped or field.primary_key or not hasattr(past, field.attname):
                continue
            setattr(current, field.attname, getattr(past, field.attname))
        current.full_clean()
        current.version += 1
        mark_action(current, action_code, actor=actor)
        current.save()
    return current
