"""The factor library: every default factor is data, read from the versioned JSON files in `data/`.

Each factor carries value, unit, uncertainty range (low, high), source (document, table, edition), data-quality
grade and a `check` flag for values not yet confirmed in a primary source. A `FactorSet` is the library for one
evaluation: the defaults plus the user's overrides (value + unit required, source optional), which are
recorded so the result can show what was changed and from what.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import Errors, EvaluationError, FieldError
from .units import UnitProblem, conversion_factor

DATA_DIR = Path(__file__).resolve().parent / "data"
FACTOR_FILES = ("combustion", "controls", "grid", "gwp", "landfill", "wastewater")
GRADES = ("measured", "design", "default", "user")


@dataclass(frozen=True)
class Source:
    document: str
    table: str = ""
    edition: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"document": self.document, "table": self.table, "edition": self.edition}


@dataclass(frozen=True)
class Factor:
    id: str
    value: float
    unit: str
    low: float
    high: float
    source: Source
    grade: str = "default"
    check: bool = False
    range_check: bool = False
    note: str = ""
    file: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def in_unit(self, target: str) -> float:
        return self.value * conversion_factor(self.unit, target)

    @property
    def uncertain(self) -> bool:
        return self.low < self.high

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "value": self.value,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "source": self.source.to_dict(),
            "grade": self.grade,
            "check": self.check,
            "range_check": self.range_check,
            "note": self.note,
            "file": self.file,
        }


@dataclass(frozen=True)
class Override:
    """A user's value for a factor in one evaluation, beside the default it replaced."""

    factor_id: str
    value: float
    unit: str
    source: str
    default: Factor

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor_id": self.factor_id,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "default": {
                "value": self.default.value,
                "unit": self.default.unit,
                "source": self.default.source.to_dict(),
            },
        }


@dataclass(frozen=True)
class FactorSet:
    factors: Mapping[str, Factor]
    versions: Mapping[str, str]
    tables: Mapping[str, Mapping[str, Any]]  # each file's other sections (fuel list, waste types…)
    overrides: Mapping[str, Override] = field(default_factory=dict)

    def __contains__(self, factor_id: object) -> bool:
        return factor_id in self.factors

    def get(self, factor_id: str) -> Factor:
        return self.factors[factor_id]

    def value(self, factor_id: str, target: str) -> float:
        return self.factors[factor_id].in_unit(target)

    def with_overrides(self, overrides: object, errors: Errors, path: str = "factor_overrides") -> FactorSet:
        """This set with the user's overrides applied; problems go to `errors` (the valid ones still apply)."""
        if overrides is None:
            return self
        if not isinstance(overrides, Mapping):
            errors.add(path, "wrong_type", "must be an object keyed by factor id")
            return self
        factors = dict(self.factors)
        recorded = dict(self.overrides)
        for factor_id, spec in overrides.items():
            here = f"{path}.{factor_id}"
            default = self.factors.get(factor_id)
            if default is None:
                errors.add(here, "unknown_factor", f"no factor {factor_id!r} in the library")
                continue
            if not isinstance(spec, Mapping):
                errors.add(here, "wrong_type", "must be an object with value and unit")
                continue
            unknown = set(spec) - {"value", "unit", "source", "low", "high", "grade"}
            for key in sorted(unknown):
                errors.add(f"{here}.{key}", "unknown_field", f"unknown field {key!r}")
            value, unit = spec.get("value"), spec.get("unit")
            ok = True
            if not _is_number(value):
                errors.add(f"{here}.value", "required", "a numeric value is required")
                ok = False
            if not isinstance(unit, str) or not unit.strip():
                errors.add(f"{here}.unit", "required", "a unit is required for a factor override")
                ok = False
            if not ok:
                continue
            try:
                scale = conversion_factor(unit, default.unit)
            except UnitProblem as problem:
                errors.add(f"{here}.unit", problem.code, f"{problem.message} (the factor is in {default.unit!r})")
                continue
            central = float(value) * scale
            low, high = central, central
            for key in ("low", "high"):
                if key in spec:
                    if not _is_number(spec[key]):
                        errors.add(f"{here}.{key}", "wrong_type", "must be a number in the override's unit")
                        ok = False
                        continue
                    bound = float(spec[key]) * scale
                    low, high = (bound, high) if key == "low" else (low, bound)
            if ok and not low <= central <= high:
                errors.add(here, "out_of_range", "low <= value <= high must hold")
                ok = False
            if central < 0:
                errors.add(f"{here}.value", "negative", "a factor cannot be negative")
                ok = False
            grade = spec.get("grade", "user")
            if grade not in GRADES:
                errors.add(f"{here}.grade", "unknown_choice", f"grade must be one of {', '.join(GRADES)}")
                ok = False
            if not ok:
                continue
            source = str(spec.get("source") or "")
            factors[factor_id] = replace(
                default,
                value=central,
                low=low,
                high=high,
                source=Source(source or "user override"),
                grade=grade,
                check=False,
                range_check=False,
                note=f"override of the default {default.value} {default.unit}",
            )
            recorded[factor_id] = Override(factor_id, float(value), unit, source, default)
        return replace(self, factors=factors, overrides=recorded)


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and value == value and abs(value) != float("inf")
    )


def load_factor_file(path: Path) -> tuple[str, list[Factor], dict[str, Any]]:
    """One factor file: (version, factors, other sections); ValueError naming the entry if malformed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ValueError(f"{path.name}: no version")
    factors = []
    for entry in data["factors"]:
        try:
            source = entry["source"]
            factor = Factor(
                id=entry["id"],
                value=float(entry["value"]),
                unit=entry["unit"],
                low=float(entry["low"]),
                high=float(entry["high"]),
                source=Source(source["document"], source.get("table", ""), source.get("edition", "")),
                grade=entry.get("grade", "default"),
                check=bool(entry.get("check", False)),
                range_check=bool(entry.get("range_check", False)),
                note=entry.get("note", ""),
                file=path.stem,
                extra={k: v for k, v in entry.items() if k not in _FACTOR_KEYS},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}: bad factor entry {entry.get('id', entry)!r}: {exc}") from exc
        if not factor.low <= factor.value <= factor.high:
            raise ValueError(f"{path.name}: {factor.id}: low <= value <= high does not hold")
        if factor.check and not factor.note:
            raise ValueError(f"{path.name}: {factor.id}: a (check) value needs a note")
        conversion_factor(factor.unit, factor.unit)  # the unit must parse
        factors.append(factor)
    tables = {k: v for k, v in data.items() if k not in ("version", "factors")}
    return version, factors, tables


_FACTOR_KEYS = {"id", "value", "unit", "low", "high", "source", "grade", "check", "range_check", "note"}


def load_factors(directory: Path = DATA_DIR) -> FactorSet:
    """The factor files of `directory` as one FactorSet (ids must be unique across files)."""
    factors: dict[str, Factor] = {}
    versions: dict[str, str] = {}
    tables: dict[str, Mapping[str, Any]] = {}
    for name in FACTOR_FILES:
        version, items, other = load_factor_file(directory / f"{name}.json")
        versions[name] = version
        tables[name] = other
        for factor in items:
            if factor.id in factors:
                raise ValueError(f"factor id {factor.id!r} defined twice")
            factors[factor.id] = factor
    return FactorSet(factors=factors, versions=versions, tables=tables)


@lru_cache(maxsize=1)
def default_factors() -> FactorSet:
    """The shipped library (read once per process)."""
    return load_factors()


def require(factors: FactorSet, factor_id: str, path: str, errors: Errors) -> Factor | None:
    """The factor, or a `factor_missing` error at `path` (the default library has no value for that case)."""
    if factor_id in factors:
        return factors.get(factor_id)
    errors.add(path, "factor_missing", f"no default factor {factor_id!r}: give a value for this field")
    return None


__all__ = [
    "EvaluationError",
    "Factor",
    "FactorSet",
    "FieldError",
    "Override",
    "Source",
    "default_factors",
    "load_factors",
]
