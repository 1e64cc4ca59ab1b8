"""Progress of an indicator toward its target: the compound-annual-growth-rate (CAGR) method.

The method national SDG reporting platforms use (Open SDG; Statistics Canada's
"progress toward targets"):

* With a target: the target is achieved when the latest value has reached it
  in the desired direction. Otherwise R = observed CAGR / required CAGR, where
  observed CAGR = (latest / base) ** (1 / (latest_year - base_year)) - 1 and
  required CAGR = (target / base) ** (1 / (target_year - base_year)) - 1.
  R >= 0.95 substantial, 0.60 <= R < 0.95 moderate, 0 <= R < 0.60 limited,
  R < 0 deterioration. Because both rates carry the sign of the desired
  direction, the ratio works unchanged for "lower is better" (emissions).
* Without a target: the observed CAGR, signed so that positive is the desired
  direction: >= 1.5 % substantial, 0.5 % to 1.5 % moderate, 0 % to 0.5 %
  limited, < 0 deterioration.
* Not available: a missing value or year, latest_year <= base_year (fewer than
  two points), a target year not after the base year, or, without a target, a
  zero baseline (no relative growth can be expressed).

Non-positive values: the CAGR is undefined when the baseline, the latest value
or the target is zero or negative (e.g. a net balance). The engine then falls
back to *linear* annual growth rates, (latest - base) / years / |base| (and
likewise for the target), which give the same ratio R as the ratio of the
annual slopes; with a zero baseline the slopes themselves are used.
The Assessment's `method` says which was used.

Target already met at the baseline: if the latest value still meets it, the
target is achieved; if it no longer does, the required rate points the wrong
way and the status is deterioration.

No Django here (import-linter contract): usable from scripts and benchmarks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = [
    "Assessment",
    "Assessments",
    "Direction",
    "Status",
    "assess",
    "assess_many",
    "rollup",
    "score",
    "status_for_score",
]

SUBSTANTIAL_RATIO = 0.95
MODERATE_RATIO = 0.60
SUBSTANTIAL_GROWTH = 0.015
MODERATE_GROWTH = 0.005


class Status(StrEnum):
    """Progress categories (same values as measures.models.ProgressStatus)."""

    ACHIEVED = "achieved"
    SUBSTANTIAL = "substantial"
    MODERATE = "moderate"
    LIMITED = "limited"
    DETERIORATION = "deterioration"
    NOT_AVAILABLE = "not_available"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


@dataclass(frozen=True)
class Assessment:
    """The status and the figures behind it (rates as fractions: 0.015 is 1.5 % a year)."""

    status: Status
    ratio: float | None = None
    observed_cagr: float | None = None
    required_cagr: float | None = None
    explanation: str = ""
    method: str = "cagr"  # "cagr" or "linear" (non-positive values)


_SCORES: dict[Status, float | None] = {
    Status.ACHIEVED: 1.0,
    Status.SUBSTANTIAL: 0.85,
    Status.MODERATE: 0.6,
    Status.LIMITED: 0.3,
    Status.DETERIORATION: 0.0,
    Status.NOT_AVAILABLE: None,
}


def _sign(direction: Direction | str) -> float:
    return -1.0 if Direction(direction) is Direction.DECREASE else 1.0


def _missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _by_ratio(r: float) -> Status:
    if r >= SUBSTANTIAL_RATIO:
        return Status.SUBSTANTIAL
    if r >= MODERATE_RATIO:
        return Status.MODERATE
    if r >= 0:
        return Status.LIMITED
    return Status.DETERIORATION


def _by_growth(g: float) -> Status:
    if g >= SUBSTANTIAL_GROWTH:
        return Status.SUBSTANTIAL
    if g >= MODERATE_GROWTH:
        return Status.MODERATE
    if g >= 0:
        return Status.LIMITED
    return Status.DETERIORATION


def assess(
    *,
    base_year: int | None,
    base_value: float | None,
    latest_year: int | None,
    latest_value: float | None,
    target_year: int | None = None,
    target_value: float | None = None,
    direction: Direction | str,
) -> Assessment:
    """Assess one indicator series (see the module docstring for the method)."""
    sign = _sign(direction)
    if _missing(base_year) or _missing(base_value) or _missing(latest_year) or _missing(latest_value):
        return Assessment(Status.NOT_AVAILABLE, explanation="Needs a baseline and a later value.")
    assert base_year is not None
    assert base_value is not None
    assert latest_year is not None
    assert latest_value is not None
    if latest_year <= base_year:
        return Assessment(Status.NOT_AVAILABLE, explanation="The latest value is not later than the base year.")
    base, latest = float(base_value), float(latest_value)
    n_obs = float(latest_year - base_year)
    positive = base > 0 and latest > 0
    scale = abs(base) if base != 0 else 1.0
    linear_obs = (latest - base) / n_obs / scale
    observed = (latest / base) ** (1.0 / n_obs) - 1.0 if positive else linear_obs

    if not _missing(target_year) and not _missing(target_value):
        assert target_year is not None
        assert target_value is not None
        target = float(target_value)
        if sign * (latest - target) >= 0:
            return Assessment(
                Status.ACHIEVED,
                observed_cagr=observed,
                explanation="The latest value has reached the target.",
                method="cagr" if positive else "linear",
            )
        if target_year <= base_year:
            return Assessment(Status.NOT_AVAILABLE, explanation="The target year is not after the base year.")
        n_req = float(target_year - base_year)
        by_cagr = positive and target > 0
        if by_cagr:
            required = (target / base) ** (1.0 / n_req) - 1.0
        else:
            observed = linear_obs
            required = (target - base) / n_req / scale
        method = "cagr" if by_cagr else "linear"
        if sign * required <= 0:
            return Assessment(
                Status.DETERIORATION,
                observed_cagr=observed,
                required_cagr=required,
                explanation="The baseline met the target but the latest value no longer does.",
                method=method,
            )
        ratio = observed / required
        return Assessment(
            _by_ratio(ratio),
            ratio=ratio,
            observed_cagr=observed,
            required_cagr=required,
            explanation=f"Observed rate {observed:.2%} a year against {required:.2%} required (ratio {ratio:.2f}).",
            method=method,
        )

    if not positive and base == 0:
        return Assessment(Status.NOT_AVAILABLE, explanation="No relative growth from a zero baseline.")
    growth = sign * observed
    return Assessment(
        _by_growth(growth),
        observed_cagr=observed,
        explanation=f"Observed rate {observed:.2%} a year, no target.",
        method="cagr" if positive else "linear",
    )


@dataclass(frozen=True)
class Assessments:
    """Column results of `assess_many`: statuses as strings, rates and ratios as floats (NaN: none)."""

    status: npt.NDArray[np.object_]
    ratio: npt.NDArray[np.float64]
    observed_cagr: npt.NDArray[np.float64]
    required_cagr: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.status)


def _floats(values: Sequence[float | int | None] | npt.ArrayLike) -> npt.NDArray[np.float64]:
    arr = np.asarray(values, dtype=object)
    return np.array([np.nan if v is None else float(v) for v in arr.ravel()], dtype=np.float64)


def assess_many(
    *,
    base_year: npt.ArrayLike,
    base_value: npt.ArrayLike,
    latest_year: npt.ArrayLike,
    latest_value: npt.ArrayLike,
    target_year: npt.ArrayLike,
    target_value: npt.ArrayLike,
    direction: npt.ArrayLike,
) -> Assessments:
    """`assess` over columns (None/NaN for missing), vectorised with NumPy; row i equals assess(row i)."""
    by, bv, ly, lv = (_floats(a) for a in (base_year, base_value, latest_year, latest_value))  # type: ignore[arg-type]
    ty, tv = _floats(target_year), _floats(target_value)  # type: ignore[arg-type]
    sign = np.where(
        np.array([str(getattr(d, "value", d)) for d in np.asarray(direction, dtype=object).ravel()]) == "decrease",
        -1.0,
        1.0,
    )
    with np.errstate(all="ignore"):
        valid = np.isfinite(by) & np.isfinite(bv) & np.isfinite(ly) & np.isfinite(lv) & (ly > by)
        has_target = np.isfinite(ty) & np.isfinite(tv)
        n_obs = ly - by
        n_req = ty - by
        positive = (bv > 0) & (lv > 0)
        scale = np.where(bv != 0, np.abs(bv), 1.0)
        linear_obs = (lv - bv) / n_obs / scale
        observed = np.where(positive, np.power(lv / bv, 1.0 / n_obs) - 1.0, linear_obs)

        by_cagr = positive & (tv > 0)
        obs_t = np.where(by_cagr, observed, linear_obs)
        req_t = np.where(by_cagr, np.power(tv / bv, 1.0 / n_req) - 1.0, (tv - bv) / n_req / scale)
        ratio_t = obs_t / req_t
        achieved = sign * (lv - tv) >= 0
        status_t = np.select(
            [
                achieved,
                ty <= by,
                sign * req_t <= 0,
                ratio_t >= SUBSTANTIAL_RATIO,
                ratio_t >= MODERATE_RATIO,
                ratio_t >= 0,
            ],
            [
                Status.ACHIEVED.value,
                Status.NOT_AVAILABLE.value,
                Status.DETERIORATION.value,
                Status.SUBSTANTIAL.value,
                Status.MODERATE.value,
                Status.LIMITED.value,
            ],
            default=Status.DETERIORATION.value,
        )
        growth = sign * observed
        status_n = np.select(
            [
                ~positive & (bv == 0),
                growth >= SUBSTANTIAL_GROWTH,
                growth >= MODERATE_GROWTH,
                growth >= 0,
            ],
            [Status.NOT_AVAILABLE.value, Status.SUBSTANTIAL.value, Status.MODERATE.value, Status.LIMITED.value],
            default=Status.DETERIORATION.value,
        )
        status = np.where(valid, np.where(has_target, status_t, status_n), Status.NOT_AVAILABLE.value).astype(object)
        ratio_known = valid & has_target & ~achieved & (ty > by) & (sign * req_t > 0)
        ratio = np.where(ratio_known, ratio_t, np.nan)
        observed_out = np.where(
            valid & ~(~has_target & ~positive & (bv == 0)) & ~(has_target & ~achieved & (ty <= by)),
            np.where(has_target & ~achieved & (ty > by), obs_t, observed),
            np.nan,
        )
        required_out = np.where(valid & has_target & ~achieved & (ty > by), req_t, np.nan)
    return Assessments(status=status, ratio=ratio, observed_cagr=observed_out, required_cagr=required_out)


def score(status: Status | str) -> float | None:
    """A number for rolling statuses up: achieved 1.0 … deterioration 0.0; not available None."""
    return _SCORES[Status(status)]


def rollup(items: Iterable[tuple[float | None, float]]) -> float | None:
    """Weighted mean of the available scores (items: (score, weight)); None when nothing is available."""
    total = weight_sum = 0.0
    for item_score, weight in items:
        if item_score is None or weight is None or float(weight) <= 0:
            continue
        total += float(item_score) * float(weight)
        weight_sum += float(weight)
    return total / weight_sum if weight_sum > 0 else None


def status_for_score(value: float | None) -> Status:
    """The category of a rolled-up score: the nearest level (boundaries halfway between the levels' scores)."""
    if value is None or math.isnan(value):
        return Status.NOT_AVAILABLE
    if value >= 0.925:
        return Status.ACHIEVED
    if value >= 0.725:
        return Status.SUBSTANTIAL
    if value >= 0.45:
        return Status.MODERATE
    if value >= 0.15:
        return Status.LIMITED
    return Status.DETERIORATION
