"""Running prepared activities: the one path from inputs to per-scenario arrays, for single and batch requests.

`evaluate` is a batch of one scenario: the single-request and batch paths call the same `prepare`, `compute`
and summation, so they give the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import Errors
from .factors import FactorSet, Override, default_factors
from .gwp import DEFAULT_GWP_SET, GWP_SETS, gwp_values
from .methods import FOD_CONVENTIONS, METHODS, Context, Prepared
from .methods.base import Columns, RawColumn
from .request import SIDES, Activity, ParsedRequest, parse_request, parse_years
from .result import SPECIES, Evaluation, ParameterValue, WorkingLine, co2e

ALL_SIDES = (*SIDES, "reduction")


def sum_sides(
    runs: Sequence[tuple[str, Mapping[str, np.ndarray], np.ndarray | None]], n_scenarios: int, n_years: int
) -> tuple[tuple[str, ...], dict[str, Mapping[str, np.ndarray]]]:
    """Add each activity's output (side, species arrays, scenario index or None) into (n_scenarios, years)."""
    sides: dict[str, dict[str, np.ndarray]] = {side: {} for side in SIDES}
    result: dict[str, Mapping[str, np.ndarray]] = dict(sides)
    present: set[str] = set()
    for side, out, scenario in runs:
        contiguous = scenario is not None and len(scenario) > 0 and bool(np.all(np.diff(scenario) == 1))
        unique_rows = scenario is None or np.bincount(scenario, minlength=n_scenarios).max(initial=0) <= 1
        for species, values in out.items():
            present.add(species)
            if species not in sides[side]:
                # empty + fill touches each page once; zeros + add faults twice (zero page, then copy-on-write)
                sides[side][species] = np.empty((n_scenarios, n_years))
                sides[side][species].fill(0.0)
            target = sides[side][species]
            values = np.broadcast_to(values, (values.shape[0], n_years))
            if scenario is None:
                target += values
            elif contiguous:
                target[scenario[0] : scenario[0] + len(scenario)] += values
            elif unique_rows:
                target[scenario] += values  # each scenario once: plain indexing adds correctly, and fast
            else:
                np.add.at(target, scenario, values)
    species = tuple(s for s in SPECIES if s in present)
    for side in SIDES:
        for s in species:
            if s not in sides[side]:
                sides[side][s] = np.zeros((n_scenarios, n_years))
    result["reduction"] = Difference(sides["baseline"], sides["project"])
    return species, result


class Difference(Mapping[str, np.ndarray]):
    """baseline − project per key, computed when first read (a batch's arrays are large)."""

    def __init__(self, baseline: Mapping[str, np.ndarray], project: Mapping[str, np.ndarray]) -> None:
        self._baseline, self._project = baseline, project
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self._cache:
            self._cache[key] = self._baseline[key] - self._project[key]
        return self._cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._baseline)

    def __len__(self) -> int:
        return len(self._baseline)


class _CO2e(Mapping[str, np.ndarray]):
    """CO2e per side, computed when first read."""

    def __init__(
        self, sides: Mapping[str, Mapping[str, np.ndarray]], gwp: Mapping[str, float], shape: tuple[int, int]
    ) -> None:
        self._sides, self._gwp, self._shape = sides, gwp, shape
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, side: str) -> np.ndarray:
        if side not in self._cache:
            if side == "reduction":
                self._cache[side] = self["baseline"] - self["project"]
            else:
                self._cache[side] = np.broadcast_to(co2e(self._sides[side], self._gwp), self._shape).copy()
        return self._cache[side]

    def __iter__(self) -> Iterator[str]:
        return iter(ALL_SIDES)

    def __len__(self) -> int:
        return len(ALL_SIDES)


def _co2e_sides(
    sides: Mapping[str, Mapping[str, np.ndarray]], gwp: Mapping[str, float], shape: tuple[int, int]
) -> dict[str, np.ndarray]:
    result = {side: np.broadcast_to(co2e(sides[side], gwp), shape).copy() for side in SIDES}
    result["reduction"] = result["baseline"] - result["project"]
    return result


def _parameter_values(activity: Activity, factors: FactorSet) -> tuple[ParameterValue, ...]:
    prepared = activity.prepared
    values = []
    for name, array in prepared.params.items():
        flat = np.asarray(array, dtype=float)[0]
        shown: float | list[float] = float(flat[0]) if flat.shape[0] == 1 else [float(v) for v in flat]
        if name in prepared.refs:
            factor_ids, unit = prepared.refs[name]
            factor = factors.get(str(factor_ids[0]))
            values.append(
                ParameterValue(
                    name,
                    shown,
                    unit,
                    factor.id,
                    factor.source.to_dict(),
                    factor.grade,
                    factor.check,
                    factor.value,
                    factor.unit,
                )
            )
        elif name in prepared.inputs:
            raw, unit = prepared.inputs[name]
            source = {"document": raw.source or "input", "table": raw.path, "edition": ""}
            values.append(ParameterValue(name, shown, unit, "", source, raw.grade or "user"))
        else:
            source = {"document": "method default or derived from the inputs", "table": "", "edition": ""}
            values.append(ParameterValue(name, shown, "1", "", source))
    return tuple(values)


def evaluate_parsed(parsed: ParsedRequest) -> Evaluation:
    ctx = parsed.context
    n_years = len(parsed.years)
    runs, lines = [], []
    for activity in parsed.activities:
        out = activity.method.compute(activity.prepared.params, activity.prepared.static, ctx)
        out = {s: np.broadcast_to(v, np.broadcast_shapes(v.shape, (1, n_years))) for s, v in out.items()}
        runs.append((activity.side, out, None))
        lines.append(
            WorkingLine(
                activity.side,
                activity.index,
                activity.path,
                activity.method.name,
                activity.method.version,
                activity.method.equations,
                _parameter_values(activity, parsed.factors),
                {s: [float(x) for x in v[0]] for s, v in out.items()},
            )
        )
    species, sides = sum_sides(runs, 1, n_years)
    gwp = gwp_values(parsed.factors, parsed.gwp_set)
    totals = _co2e_sides(sides, gwp, (1, n_years))
    return Evaluation(
        years=parsed.years,
        gwp_set=parsed.gwp_set,
        gwp=gwp,
        fod_convention=parsed.fod_convention,
        species=species,
        baseline={s: sides["baseline"][s][0] for s in species},
        project={s: sides["project"][s][0] for s in species},
        reduction={s: sides["reduction"][s][0] for s in species},
        co2e={side: totals[side][0] for side in ALL_SIDES},
        factor_versions=dict(parsed.factors.versions),
        overrides=tuple(parsed.factors.overrides.values()),
        lines=tuple(lines),
    )


def evaluate(request: Mapping[str, Any], *, factors: FactorSet | None = None) -> Evaluation:
    """Evaluate one request (see `request_schema()`); EvaluationError lists every problem of the request."""
    return evaluate_parsed(parse_request(request, factors=factors))


# --------------------------------------------------------------------------- batch


@dataclass(frozen=True)
class ActivityBatch:
    """Many activities of one method as columns (dotted input names, as the request flattens them).

    A column is an array over the rows (one per scenario, or per year too: shape (n, years)) or
    {"values": array, "unit": "t"}; choices are arrays of strings. `scenario` gives the scenario of each row
    (default: row i is scenario i), so a scenario can have several activities of one method.
    """

    method: str
    columns: Mapping[str, Any]
    scenario: Sequence[int] | np.ndarray | None = None


@dataclass(frozen=True)
class BatchEvaluation:
    years: tuple[int, ...]
    gwp_set: str
    gwp: Mapping[str, float]
    fod_convention: str
    species: tuple[str, ...]
    baseline: Mapping[str, np.ndarray]  # species -> (n_scenarios, years), t
    project: Mapping[str, np.ndarray]
    reduction: Mapping[str, np.ndarray]
    co2e: Mapping[str, np.ndarray]  # side -> (n_scenarios, years), t CO2e
    factor_versions: Mapping[str, str]
    overrides: tuple[Override, ...] = field(default=())

    def side(self, name: str) -> Mapping[str, np.ndarray]:
        return {"baseline": self.baseline, "project": self.project, "reduction": self.reduction}[name]

    def totals(self, species: str = "co2e", side: str = "reduction") -> np.ndarray:
        """Per scenario, summed over the years."""
        values = self.co2e[side] if species == "co2e" else self.side(side)[species]
        return values.sum(axis=1)


def _batch_columns(columns: Mapping[str, Any], path: str, errors: Errors) -> dict[str, RawColumn]:
    raw = {}
    for name, column in columns.items():
        here = f"{path}.{name}"
        if isinstance(column, Mapping):
            unit = column.get("unit")
            raw[name] = RawColumn(
                column.get("values"), unit, here, str(column.get("grade", "")), str(column.get("source", ""))
            )
        else:
            raw[name] = RawColumn(column, None, here)
    return raw


def evaluate_batch(
    *,
    n_scenarios: int,
    years: Mapping[str, int],
    baseline: Sequence[ActivityBatch],
    project: Sequence[ActivityBatch],
    gwp: str = DEFAULT_GWP_SET,
    fod_convention: str = "ipcc2006",
    factor_overrides: Mapping[str, Any] | None = None,
    factors: FactorSet | None = None,
) -> BatchEvaluation:
    """Evaluate many scenarios at once (vectorised); the same numbers as `evaluate` row by row."""
    errors = Errors()
    year_range = parse_years(years, errors)
    if gwp not in GWP_SETS:
        errors.add("gwp", "unknown_choice", f"unknown gwp {gwp!r}; one of: {', '.join(GWP_SETS)}")
    if fod_convention not in FOD_CONVENTIONS:
        errors.add("fod_convention", "unknown_choice", f"unknown fod_convention {fod_convention!r}")
    factor_set = (factors or default_factors()).with_overrides(factor_overrides, errors)
    n_years = max(len(year_range), 1)
    ctx = Context(factor_set, n_years, fod_convention)
    prepared: list[tuple[str, Prepared, np.ndarray | None]] = []
    for side, batches in (("baseline", baseline), ("project", project)):
        for i, batch in enumerate(batches):
            path = f"{side}[{i}]"
            method = METHODS.get(batch.method)
            if method is None:
                errors.add(f"{path}.method", "unknown_method", f"unknown method {batch.method!r}")
                continue
            scenario = None
            n = n_scenarios
            if batch.scenario is not None:
                scenario = np.asarray(batch.scenario, dtype=np.int64)
                n = scenario.shape[0]
                if scenario.ndim != 1 or (n and (scenario.min() < 0 or scenario.max() >= n_scenarios)):
                    errors.add(f"{path}.scenario", "out_of_range", f"scenario indexes must be in 0..{n_scenarios - 1}")
                    continue
            cols = Columns(
                _batch_columns(batch.columns, path, errors),
                n=n,
                n_years=n_years,
                errors=errors,
                batch=True,
                prefix=path,
            )
            result = method.prepare(cols, ctx)
            cols.unknown_fields(path)
            if result is not None:
                prepared.append((side, result, scenario))
    errors.raise_if_any()
    runs = [(side, p.method.compute(p.params, p.static, ctx), scenario) for side, p, scenario in prepared]
    species, sides = sum_sides(runs, n_scenarios, n_years)
    gwp_map = gwp_values(factor_set, gwp)
    return BatchEvaluation(
        years=year_range,
        gwp_set=gwp,
        gwp=gwp_map,
        fod_convention=fod_convention,
        species=species,
        baseline=sides["baseline"],
        project=sides["project"],
        reduction=sides["reduction"],
        co2e=_co2e_sides(sides, gwp_map, (n_scenarios, n_years)),
        factor_versions=dict(factor_set.versions),
        overrides=tuple(factor_set.overrides.values()),
    )
