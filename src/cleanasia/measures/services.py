"""Every write of the progress module.

Views, the API, the importer, the demonstration seeder and commands call these
functions. Each takes the acting user explicitly, runs in one transaction,
validates (ValidationError with a dict naming the field, so forms, the API and
the import report show it), changes, and marks the history row with its action
code (measures.audit). Edits of existing records refuse a stale version
(core.concurrency.StaleEditError).

Permissions are checked here too (PermissionDenied), by the module's policies.
`actor=None` stands for the system (commands, the seeder) and is not checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core import cache
from cleanasia.core.concurrency import versioned_update
from cleanasia.core.fiscal import fiscal_year_bounds
from cleanasia.core.history import mark_action
from cleanasia.core.permissions import CHANGE, can
from cleanasia.engines import progress as engine

from . import audit
from .apps import CACHE_NAMESPACE
from .models import (
    Actual,
    Baseline,
    Indicator,
    IndicatorType,
    Measure,
    MeasureBudget,
    MeasureKind,
    Milestone,
    PeriodKind,
    PeriodState,
    ProgressReport,
    ProgressStatus,
    ReminderKind,
    ReminderSent,
    ReportingPeriod,
    ReportRating,
    ReportState,
    Result,
    Target,
)
from .models.results import dimension_key
from .permissions import APPROVE, OPEN_PERIOD, REPORT

DUE_AFTER_DAYS = 30
EDITABLE_REPORT_STATES = (ReportState.DRAFT, ReportState.RETURNED)
REPORT_EDITABLE_FIELDS = frozenset({"narrative_ja", "narrative_en", "rating", "rating_reason"})
REASON_NEEDED = (ReportRating.AT_RISK, ReportRating.OFF_TRACK)


# --- helpers ---------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    """Refuse an action the policies do not allow; `None` is the system (commands, seeder)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _save_new(instance: Any, *, actor: Any, action_code: str, exclude: Iterable[str] = ()) -> Any:
    instance.full_clean(exclude=list(exclude) or None)
    mark_action(instance, action_code, actor=actor)
    instance.save()
    return instance


def _save_changed(instance: Any, *, actor: Any, action_code: str, fields: Iterable[str] | None = None) -> Any:
    """Save an edit made by a workflow step: new version, history row with the action."""
    instance.version += 1
    mark_action(instance, action_code, actor=actor)
    instance.save(update_fields=None if fields is None else [*fields, "version", "updated_at"])
    return instance


def _locked(model: type, pk: int) -> Any:
    return model._default_manager.select_for_update().get(pk=pk)


def _require_title_ja(title_ja: str, field: str = "title_ja") -> None:
    if not (title_ja or "").strip():
        raise ValidationError({field: _("Give the title in Japanese.")})


def _check_unit(indicator: Indicator, unit: str | None) -> None:
    if unit is not None and unit.strip() != indicator.unit.strip():
        raise ValidationError(
            {
                "unit": _("Values of this indicator are in %(unit)s; convert the value to that unit.")
                % {"unit": indicator.unit or _("(no unit)")}
            }
        )


def _check_value(indicator: Indicator, value: float | None, text_value: str) -> float | None:
    if indicator.indicator_type == IndicatorType.QUANTITATIVE:
        if value is None:
            raise ValidationError({"value": _("A quantitative indicator needs a number.")})
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"value": _("Enter a number.")}) from exc
    if value is None and not (text_value or "").strip():
        raise ValidationError({"text_value": _("Describe the value of this qualitative indicator.")})
    return None if value is None else float(value)


def _measure_of_indicator(indicator: Indicator) -> Measure:
    return indicator.result.measure


# --- measures --------------------------------------------------------------


def measure_create(
    *,
    actor: Any,
    framework_node: Any,
    code: str,
    title_ja: str,
    title_en: str,
    kind: str = MeasureKind.MEASURE,
    parent: Measure | None = None,
    description_ja: str = "",
    description_en: str = "",
    responsible_unit: Any = None,
    owner: Any = None,
    partner_countries: Iterable[Any] = (),
    partner_organisations: Iterable[Any] = (),
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    status: str = "planned",
    weight: float | int = 1,
    visibility: str = "secretariat",
    is_demo: bool = False,
) -> Measure:
    """Create a measure (or, with kind "activity" and a parent measure, an activity) under a framework line."""
    _require(actor, CHANGE, Measure, _("Only the secretariat creates measures."))
    _require_title_ja(title_ja)
    if kind == MeasureKind.ACTIVITY and parent is None:
        raise ValidationError({"parent": _("An activity belongs to a measure.")})
    if kind == MeasureKind.MEASURE and parent is not None:
        raise ValidationError({"parent": _("A measure has no parent; make it an activity.")})
    if parent is not None and parent.kind != MeasureKind.MEASURE:
        raise ValidationError({"parent": _("An activity belongs to a measure, not to another activity.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A measure cannot end before it starts.")})
    with transaction.atomic():
        measure = Measure(
            framework_node=framework_node,
            code=code,
            title_ja=title_ja,
            title_en=title_en,
            kind=kind,
            parent=parent,
            description_ja=description_ja,
            description_en=description_en,
            responsible_unit=responsible_unit,
            owner=owner,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            weight=weight,
            visibility=visibility,
            is_demo=is_demo,
        )
        _save_new(measure, actor=actor, action_code=audit.MEASURE_CREATED)
        if partner_countries:
            measure.partner_countries.set(list(partner_countries))
        if partner_organisations:
            measure.partner_organisations.set(list(partner_organisations))
    return measure


MEASURE_M2M = ("partner_countries", "partner_organisations", "audience_groups")


def measure_update(*, actor: Any, measure: Measure, expected_version: int, changes: dict[str, Any]) -> Measure:
    """Change a measure (m2m keys allowed: partner_countries, partner_organisations, audience_groups)."""
    _require(actor, CHANGE, measure, _("Only the secretariat changes measures."))
    changes = dict(changes)
    m2m = {name: changes.pop(name) for name in MEASURE_M2M if name in changes}
    if "title_ja" in changes:
        _require_title_ja(changes["title_ja"])
    kind = changes.get("kind", measure.kind)
    parent = changes.get("parent", measure.parent)
    if kind == MeasureKind.ACTIVITY and parent is None:
        raise ValidationError({"parent": _("An activity belongs to a measure.")})
    if parent is not None and (parent.pk == measure.pk or parent.kind != MeasureKind.MEASURE):
        raise ValidationError({"parent": _("An activity belongs to a measure, not to another activity.")})
    with transaction.atomic():
        updated = versioned_update(
            actor=actor,
            instance=measure,
            expected_version=expected_version,
            changes=changes,
            action_code=audit.MEASURE_UPDATED,
        )
        for name, values in m2m.items():
            getattr(updated, name).set(list(values))
    return updated


def budget_set(*, actor: Any, measure: Measure, fiscal_year: int, amount_jpy: Any) -> MeasureBudget:
    """Set the measure's budget for one Japanese fiscal year (creates or replaces it)."""
    _require(actor, CHANGE, measure, _("Only the secretariat sets budgets."))
    if amount_jpy is None or amount_jpy < 0:
        raise ValidationError({"amount_jpy": _("A budget cannot be negative.")})
    with transaction.atomic():
        budget = MeasureBudget.objects.select_for_update().filter(measure=measure, fiscal_year=fiscal_year).first()
        if budget is None:
            budget = MeasureBudget(measure=measure, fiscal_year=fiscal_year, amount_jpy=amount_jpy)
            return _save_new(budget, actor=actor, action_code=audit.BUDGET_SET)
        budget.amount_jpy = amount_jpy
        return _save_changed(budget, actor=actor, action_code=audit.BUDGET_SET)


# --- results framework -----------------------------------------------------


def result_create(
    *, actor: Any, measure: Measure, level: str, title_ja: str, title_en: str = "", position: int = 0
) -> Result:
    """Add an intended result (output, outcome or impact) to a measure."""
    _require(actor, CHANGE, measure, _("Only the secretariat changes the results framework."))
    _require_title_ja(title_ja)
    with transaction.atomic():
        result = Result(measure=measure, level=level, title_ja=title_ja, title_en=title_en, position=position)
        return _save_new(result, actor=actor, action_code=audit.RESULT_CREATED)


def indicator_create(
    *,
    actor: Any,
    result: Result,
    code: str,
    title_ja: str,
    title_en: str = "",
    indicator_type: str = IndicatorType.QUANTITATIVE,
    unit: str = "",
    direction: str = "increase",
    disaggregations: Iterable[str] = (),
    weight: float | int = 1,
    public_approved: bool = False,
) -> Indicator:
    """Add an indicator to a result."""
    _require(actor, CHANGE, result.measure, _("Only the secretariat changes the results framework."))
    _require_title_ja(title_ja)
    with transaction.atomic():
        indicator = Indicator(
            result=result,
            code=code,
            title_ja=title_ja,
            title_en=title_en,
            indicator_type=indicator_type,
            unit=unit,
            direction=direction,
            disaggregations=list(disaggregations),
            weight=weight,
            public_approved=public_approved,
        )
        return _save_new(indicator, actor=actor, action_code=audit.INDICATOR_CREATED)


INDICATOR_COMPUTED = frozenset({"computed_status", "computed_score", "latest_value", "latest_period", "computed_at"})


def indicator_update(*, actor: Any, indicator: Indicator, expected_version: int, changes: dict[str, Any]) -> Indicator:
    """Change an indicator. Its unit cannot change once values are recorded (they would be in the old unit)."""
    _require(actor, CHANGE, _measure_of_indicator(indicator), _("Only the secretariat changes indicators."))
    computed = sorted(INDICATOR_COMPUTED & set(changes))
    if computed:
        raise ValidationError({name: _("This field is computed, not typed.") for name in computed})
    if "status_override" in changes or "override_justification" in changes:
        raise ValidationError({"status_override": _("Use the status override, which asks for a justification.")})
    if "title_ja" in changes:
        _require_title_ja(changes["title_ja"])
    if "unit" in changes and changes["unit"] != indicator.unit:
        has_values = (
            Baseline.objects.filter(indicator=indicator).exists()
            or Target.objects.filter(indicator=indicator).exists()
            or Actual.objects.filter(indicator=indicator).exists()
        )
        if has_values:
            raise ValidationError({"unit": _("Values are recorded in the current unit; the unit cannot change.")})
    with transaction.atomic():
        updated = versioned_update(
            actor=actor,
            instance=indicator,
            expected_version=expected_version,
            changes=changes,
            action_code=audit.INDICATOR_UPDATED,
        )
        indicator_recompute(indicator=updated)
    return updated


def indicator_override_status(*, actor: Any, indicator: Indicator, status: str, justification: str) -> Indicator:
    """Set (or, with status "", clear) a manual progress status; a manual status needs a justification."""
    _require(actor, CHANGE, _measure_of_indicator(indicator), _("Only the secretariat overrides a status."))
    if status and status not in ProgressStatus.values:
        raise ValidationError({"status_override": _("Choose a known status.")})
    if status and not (justification or "").strip():
        raise ValidationError({"override_justification": _("A manual status needs a justification.")})
    with transaction.atomic():
        current = _locked(Indicator, indicator.pk)
        current.status_override = status
        current.override_justification = justification.strip() if status else ""
        _save_changed(
            current,
            actor=actor,
            action_code=audit.INDICATOR_OVERRIDDEN,
            fields=["status_override", "override_justification"],
        )
        indicator_recompute(indicator=current)
    return current


def _value_set(
    model: type[Baseline] | type[Target],
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    value: float | None,
    text_value: str,
    unit: str | None,
    dimensions: dict[str, str] | None,
    comment: str,
    action_code: str,
) -> Any:
    _require(actor, CHANGE, _measure_of_indicator(indicator), _("Only the secretariat sets baselines and targets."))
    _check_unit(indicator, unit)
    number = _check_value(indicator, value, text_value)
    key = dimension_key(dimensions)
    with transaction.atomic():
        row = model.objects.select_for_update().filter(indicator=indicator, year=year, dimension_key=key).first()
        if row is None:
            row = model(indicator=indicator, year=year, dimensions=dimensions or {}, dimension_key=key)
        row.value, row.text_value, row.comment = number, text_value, comment
        if row.pk is None:
            _save_new(row, actor=actor, action_code=action_code)
        else:
            _save_changed(row, actor=actor, action_code=action_code)
        indicator_recompute(indicator=indicator)
    return row


def baseline_set(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    value: float | None = None,
    text_value: str = "",
    unit: str | None = None,
    dimensions: dict[str, str] | None = None,
    comment: str = "",
) -> Baseline:
    """Set the indicator's baseline for a year (and disaggregation); refused in another unit."""
    return _value_set(
        Baseline,
        actor=actor,
        indicator=indicator,
        year=year,
        value=value,
        text_value=text_value,
        unit=unit,
        dimensions=dimensions,
        comment=comment,
        action_code=audit.BASELINE_SET,
    )


def target_set(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    value: float | None = None,
    text_value: str = "",
    unit: str | None = None,
    dimensions: dict[str, str] | None = None,
    comment: str = "",
) -> Target:
    """Set the indicator's target for a year (and disaggregation); refused in another unit."""
    return _value_set(
        Target,
        actor=actor,
        indicator=indicator,
        year=year,
        value=value,
        text_value=text_value,
        unit=unit,
        dimensions=dimensions,
        comment=comment,
        action_code=audit.TARGET_SET,
    )


# --- computed progress -----------------------------------------------------


def _series_inputs(
    baselines: list[tuple[int, float]], targets: list[tuple[int, float]], latest_year: int | None
) -> tuple[tuple[int, float] | None, tuple[int, float] | None]:
    """The baseline (the latest one before the latest actual) and target (the first one due at or after it)."""
    base = None
    for year, value in sorted(baselines):
        if latest_year is None or year < latest_year or base is None:
            base = (year, value)
    target = None
    ordered = sorted(targets)
    if ordered:
        target = next((t for t in ordered if latest_year is not None and t[0] >= latest_year), ordered[-1])
    return base, target


def indicators_recompute(*, queryset: QuerySet[Indicator]) -> int:
    """Recompute the stored progress of many indicators at once (four queries and a bulk update).

    Uses the totals (no disaggregation). The year of an actual is the fiscal
    year of its period. Stored without a new version or history row: these
    fields are derived, not edited.
    """
    indicators = list(
        queryset.only(
            "pk", "direction", "indicator_type", "computed_status", "computed_score", "latest_value", "latest_period_id"
        )
    )
    if not indicators:
        return 0
    ids = [i.pk for i in indicators]
    baselines: dict[int, list[tuple[int, float]]] = {}
    for ind_id, year, value in Baseline.objects.filter(
        indicator_id__in=ids, dimension_key="", value__isnull=False
    ).values_list("indicator_id", "year", "value"):
        baselines.setdefault(ind_id, []).append((year, value))
    targets: dict[int, list[tuple[int, float]]] = {}
    for ind_id, year, value in Target.objects.filter(
        indicator_id__in=ids, dimension_key="", value__isnull=False
    ).values_list("indicator_id", "year", "value"):
        targets.setdefault(ind_id, []).append((year, value))
    # The latest total of each indicator, numbered by a window function in one pass. (A correlated subquery
    # per indicator was planned as nested scans on PostgreSQL right after bulk loads, before statistics.)
    newest_first = Window(
        RowNumber(), partition_by=F("indicator_id"), order_by=[F("period__ends_on").desc(), F("pk").desc()]
    )
    latest: dict[int, tuple[dt.date, int, int, float]] = {
        ind_id: (ends_on, fy, period_id, value)
        for ind_id, ends_on, fy, period_id, value in Actual.objects.filter(
            indicator_id__in=ids, dimension_key="", value__isnull=False
        )
        .annotate(recency=newest_first)
        .filter(recency=1)
        .values_list("indicator_id", "period__ends_on", "period__fiscal_year", "period_id", "value")
    }

    columns: dict[str, list[Any]] = {k: [] for k in ("by", "bv", "ly", "lv", "ty", "tv", "dir")}
    for ind in indicators:
        last = latest.get(ind.pk)
        latest_year = last[1] if last else None
        base, target = _series_inputs(baselines.get(ind.pk, []), targets.get(ind.pk, []), latest_year)
        qualitative = ind.indicator_type != IndicatorType.QUANTITATIVE
        columns["by"].append(None if qualitative or base is None else base[0])
        columns["bv"].append(None if qualitative or base is None else base[1])
        columns["ly"].append(latest_year)
        columns["lv"].append(last[3] if last else None)
        columns["ty"].append(target[0] if target else None)
        columns["tv"].append(target[1] if target else None)
        columns["dir"].append(ind.direction)
    result = engine.assess_many(
        base_year=columns["by"],
        base_value=columns["bv"],
        latest_year=columns["ly"],
        latest_value=columns["lv"],
        target_year=columns["ty"],
        target_value=columns["tv"],
        direction=columns["dir"],
    )
    changed: list[tuple[int, str, float | None, float | None, int | None]] = []
    for ind, status in zip(indicators, result.status, strict=True):
        last = latest.get(ind.pk)
        row = (ind.pk, str(status), engine.score(str(status)), last[3] if last else None, last[2] if last else None)
        if row[1:] != (ind.computed_status, ind.computed_score, ind.latest_value, ind.latest_period_id):
            changed.append(row)
    _store_computed(changed, [i.pk for i in indicators])
    return len(indicators)


def _store_computed(rows: list[tuple[int, str, float | None, float | None, int | None]], ids: list[int]) -> None:
    """Write the computed fields of the changed rows and stamp every recomputed row.

    Django's bulk_update builds a CASE per field and row and took 20 s for
    10,000 indicators; an UPDATE … FROM (VALUES …) does it in a fraction of a
    second. VALUES columns are named column1… on both SQLite and PostgreSQL.
    """
    from django.db import connections

    now = timezone.now()
    db = Indicator.objects.db
    table = connections[db].ops.quote_name(Indicator._meta.db_table)
    with connections[db].cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            values = ", ".join(
                [
                    "(CAST(%s AS bigint), %s, CAST(%s AS double precision), CAST(%s AS double precision), "
                    "CAST(%s AS bigint))"
                ]
                * len(batch)
            )
            params: list[Any] = [value for row in batch for value in row]
            cursor.execute(
                f"UPDATE {table} SET computed_status = v.column2, computed_score = v.column3, "  # noqa: S608 (quoted names)
                f"latest_value = v.column4, latest_period_id = v.column5 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                params,
            )
    for start in range(0, len(ids), 900):
        Indicator.objects.filter(pk__in=ids[start : start + 900]).update(computed_at=now)
    if rows:
        cache.bump(CACHE_NAMESPACE)  # raw SQL sends no signals


def indicator_recompute(*, indicator: Indicator) -> Indicator:
    """Recompute one indicator's stored progress (called by every service that changes its values)."""
    indicators_recompute(queryset=Indicator.objects.filter(pk=indicator.pk))
    fresh = Indicator.objects.values(
        "computed_status", "computed_score", "latest_value", "latest_period_id", "computed_at"
    ).get(pk=indicator.pk)
    for name, value in fresh.items():
        setattr(indicator, name, value)
    return indicator


# --- reporting periods -----------------------------------------------------


def period_dates(kind: str, fiscal_year: int, number: int) -> tuple[dt.date, dt.date]:
    """Start and end of a period of the Japanese fiscal year (FY2026 Q1: 2026-04-01 to 2026-06-30)."""
    start_of_year, end_of_year = fiscal_year_bounds(fiscal_year)
    if kind == PeriodKind.YEAR:
        if number != 1:
            raise ValidationError({"number": _("A fiscal year period has number 1.")})
        return start_of_year, end_of_year
    months, count = {PeriodKind.QUARTER: (3, 4), PeriodKind.HALF: (6, 2)}.get(kind, (0, 0))
    if not months:
        raise ValidationError({"kind": _("Choose quarter, half-year or year.")})
    if not 1 <= number <= count:
        raise ValidationError({"number": _("The number must be between 1 and %(count)s.") % {"count": count}})
    first_month = 4 + (number - 1) * months  # months counted from January of the fiscal year's start
    start = dt.date(fiscal_year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
    after = first_month + months
    next_start = dt.date(fiscal_year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
    return start, next_start - dt.timedelta(days=1)


def period_create(
    *, actor: Any, kind: str, fiscal_year: int, number: int = 1, due_on: dt.date | None = None, is_demo: bool = False
) -> ReportingPeriod:
    """Create a reporting period; dates come from the Japanese fiscal year, reports due 30 days after its end."""
    _require(actor, OPEN_PERIOD, ReportingPeriod, _("Only the secretariat manages reporting periods."))
    starts_on, ends_on = period_dates(kind, fiscal_year, number)
    if ReportingPeriod.objects.filter(kind=kind, fiscal_year=fiscal_year, number=number).exists():
        raise ValidationError({"number": _("This period exists already.")})
    due = due_on or ends_on + dt.timedelta(days=DUE_AFTER_DAYS)
    if due < ends_on:
        raise ValidationError({"due_on": _("Reports cannot be due before the period ends.")})
    with transaction.atomic():
        period = ReportingPeriod(
            kind=kind,
            fiscal_year=fiscal_year,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
            due_on=due,
            is_demo=is_demo,
        )
        return _save_new(period, actor=actor, action_code=audit.PERIOD_CREATED)


def _period_move(*, actor: Any, period: ReportingPeriod, to: str, allowed_from: tuple[str, ...], code: str) -> Any:
    _require(actor, OPEN_PERIOD, period, _("Only the secretariat opens and closes reporting periods."))
    with transaction.atomic():
        current = _locked(ReportingPeriod, period.pk)
        if current.state not in allowed_from:
            raise ValidationError({"state": _("The period is %(state)s.") % {"state": current.get_state_display()}})
        current.state = to
        return _save_changed(current, actor=actor, action_code=code, fields=["state"])


def period_open(*, actor: Any, period: ReportingPeriod) -> ReportingPeriod:
    """Open a planned (or reopen a closed) period for reporting."""
    return _period_move(
        actor=actor,
        period=period,
        to=PeriodState.OPEN,
        allowed_from=(PeriodState.PLANNED, PeriodState.CLOSED),
        code=audit.PERIOD_OPENED,
    )


def period_close(*, actor: Any, period: ReportingPeriod) -> ReportingPeriod:
    """Close an open period: no more actuals or new reports for it."""
    return _period_move(
        actor=actor, period=period, to=PeriodState.CLOSED, allowed_from=(PeriodState.OPEN,), code=audit.PERIOD_CLOSED
    )


# --- actuals ---------------------------------------------------------------


def actual_record(
    *,
    actor: Any,
    indicator: Indicator,
    period: ReportingPeriod,
    value: float | None = None,
    text_value: str = "",
    dimensions: dict[str, str] | None = None,
    comment: str = "",
    evidence: Any = None,
    report: ProgressReport | None = None,
) -> Actual:
    """Record (or replace) the indicator's actual for a period; only while the period is open.

    An actual that belongs to an approved report can be replaced only through
    the correction that supersedes that report.
    """
    measure = _measure_of_indicator(indicator)
    _require(actor, REPORT, measure, _("Only the measure's owner or the secretariat records actuals."))
    period = ReportingPeriod.objects.get(pk=period.pk)  # the state as it is now
    if period.state != PeriodState.OPEN:
        raise ValidationError({"period": _("Actuals can be recorded only for an open reporting period.")})
    if report is not None:
        report = ProgressReport.objects.get(pk=report.pk)
        if report.state == ReportState.APPROVED:
            raise ValidationError({"report": _("The report is approved and cannot change; make a correction.")})
        if report.measure_id != measure.pk or report.period_id != period.pk:
            raise ValidationError({"report": _("The report is for another measure or period.")})
    number = _check_value(indicator, value, text_value)
    key = dimension_key(dimensions)
    with transaction.atomic():
        actual = (
            # Lock the actual row only: PostgreSQL refuses FOR UPDATE across the nullable join to its report.
            Actual.objects.select_for_update(of=("self",))
            .select_related("report")
            .filter(indicator=indicator, period=period, dimension_key=key)
            .first()
        )
        if actual is None:
            actual = Actual(indicator=indicator, period=period, dimensions=dimensions or {}, dimension_key=key)
        elif (
            actual.report is not None
            and actual.report.state == ReportState.APPROVED
            and (report is None or report.supersedes_id != actual.report_id)
        ):
            raise ValidationError(
                {"report": _("This value belongs to an approved report; change it in a correction of that report.")}
            )
        actual.value, actual.text_value, actual.comment = number, text_value, comment
        if evidence is not None:
            actual.evidence = evidence
        if report is not None:
            actual.report = report
        if actual.pk is None:
            _save_new(actual, actor=actor, action_code=audit.ACTUAL_RECORDED)
        else:
            _save_changed(actual, actor=actor, action_code=audit.ACTUAL_RECORDED)
        indicator_recompute(indicator=indicator)
    return actual


# --- milestones ------------------------------------------------------------


def milestone_create(
    *, actor: Any, measure: Measure, title_ja: str, title_en: str = "", due_on: dt.date, owner: Any = None
) -> Milestone:
    """Add a dated milestone to a measure."""
    _require(actor, CHANGE, measure, _("Only the secretariat adds milestones."))
    _require_title_ja(title_ja)
    with transaction.atomic():
        milestone = Milestone(measure=measure, title_ja=title_ja, title_en=title_en, due_on=due_on, owner=owner)
        return _save_new(milestone, actor=actor, action_code=audit.MILESTONE_CREATED)


def milestone_complete(*, actor: Any, milestone: Milestone, completed_on: dt.date) -> Milestone:
    """Record that a milestone was completed (by its owner, the measure's owner or the secretariat)."""
    _require(actor, "complete", milestone, _("Only the milestone's owner or the secretariat completes it."))
    if completed_on is None:
        raise ValidationError({"completed_on": _("Give the date of completion.")})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A milestone cannot be completed in the future.")})
    with transaction.atomic():
        current = _locked(Milestone, milestone.pk)
        current.completed_on = completed_on
        return _save_changed(current, actor=actor, action_code=audit.MILESTONE_COMPLETED, fields=["completed_on"])


def milestone_update(*, actor: Any, milestone: Milestone, expected_version: int, changes: dict[str, Any]) -> Milestone:
    """Change a milestone (title, due date, owner, completion)."""
    _require(actor, CHANGE, milestone, _("Only the secretariat changes milestones."))
    if "title_ja" in changes:
        _require_title_ja(changes["title_ja"])
    if "measure" in changes:
        raise ValidationError({"measure": _("A milestone cannot move to another measure.")})
    return versioned_update(
        actor=actor,
        instance=milestone,
        expected_version=expected_version,
        changes=changes,
        action_code=audit.MILESTONE_UPDATED,
    )


# --- progress reports ------------------------------------------------------


def _check_rating(rating: str, reason: str) -> None:
    if rating and rating not in ReportRating.values:
        raise ValidationError({"rating": _("Choose on track, at risk or off track.")})
    if rating in REASON_NEEDED and not (reason or "").strip():
        raise ValidationError({"rating_reason": _("Say why the measure is at risk or off track.")})


def _not_approved(report: ProgressReport) -> None:
    if report.state == ReportState.APPROVED:
        raise ValidationError(
            {"state": _("This report is approved and cannot change. Make a correction (a new version) instead.")}
        )


def latest_report(*, measure: Measure, period: ReportingPeriod) -> ProgressReport | None:
    return ProgressReport.objects.filter(measure=measure, period=period).order_by("-report_version").first()


def report_get_or_create_draft(*, actor: Any, measure: Measure, period: ReportingPeriod) -> ProgressReport:
    """The measure's current report for the period (its latest version); a new draft if there is none."""
    _require(actor, REPORT, measure, _("Only the measure's owner or the secretariat reports on it."))
    with transaction.atomic():
        Measure.objects.select_for_update().filter(pk=measure.pk).first()  # one draft even when two click at once
        existing = latest_report(measure=measure, period=period)
        if existing is not None:
            return existing
        if period.state != PeriodState.OPEN:
            raise ValidationError({"period": _("Reports can be started only for an open reporting period.")})
        report = ProgressReport(measure=measure, period=period)
        return _save_new(report, actor=actor, action_code=audit.REPORT_CREATED)


def report_update(
    *, actor: Any, report: ProgressReport, expected_version: int, changes: dict[str, Any]
) -> ProgressReport:
    """Change a draft or returned report's narrative and rating."""
    _require(actor, REPORT, report, _("Only the measure's owner or the secretariat edits its report."))
    current = ProgressReport.objects.get(pk=report.pk)
    _not_approved(current)
    if current.state not in EDITABLE_REPORT_STATES:
        raise ValidationError({"state": _("A submitted report cannot be edited until it is returned.")})
    not_editable = sorted(set(changes) - REPORT_EDITABLE_FIELDS)
    if not_editable:
        raise ValidationError({name: _("This field cannot be changed by an edit.") for name in not_editable})
    _check_rating(changes.get("rating", current.rating), changes.get("rating_reason", current.rating_reason))
    return versioned_update(
        actor=actor,
        instance=current,
        expected_version=expected_version,
        changes=changes,
        action_code=audit.REPORT_UPDATED,
    )


def report_submit(*, actor: Any, report: ProgressReport) -> ProgressReport:
    """Send a draft or returned report to the secretariat; it needs a rating (and a reason when not on track)."""
    _require(actor, REPORT, report, _("Only the measure's owner or the secretariat submits its report."))
    with transaction.atomic():
        current = _locked(ProgressReport, report.pk)
        _not_approved(current)
        if current.state not in EDITABLE_REPORT_STATES:
            raise ValidationError({"state": _("This report has been submitted already.")})
        if not current.rating:
            raise ValidationError({"rating": _("Rate the measure before submitting.")})
        _check_rating(current.rating, current.rating_reason)
        current.state = ReportState.SUBMITTED
        current.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        current.submitted_at = timezone.now()
        return _save_changed(
            current, actor=actor, action_code=audit.REPORT_SUBMITTED, fields=["state", "submitted_by", "submitted_at"]
        )


def _decide(*, actor: Any, report: ProgressReport, to: str, comment: str, code: str) -> ProgressReport:
    _require(actor, APPROVE, report, _("Only the secretariat returns or approves reports."))
    with transaction.atomic():
        current = _locked(ProgressReport, report.pk)
        _not_approved(current)
        if current.state != ReportState.SUBMITTED:
            raise ValidationError({"state": _("Only a submitted report can be returned or approved.")})
        current.state = to
        current.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        current.decided_at = timezone.now()
        if comment:
            current.secretariat_comment = comment
        return _save_changed(
            current,
            actor=actor,
            action_code=code,
            fields=["state", "decided_by", "decided_at", "secretariat_comment"],
        )


def report_return(*, actor: Any, report: ProgressReport, comment: str) -> ProgressReport:
    """Return a submitted report to its owner with the secretariat's comments (required)."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what the owner should change.")})
    return _decide(
        actor=actor, report=report, to=ReportState.RETURNED, comment=comment.strip(), code=audit.REPORT_RETURNED
    )


def report_approve(*, actor: Any, report: ProgressReport, comment: str = "") -> ProgressReport:
    """Approve a submitted report; from then on it is immutable."""
    return _decide(
        actor=actor, report=report, to=ReportState.APPROVED, comment=comment.strip(), code=audit.REPORT_APPROVED
    )


def report_correct(*, actor: Any, report: ProgressReport) -> ProgressReport:
    """Start a correction of an approved report: a new draft version that supersedes it."""
    _require(actor, REPORT, report, _("Only the measure's owner or the secretariat corrects its report."))
    with transaction.atomic():
        current = _locked(ProgressReport, report.pk)
        if current.state != ReportState.APPROVED:
            raise ValidationError({"state": _("Only an approved report is corrected; edit this one instead.")})
        if ProgressReport.objects.filter(supersedes=current).exists():
            raise ValidationError({"state": _("This report has been corrected already; see its newer version.")})
        correction = ProgressReport(
            measure_id=current.measure_id,
            period_id=current.period_id,
            report_version=current.report_version + 1,
            supersedes=current,
            narrative_ja=current.narrative_ja,
            narrative_en=current.narrative_en,
            rating=current.rating,
            rating_reason=current.rating_reason,
        )
        return _save_new(correction, actor=actor, action_code=audit.REPORT_CORRECTED)


# --- reminders -------------------------------------------------------------


def _reminder_line(reminder: Any, language: str) -> str:
    def pick(pair: tuple[str, str]) -> str:
        ja, en = pair
        return (ja or en) if language == "ja" else (en or ja)

    values = {
        "code": reminder.measure_code,
        "measure": pick(reminder.measure_title),
        "subject": pick(reminder.subject),
        "due": reminder.due_on.isoformat(),
    }
    if reminder.kind == ReminderKind.REPORT_RETURNED:
        text = _("%(code)s %(measure)s: the progress report for %(subject)s was returned with comments (due %(due)s).")
    elif reminder.kind == ReminderKind.REPORT_MISSING:
        text = _("%(code)s %(measure)s: the progress report for %(subject)s has not been submitted (due %(due)s).")
    elif reminder.kind == ReminderKind.MILESTONE_OVERDUE:
        text = _("%(code)s %(measure)s: the milestone “%(subject)s” is overdue (due %(due)s).")
    else:
        text = _("%(code)s %(measure)s: the milestone “%(subject)s” is due on %(due)s.")
    return str(text) % values


def reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Send the reminders due today that were not sent before: one e-mail per recipient, listing them.

    Safe to run from cron: each reminder is recorded in ReminderSent (unique
    per kind, object, recipient and due date) in the same transaction that
    queues its e-mail, so no reminder goes out twice, even when two runs
    overlap. Returns a summary: {"sent": n reminders, "emails": n, "skipped":
    n already sent, "by_kind": {...}, "recipients": [...]}.
    """
    from django.utils import translation

    from cleanasia.core.tasks import send_email

    from .selectors import reminders_due

    due = reminders_due(today=today)
    already = set(
        ReminderSent.objects.filter(object_key__in={r.object_key for r in due}).values_list(
            "kind", "object_key", "recipient_id", "due_on"
        )
    )
    fresh: dict[int, list[Any]] = {}
    seen: set[tuple[str, str, int, dt.date]] = set()
    for reminder in due:
        if reminder.identity in already or reminder.identity in seen:
            continue
        seen.add(reminder.identity)
        fresh.setdefault(reminder.recipient.pk, []).append(reminder)
    summary: dict[str, Any] = {
        "sent": 0,
        "emails": 0,
        "skipped": len(due) - len(seen),
        "by_kind": {},
        "recipients": [],
        "dry_run": dry_run,
    }
    for reminders in fresh.values():
        recipient = reminders[0].recipient
        if not dry_run:
            try:
                with transaction.atomic():
                    for reminder in reminders:
                        ReminderSent.objects.create(
                            kind=reminder.kind,
                            object_key=reminder.object_key,
                            recipient=recipient,
                            period=reminder.period,
                            due_on=reminder.due_on,
                        )
                    language = recipient.preferred_language or "ja"
                    with translation.override(language):
                        lines = "\n".join(f"- {_reminder_line(r, language)}" for r in reminders)
                        subject = str(_("Clean Asia Platform: progress reports and milestones to attend to"))
                        body = str(
                            _(
                                "Hello %(name)s,\n\nThe following need your attention:\n\n%(lines)s\n\n"
                                "Please sign in to the Clean Asia Platform to update them."
                            )
                        ) % {"name": recipient.get_full_name(), "lines": lines}
                    send_email.enqueue(subject=subject, body=body, to=[recipient.email])
            except IntegrityError:
                continue  # another run sent these meanwhile
        summary["emails"] += 1
        summary["recipients"].append(recipient.email)
        for reminder in reminders:
            summary["sent"] += 1
            summary["by_kind"][reminder.kind] = summary["by_kind"].get(reminder.kind, 0) + 1
    return summary
