"""Public pages: the initiative and its policy framework, in Japanese and English."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cleanasia.framework.models import FrameworkNode, NodeKind
from cleanasia.framework.selectors import TreeNode, framework_tree

# The kinds the home page lists as the initiative's aims (the seed's four goals and two bases).
_AIMS = [NodeKind.GOAL, NodeKind.CROSS_CUTTING, NodeKind.FOUNDATION]

# Public facts about how the initiative began (seed README, with the Ministry's press releases as source).
# Static for now; the meetings module will hold them as records.
ORIGIN_FACTS = [
    (
        dt.date(2007, 11, 21),
        _("Singapore"),
        _(
            "The 3rd East Asia Summit adopts the Singapore Declaration on Climate Change, Energy and the "
            "Environment; Prime Minister Fukuda announces Japan's environmental cooperation initiative."
        ),
    ),
    (
        dt.date(2007, 11, 1),  # the seed gives the month only
        _("Singapore"),
        _("At the 11th ASEAN–Japan Summit, Prime Minister Fukuda proposes the Japan–ASEAN Environment Dialogue."),
    ),
    (
        dt.date(2008, 3, 28),
        _("Hanoi"),
        _(
            "Working-level meeting for the EAS Environment Ministers Meeting, and the 1st Japan–ASEAN "
            "Environment Dialogue."
        ),
    ),
    (
        dt.date(2008, 10, 9),
        _("Hanoi"),
        _(
            "1st East Asia Summit Environment Ministers Meeting, co-chaired by Viet Nam and Japan. The Ministerial "
            "Statement makes environmentally sustainable cities the priority area; Japan presents the Clean Asia "
            "Initiative with the Regional 3R Forum in Asia, environmentally sustainable transport, WEPA, EANET and "
            "ProSPER.Net as its measures."
        ),
    ),
    (
        dt.date(2009, 11, 11),
        _("Tokyo"),
        _("Inaugural Regional 3R Forum in Asia, with 15 countries, adopts the Tokyo 3R Statement."),
    ),
    (
        dt.date(2010, 10, 15),
        _("Bandar Seri Begawan"),
        _("2nd East Asia Summit Environment Ministers Meeting."),
    ),
]


class HomeView(TemplateView):
    """What the Clean Asia Initiative is, its aims (from the framework in the database) and its origin."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The highest goal-like nodes, wherever the tree puts them (under a vision node or at the root).
        context["aims"] = list(
            FrameworkNode.objects.filter(kind__in=_AIMS).exclude(parent__kind__in=_AIMS).order_by("position", "code")
        )
        context["origin_facts"] = [
            {"date": d, "month_only": d.day == 1, "place": p, "text": t} for d, p, t in ORIGIN_FACTS
        ]
        return context


def framework_blocks(tree: list[TreeNode]) -> list[dict[str, Any]]:
    """Lay the roots out as the seed's diagram does.

    Consecutive goals go under one heading ("政策目標・施策の基本的方向"); a root
    without lines other than the vision (the principle, the means) is a short
    statement under the name of its kind rather than a heading of its own.
    """
    blocks: list[dict[str, Any]] = []
    for item in tree:
        if item.node.kind == NodeKind.GOAL:
            if not blocks or blocks[-1]["type"] != "goals":
                blocks.append({"type": "goals", "items": []})
            item.nest_under_heading()
            blocks[-1]["items"].append(item)
        elif not item.children and item.node.kind != NodeKind.VISION:
            blocks.append({"type": "statement", "item": item})
        else:
            blocks.append({"type": "node", "item": item})
    return blocks


class FrameworkView(TemplateView):
    """The whole framework as the seed draws it: vision, goals and their lines, bases, principle, means."""

    template_name = "portal/framework.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["blocks"] = framework_blocks(framework_tree())
        return context
