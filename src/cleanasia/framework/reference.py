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
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.reference import Tally, sync_existing

from .models import FrameworkNode

DATA_FILE = Path(__file__).resolve().parent / "data" / "framework.json"
NODE_LOADED = "framework.node.loaded"
register_action(NODE_LOADED, _("Framework node loaded from reference data"))

_FIELDS = ("kind", "position", "title_ja", "title_en", "description_ja", "description_en", "source")


def framework_rows() -> list[dict[str, Any]]:
    """The nodes of the data file, parents before their children."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["nodes"]


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
            wanted["parent"] = parent
            nodes[node.code] = sync_existing(
                tally,
                node,
                wanted,
                loaded_code=NODE_LOADED,
                update=lambda node=node, **kw: versioned_update(instance=node, **kw),
                describe=f"framework node {node.code}",
            )
    return tally


def load_reference() -> list[Tally]:
    """Entry point found by `cleanasia load_reference` (see core/management/commands/load_reference.py)."""
    return [load_framework()]
