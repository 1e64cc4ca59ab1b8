"""The secretariat's overview (by goal, country, fiscal year) and the point-in-time comparison.

Aggregates run in SQL over the measures the user may see, so the number of
queries does not grow with the data. Every chart has its data table beside it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cleanasia.core import permissions
from cleanasia.framework.models import FrameworkNode

from .. import selectors
from ..forms import GOAL_KINDS, CompareForm, DashboardFilterForm
from ..models import (
    Indicator,
    Measure,
    MeasureBudget,
    MeasureStatus,
    Milestone,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportRating,
    ReportState,
)
from .charts import bar_chart, line_chart
from .common import HAS_COMPUTED, STATUS_ICONS, filter_measures, today, visible_measures


def _effective_status_expr():
    computed = F("computed_status") if HAS_COMPUTED else Value(ProgressStatus.NOT_AVAILABLE)
    return Case(When(~Q(status_override=""), then=F("status_override")), default=computed)


class DashboardView(LoginRequiredMixin, TemplateView):
    """Measures by status, milestones on time vs late, indicators by status, trend over periods."""

    template_name = "measures/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = DashboardFilterForm(self.request.GET or None)
        filters = form.filters()
        measures = filter_measures(visible_measures(user), filters)
        measure_ids = measures.values("pk")
        day = today()

        # Measures by status.
        status_counts = dict(measures.order_by().values_list("status").annotate(n=Count("id")))
        by_status = [(label, status_counts.get(value, 0), value) for value, label in MeasureStatus.choices]

        # Milestones: done on time, done late, overdue, not yet due.
        ms = permissions.visible(Milestone.objects.filter(measure__in=measure_ids), user).aggregate(
            on_time=Count("id", filter=Q(completed_on__isnull=False, completed_on__lte=F("due_on"))),
            late=Count("id", filter=Q(completed_on__gt=F("due_on"))),
            overdue=Count("id", filter=Q(completed_on__isnull=True, due_on__lt=day)),
            upcoming=Count("id", filter=Q(completed_on__isnull=True, due_on__gte=day)),
        )
        milestone_rows = [
            (_("Completed on time"), ms["on_time"], "✓"),
            (_("Completed late"), ms["late"], "!"),
            (_("Overdue"), ms["overdue"], "⚠"),
            (_("Not yet due"), ms["upcoming"], "…"),
        ]

        # Indicators by effective status, overall and by goal.
        indicators = permissions.visible(Indicator.objects.filter(result__measure__in=measure_ids), user)
        ind_rows = (
            indicators.order_by()
            .annotate(eff=_effective_status_expr())
            .values_list("result__measure__framework_node_id", "eff")
            .annotate(n=Count("id"))
        )
        ind_by_node: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        ind_total: dict[str, int] = defaultdict(int)
        for node_id, eff, n in ind_rows:
            ind_by_node[node_id][eff] += n
            ind_total[eff] += n
        by_indicator_status = [
            (label, ind_total.get(value, 0), STATUS_ICONS[ProgressStatus(value)])
            for value, label in ProgressStatus.choices
        ]

        # By goal: measures and indicator statuses rolled up from the lines under each goal.
        nodes = {n.pk: n for n in FrameworkNode.objects.only("pk", "parent_id", "code", "kind", "title_ja", "title_en")}
        node_counts = dict(measures.order_by().values_list("framework_node_id").annotate(n=Count("id")))

        def goal_of(node_id: int | None) -> FrameworkNode | None:
            node = nodes.get(node_id)
            while node is not None and node.kind not in GOAL_KINDS:
                node = nodes.get(node.parent_id)
            return node

        goals: dict[int, dict[str, Any]] = {}
        for node in sorted(nodes.values(), key=lambda n: n.code):
            if node.kind in GOAL_KINDS:
                goals[node.pk] = {"node": node, "measures": 0, "indicators": defaultdict(int)}
        for node_id, n in node_counts.items():
            goal = goal_of(node_id)
            if goal is not None:
                goals[goal.pk]["measures"] += n
        for node_id, statuses in ind_by_node.items():
            goal = goal_of(node_id)
            if goal is not None:
                for eff, n in statuses.items():
                    goals[goal.pk]["indicators"][eff] += n
        goal_rows = []
        params = self.request.GET.copy()
        for row in goals.values():
            if not row["measures"]:
                continue
            ind = row["indicators"]
            total = sum(ind.values())
            good = ind.get(ProgressStatus.ACHIEVED, 0) + ind.get(ProgressStatus.SUBSTANTIAL, 0)
            link = params.copy()
            link["goal"] = row["node"].code
            goal_rows.append(
                {
                    "node": row["node"],
                    "measures": row["measures"],
                    "indicators": total,
                    "good": good,
                    "deteriorating": ind.get(ProgressStatus.DETERIORATION, 0),
                    "query": link.urlencode(),
                }
            )

        # By country.
        through = Measure.partner_countries.through
        country_rows = list(
            through.objects.filter(measure__in=measure_ids)
            .values("country_id", "country__name_ja", "country__name_en")
            .annotate(n=Count("measure_id", distinct=True))
            .order_by("-n", "country_id")[:20]
        )
        lang = (self.request.LANGUAGE_CODE or "ja")[:2]
        for row in country_rows:
            row["name"] = row[f"country__name_{lang}"] or row["country__name_en"] or row["country_id"]
            link = params.copy()
            link["country"] = row["country_id"]
            row["query"] = link.urlencode()

        # By fiscal year: budget and measures with a budget.
        fy_rows = list(
            permissions.visible(MeasureBudget.objects.filter(measure__in=measure_ids), user)
            .order_by("fiscal_year")
            .values("fiscal_year")
            .annotate(total=Sum("amount_jpy"), n=Count("measure_id", distinct=True))
        )

        # Trend over periods: ratings of approved reports per period (latest 12 periods).
        periods = list(permissions.visible(ReportingPeriod.objects.order_by("-starts_on"), user)[:12])[::-1]
        rating_rows = (
            permissions.visible(
                ProgressReport.objects.filter(
                    measure__in=measure_ids, period__in=[p.pk for p in periods], state=ReportState.APPROVED
                ),
                user,
            )
            .order_by()
            .values_list("period_id", "rating")
            .annotate(n=Count("id"))
        )
        trend: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for period_id, rating, n in rating_rows:
            trend[period_id][rating or ""] += n
        from cleanasia.core.fiscal import fiscal_year_label

        def period_label(p: ReportingPeriod) -> str:
            base = fiscal_year_label(p.fiscal_year, lang)
            return base if p.kind == "year" else f"{base} {'Q' if p.kind == 'quarter' else 'H'}{p.number}"

        period_labels = [period_label(p) for p in periods]
        trend_series = [
            (str(label), [trend[p.pk].get(value, 0) for p in periods]) for value, label in ReportRating.choices
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
            total_measures=sum(status_counts.values()),
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
                "trend": line_chart(_("Approved reports by rating over periods"), period_labels, trend_series),
                "budget": bar_chart(
                    _("Budget by fiscal year (JPY)"),
                    [fiscal_year_label(r["fiscal_year"], lang) for r in fy_rows],
                    [(_("Budget (JPY)"), [r["total"] for r in fy_rows])],
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
