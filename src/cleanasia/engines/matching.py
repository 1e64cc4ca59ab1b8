"""Matching know-how packages against a country's need: a score out of 100 and the reasons behind it.

The caller (the network's selectors) turns a KnowHowPackage and a CountryNeed into plain facts
(`PackageFacts`, `NeedFacts`); `rank` returns one `Match` per package, best first. Every point of a
score comes from a `Reason` (a stable code, met / not met / unknown, its weight and the points it
brought, and parameters); the page translates the codes, so no text here is shown to users.

Scoring (weights add up to 100):

* **Field: 30, and a gate.** A package that does not serve the need's field does not answer the
  need however well it fits otherwise: it scores 0 and its only reason is the failed field. Every
  package that does serve the field starts from 30, so the rest of the score ranks them.
* **Conditions: 35, the largest share.** The point of the packages is deploying Japan's experience
  *with regard to each country's conditions*, so fit with the conditions is what most separates one
  package from another. The 35 points are split equally among the package's conditions, so a package
  neither gains nor loses by stating more of them. A package that states none gets one reason,
  `conditions_unstated`, counted as unknown: nothing shows that it fits.
* **Cost: 15.** Within the need's budget: 15; only the cheaper end of the range within it (the
  package can be scoped down, not every variant fits): 10; above the budget: 0. Not a gate: an
  out-of-budget package is still worth showing, since financing can be sought. Costs are compared
  only in the same currency; another currency is unknown, never converted.
* **Evidence: 20.** A case study in the need's own country (10) is the strongest sign that the
  package transfers (same regulators, institutions, climate); a case in the same region (5) is a
  weaker one, and a same-country case counts as a same-region case too; co-benefit evidence (5)
  serves the Clean Asia co-benefits approach but says nothing about fit, hence the small weight.
* **Unknown counts half.** A condition the need does not state, a missing budget or cost, another
  currency, a need country without a region: neither met nor failed, so half the weight. That
  ranks an established fit above an unknown one and an unknown above a failure, and keeps packages
  comparable when the need states little.

The score is the sum of the points, rounded half up to a whole number (exact fractions inside, so the
sum does not drift); ties are broken by the package code, so the order is deterministic.

Conditions (the `conditions` dict of a package, the need's `conditions` dict):

* `<name>_min` / `<name>_max` (numbers, inclusive) on the package, a number `<name>` on the need,
  e.g. `{"urban_population_min": 500000}` against `{"urban_population": 1200000}`.
* A list on the package (the accepted values: strings or numbers), one value on the need,
  e.g. `{"income": ["lower_middle", "upper_middle"]}` against `{"income": "lower_middle"}`.
* A boolean on the package, the same boolean wanted on the need, e.g. `{"coastal": true}`.

Anything else on the package is an invalid condition (see `condition_problems`), kept as a reason
and counted as unknown rather than dropped, so bad data shows instead of silently changing ranks.
The need's keys that no package condition names are ignored.

No Django here (import-linter contract): usable from scripts and benchmarks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Literal

__all__ = [
    "CONDITION_PREFIX",
    "ConditionProblem",
    "CostFit",
    "Match",
    "NeedFacts",
    "PackageFacts",
    "Reason",
    "ReasonCode",
    "Unknown",
    "condition_problems",
    "match",
    "rank",
]

FIELD_WEIGHT = 30
CONDITIONS_WEIGHT = 35
COST_WEIGHT = 15
CASE_SAME_COUNTRY_WEIGHT = 10
CASE_SAME_REGION_WEIGHT = 5
COBENEFIT_WEIGHT = 5

UNKNOWN_SHARE = Fraction(1, 2)
COST_PARTLY_SHARE = Fraction(2, 3)

CONDITION_PREFIX = "condition:"
_RANGE_SUFFIXES = ("_min", "_max")


class ReasonCode(StrEnum):
    """Codes of the reasons that are not conditions (those are `condition:<name>`)."""

    FIELD = "field"
    CONDITIONS_UNSTATED = "conditions_unstated"
    COST = "cost"
    CASE_SAME_COUNTRY = "case_same_country"
    CASE_SAME_REGION = "case_same_region"
    COBENEFIT_EVIDENCE = "cobenefit_evidence"


class Unknown(StrEnum):
    """Why a reason is unknown (its `params["unknown"]`)."""

    NOT_STATED = "not_stated"  # the need does not state the condition
    INCOMPARABLE = "incomparable"  # the need's value is not of the condition's kind
    INVALID_CONDITION = "invalid_condition"  # the package's condition cannot be read (params["problem"])
    NONE_STATED = "none_stated"  # the package states no conditions at all
    NO_BUDGET = "no_budget"
    NO_COST = "no_cost"
    CURRENCY_MISMATCH = "currency_mismatch"
    NO_REGION = "no_region"  # the need's country has no region to compare with


class CostFit(StrEnum):
    WITHIN = "within"  # the whole cost range is within the budget
    PARTLY = "partly"  # the cheaper end is (or may be) within the budget, the dearer is not
    ABOVE = "above"  # even the cheapest variant costs more than the budget


class ConditionProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"  # a `_min`/`_max` bound, or a need value, that is no finite number
    MIN_ABOVE_MAX = "min_above_max"
    EMPTY_LIST = "empty_list"
    BAD_LIST_VALUE = "bad_list_value"  # accepted values must be strings or numbers
    UNSUPPORTED_VALUE = "unsupported_value"  # not a range bound, list or boolean (package); not a scalar (need)
    NAME_CONFLICT = "name_conflict"  # `<name>` and `<name>_min`/`<name>_max` both given
    BAD_NAME = "bad_name"  # a key that is not a non-empty string


@dataclass(frozen=True, kw_only=True)
class PackageFacts:
    """What the engine needs of a know-how package (codes as stored: field codes, ISO country codes)."""

    code: str
    fields: frozenset[str]
    kind: str = ""  # carried for the caller; needs state no preferred kind, so it is not scored
    conditions: Mapping[str, object] = field(default_factory=dict, hash=False)
    cost_min: Decimal | None = None
    cost_max: Decimal | None = None
    currency: str = ""
    case_countries: frozenset[str] = frozenset()
    case_regions: frozenset[str] = frozenset()  # the regions of the case studies' countries
    has_cobenefit_evidence: bool = False

    def __post_init__(self) -> None:
        if self.cost_min is not None and self.cost_max is not None and self.cost_min > self.cost_max:
            raise ValueError(f"Package {self.code}: cost_min {self.cost_min} is above cost_max {self.cost_max}.")


@dataclass(frozen=True, kw_only=True)
class NeedFacts:
    """What the engine needs of a country's need."""

    country: str
    field: str
    conditions: Mapping[str, object] = field(default_factory=dict, hash=False)
    budget_max: Decimal | None = None
    currency: str = ""
    regions: frozenset[str] = frozenset()  # the regions the country belongs to; empty: not known


@dataclass(frozen=True, kw_only=True)
class Reason:
    """One scored consideration: `met` is True, False or None (unknown); `points` of at most `weight`.

    `params` carries the values behind it (bounds, the need's value, currencies, why unknown…) for the
    page to phrase in the reader's language.
    """

    code: str
    met: bool | None
    weight: float
    points: float
    params: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, kw_only=True)
class Match:
    package: str  # the package code
    score: int  # 0 to 100
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class _Condition:
    name: str
    kind: Literal["range", "set", "boolean", "invalid"]
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    accepted: tuple[str | Decimal, ...] = ()
    expected: bool | None = None
    problem: ConditionProblem | None = None


def _number(value: object) -> Decimal | None:
    """A finite number as a Decimal (floats through their shortest repr: 0.1 stays 0.1), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return number if number.is_finite() else None


def _scalar(value: object) -> str | Decimal | None:
    return value if isinstance(value, str) else _number(value)


def _parse_package_conditions(conditions: Mapping[str, object]) -> list[_Condition]:
    """The package's conditions by name, sorted; unreadable ones as kind "invalid" with their problem."""
    bounds: dict[str, dict[str, Decimal]] = {}
    plain: dict[str, _Condition] = {}
    problems: dict[str, ConditionProblem] = {}
    for key in sorted(conditions, key=str):
        value = conditions[key]
        if not isinstance(key, str) or not key:
            problems.setdefault(str(key), ConditionProblem.BAD_NAME)
            continue
        if key.endswith(_RANGE_SUFFIXES) and len(key) > len("_min"):
            name, suffix = key[:-4], key[-4:]
            number = _number(value)
            if number is None:
                problems.setdefault(name, ConditionProblem.NOT_A_NUMBER)
            else:
                bounds.setdefault(name, {})[suffix] = number
        elif isinstance(value, bool):
            plain[key] = _Condition(key, "boolean", expected=value)
        elif isinstance(value, list | tuple | set | frozenset):
            items = [_scalar(item) for item in value]
            if not items:
                problems.setdefault(key, ConditionProblem.EMPTY_LIST)
            elif any(item is None for item in items):
                problems.setdefault(key, ConditionProblem.BAD_LIST_VALUE)
            else:
                accepted = tuple(
                    sorted({item for item in items if item is not None}, key=lambda v: (type(v).__name__, v))
                )
                plain[key] = _Condition(key, "set", accepted=accepted)
        else:
            problems.setdefault(key, ConditionProblem.UNSUPPORTED_VALUE)

    for name in set(bounds) & set(plain):
        problems.setdefault(name, ConditionProblem.NAME_CONFLICT)

    parsed: list[_Condition] = []
    for name in sorted(set(bounds) | set(plain) | set(problems)):
        if name in problems:
            parsed.append(_Condition(name, "invalid", problem=problems[name]))
        elif name in plain:
            parsed.append(plain[name])
        else:
            low, high = bounds[name].get("_min"), bounds[name].get("_max")
            if low is not None and high is not None and low > high:
                parsed.append(_Condition(name, "invalid", problem=ConditionProblem.MIN_ABOVE_MAX))
            else:
                parsed.append(_Condition(name, "range", minimum=low, maximum=high))
    return parsed


def condition_problems(
    conditions: Mapping[str, object], *, side: Literal["package", "need"]
) -> list[tuple[str, ConditionProblem]]:
    """What is wrong with a conditions dict, as (condition name, problem) pairs sorted by name; [] if fine.

    For the services that store conditions (they phrase the problems for the user). On a need, values
    are one string, number or boolean each; None means "not stated" and is allowed.
    """
    if side == "package":
        return [(c.name, c.problem) for c in _parse_package_conditions(conditions) if c.problem is not None]
    found: list[tuple[str, ConditionProblem]] = []
    for key in sorted(conditions, key=str):
        value = conditions[key]
        if not isinstance(key, str) or not key:
            found.append((str(key), ConditionProblem.BAD_NAME))
        elif isinstance(value, float | Decimal) and _number(value) is None:
            found.append((key, ConditionProblem.NOT_A_NUMBER))
        elif value is not None and not isinstance(value, bool) and _scalar(value) is None:
            found.append((key, ConditionProblem.UNSUPPORTED_VALUE))
    return found


def _points(weight: int | Fraction, met: bool | None) -> Fraction:
    if met is None:
        return Fraction(weight) * UNKNOWN_SHARE
    return Fraction(weight) if met else Fraction(0)


def _reason(
    code: str, met: bool | None, weight: Fraction, points: Fraction, **params: object
) -> tuple[Reason, Fraction]:
    reason = Reason(code=code, met=met, weight=float(weight), points=float(points), params=params)
    return reason, points


def _scored(code: str, met: bool | None, weight: int | Fraction, **params: object) -> tuple[Reason, Fraction]:
    return _reason(code, met, Fraction(weight), _points(weight, met), **params)


def _condition_reason(condition: _Condition, need: NeedFacts, weight: Fraction) -> tuple[Reason, Fraction]:
    code = CONDITION_PREFIX + condition.name
    if condition.kind == "invalid":
        return _scored(
            code,
            None,
            weight,
            name=condition.name,
            kind=condition.kind,
            unknown=Unknown.INVALID_CONDITION,
            problem=condition.problem,
        )
    described: dict[str, object] = {"name": condition.name, "kind": condition.kind}
    if condition.kind == "range":
        described.update(min=condition.minimum, max=condition.maximum)
    elif condition.kind == "set":
        described.update(accepted=condition.accepted)
    else:
        described.update(expected=condition.expected)

    value = need.conditions.get(condition.name)
    if value is None:
        return _scored(code, None, weight, **described, unknown=Unknown.NOT_STATED)

    met: bool | None
    if condition.kind == "range":
        number = _number(value)
        met = (
            None
            if number is None
            else (condition.minimum is None or number >= condition.minimum)
            and (condition.maximum is None or number <= condition.maximum)
        )
        shown: object = number if number is not None else value
    elif condition.kind == "set":
        scalar = _scalar(value)
        met = None if scalar is None else scalar in condition.accepted
        shown = scalar if scalar is not None else value
    else:
        met = value is condition.expected if isinstance(value, bool) else None
        shown = value
    if met is None:
        return _scored(code, None, weight, **described, value=shown, unknown=Unknown.INCOMPARABLE)
    return _scored(code, met, weight, **described, value=shown)


def _cost_reason(need: NeedFacts, package: PackageFacts) -> tuple[Reason, Fraction]:
    code = ReasonCode.COST
    package_currency, need_currency = package.currency.strip().upper(), need.currency.strip().upper()
    costs = {"cost_min": package.cost_min, "cost_max": package.cost_max, "budget_max": need.budget_max}
    if need.budget_max is None:
        return _scored(code, None, COST_WEIGHT, **costs, currency=need_currency, unknown=Unknown.NO_BUDGET)
    if package.cost_min is None and package.cost_max is None:
        return _scored(code, None, COST_WEIGHT, **costs, currency=need_currency, unknown=Unknown.NO_COST)
    if not package_currency or package_currency != need_currency:
        return _scored(
            code,
            None,
            COST_WEIGHT,
            **costs,
            package_currency=package_currency,
            need_currency=need_currency,
            unknown=Unknown.CURRENCY_MISMATCH,
        )
    if package.cost_max is not None and package.cost_max <= need.budget_max:
        fit, met, share = CostFit.WITHIN, True, Fraction(1)
    elif package.cost_min is not None and package.cost_min > need.budget_max:
        fit, met, share = CostFit.ABOVE, False, Fraction(0)
    else:
        fit, met, share = CostFit.PARTLY, True, COST_PARTLY_SHARE
    weight = Fraction(COST_WEIGHT)
    return _reason(code, met, weight, weight * share, **costs, currency=need_currency, fit=fit)


def _evidence_reasons(need: NeedFacts, package: PackageFacts) -> list[tuple[Reason, Fraction]]:
    country = need.country.strip().upper()
    case_countries = {c.strip().upper() for c in package.case_countries}
    same_country = bool(country) and country in case_countries
    shared_regions = tuple(sorted(set(need.regions) & set(package.case_regions)))

    region_met: bool | None
    region_params: dict[str, object] = {"regions": shared_regions}
    if same_country:
        region_met = True
        region_params["via_country"] = True
    elif not case_countries:
        region_met = False
    elif not need.regions:
        region_met = None
        region_params["unknown"] = Unknown.NO_REGION
    else:
        region_met = bool(shared_regions)
    return [
        _scored(ReasonCode.CASE_SAME_COUNTRY, same_country, CASE_SAME_COUNTRY_WEIGHT, country=country),
        _scored(ReasonCode.CASE_SAME_REGION, region_met, CASE_SAME_REGION_WEIGHT, **region_params),
        _scored(ReasonCode.COBENEFIT_EVIDENCE, package.has_cobenefit_evidence, COBENEFIT_WEIGHT),
    ]


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def match(need: NeedFacts, package: PackageFacts) -> Match:
    """Score one package for the need, with its reasons (see the module docstring)."""
    field_params = {"need_field": need.field, "package_fields": tuple(sorted(package.fields))}
    if need.field not in package.fields:
        reason, _ = _scored(ReasonCode.FIELD, False, FIELD_WEIGHT, **field_params)
        return Match(package=package.code, score=0, reasons=(reason,))

    scored = [_scored(ReasonCode.FIELD, True, FIELD_WEIGHT, **field_params)]
    conditions = _parse_package_conditions(package.conditions)
    if conditions:
        share = Fraction(CONDITIONS_WEIGHT, len(conditions))
        scored.extend(_condition_reason(condition, need, share) for condition in conditions)
    else:
        scored.append(_scored(ReasonCode.CONDITIONS_UNSTATED, None, CONDITIONS_WEIGHT, unknown=Unknown.NONE_STATED))
    scored.append(_cost_reason(need, package))
    scored.extend(_evidence_reasons(need, package))

    total = sum((points for _, points in scored), Fraction(0))
    return Match(package=package.code, score=_round_half_up(total), reasons=tuple(reason for reason, _ in scored))


def rank(need: NeedFacts, packages: Iterable[PackageFacts]) -> list[Match]:
    """Every package scored for the need, best first; equal scores by package code. Codes must be unique."""
    matches: list[Match] = []
    seen: set[str] = set()
    for package in packages:
        if package.code in seen:
            raise ValueError(f"Package code {package.code!r} given twice.")
        seen.add(package.code)
        matches.append(match(need, package))
    return sorted(matches, key=lambda m: (-m.score, m.package))
