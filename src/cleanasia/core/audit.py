"""Action codes and their labels, translated when displayed.

History rows store a namespaced code (`framework.node.updated`), never prose,
so that one row reads correctly in Japanese and in English. Modules register
their codes with `register_action`; a code nobody registered is shown as is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Any] = {}

# simple_history's own change types, for rows written without an action code.
_HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def register_action(code: str, label: Any) -> None:
    """Give an action code its (lazily translated) label."""
    _LABELS[code] = label


def action_label(code: str, history_type: str = "") -> str:
    """The label of a code; the change type when there is no code; the code itself when unknown."""
    if code:
        return str(_LABELS.get(code, code))
    return str(_HISTORY_TYPES.get(history_type, history_type))


register_action("core.record.restored", _("Earlier version restored"))
