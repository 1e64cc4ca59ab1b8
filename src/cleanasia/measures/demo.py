"""Demonstration data of the progress module: measures under the framework lines, their results and reporting.

Per unit of scale: 40 measure rows (30 measures and 10 activities under them),
about 60 results, 200 indicators (units t CO2e, %, people trained…, both
directions, one in ten qualitative), budgets per fiscal year, 3 milestones per
row (some overdue). Shared by every scale: quarterly reporting periods
FY2016–FY2025 and FY2026 Q1–Q2 closed, FY2026 Q3 open, Q4 planned. Every
indicator has an actual for every closed period (plausible trends toward, or
away from, its target); measures (not activities) have an approved report for
each closed period and a mixed set (draft, submitted, returned, approved) for
the open one.

`--scale 50` gives the benchmark's 2,000 measures, 10,000 indicators and
420,000 actuals. Rows go in with `bulk_create_with_history` (their history
rows stamped with the action code), except the actuals: those are inserted
with plain `bulk_create` in batches of 5,000 WITHOUT history rows (400,000
history rows would only double the load time; the portfolio comparison reads
measures' and indicators' history, not actuals'). The indicators' stored
progress is computed at the end with `services.indicators_recompute`.

Data is read from the database in a fixed order and drawn from the module's
own `random.Random`, so two databases seeded alike hold the same records.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.db import models
from simple_history.utils import bulk_create_with_history

from cleanasia.core import cache
from cleanasia.core.context import current_request_id
from cleanasia.core.demo import DemoDataError, register
from cleanasia.core.models import Visibility

from .apps import CACHE_NAMESPACE
from .models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    MeasureBudget,
    Milestone,
    PeriodState,
    ProgressReport,
    ReportingPeriod,
    Result,
    Target,
)

MEASURES_PER_SCALE = 30
ACTIVITIES_PER_SCALE = 10
INDICATORS_PER_ROW = 5
FIRST_FY, LAST_CLOSED_FY, CURRENT_FY = 2016, 2025, 2026
CURRENT_CLOSED_QUARTERS, OPEN_QUARTER = 2, 3
BATCH = 5000
ACTUALS_BATCH = 5000
ACTION = "measures.demo.generated"
COUNTRY_CODES = ["VN", "TH", "ID", "MY", "PH", "KH", "LA", "MM", "SG", "BN", "CN", "KR", "IN", "TL", "MN"]

THEMES = [
    ("大気汚染対策の能力構築", "Capacity building for air pollution control"),
    ("廃棄物管理と循環経済", "Waste management and the circular economy"),
    ("海洋プラスチックごみ削減", "Reducing marine plastic litter"),
    ("水質改善と下水処理", "Water quality and sewage treatment"),
    ("脱炭素都市づくり", "Decarbonised cities"),
    ("コベネフィット型温暖化対策", "Co-benefit climate measures"),
    ("環境モニタリング網の整備", "Environmental monitoring networks"),
    ("化学物質管理", "Chemicals management"),
    ("環境影響評価制度の強化", "Strengthening environmental impact assessment"),
    ("気候変動適応計画", "Climate change adaptation planning"),
]
PLACES = [
    ("東南アジア", "South-East Asia"),
    ("メコン地域", "the Mekong region"),
    ("ASEAN諸国", "ASEAN countries"),
    ("東アジア", "East Asia"),
    ("島嶼国", "island states"),
]
ACTIVITY_KINDS = [
    ("研修ワークショップ", "Training workshop"),
    ("政策対話", "Policy dialogue"),
    ("実証事業", "Demonstration project"),
    ("調査研究", "Survey and research"),
]
# (title ja, title en, unit, direction, base value range, change to target as a fraction of the base)
INDICATOR_KINDS = [
    ("温室効果ガス排出削減量", "GHG emissions", "t CO2e", "decrease", (5_000, 80_000), -0.35),
    ("PM2.5年平均濃度", "Annual mean PM2.5 concentration", "µg/m³", "decrease", (15, 60), -0.4),
    ("研修修了者数", "People trained", "people trained", "increase", (20, 300), 2.0),
    ("廃棄物リサイクル率", "Waste recycling rate", "%", "increase", (10, 40), 0.8),
    ("下水処理率", "Share of sewage treated", "%", "increase", (20, 60), 0.5),
    ("埋立処分量", "Waste sent to landfill", "t", "decrease", (1_000, 50_000), -0.3),
    ("策定された計画数", "Plans adopted", "plans", "increase", (1, 5), 2.0),
    ("監視局数", "Monitoring stations", "stations", "increase", (3, 40), 1.0),
]
QUALITATIVE = ("政策枠組みの整備状況", "State of the policy framework")
RESULT_LEVELS = ["output", "outcome", "impact"]
OWNER_ACCOUNTS = ["secretariat", "wg-member", "expert", "registered", "focal-point-vn", "focal-point-th"]
VISIBILITY_WEIGHTS = {Visibility.PUBLIC: 6, Visibility.MEMBERS: 3, Visibility.SECRETARIAT: 1}


def _bulk(model: type[models.Model], objs: list[models.Model], *, history: bool = True) -> list[models.Model]:
    if not objs:
        return []
    if not history:
        return model._default_manager.bulk_create(objs, batch_size=ACTUALS_BATCH)
    return bulk_create_with_history(
        objs,
        model,
        batch_size=BATCH,
        custom_historical_attrs={"action_code": ACTION, "request_id": current_request_id()},
    )


def _quarter_bounds(fiscal_year: int, number: int) -> tuple[dt.date, dt.date]:
    """Quarter `number` of Japanese fiscal year `fiscal_year` (Q1 = April–June)."""
    month = 4 + 3 * (number - 1)
    year = fiscal_year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    start = dt.date(year, month, 1)
    end_month = month + 2
    following = dt.date(year + (end_month // 12), end_month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def _periods() -> tuple[list[ReportingPeriod], ReportingPeriod]:
    """The quarterly periods (created where missing), in order; closed ones and the open one."""
    existing = {
        (p.fiscal_year, p.number): p
        for p in ReportingPeriod.objects.filter(kind="quarter").order_by("fiscal_year", "number")
    }
    new = []
    for fiscal_year in range(FIRST_FY, CURRENT_FY + 1):
        for number in range(1, 5):
            if (fiscal_year, number) in existing:
                continue
            start, end = _quarter_bounds(fiscal_year, number)
            if fiscal_year < CURRENT_FY or number <= CURRENT_CLOSED_QUARTERS:
                state = PeriodState.CLOSED
            elif number == OPEN_QUARTER:
                state = PeriodState.OPEN
            else:
                state = PeriodState.PLANNED
            new.append(
                ReportingPeriod(
                    kind="quarter",
                    fiscal_year=fiscal_year,
                    number=number,
                    starts_on=start,
                    ends_on=end,
                    due_on=end + dt.timedelta(days=30),
                    state=state,
                    is_demo=True,
                )
            )
    _bulk(ReportingPeriod, new)
    periods = list(ReportingPeriod.objects.filter(kind="quarter", fiscal_year__gte=FIRST_FY).order_by("starts_on"))
    closed = [p for p in periods if p.state == PeriodState.CLOSED]
    open_ = [p for p in periods if p.state == PeriodState.OPEN]
    if not open_:
        raise DemoDataError("No quarterly reporting period is open; open FY2026 Q3 or remove the periods.")
    return closed, open_[0]


def _lines():
    from cleanasia.framework.models import FrameworkNode

    lines = list(FrameworkNode.objects.filter(code__contains=".").order_by("code"))
    if not lines:
        raise DemoDataError("The framework is missing: run `cleanasia load_reference` first.")
    return lines


def _users() -> dict[str, Any]:
    from cleanasia.accounts.demo import demo_email
    from cleanasia.accounts.models import User

    by_email = {u.email: u for u in User.objects.filter(is_demo=True).order_by("email")}
    users = {local: by_email.get(demo_email(local)) for local in OWNER_ACCOUNTS}
    return {local: user for local, user in users.items() if user is not None}


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _measures(rng: random.Random, scale: int, lines, users, countries, organisations) -> list[Measure]:
    ministries = [o for o in organisations if o.country_id == "JP"] or organisations
    owners = list(users.values())
    rows: list[Measure] = []
    for index in range(MEASURES_PER_SCALE * scale):
        line = lines[index % len(lines)]
        theme_ja, theme_en = rng.choice(THEMES)
        place_ja, place_en = rng.choice(PLACES)
        start_fy = rng.randint(2014, 2024)
        starts_on = dt.date(start_fy, 4, 1)
        ends_on = dt.date(start_fy + rng.randint(3, 10), 3, 31)
        status = (
            "completed" if ends_on < dt.date(2026, 4, 1) else rng.choice(["ongoing"] * 6 + ["planned", "suspended"])
        )
        if start_fy >= 2025 and status == "ongoing":
            status = "planned"
        rows.append(
            Measure(
                framework_node=line,
                kind="measure",
                code=f"DEMO-{line.code}-{index + 1:05d}",
                title_ja=f"{place_ja}における{theme_ja}",
                title_en=f"{theme_en} in {place_en}",
                description_ja=f"{theme_ja}を{place_ja}のパートナー国と共に進める施策（デモデータ）。",
                description_en=f"{theme_en} with partner countries in {place_en} (demonstration data).",
                responsible_unit=rng.choice(ministries) if ministries else None,
                owner=rng.choice(owners) if owners else None,
                starts_on=starts_on,
                ends_on=ends_on,
                status=status,
                weight=Decimal(rng.choice([1, 1, 1, 2, 3])),
                visibility=_pick(rng, VISIBILITY_WEIGHTS),
                is_demo=True,
            )
        )
    return rows


def _activities(rng: random.Random, scale: int, measures: list[Measure]) -> list[Measure]:
    rows = []
    for index in range(ACTIVITIES_PER_SCALE * scale):
        parent = measures[rng.randrange(len(measures))]
        kind_ja, kind_en = rng.choice(ACTIVITY_KINDS)
        rows.append(
            Measure(
                framework_node_id=parent.framework_node_id,
                kind="activity",
                parent=parent,
                code=f"{parent.code}-A{index + 1:05d}",
                title_ja=f"{parent.title_ja}：{kind_ja}",
                title_en=f"{kind_en}: {parent.title_en}",
                responsible_unit_id=parent.responsible_unit_id,
                owner_id=parent.owner_id,
                starts_on=parent.starts_on,
                ends_on=parent.ends_on,
                status=parent.status,
                visibility=parent.visibility,
                is_demo=True,
            )
        )
    return rows


def _partners(rng: random.Random, rows: list[Measure], countries, organisations) -> None:
    country_links, organisation_links = [], []
    country_through = Measure.partner_countries.through
    organisation_through = Measure.partner_organisations.through
    for measure in rows:
        chosen = rng.sample(countries, k=min(len(countries), rng.randint(1, 4)))
        # Viet Nam and Thailand often, so their demo focal points have measures to see.
        if rng.random() < 0.5 and "VN" in countries and "VN" not in chosen:
            chosen.append("VN")
        if rng.random() < 0.3 and "TH" in countries and "TH" not in chosen:
            chosen.append("TH")
        country_links += [country_through(measure_id=measure.pk, country_id=code) for code in chosen]
        partners = [o for o in organisations if o.country_id in chosen]
        for organisation in rng.sample(partners, k=min(len(partners), rng.randint(0, 2))):
            organisation_links.append(organisation_through(measure_id=measure.pk, organisation_id=organisation.pk))
    country_through.objects.bulk_create(country_links, batch_size=BATCH)
    organisation_through.objects.bulk_create(organisation_links, batch_size=BATCH)


def _budgets(rng: random.Random, rows: list[Measure]) -> list[MeasureBudget]:
    budgets = []
    for measure in rows:
        base = rng.randint(5, 300) * 1_000_000
        for fiscal_year in range(measure.starts_on.year, measure.ends_on.year):
            amount = Decimal(int(base * rng.uniform(0.7, 1.3)) // 1000 * 1000)
            budgets.append(MeasureBudget(measure=measure, fiscal_year=fiscal_year, amount_jpy=amount, is_demo=True))
    return _bulk(MeasureBudget, budgets)


def _results_and_indicators(rng: random.Random, rows: list[Measure]) -> tuple[list[Result], list[Indicator]]:
    results: list[Result] = []
    plan: list[tuple[Result, int]] = []
    for measure in rows:
        levels = ["output", "outcome"] if measure.kind == "activity" else ["output", "outcome", "impact"]
        count = 2 if measure.kind == "activity" else rng.choice([1, 2, 3])
        share = [INDICATORS_PER_ROW // count] * count
        share[0] += INDICATORS_PER_ROW - sum(share)
        for position, (level, n) in enumerate(zip(levels, share, strict=False)):
            theme = measure.title_en.split(" in ")[0]
            result = Result(
                measure=measure,
                level=level,
                title_ja=f"{measure.title_ja}の{'成果' if level == 'output' else '効果'}{position + 1}",
                title_en=f"{theme}: {level} {position + 1}",
                position=position,
                is_demo=True,
            )
            results.append(result)
            plan.append((result, n))
    _bulk(Result, results)
    indicators = []
    for result, n in plan:
        for number in range(1, n + 1):
            qualitative = rng.random() < 0.1
            if qualitative:
                title_ja, title_en, unit, direction = *QUALITATIVE, "", "increase"
            else:
                title_ja, title_en, unit, direction, _range, _change = rng.choice(INDICATOR_KINDS)
            indicators.append(
                Indicator(
                    result=result,
                    code=f"{result.measure.code}-R{result.position + 1}-I{number}",
                    title_ja=title_ja,
                    title_en=title_en,
                    indicator_type="qualitative" if qualitative else "quantitative",
                    unit=unit,
                    direction=direction,
                    disaggregations=["country"] if rng.random() < 0.2 else [],
                    weight=Decimal(rng.choice([1, 1, 2])),
                    public_approved=rng.random() < 0.7,
                    is_demo=True,
                )
            )
    _bulk(Indicator, indicators)
    return results, indicators


def _values(
    rng: random.Random, indicators: list[Indicator], closed: list[ReportingPeriod]
) -> tuple[list[Baseline], list[Target], list[Actual]]:
    by_title = {kind[1]: kind for kind in INDICATOR_KINDS}
    baselines, targets, actuals = [], [], []
    for indicator in indicators:
        if indicator.indicator_type == "qualitative":
            baselines.append(
                Baseline(indicator=indicator, year=2015, text_value="No national framework yet.", is_demo=True)
            )
            targets.append(
                Target(indicator=indicator, year=2030, text_value="Framework adopted and applied.", is_demo=True)
            )
            stages = ["Drafting started.", "Draft under consultation.", "Draft submitted to the cabinet."]
            for index, period in enumerate(closed):
                text = stages[min(len(stages) - 1, index * len(stages) // len(closed))]
                actuals.append(Actual(indicator=indicator, period=period, text_value=text, is_demo=True))
            continue
        _ja, _en, _unit, _direction, (low, high), change = by_title[indicator.title_en]
        base = round(rng.uniform(low, high), 1)
        target = round(base * (1 + change), 1)
        if indicator.unit == "%":
            target = min(target, 95.0)
        baselines.append(Baseline(indicator=indicator, year=2015, value=base, is_demo=True))
        targets.append(Target(indicator=indicator, year=2030, value=target, is_demo=True))
        # How far along the path to the target the indicator gets by now: some ahead, most behind, a few backwards.
        pace = rng.choice([1.3, 1.0, 0.9, 0.7, 0.5, 0.3, 0.1, -0.2])
        for index, period in enumerate(closed):
            progress = pace * (index + 1) / (4 * (2030 - 2015))
            noise = 1 + rng.gauss(0, 0.03)
            value = max(0.0, round((base + (target - base) * progress) * noise, 2))
            actuals.append(Actual(indicator=indicator, period=period, value=value, is_demo=True))
    return baselines, targets, actuals


def _milestones(rng: random.Random, rows: list[Measure]) -> list[Milestone]:
    today = dt.date(2026, 11, 29)
    milestones = []
    for measure in rows:
        span = (measure.ends_on - measure.starts_on).days
        for number in range(1, 4):
            due = measure.starts_on + dt.timedelta(days=span * number // 4)
            completed = None
            if due < today and rng.random() < 0.8:  # the other fifth of past milestones are overdue
                completed = due + dt.timedelta(days=rng.randint(-30, 60))
            milestones.append(
                Milestone(
                    measure=measure,
                    title_ja=f"マイルストーン{number}",
                    title_en=f"Milestone {number}",
                    due_on=due,
                    owner_id=measure.owner_id,
                    completed_on=completed,
                    is_demo=True,
                )
            )
    return _bulk(Milestone, milestones)


def _reports(rng: random.Random, rows: list[Measure], closed, open_period, secretariat) -> list[ProgressReport]:
    reports = []
    for measure in rows:
        if measure.kind != "measure" or measure.owner_id is None:
            continue
        for period in closed:
            if period.ends_on < measure.starts_on or period.starts_on > measure.ends_on:
                continue
            submitted = dt.datetime.combine(period.due_on - dt.timedelta(days=5), dt.time(10), tzinfo=dt.UTC)
            rating = rng.choice(["on_track"] * 6 + ["at_risk"] * 2 + ["off_track"])
            reports.append(
                ProgressReport(
                    measure=measure,
                    period=period,
                    state="approved",
                    narrative_ja="計画どおり進捗している。" if rating == "on_track" else "一部に遅れがある。",
                    narrative_en="Progressing as planned." if rating == "on_track" else "Some work is delayed.",
                    rating=rating,
                    rating_reason="" if rating == "on_track" else "Procurement took longer than planned.",
                    submitted_by_id=measure.owner_id,
                    submitted_at=submitted,
                    decided_by=secretariat,
                    decided_at=submitted + dt.timedelta(days=3) if secretariat else None,
                    is_demo=True,
                )
            )
        if measure.starts_on <= open_period.ends_on and measure.ends_on >= open_period.starts_on:
            state = rng.choice(["draft", "draft", "submitted", "returned", "approved", None])
            if state is None:
                continue  # not started: shows among the missing reports
            reports.append(
                ProgressReport(
                    measure=measure,
                    period=open_period,
                    state=state,
                    narrative_ja="第3四半期の進捗。",
                    narrative_en="Progress in the third quarter.",
                    rating="on_track",
                    submitted_by_id=measure.owner_id if state != "draft" else None,
                    secretariat_comment="Please add the evidence." if state == "returned" else "",
                    is_demo=True,
                )
            )
    return _bulk(ProgressReport, reports)


def generate(rng: random.Random, scale: int, stdout: TextIO) -> dict[str, Any]:
    """Create 40 x scale measures and activities with results, indicators, values, milestones and reports."""
    from cleanasia.directory.models import Country, Organisation

    from . import services

    lines = _lines()
    users = _users()
    countries = list(Country.objects.filter(code__in=COUNTRY_CODES).order_by("code").values_list("code", flat=True))
    organisations = list(Organisation.objects.filter(is_demo=True).order_by("pk"))
    closed, open_period = _periods()

    measures = _bulk(Measure, _measures(rng, scale, lines, users, countries, organisations))
    activities = _bulk(Measure, _activities(rng, scale, measures))
    rows = measures + activities
    _partners(rng, rows, countries, organisations)
    budgets = _budgets(rng, rows)
    results, indicators = _results_and_indicators(rng, rows)
    baselines, targets, actuals = _values(rng, indicators, closed)
    _bulk(Baseline, baselines)
    _bulk(Target, targets)
    _bulk(Actual, actuals, history=False)  # see the module docstring: no history rows for actuals
    milestones = _milestones(rng, rows)
    reports = _reports(rng, rows, closed, open_period, users.get("secretariat"))
    services.indicators_recompute(queryset=Indicator.objects.filter(is_demo=True))
    cache.bump(CACHE_NAMESPACE)  # bulk inserts send no signals
    return {
        "measures": len(measures),
        "activities": len(activities),
        "budgets": len(budgets),
        "results": len(results),
        "indicators": len(indicators),
        "actuals": len(actuals),
        "milestones": len(milestones),
        "reports": len(reports),
    }


def _delete_demo_activities() -> int:
    """Activities PROTECT their measure, so they go before the registry deletes the measures."""
    activities = Measure._default_manager.filter(is_demo=True, kind="activity")
    deleted, _by_model = activities.delete()
    return deleted


register(
    "measures",
    generate,
    models=[Actual, Target, Baseline, Milestone, ProgressReport, Indicator, Result, MeasureBudget, Measure,
            ReportingPeriod],
    before_reset=_delete_demo_activities,
)  # fmt: skip
