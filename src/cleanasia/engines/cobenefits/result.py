"""Results: per year and in total, per gas and pollutant, baseline, project and reduction, with the working.

Every amount is in tonnes per year; CO2e with the evaluation's GWP set (stored with the result). Biogenic CO2 is
a memo item: reported, never in CO2e. `to_dict()` is JSON-safe for the API, the PDF and storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .factors import Override

GHG = ("co2", "ch4", "n2o")
MEMO = ("co2_biogenic",)
POLLUTANTS = ("so2", "nox", "pm10", "pm25", "bod", "cod")
SPECIES = (*GHG, *MEMO, *POLLUTANTS)
SIDES = ("baseline", "project", "reduction")


def species_kind(species: str) -> str:
    return "ghg" if species in GHG else "memo" if species in MEMO else "pollutant"


def co2e(amounts: Mapping[str, np.ndarray], gwp: Mapping[str, float]) -> np.ndarray:
    """CO2 + GWP_CH4·CH4 + GWP_N2O·N2O (biogenic CO2 excluded), same shape as the inputs."""
    total = np.zeros(1)
    for gas in GHG:
        if gas in amounts:
            total = total + gwp[gas] * amounts[gas]
    return total


@dataclass(frozen=True)
class ParameterValue:
    name: str
    value: float | list[float]
    unit: str
    factor_id: str = ""
    source: Mapping[str, str] | None = None
    grade: str = ""
    check: bool = False
    factor_value: float | None = None  # the factor as published, in its own unit
    factor_unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "factor_id": self.factor_id,
            "source": dict(self.source) if self.source else None,
            "grade": self.grade,
            "check": self.check,
            "factor_value": self.factor_value,
            "factor_unit": self.factor_unit,
        }


@dataclass(frozen=True)
class WorkingLine:
    """One activity's calculation, enough to recompute it by hand."""

    scenario: str
    index: int
    path: str
    method: str
    method_version: str
    equations: tuple[str, ...]
    parameters: tuple[ParameterValue, ...]
    results: Mapping[str, list[float]]  # species -> t per year

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "index": self.index,
            "path": self.path,
            "method": self.method,
            "method_version": self.method_version,
            "equations": list(self.equations),
            "parameters": [p.to_dict() for p in self.parameters],
            "results": {k: list(v) for k, v in self.results.items()},
        }


@dataclass(frozen=True)
class Evaluation:
    years: tuple[int, ...]
    gwp_set: str
    gwp: Mapping[str, float]
    fod_convention: str
    species: tuple[str, ...]
    baseline: Mapping[str, np.ndarray]  # species -> t per year
    project: Mapping[str, np.ndarray]
    reduction: Mapping[str, np.ndarray]
    co2e: Mapping[str, np.ndarray]  # side -> t CO2e per year
    factor_versions: Mapping[str, str]
    overrides: tuple[Override, ...] = ()
    lines: tuple[WorkingLine, ...] = field(default=())

    def side(self, name: str) -> Mapping[str, np.ndarray]:
        return {"baseline": self.baseline, "project": self.project, "reduction": self.reduction}[name]

    def total(self, species: str, side: str = "reduction") -> float:
        """Sum over the years; `species` may be 'co2e'."""
        values = self.co2e[side] if species == "co2e" else self.side(side)[species]
        return float(np.sum(values))

    def summary_rows(self, project: str, **attributes: object) -> list[dict[str, Any]]:
        """One row per year for `aggregate`: {"project", "year", **attributes, "values": {...}}."""
        rows = []
        for i, year in enumerate(self.years):
            values = {f"{s}_{side}": float(self.side(side)[s][i]) for s in self.species for side in SIDES}
            values |= {f"co2e_{side}": float(self.co2e[side][i]) for side in SIDES}
            rows.append({"project": project, "year": year, **attributes, "values": values})
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "years": list(self.years),
            "gwp": {"set": self.gwp_set, "values": dict(self.gwp)},
            "fod_convention": self.fod_convention,
            "biogenic_co2": "memo item, excluded from CO2e",
            "unit": "t",
            "species": {
                s: {
                    "kind": species_kind(s),
                    **{side: self.side(side)[s].tolist() for side in SIDES},
                    "total": {side: self.total(s, side) for side in SIDES},
                }
                for s in self.species
            },
            "co2e": {
                "unit": "t CO2e",
                **{side: self.co2e[side].tolist() for side in SIDES},
                "total": {side: self.total("co2e", side) for side in SIDES},
            },
            "factor_versions": dict(self.factor_versions),
            "overrides": [o.to_dict() for o in self.overrides],
            "lines": [line.to_dict() for line in self.lines],
        }
