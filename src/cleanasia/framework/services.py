"""Every write to the framework tree.

The web edit page and the API call the same service; it takes the acting user
explicitly, refuses an edit started from an old version (StaleEditError, with
what the other person changed) and marks the history row with its action code.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.concurrency import versioned_update
from cleanasia.core.permissions import CHANGE, can

from .models import FrameworkNode

NODE_UPDATED = "framework.node.updated"
register_action(NODE_UPDATED, _("Framework node changed"))

# The code names a node in imports and reports, and moving a node under another
# needs a check for cycles: neither is an ordinary edit.
EDITABLE_FIELDS = frozenset({"title_ja", "title_en", "description_ja", "description_en", "position", "kind", "source"})


def framework_node_update(
    *, actor: Any, node: FrameworkNode, expected_version: int, changes: dict[str, Any]
) -> FrameworkNode:
    """Change a node's titles, descriptions, position or kind, if nobody changed it since `expected_version`.

    Raises PermissionDenied for a user the framework policy does not let edit,
    ValidationError for a field that cannot be edited or an invalid value, and
    StaleEditError when the node has moved on.
    """
    if not can(actor, CHANGE, node):
        raise PermissionDenied(_("Only the secretariat edits the framework."))
    not_editable = sorted(set(changes) - EDITABLE_FIELDS)
    if not_editable:
        raise ValidationError({name: _("This field cannot be changed by an edit.") for name in not_editable})
    title_ja = changes.get("title_ja", node.title_ja)
    if not (title_ja or "").strip():
        # The framework is authored in Japanese; English falls back to it, marked as untranslated.
        raise ValidationError({"title_ja": _("A node needs its Japanese title.")})
    with transaction.atomic():
        return versioned_update(
            actor=actor, instance=node, expected_version=expected_version, changes=changes, action_code=NODE_UPDATED
        )
