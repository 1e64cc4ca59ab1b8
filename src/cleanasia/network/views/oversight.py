"""The secretariat's oversight of all working groups: membership gaps, overdue annual reports, activity by
group and trainees by country against the places offered, each with a chart and its data table."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cleanasia.core.charts import bar_chart

from ..selectors.oversight import oversight_for


def charts_for(data: dict[str, Any]) -> dict[str, Any]:
    """The page's charts, built from the rows the tables show (so both always agree)."""
    groups = data["groups"]
    labels = [row["group"].code for row in groups]
    trainees = data["trainees"]
    countries = [str(row["country"]) for row in trainees]
    return {
        "gaps": bar_chart(
            _("Member countries not represented, by group"),
            labels,
            [(_("Countries not represented"), [len(row["missing"]) for row in groups])],
        ),
        "activity": bar_chart(
            _("Activity by group over the last twelve months"),
            labels,
            [
                (_("Work-plan items done"), [row["activity"]["work_plan_done"] for row in groups]),
                (_("Meetings held"), [row["activity"]["meetings_held"] for row in groups]),
                (_("Research projects started"), [row["activity"]["projects_started"] for row in groups]),
                (_("Training sessions started"), [row["activity"]["sessions_started"] for row in groups]),
            ],
        ),
        "trainees": bar_chart(
            _("Trainees by country against the places offered"),
            countries,
            [
                (_("Places offered"), [row["places"] for row in trainees]),
                (_("Nominated"), [row["nominated"] for row in trainees]),
                (_("Selected"), [row["selected"] for row in trainees]),
            ],
        ),
    }


class OversightView(LoginRequiredMixin, TemplateView):
    """One page across all groups, for the secretariat (others: 403, from the selector)."""

    template_name = "network/oversight/oversight.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = oversight_for(user=self.request.user)
        context.update(data)
        context["charts"] = charts_for(data)
        context["overdue"] = [row for row in data["groups"] if row["report"] and row["report"]["overdue"]]
        return context
