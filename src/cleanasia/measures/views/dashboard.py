"""The secretariat's overview (by goal, country, fiscal year) and the point-in-time comparison.

Aggregates run in SQL over the measures the user may see, so the number of
queries does not grow with the data. Every chart has its data table beside it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cleanasia.core.charts import bar_chart, line_chart
from cleanasia.core.fiscal import fiscal_year_label

from .. import selectors
from ..forms import CompareForm, DashboardFilterForm
from ..models import (
    MeasureStatus,
    ProgressStatus,
    ReportRating,
)
from .common import STATUS_ICONS, today

COUNTRY_ROWS = 20  # the partner countries with most measures; the rest are a filter away


class DashboardView(LoginRequiredMixin, TemplateView):
    """Measures by status, milestones on time vs late, indicators by status, trend over periods.

    The figures come from `selectors.cached_dashboard_for`, computed once per
    change of the data; this view only adds the links and the charts.
    """

    template_name = "measures/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = DashboardFilterForm(self.request.GET or None)
        filters = form.filters()
        data = selectors.cached_dashboard_for(
            user=self.request.user,
            goal=filters.get("goal"),
            country=filters.get("country"),
            fiscal_year=filters.get("fy"),
            today=today(),
        )
        params = self.request.GET.copy()

        def linked(row: dict[str, Any], name: str, value: str) -> dict[str, Any]:
            link = params.copy()
            link[name] = value
            return {**row, "query": link.urlencode()}

        by_status = [(row["label"], row["count"], row["status"]) for row in data["by_status"]]
        ms = data["milestones"]
        milestone_rows = [
            (_("Completed on time"), ms["on_time"], "✓"),
            (_("Completed late"), ms["late"], "!"),
            (_("Overdue"), ms["overdue"], "⚠"),
            (_("Not yet due"), ms["upcoming"], "…"),
        ]
        by_indicator_status = [
            (row["label"], row["count"], STATUS_ICONS[ProgressStatus(row["status"])]) for row in data["indicators"]
        ]
        goal_rows = [linked(row, "goal", row["code"]) for row in data["by_goal"] if row["count"]]
        country_rows = [linked(row, "country", row["code"]) for row in data["by_country"][:COUNTRY_ROWS]]
        lang = data["language"]
        fy_rows = data["by_fiscal_year"]
        period_labels = [row["period"] for row in data["trend"]]
        trend_series = [
            (str(label), [row["ratings"][value] for row in data["trend"]]) for value, label in ReportRating.choices
        ]

        # The exports take the goal and the country (by code) the dashboard shows.
        export_params = {}
        if filters.get("goal"):
            export_params["goal"] = filters["goal"].code
        if filters.get("country"):
            export_params["country"] = filters["country"].pk
        context.update(
            form=form,
            filters=filters,
            export_query=urlencode(export_params),
            total_measures=data["totals"]["measures"],
            by_status=by_status,
            milestone_rows=milestone_rows,
            by_indicator_status=by_indicator_status,
            goal_rows=goal_rows,
            country_rows=country_rows,
            fy_rows=fy_rows,
            charts={
                "status": bar_chart(
                    _("Measures by status"),
                    [str(r[0]) for r in by_status],
                    [(_("Measures"), [r[1] for r in by_status])],
                ),
                "milestones": bar_chart(
                    _("Milestones on time and late"),
                    [str(r[0]) for r in milestone_rows],
                    [(_("Milestones"), [r[1] for r in milestone_rows])],
                ),
                "indicators": bar_chart(
                    _("Indicators by progress status"),
                    [str(r[0]) for r in by_indicator_status],
                    [(_("Indicators"), [r[1] for r in by_indicator_status])],
                ),
                "trend": line_chart(
                    _("Reported ratings over the last quarters"),
                    period_labels,
                    trend_series,
                    axis_labels=[row["period_short"] for row in data["trend"]],
                ),
                "budget": bar_chart(
                    _("Budget by fiscal year (JPY)"),
                    [fiscal_year_label(r["fiscal_year"], lang) for r in fy_rows],
                    [(_("Budget (JPY)"), [r["budget_jpy"] for r in fy_rows])],
                ),
            },
            trend_rows=[
                {"label": label, "values": [s[1][i] for s in trend_series]} for i, label in enumerate(period_labels)
            ],
            trend_names=[s[0] for s in trend_series],
        )
        return context


class CompareView(LoginRequiredMixin, TemplateView):
    """The portfolio on a past date beside today: added, closed, re-rated, slipped (from the change history)."""

    template_name = "measures/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = CompareForm(self.request.GET or None)
        day = form.day()
        if not form.is_bound:
            form = CompareForm(initial={"as_of": day})
        now_day = today()
        then = selectors.portfolio_as_of(user=user, when=day)
        now = selectors.portfolio_as_of(user=user, when=timezone.now())
        changes = selectors.portfolio_changes(user=user, since=day)
        ratings = dict(ReportRating.choices)

        def item(entry: dict[str, Any], detail: str = "") -> dict[str, Any]:
            return {"pk": entry["id"], "code": entry["code"], "title": entry["title"], "detail": detail}

        def closed_detail(e: dict[str, Any]) -> str:
            return f"{e['before']['status_label']} → {e['status_label']}"

        def rating_detail(e: dict[str, Any]) -> str:
            return f"{ratings.get(e['before']['rating'], '—')} → {ratings.get(e['rating'], '—')}"

        def slip_detail(e: dict[str, Any]) -> str:
            return "; ".join(
                _("a milestone due %(was)s is now due %(now)s")
                % {"was": formats.date_format(m["was"]), "now": formats.date_format(m["now"])}
                for m in e.get("moved", [])
            )

        def column(title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
            counts: dict[str, int] = defaultdict(int)
            for row in rows:
                counts[row["status"]] += 1
            return {
                "title": title,
                "rows": [(label, counts.get(value, 0)) for value, label in MeasureStatus.choices],
                "total": len(rows),
            }

        context.update(
            form=form,
            as_of=day,
            columns=[
                column(_("On %(day)s") % {"day": formats.date_format(day)}, then),
                column(_("Today (%(day)s)") % {"day": formats.date_format(now_day)}, now),
            ],
            changes=[
                {"key": "added", "title": _("Added"), "items": [item(e) for e in changes["added"]]},
                {
                    "key": "closed",
                    "title": _("Closed"),
                    "items": [item(e, closed_detail(e)) for e in changes["closed"]],
                },
                {
                    "key": "rerated",
                    "title": _("Re-rated"),
                    "items": [item(e, rating_detail(e)) for e in changes["rerated"]],
                },
                {
                    "key": "slipped",
                    "title": _("Slipped"),
                    "items": [item(e, slip_detail(e)) for e in changes["slipped"]],
                },
            ],
        )
        return context
