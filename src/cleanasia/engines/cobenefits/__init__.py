"""Co-benefits calculation engine: GHG and local pollutants of a project, baseline minus project, year by year.

Pure Python and NumPy, no Django (import-linter contract): the platform's pages, API, CLI, Excel import and
PDF call these functions.

Public API:

* `evaluate(request, *, factors=None) -> Evaluation`: one project. `request` is a dict (see `request_schema()`):
  years {start, end}, gwp (SAR, AR4, AR5 default, AR6), fod_convention (ipcc2006, cdm_tool04), baseline and
  project activities (each names a `method`), factor_overrides {factor id: {value, unit, source?, low?, high?}}.
  The result holds per-year and total amounts per gas and pollutant (t), CO2e, the working of every activity,
  the factor file versions and the overrides. Bad input raises `EvaluationError` listing every `FieldError`
  (path, stable code, English message).
* `evaluate_batch(*, n_scenarios, years, baseline, project, gwp, fod_convention, factor_overrides, factors)
  -> BatchEvaluation`: many scenarios as columns (`ActivityBatch`), vectorised; the same numbers as `evaluate`.
* `monte_carlo(request, *, draws=10_000, seed=0, factors=None) -> UncertaintyResult`: median and 95 % interval
  of every total over the factors' ranges.
* `aggregate(rows, links, *, by) -> Aggregation`: portfolio totals without double counting
  (`Evaluation.summary_rows(project, **attributes)` gives the rows).
* `method_catalogue()`, `request_schema()`, `default_factors()` / `load_factors(directory)` (the factor library).

Methods (`methods/`): stationary_combustion, grid_electricity, landfill_fod, waste_treatment,
wastewater_domestic, wastewater_industrial. Factors: versioned JSON files in `data/`, each value with its
source; "(check)" values carry `check: true` and a note.
"""

from __future__ import annotations

from .engine import ActivityBatch, BatchEvaluation, evaluate, evaluate_batch
from .errors import EvaluationError, FieldError
from .factors import Factor, FactorSet, default_factors, load_factors
from .portfolio import Aggregation, Group, aggregate
from .result import SPECIES, Evaluation, ParameterValue, WorkingLine
from .schema import method_catalogue, request_schema
from .uncertainty import Interval, UncertaintyResult, monte_carlo

__all__ = [
    "SPECIES",
    "ActivityBatch",
    "Aggregation",
    "BatchEvaluation",
    "Evaluation",
    "EvaluationError",
    "Factor",
    "FactorSet",
    "FieldError",
    "Group",
    "Interval",
    "ParameterValue",
    "UncertaintyResult",
    "WorkingLine",
    "aggregate",
    "default_factors",
    "evaluate",
    "evaluate_batch",
    "load_factors",
    "method_catalogue",
    "monte_carlo",
    "request_schema",
]
