"""Monte Carlo over the factors' ranges, reproducible with a seed.

Each default factor used by the request with a range (low < high) is drawn from a triangular distribution
(low, mode = the factor's value, high): bounded like the published ranges, peaked at the published value, and
skewed where the range is (IPCC ranges are often asymmetric). One draw per factor is shared by every activity
that uses it, baseline and project alike, so a shared factor moves both and the reduction stays consistent.
User inputs, and overrides given without low/high, are held fixed; GWPs are not drawn.
Reported for each total: the central value (the deterministic evaluation), the median and the 95 % interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import ALL_SIDES, _co2e_sides, evaluate_parsed, sum_sides
from .factors import FactorSet
from .gwp import gwp_values
from .request import parse_request
from .units import conversion_factor

DISTRIBUTION = "triangular(low, mode=value, high)"


@dataclass(frozen=True)
class Interval:
    central: float
    median: float
    low: float  # 2.5th percentile
    high: float  # 97.5th percentile

    def to_dict(self) -> dict[str, float]:
        return {"central": self.central, "median": self.median, "p2_5": self.low, "p97_5": self.high}


@dataclass(frozen=True)
class UncertaintyResult:
    draws: int
    seed: int
    distribution: str
    factors_varied: tuple[str, ...]
    totals: Mapping[str, Mapping[str, Interval]]  # species or "co2e" -> side -> interval of the total

    def to_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "distribution": self.distribution,
            "factors_varied": list(self.factors_varied),
            "totals": {k: {side: i.to_dict() for side, i in v.items()} for k, v in self.totals.items()},
        }


def monte_carlo(
    request: Mapping[str, Any], *, draws: int = 10_000, seed: int = 0, factors: FactorSet | None = None
) -> UncertaintyResult:
    """Totals of the request with their median and 95 % interval over `draws` factor draws."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    parsed = parse_request(request, factors=factors)
    central = evaluate_parsed(parsed)
    ctx = parsed.context
    used = sorted({str(ids[0]) for a in parsed.activities for ids, _ in a.prepared.refs.values()})
    varied = [fid for fid in used if parsed.factors.get(fid).uncertain]
    rng = np.random.default_rng(seed)
    sampled = {}
    for fid in varied:
        factor = parsed.factors.get(fid)
        sampled[fid] = rng.triangular(factor.low, factor.value, factor.high, size=draws)
    runs = []
    for activity in parsed.activities:
        params = dict(activity.prepared.params)
        for name, (ids, unit) in activity.prepared.refs.items():
            fid = str(ids[0])
            if fid in sampled:
                params[name] = sampled[fid][:, None] * conversion_factor(parsed.factors.get(fid).unit, unit)
        out = activity.method.compute(params, activity.prepared.static, ctx)
        out = {s: np.broadcast_to(v, np.broadcast_shapes(v.shape, (draws, ctx.n_years))) for s, v in out.items()}
        runs.append((activity.side, out, None))
    species, sides = sum_sides(runs, draws, ctx.n_years)
    co2e = _co2e_sides(sides, gwp_values(parsed.factors, parsed.gwp_set), (draws, ctx.n_years))
    totals: dict[str, dict[str, Interval]] = {}
    for name in (*species, "co2e"):
        totals[name] = {}
        for side in ALL_SIDES:
            values = (co2e[side] if name == "co2e" else sides[side][name]).sum(axis=1)
            p_low, median, p_high = np.percentile(values, [2.5, 50.0, 97.5])
            totals[name][side] = Interval(central.total(name, side), float(median), float(p_low), float(p_high))
    return UncertaintyResult(draws, seed, DISTRIBUTION, tuple(varied), totals)
