"""Shared machinery of the reference-data loaders: tallies, and updates that respect later edits.

A loader creates what is missing and updates a record from its data file only
while the newest history row of that record is the loader's own: once someone
has edited it, the edit is kept and reported instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class Tally:
    """What loading did to one kind of record."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records the file would change but that someone edited after loading, and rows refused.
    kept: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.kept)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def last_action(instance: models.Model) -> str:
    """The action code of the newest history row of `instance` ("" if none)."""
    return instance.history.order_by("-history_id").values_list("action_code", flat=True).first() or ""  # type: ignore[attr-defined]


def _differences(instance: models.Model, wanted: dict[str, Any]) -> dict[str, Any]:
    diffs = {}
    for name, value in wanted.items():
        field_ = instance._meta.get_field(name)
        if isinstance(field_, models.ForeignKey):
            current, compare = getattr(instance, field_.attname), (value.pk if value is not None else None)
        else:
            current, compare = getattr(instance, name), value
        if current != compare:
            diffs[name] = value
    return diffs


def sync_existing(
    tally: Tally,
    instance: models.Model,
    wanted: dict[str, Any],
    *,
    loaded_code: str,
    update: Callable[..., models.Model],
    describe: str,
) -> models.Model:
    """Bring `instance` in line with the file, unless someone edited it after the loader last wrote it."""
    diffs = _differences(instance, wanted)
    if not diffs:
        tally.unchanged += 1
        return instance
    if last_action(instance) != loaded_code:
        tally.kept.append(
            f"{describe}: {', '.join(sorted(diffs))} differ from the reference file; edited since loading, kept"
        )
        return instance
    tally.updated += 1
    return update(actor=None, expected_version=instance.version, changes=diffs, action_code=loaded_code)  # type: ignore[attr-defined]
