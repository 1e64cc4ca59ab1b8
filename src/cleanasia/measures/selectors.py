"""Reads of the progress module for a user, each with a fixed number of queries.

Every selector starts from what the user may see (core.permissions.visible)
and returns querysets or plain dicts and lists that templates, charts, the API
and exports can use directly. Aggregates are computed in SQL from the stored
progress fields (services.indicators_recompute), so the number of queries does
not grow with the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language

from cleanasia.core import cache
from cleanasia.core.fiscal import fiscal_year_bounds
from cleanasia.core.permissions import get_visible_or_404, is_secretariat, visible
from cleanasia.engines import progress as engine
from cleanasia.framework.models import FrameworkNode, NodeKind

from .apps import CACHE_NAMESPACE
from .models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    MeasureBudget,
    MeasureKind,
    MeasureLink,
    MeasureStatus,
    Milestone,
    PeriodKind,
    PeriodState,
    ProgressReport,
    ProgressStatus,
    ReminderKind,
    ReportingPeriod,
    ReportRating,
    ReportState,
    Target,
)

TOP_KINDS = (NodeKind.GOAL, NodeKind.CROSS_CUTTING, NodeKind.FOUNDATION)
CLOSED_STATUSES = (MeasureStatus.COMPLETED, MeasureStatus.CANCELLED)
REPORTED_STATES = (ReportState.SUBMITTED, ReportState.APPROVED)
TREND_PERIODS = 8


def _lang() -> str:
    return "ja" if (get_language() or "ja").startswith("ja") else "en"


def _pick(ja: str, en: str) -> str:
    """The current language's text, falling back to the other language."""
    return (ja or en) if _lang() == "ja" else (en or ja)


# --- expressions -----------------------------------------------------------


def effective_status_expression(prefix: str = "") -> Coalesce:
    """SQL for the status shown everywhere: the override when set, else the computed status."""
    return Coalesce(NullIf(F(f"{prefix}status_override"), Value("")), F(f"{prefix}computed_status"))


def effective_score_expression(prefix: str = "") -> Case:
    """SQL for the score of the effective status (the engine's scores; NULL when not available)."""
    override = f"{prefix}status_override"
    whens = [
        When(**{override: status.value}, then=Value(engine.score(status)))
        for status in engine.Status
        if engine.score(status) is not None
    ]
    whens.append(When(**{override: engine.Status.NOT_AVAILABLE.value}, then=Value(None)))
    return Case(
        When(**{override: ""}, then=F(f"{prefix}computed_score")),
        *whens,
        default=Value(None),
        output_field=FloatField(),
    )


# --- framework tree --------------------------------------------------------


def _framework_tops() -> tuple[dict[int, int | None], dict[int, dict[str, Any]]]:
    """One query: each node's top node (goal, cross-cutting goal or foundation) and the top nodes themselves."""
    nodes = {
        row["pk"]: row
        for row in FrameworkNode.objects.values("pk", "parent_id", "kind", "code", "title_ja", "title_en", "position")
    }
    top_of: dict[int, int | None] = {}
    for pk in nodes:
        node, seen, found = nodes[pk], set(), None
        while node is not None and node["pk"] not in seen:
            seen.add(node["pk"])
            if node["kind"] in TOP_KINDS:
                found = node["pk"]
                break
            node = nodes.get(node["parent_id"]) if node["parent_id"] else None
        top_of[pk] = found
    tops = {pk: row for pk, row in nodes.items() if row["kind"] in TOP_KINDS}
    return top_of, tops


def _nodes_under(goal: Any) -> list[int]:
    """Ids of `goal` (a FrameworkNode, its pk or its code) and every node below it (one query)."""
    rows = list(FrameworkNode.objects.values_list("pk", "parent_id", "code"))
    if isinstance(goal, FrameworkNode):
        root = goal.pk
    else:
        root = next((pk for pk, _p, code in rows if code == str(goal) or str(pk) == str(goal)), None)
    if root is None:
        return []
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent, _code in rows:
        children[parent].append(pk)
    found, stack = [], [root]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


# --- measures --------------------------------------------------------------


def _filtered(qs: QuerySet[Measure], filters: Mapping[str, Any]) -> QuerySet[Measure]:
    goal = filters.get("goal")
    if goal:
        qs = qs.filter(framework_node_id__in=_nodes_under(goal))
    country = filters.get("country")
    if country:
        code = getattr(country, "pk", country)
        qs = qs.filter(pk__in=Measure.partner_countries.through.objects.filter(country_id=code).values("measure_id"))
    fiscal_year = filters.get("fiscal_year")
    if fiscal_year:
        start, end = fiscal_year_bounds(int(fiscal_year))
        in_year = (Q(starts_on__isnull=True) | Q(starts_on__lte=end)) & (
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )
        budgeted = Q(pk__in=MeasureBudget.objects.filter(fiscal_year=int(fiscal_year)).values("measure_id"))
        qs = qs.filter(in_year | budgeted)
    for name in ("status", "kind", "visibility"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("owner"):
        qs = qs.filter(owner_id=getattr(filters["owner"], "pk", filters["owner"]))
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(title_ja__icontains=text)
            | Q(title_en__icontains=text)
            | Q(description_ja__icontains=text)
            | Q(description_en__icontains=text)
        )
    return qs


def measure_list_for(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Measure]:
    """Measures the user may see, filtered.

    Filters: goal (top node code/pk: measures under any of its lines),
    country (ISO code), fiscal_year (active in it or budgeted for it), status,
    kind, visibility, owner, q (text in code, titles, descriptions).
    Rows carry the framework line, owner and responsible unit (no extra
    queries) and `indicator_count`, `overdue_milestones`.
    """
    today = timezone.localdate()
    qs = _filtered(visible(Measure.objects.all(), user), filters or {})
    indicators = (
        Indicator.objects.filter(result__measure=OuterRef("pk"))
        .order_by()
        .values("result__measure")
        .annotate(n=Count("pk"))
    )
    overdue = (
        Milestone.objects.filter(measure=OuterRef("pk"), completed_on__isnull=True, due_on__lt=today)
        .order_by()
        .values("measure")
        .annotate(n=Count("pk"))
    )
    return (
        qs.select_related("framework_node", "owner", "responsible_unit", "parent")
        .prefetch_related("partner_countries")
        .annotate(
            indicator_count=Coalesce(Subquery(indicators.values("n")), 0),
            overdue_milestones=Coalesce(Subquery(overdue.values("n")), 0),
        )
        .order_by("code")
    )


def measure_get_for(*, user: Any, pk: int) -> Measure:
    """One measure the user may see (404 when missing or not visible), with everything its page shows.

    Prefetched: partner countries and organisations, budgets, activities,
    milestones (with owners), results → indicators visible to the user (with
    baselines, targets, actuals and their periods), reports visible to the user.
    """
    indicator_qs = visible(Indicator.objects.all(), user).select_related("latest_period")
    return get_visible_or_404(
        Measure.objects.select_related(
            "framework_node", "framework_node__parent", "owner", "responsible_unit", "parent"
        ).prefetch_related(
            "partner_countries",
            "partner_organisations",
            "budgets",
            "activities",
            Prefetch("milestones", queryset=Milestone.objects.select_related("owner")),
            "results",
            Prefetch("results__indicators", queryset=indicator_qs),
            "results__indicators__baselines",
            "results__indicators__targets",
            Prefetch("results__indicators__actuals", queryset=Actual.objects.select_related("period")),
            Prefetch(
                "reports",
                queryset=visible(ProgressReport.objects.all(), user).select_related("period", "submitted_by"),
            ),
        ),
        user,
        pk=pk,
    )


def indicator_progress(*, indicators: Iterable[Indicator]) -> dict[int, dict[str, Any]]:
    """Baseline, target, latest actual and the engine's assessment of each indicator (three queries).

    Keyed by indicator id: {"baseline": (year, value) | None, "target": …,
    "latest": {"period": str, "year": int, "value": float} | None,
    "assessment": engine.Assessment, "effective_status": str}.
    Only totals (no disaggregation) take part.
    """
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    baselines: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for ind_id, year, value in Baseline.objects.filter(
        indicator_id__in=ids, dimension_key="", value__isnull=False
    ).values_list("indicator_id", "year", "value"):
        baselines[ind_id].append((year, value))
    targets: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for ind_id, year, value in Target.objects.filter(
        indicator_id__in=ids, dimension_key="", value__isnull=False
    ).values_list("indicator_id", "year", "value"):
        targets[ind_id].append((year, value))
    latest: dict[int, dict[str, Any]] = {}
    for row in (
        Actual.objects.filter(indicator_id__in=ids, dimension_key="", value__isnull=False)
        .select_related("period")
        .order_by("indicator_id", "period__ends_on")
    ):
        latest[row.indicator_id] = {"period": str(row.period), "year": row.period.fiscal_year, "value": row.value}

    from .services import _series_inputs  # the same choice of baseline and target as the stored figures

    out: dict[int, dict[str, Any]] = {}
    for ind in indicators:
        last = latest.get(ind.pk)
        base, target = _series_inputs(baselines.get(ind.pk, []), targets.get(ind.pk, []), last and last["year"])
        assessment = engine.assess(
            base_year=base[0] if base else None,
            base_value=base[1] if base and ind.indicator_type == "quantitative" else None,
            latest_year=last["year"] if last else None,
            latest_value=last["value"] if last else None,
            target_year=target[0] if target else None,
            target_value=target[1] if target else None,
            direction=ind.direction,
        )
        out[ind.pk] = {
            "baseline": base,
            "target": target,
            "latest": last,
            "assessment": assessment,
            "effective_status": ind.status_override or assessment.status.value,
        }
    return out


# --- roll-up ---------------------------------------------------------------


def measure_scores(*, measures: QuerySet[Measure]) -> dict[int, float | None]:
    """Progress score of each measure (two queries): its indicators' effective scores, weighted, and its
    activities' scores weighted by the activities' weights (engine.rollup)."""
    rows = list(measures.values_list("pk", "parent_id", "weight"))
    own: dict[int, tuple[float, float]] = {}
    score = effective_score_expression()
    for measure_id, weighted, weights in (
        Indicator.objects.filter(result__measure__in=measures.values("pk"))
        .annotate(s=score)
        .filter(s__isnull=False)
        .order_by()
        .values("result__measure")
        .annotate(weighted=Sum(F("s") * F("weight"), output_field=FloatField()), weights=Sum("weight"))
        .values_list("result__measure", "weighted", "weights")
    ):
        own[measure_id] = (float(weighted or 0), float(weights or 0))
    activity_scores: dict[int, list[tuple[float | None, float]]] = defaultdict(list)
    result: dict[int, float | None] = {}
    for pk, _parent_id, _weight in rows:
        weighted, weights = own.get(pk, (0.0, 0.0))
        result[pk] = weighted / weights if weights > 0 else None
    for pk, parent_id, weight in rows:
        if parent_id is not None:
            activity_scores[parent_id].append((result[pk], float(weight)))
    for pk, _parent_id, _weight in rows:
        if activity_scores.get(pk):
            weighted, weights = own.get(pk, (0.0, 0.0))
            items: list[tuple[float | None, float]] = list(activity_scores[pk])
            if weights > 0:
                items.append((weighted / weights, weights))
            result[pk] = engine.rollup(items)
    return result


# --- dashboard -------------------------------------------------------------


def dashboard_for(
    *, user: Any, goal: Any = None, country: Any = None, fiscal_year: int | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """The secretariat overview as plain data for templates, charts and their data tables.

    Keys: filters, totals, by_status, by_goal (top framework nodes with the
    measures under their lines, budget and rolled-up progress), by_country,
    by_fiscal_year (budget sums), milestones (on time / late / overdue /
    upcoming), indicators (by effective status) and trend (the last eight
    quarters: actuals recorded and the share of reports rated on track).
    A fixed number of queries whatever the data.
    """
    today = today or timezone.localdate()
    lang = _lang()
    measures = _filtered(
        visible(Measure.objects.all(), user), {"goal": goal, "country": country, "fiscal_year": fiscal_year}
    )
    measure_ids = measures.values("pk")

    status_counts = dict(measures.order_by().values_list("status").annotate(n=Count("pk")))
    by_status = [
        {"status": value, "label": str(label), "count": status_counts.get(value, 0)}
        for value, label in MeasureStatus.choices
    ]

    top_of, tops = _framework_tops()
    measure_rows = list(measures.order_by().values_list("pk", "framework_node_id", "parent_id", "weight"))
    scores = measure_scores(measures=measures)
    budget_by_measure: dict[int, float] = defaultdict(float)
    budget_rows = list(
        MeasureBudget.objects.filter(measure__in=measure_ids)
        .filter(**({"fiscal_year": fiscal_year} if fiscal_year else {}))
        .values_list("measure_id", "amount_jpy")
    )
    for measure_id, amount in budget_rows:
        budget_by_measure[measure_id] += float(amount)
    goal_counts: dict[int | None, int] = defaultdict(int)
    goal_budget: dict[int | None, float] = defaultdict(float)
    goal_items: dict[int | None, list[tuple[float | None, float]]] = defaultdict(list)
    for pk, node_id, parent_id, weight in measure_rows:
        top = top_of.get(node_id)
        goal_budget[top] += budget_by_measure.get(pk, 0.0)
        if parent_id is None:  # activities count within their measure
            goal_counts[top] += 1
            goal_items[top].append((scores.get(pk), float(weight)))
    indicator_qs = visible(Indicator.objects.filter(result__measure__in=measure_ids), user)
    indicator_counts: dict[str, int] = defaultdict(int)
    goal_indicators: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node_id, effective, n in (
        indicator_qs.annotate(effective=effective_status_expression())
        .order_by()
        .values_list("result__measure__framework_node_id", "effective")
        .annotate(n=Count("pk"))
    ):
        indicator_counts[effective] += n
        goal_indicators[top_of.get(node_id)][effective] += n
    by_goal = []
    for pk, node in sorted(tops.items(), key=lambda item: (item[1]["position"], item[1]["code"])):
        score = engine.rollup(goal_items.get(pk, []))
        statuses = goal_indicators.get(pk, {})
        by_goal.append(
            {
                "id": pk,
                "code": node["code"],
                "kind": node["kind"],
                "title": _pick(node["title_ja"], node["title_en"]),
                "count": goal_counts.get(pk, 0),
                "budget_jpy": goal_budget.get(pk, 0.0),
                "score": score,
                "status": engine.status_for_score(score).value,
                "status_label": str(ProgressStatus(engine.status_for_score(score).value).label),
                "indicators": sum(statuses.values()),
                "good": statuses.get(ProgressStatus.ACHIEVED, 0) + statuses.get(ProgressStatus.SUBSTANTIAL, 0),
                "deteriorating": statuses.get(ProgressStatus.DETERIORATION, 0),
            }
        )

    country_rows = (
        Measure.partner_countries.through.objects.filter(measure_id__in=measure_ids)
        .order_by()
        .values("country_id", "country__name_ja", "country__name_en")
        .annotate(n=Count("measure_id"))
    )
    by_country = sorted(
        (
            {
                "code": row["country_id"],
                "name": _pick(row["country__name_ja"], row["country__name_en"]) or row["country_id"],
                "count": row["n"],
            }
            for row in country_rows
        ),
        key=lambda row: (-row["count"], row["code"]),
    )

    by_fiscal_year = [
        {"fiscal_year": row["fiscal_year"], "budget_jpy": float(row["total"] or 0), "measures": row["n"]}
        for row in MeasureBudget.objects.filter(measure__in=measure_ids)
        .filter(**({"fiscal_year": fiscal_year} if fiscal_year else {}))
        .order_by()
        .values("fiscal_year")
        .annotate(total=Sum("amount_jpy"), n=Count("measure_id", distinct=True))
        .order_by("fiscal_year")
    ]

    milestones = Milestone.objects.filter(measure__in=measure_ids).aggregate(
        on_time=Count("pk", filter=Q(completed_on__isnull=False, completed_on__lte=F("due_on"))),
        late=Count("pk", filter=Q(completed_on__isnull=False, completed_on__gt=F("due_on"))),
        overdue=Count("pk", filter=Q(completed_on__isnull=True, due_on__lt=today)),
        upcoming=Count("pk", filter=Q(completed_on__isnull=True, due_on__gte=today)),
    )

    indicators = [
        {"status": value, "label": str(label), "count": indicator_counts.get(value, 0)}
        for value, label in ProgressStatus.choices
    ]

    periods = list(
        ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, starts_on__lte=today).order_by("-starts_on")[
            :TREND_PERIODS
        ]
    )
    period_ids = [p.pk for p in periods]
    actual_counts = dict(
        Actual.objects.filter(period_id__in=period_ids, indicator__in=indicator_qs.values("pk"), dimension_key="")
        .order_by()
        .values_list("period_id")
        .annotate(n=Count("pk"))
    )
    ratings: dict[int, dict[str, int]] = defaultdict(dict)
    for period_id, rating, n in (
        visible(ProgressReport.objects.all(), user)
        .filter(period_id__in=period_ids, measure__in=measure_ids, state__in=REPORTED_STATES)
        .filter(Q(superseded_by__isnull=True) | Q(superseded_by__state__in=[ReportState.DRAFT, ReportState.RETURNED]))
        .order_by()
        .values_list("period_id", "rating")
        .annotate(n=Count("pk"))
    ):
        ratings[period_id][rating] = n
    trend = []
    for period in reversed(periods):
        rated = sum(ratings[period.pk].values())
        on_track = ratings[period.pk].get(ReportRating.ON_TRACK, 0)
        trend.append(
            {
                "period_id": period.pk,
                "period": str(period),
                "period_short": period.short_label(),
                "actuals": actual_counts.get(period.pk, 0),
                "reports": rated,
                "on_track": on_track,
                "on_track_share": on_track / rated if rated else None,
                "ratings": {value: ratings[period.pk].get(value, 0) for value in ReportRating.values},
            }
        )

    return {
        "filters": {
            "goal": getattr(goal, "code", goal),
            "country": getattr(country, "pk", country),
            "fiscal_year": fiscal_year,
        },
        "language": lang,
        "totals": {
            "measures": sum(status_counts.values()),
            "indicators": sum(indicator_counts.values()),
            "budget_jpy": sum(budget_by_measure.values()),
            "overdue_milestones": milestones["overdue"],
        },
        "by_status": by_status,
        "by_goal": by_goal,
        "by_country": by_country,
        "by_fiscal_year": by_fiscal_year,
        "milestones": milestones,
        "indicators": indicators,
        "trend": trend,
    }


def cached_dashboard_for(
    *, user: Any, goal: Any = None, country: Any = None, fiscal_year: int | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """`dashboard_for`, computed once per data generation for everyone who sees the same measures.

    The secretariat shares one copy; anyone else has their own (what they may
    see depends on their roles, whose changes also raise the generation).
    """
    today = today or timezone.localdate()
    if is_secretariat(user):
        scope: tuple[Any, ...] = ("secretariat",)
    elif getattr(user, "is_authenticated", False):
        scope = ("user", user.pk)
    else:
        scope = ("public",)
    key = (
        "dashboard",
        *scope,
        getattr(goal, "code", goal),
        getattr(country, "pk", country),
        fiscal_year,
        today.isoformat(),
        _lang(),
    )
    return cache.cached_aggregate(
        CACHE_NAMESPACE,
        key,
        lambda: dashboard_for(user=user, goal=goal, country=country, fiscal_year=fiscal_year, today=today),
    )


# --- what changed ----------------------------------------------------------


def _latest_rows(model: Any, when: dt.datetime, fields: Iterable[str], **filters: Any) -> list[dict[str, Any]]:
    """The latest historical row of each record at `when`, deletions dropped (one query)."""
    history = model.history.filter(history_date__lte=when, **filters).latest_of_each()
    latest: dict[int, dict[str, Any]] = {}
    # Two rows of one record can share a timestamp; the later history id wins.
    for row in history.order_by("history_id").values("id", "history_type", *fields):
        latest[row["id"]] = row
    return [row for row in latest.values() if row["history_type"] != "-"]


def portfolio_as_of(*, user: Any, when: dt.datetime | dt.date) -> list[dict[str, Any]]:
    """The measures as they stood at `when`, from the change history (three queries plus one for visibility).

    Each: id, code, title, status, rating (of the latest submitted or approved
    report at that time, "" if none), milestones {id: due_on} (not completed
    then) and next_due. Measures the user may see today are shown.
    """
    if isinstance(when, dt.date) and not isinstance(when, dt.datetime):
        when = timezone.make_aware(dt.datetime.combine(when, dt.time.max))
    visible_ids = set(visible(Measure.objects.all(), user).values_list("pk", flat=True))
    measures = [
        row
        for row in _latest_rows(Measure, when, ("code", "title_ja", "title_en", "status", "kind", "parent_id"))
        if row["id"] in visible_ids
    ]
    reports = _latest_rows(
        ProgressReport,
        when,
        ("measure_id", "period_id", "report_version", "state", "rating"),
        state__in=REPORTED_STATES,
    )
    # A report that later left the reported states appears here with its earlier state; take the latest row anyway.
    period_end = dict(ReportingPeriod.objects.values_list("pk", "ends_on"))
    rating: dict[int, tuple[Any, int, str]] = {}
    for row in reports:
        key = (period_end.get(row["period_id"]) or dt.date.min, row["report_version"])
        current = rating.get(row["measure_id"])
        if current is None or key > current[:2]:
            rating[row["measure_id"]] = (*key, row["rating"])
    milestones: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for row in _latest_rows(Milestone, when, ("measure_id", "due_on", "completed_on")):
        if row["completed_on"] is None or row["completed_on"] > when.date():
            milestones[row["measure_id"]][row["id"]] = row["due_on"]
    out = []
    for row in sorted(measures, key=lambda r: r["code"]):
        dues = milestones.get(row["id"], {})
        out.append(
            {
                "id": row["id"],
                "code": row["code"],
                "title": _pick(row["title_ja"], row["title_en"]),
                "kind": row["kind"],
                "status": row["status"],
                "status_label": str(MeasureStatus(row["status"]).label) if row["status"] else "",
                "rating": rating[row["id"]][2] if row["id"] in rating else "",
                "milestones": dues,
                "next_due": min(dues.values()) if dues else None,
            }
        )
    return out


def portfolio_changes(
    *, user: Any, since: dt.datetime | dt.date, until: dt.datetime | dt.date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """What changed between two dates: measures added, closed (completed/cancelled), re-rated, slipped.

    Slipped: a milestone open at `since` whose due date is later at `until`.
    Each entry is the measure's row at `until` with `before` (its row at `since`, or None).
    """
    until = until or timezone.now()
    before = {row["id"]: row for row in portfolio_as_of(user=user, when=since)}
    after = {row["id"]: row for row in portfolio_as_of(user=user, when=until)}
    added, closed, rerated, slipped = [], [], [], []
    for pk, now in after.items():
        then = before.get(pk)
        entry = {**now, "before": then}
        if then is None:
            added.append(entry)
            continue
        if now["status"] in CLOSED_STATUSES and then["status"] not in CLOSED_STATUSES:
            closed.append(entry)
        if then["rating"] and now["rating"] and now["rating"] != then["rating"]:
            rerated.append(entry)
        moved = [
            {"milestone_id": mid, "was": due, "now": now["milestones"][mid]}
            for mid, due in then["milestones"].items()
            if mid in now["milestones"] and now["milestones"][mid] > due
        ]
        if moved:
            slipped.append({**entry, "moved": moved})
    return {"added": added, "closed": closed, "rerated": rerated, "slipped": slipped}


# --- who has not reported --------------------------------------------------


def missing_reports(*, period: ReportingPeriod) -> QuerySet[Measure]:
    """Measures (kind measure, planned or ongoing) without a submitted or approved report for `period`.

    With their owner (select_related) and `report_state` (the state of their
    current draft or returned report, None when not started). One query.
    """
    reported = ProgressReport.objects.filter(period=period, state__in=REPORTED_STATES).values("measure_id")
    current = ProgressReport.objects.filter(period=period, measure=OuterRef("pk")).order_by("-report_version")
    return (
        Measure.objects.filter(kind=MeasureKind.MEASURE, status__in=[MeasureStatus.ONGOING, MeasureStatus.PLANNED])
        .exclude(pk__in=reported)
        .select_related("owner", "responsible_unit")
        .annotate(
            report_state=Subquery(current.values("state")[:1], output_field=CharField()),
            report_id=Subquery(current.values("pk")[:1]),
        )
        .order_by("code")
    )


# --- reminders -------------------------------------------------------------

MILESTONE_NOTICE_DAYS = 14


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: what about (kind, object_key), to whom, for which due date, and its line of text."""

    kind: str
    object_key: str
    recipient: Any
    due_on: dt.date
    period: ReportingPeriod | None
    measure_code: str
    measure_title: tuple[str, str]  # (ja, en)
    subject: tuple[str, str]  # a milestone's title or a period's name (ja, en)

    @property
    def identity(self) -> tuple[str, str, int, dt.date]:
        return (self.kind, self.object_key, self.recipient.pk, self.due_on)


def reminders_due(*, today: dt.date | None = None) -> list[Reminder]:
    """Every reminder the rules call for today (whether sent before or not).

    - a report missing for an open period (no submitted or approved version):
      to the measure's owner; a returned report: to the owner, once per return;
    - a milestone due within 14 days or overdue, not completed: to the
      milestone's owner, else the measure's owner.
    Three queries plus one per open period.
    """
    today = today or timezone.localdate()
    out: list[Reminder] = []
    for period in ReportingPeriod.objects.filter(state=PeriodState.OPEN).order_by("starts_on"):
        current_version = ProgressReport.objects.filter(period=period, measure=OuterRef("pk")).order_by(
            "-report_version"
        )
        for measure in (
            missing_reports(period=period)
            .filter(owner__isnull=False, owner__is_active=True)
            .annotate(report_version_counter=Subquery(current_version.values("version")[:1]))
        ):
            returned = measure.report_state == ReportState.RETURNED
            out.append(
                Reminder(
                    kind=ReminderKind.REPORT_RETURNED if returned else ReminderKind.REPORT_MISSING,
                    # Each return bumps the report's version, so a report returned again is reminded again.
                    object_key=(
                        f"report:{measure.report_id}:v{measure.report_version_counter}"
                        if returned
                        else f"period:{period.pk}:measure:{measure.pk}"
                    ),
                    recipient=measure.owner,
                    due_on=period.due_on,
                    period=period,
                    measure_code=measure.code,
                    measure_title=(measure.title_ja, measure.title_en),
                    subject=(period.label("ja"), period.label("en")),
                )
            )
    horizon = today + dt.timedelta(days=MILESTONE_NOTICE_DAYS)
    for milestone in (
        Milestone.objects.filter(completed_on__isnull=True, due_on__lte=horizon)
        .exclude(measure__status__in=CLOSED_STATUSES)
        .select_related("owner", "measure", "measure__owner")
        .order_by("due_on", "pk")
    ):
        recipient = milestone.owner or milestone.measure.owner
        if recipient is None or not recipient.is_active:
            continue
        out.append(
            Reminder(
                kind=ReminderKind.MILESTONE_OVERDUE if milestone.due_on < today else ReminderKind.MILESTONE_DUE,
                object_key=f"milestone:{milestone.pk}",
                recipient=recipient,
                due_on=milestone.due_on,
                period=None,
                measure_code=milestone.measure.code,
                measure_title=(milestone.measure.title_ja, milestone.measure.title_en),
                subject=(milestone.title_ja, milestone.title_en),
            )
        )
    return out


def measures_advanced_by(target_type: Any, target_ids: Iterable[int], user: Any) -> dict[int, list[dict[str, Any]]]:
    """The measures (visible to the user) each record of `target_type` (a ContentType) is linked to through
    MeasureLink, with their visible indicators (two queries). Any module's records that advance measures (meeting
    outcome elements, research projects…) read their links through here.

    Keyed by the record's id: [{"measure", "relation", "relation_label", "indicators": [Indicator…]}].
    """
    ids = list(target_ids)
    if not ids:
        return {}
    links = list(
        MeasureLink.objects.filter(
            target_type=target_type,
            target_id__in=ids,
            measure__in=visible(Measure.objects.all(), user).values("pk"),
        )
        .select_related("measure")
        .order_by("measure__code", "relation")
    )
    measure_ids = {link.measure_id for link in links}
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    if measure_ids:
        for indicator in (
            visible(Indicator.objects.filter(result__measure_id__in=measure_ids), user)
            .select_related("result")
            .order_by("code")
        ):
            indicator.status_label = ProgressStatus(indicator.effective_status).label
            indicators[indicator.result.measure_id].append(indicator)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        found[link.target_id].append(
            {
                "measure": link.measure,
                "relation": link.relation,
                "relation_label": link.get_relation_display(),
                "indicators": indicators.get(link.measure_id, []),
            }
        )
    return found
