"""The workspace's module sections: each module registers one card for the staff overview.

A section names its page, the model it lists and how to count what the user may
see. Permission is asked of the model's policy (`can(user, "view", Model)`), never
of a role, so a module that restricts its data restricts its card too. Modules
register from a `navigation.py` of their own (found automatically) or from a
module imported with their URLs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from . import permissions


@dataclass(frozen=True)
class WorkspaceSection:
    """One card on the staff overview (and one entry of the workspace)."""

    key: str
    label: Any
    url_name: str
    model: str  # "app_label.ModelName", resolved lazily so that core imports no module
    description: Any = ""
    count_label: Any = ""  # what the number counts, e.g. "country groups"
    order: int = 100
    action: str = permissions.VIEW
    # Other pages of the section (view names), marked as "inside" it in the workspace menu.
    related_url_names: tuple[str, ...] = ()
    # Rows to count for a user; defaults to every row of `model` the user may see.
    queryset: Callable[[], QuerySet] | None = field(default=None, compare=False)

    def model_class(self):
        return apps.get_model(self.model)

    def is_allowed(self, user: Any) -> bool:
        return permissions.can(user, self.action, self.model_class())

    def count_for(self, user: Any) -> int:
        qs = self.queryset() if self.queryset else self.model_class()._default_manager.all()
        return permissions.visible(qs, user).count()

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_SECTIONS: dict[str, WorkspaceSection] = {}
_RECORD_PAGES: dict[str, Callable[[Any], str]] = {}
_discovery = {"done": False}  # module discovery runs once per process


def register_workspace_section(key: str, **kwargs: Any) -> WorkspaceSection:
    """Add (or replace, by key) a section of the workspace overview."""
    section = WorkspaceSection(key=key, **kwargs)
    _SECTIONS[key] = section
    return section


def sections_for(user: Any) -> list[WorkspaceSection]:
    """Sections the user may open, in display order."""
    if not _discovery["done"]:
        autodiscover_modules("navigation")
        _discovery["done"] = True
    return [s for s in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)) if s.is_allowed(user)]


def register_record_page(model: str, url_for: Callable[[Any], str]) -> None:
    """Name the page that shows one record of `model` ("app_label.ModelName"), for links back from its history."""
    _RECORD_PAGES[model.lower()] = url_for


def record_page_url(obj: Any) -> str:
    """The page of `obj` registered by its module, or "" if none."""
    url_for = _RECORD_PAGES.get(obj._meta.label_lower)
    return url_for(obj) if url_for else ""
