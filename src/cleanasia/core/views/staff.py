"""The workspace overview: a card per module and the latest changes the user may review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView
from simple_history.models import registered_models

from cleanasia.core import permissions
from cleanasia.core.audit import action_label
from cleanasia.core.navigation import sections_for
from cleanasia.core.views.history import history_manager_name, record_label

RECENT_PER_MODEL = 10
RECENT_TOTAL = 15


@dataclass
class RecentChange:
    when: Any
    who: Any
    action: str
    model_name: str
    label: str
    url: str


def recent_changes_for(user: Any, *, limit: int = RECENT_TOTAL) -> list[RecentChange]:
    """The latest history rows across every historied model whose history the user may see.

    One bounded query per model (docs/decisions/0001): merging N small lists is
    cheaper and simpler than a UNION over tables of different shapes.
    """
    rows = []
    for model in sorted(set(registered_models.values()), key=lambda m: m._meta.label):
        if not permissions.can(user, permissions.VIEW_HISTORY, model):
            continue
        historical = getattr(model, history_manager_name(model)).model
        latest = historical.objects.select_related("history_user").order_by("-history_date")[:RECENT_PER_MODEL]
        rows.extend((row, model) for row in latest)
    rows.sort(key=lambda pair: pair[0].history_date, reverse=True)
    changes = []
    for row, model in rows[:limit]:
        meta = model._meta
        changes.append(
            RecentChange(
                when=row.history_date,
                who=row.history_user,
                action=action_label(getattr(row, "action_code", ""), row.history_type),
                model_name=str(meta.verbose_name),
                label=record_label(row),
                url=reverse(
                    "core:record-history",
                    kwargs={
                        "app_label": meta.app_label,
                        "model_name": meta.model_name,
                        "pk": getattr(row, meta.pk.attname),
                    },
                ),
            )
        )
    return changes


class StaffHomeView(LoginRequiredMixin, TemplateView):
    """Signed-in users' start page: what each module holds for them, and recent changes."""

    template_name = "core/staff_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["sections"] = [
            {"section": section, "count": section.count_for(user), "url": section.url} for section in sections_for(user)
        ]
        context["recent_changes"] = recent_changes_for(user)
        return context
