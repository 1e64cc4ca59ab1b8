"""Loads the policy framework of the Clean Asia Initiative from data/framework.json.

Nodes are found by their stable `code`. Loading never clobbers the
secretariat's edits:

* a node missing from the database is created (history action `framework.node.loaded`);
* a node that differs from the file is updated only while its latest history
  row is the loader's own, i.e. nobody edited it since it was loaded (so a
  corrected data file reaches untouched nodes);
* a node someone edited after loading is kept as it is and reported.

Nodes the secretariat added are never touched, nor deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action

from .models import FrameworkNode

DATA_FILE = Path(__file__).resolve().parent / "data" / "framework.json"
NODE_LOADED = "framework.node.loaded"
register_action(NODE_LOADED, _("Framework node loaded from reference data"))

_FIELDS = ("kind", "position", "title_ja", "title_en", "description_ja", "description_en", "source")


@dataclass
class Tally:
    """What loading did to the framework nodes (same shape as directory.reference.Tally)."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.kept)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def framework_rows() -> list[dict[str, Any]]:
    """The nodes of the data file, parents before their children."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["nodes"]


def _last_action(node: FrameworkNode) -> str:
    return node.history.order_by("-history_id").values_list("action_code", flat=True).first() or ""  # type: ignore[attr-defined]


def load_framework() -> Tally:
    """Create missing nodes, update untouched ones that the file changed, report edited ones."""
    tally = Tally("framework nodes")
    with transaction.atomic():
        nodes = {node.code: node for node in FrameworkNode.objects.all()}
        for row in framework_rows():
            parent = nodes[row["parent"]] if row["parent"] else None
            wanted = {name: row[name] for name in _FIELDS}
            node = nodes.get(row["code"])
            if node is None:
                node = FrameworkNode(code=row["code"], parent=parent, **wanted)
                node.full_clean()
                mark_action(node, NODE_LOADED)
                node.save()
                nodes[node.code] = node
                tally.created += 1
                continue
            changes = {name: value for name, value in wanted.items() if getattr(node, name) != value}
            if node.parent_id != (parent.pk if parent else None):
                changes["parent"] = parent
            if not changes:
                tally.unchanged += 1
            elif _last_action(node) != NODE_LOADED:
                tally.kept.append(
                    f"framework node {node.code}: {', '.join(sorted(changes))} differ from the reference file; "
                    "edited since loading, kept"
                )
            else:
                nodes[node.code] = versioned_update(
                    actor=None,
                    instance=node,
                    expected_version=node.version,
                    changes=changes,
                    action_code=NODE_LOADED,
                )
                tally.updated += 1
    return tally


def load_reference() -> list[Tally]:
    """Entry point found by `cleanasia load_reference` (see core/management/commands/load_reference.py)."""
    return [load_framework()]
