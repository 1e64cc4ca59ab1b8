"""What every method shares: the parameter description, reading inputs as arrays, looking factors up per row.

A method reads its inputs from `Columns`: one activity of a request (n = 1) or a column of many scenarios
(the batch path), so both paths run the same `prepare` and `compute` and give the same numbers. `prepare`
turns inputs and factors into arrays in internal units (shape (n, 1) or (n, years)) and remembers which
factor each came from (for the working lines and for Monte Carlo); `compute` is pure NumPy over them and
broadcasts, so Monte Carlo can pass (draws, 1) arrays in place of a factor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np

from ..errors import Errors
from ..factors import FactorSet
from ..units import UnitProblem, describe, matching_basis

Array = np.ndarray


@dataclass(frozen=True)
class Cat:
    """Labels per row kept as the distinct labels and an index per row: cheap over 100,000 rows."""

    labels: tuple[str, ...]
    index: Array  # int, one per row

    @staticmethod
    def full(n: int, label: str) -> Cat:
        return Cat((label,), np.zeros(n, dtype=np.intp))

    @staticmethod
    def where(mask: Array, yes: Cat | str, no: Cat | str) -> Cat:
        n = len(mask)
        yes = yes if isinstance(yes, Cat) else Cat.full(n, yes)
        no = no if isinstance(no, Cat) else Cat.full(n, no)
        return Cat(
            yes.labels + no.labels, np.where(np.asarray(mask).reshape(-1), yes.index, no.index + len(yes.labels))
        )

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, row: int) -> str:
        return self.labels[int(self.index[row])]

    def map(self, function: Callable[[str], str]) -> Cat:
        return Cat(tuple(function(label) for label in self.labels), self.index)

    def per_row(self, function: Callable[[str], float]) -> Array:
        """function(label) for every row, as an (n, 1) float array."""
        return np.asarray([function(label) for label in self.labels], dtype=float)[self.index].reshape(-1, 1)

    def is_(self, label: str) -> Array:
        return np.asarray([item == label for item in self.labels], dtype=bool)[self.index]

    def distinct(self) -> set[str]:
        return {self.labels[i] for i in np.unique(self.index)}


@dataclass(frozen=True)
class Parameter:
    """One input of a method, as the catalogue and the request schema describe it."""

    name: str
    kind: str  # "quantity", "choice", "flag", "family" (a quantity per key, e.g. composition.food)
    description: str
    unit: str = ""  # internal unit (or the accepted dimensions in words, for several bases)
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    default_factor: str = ""  # factor id pattern used when the input is not given
    per_year: bool = False  # may be a per-year list

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "unit": self.unit,
            "required": self.required,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "choices": list(self.choices),
            "default_factor": self.default_factor,
            "per_year": self.per_year,
        }


@dataclass(frozen=True)
class Method:
    name: str
    version: str
    title_en: str
    title_ja: str
    description: str
    parameters: tuple[Parameter, ...]
    equations: tuple[str, ...]
    species: tuple[str, ...]
    prepare: Callable[[Columns, Context], Prepared | None]
    compute: Callable[[Mapping[str, Array], Mapping[str, Any], Context], dict[str, Array]]
    keyed_lists: Mapping[str, str] = field(default_factory=dict)  # list field -> its key field
    families: tuple[str, ...] = ()  # dict fields flattened as <name>.<key>

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "title_en": self.title_en,
            "title_ja": self.title_ja,
            "description": self.description,
            "parameters": [p.to_dict() for p in self.parameters],
            "equations": list(self.equations),
            "species": list(self.species),
        }


@dataclass(frozen=True)
class Context:
    factors: FactorSet
    n_years: int
    fod_convention: str = "ipcc2006"


@dataclass
class RawColumn:
    """An input as given: a scalar, a per-year list, or (batch) an array over scenarios."""

    values: Any
    unit: str | None
    path: str
    grade: str = ""
    source: str = ""


@dataclass
class Prepared:
    method: Method
    n: int
    params: dict[str, Array] = field(default_factory=dict)
    static: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, tuple[Cat, str]] = field(default_factory=dict)  # param -> (factor id per row, unit)
    inputs: dict[str, tuple[RawColumn, str]] = field(default_factory=dict)  # param -> (input, internal unit)


def _rows(mask: Array) -> str:
    rows = np.flatnonzero(np.asarray(mask).reshape(mask.shape[0], -1).any(axis=1))
    shown = ", ".join(str(r) for r in rows[:5])
    return f" (rows {shown}{', …' if len(rows) > 5 else ''})"


class Columns:
    """The inputs of one activity (n = 1) or of a batch of n scenarios, read and checked as arrays."""

    def __init__(
        self, raw: Mapping[str, RawColumn], *, n: int, n_years: int, errors: Errors, batch: bool, prefix: str
    ) -> None:
        self.raw = dict(raw)
        self.prefix = prefix
        self.n = n
        self.n_years = n_years
        self.errors = errors
        self.batch = batch
        self.used: set[str] = set()

    def has(self, name: str) -> bool:
        return name in self.raw

    def path(self, name: str) -> str:
        return self.raw[name].path

    def keys(self, prefix: str) -> list[str]:
        """The keys of a family or keyed list present, e.g. keys("composition") -> ["food", "paper"]."""
        start = prefix + "."
        found = []
        for name in self.raw:
            if name.startswith(start):
                key = name[len(start) :].split(".", 1)[0]
                if key not in found:
                    found.append(key)
        return found

    def mark(self, *names: str) -> None:
        self.used.update(names)

    def unknown_fields(self, prefix: str) -> None:
        for name, column in self.raw.items():
            if name not in self.used:
                self.errors.add(column.path, "unknown_field", f"{name!r} is not an input of this method")

    def _numbers(self, column: RawColumn, per_year: bool) -> Array | None:
        values = column.values
        try:
            if self.batch:
                array = np.asarray(values, dtype=float)
                if array.ndim == 1 and array.shape[0] == self.n:
                    array = array[:, None]
                elif not (array.ndim == 2 and array.shape == (self.n, self.n_years) and per_year):
                    shape = f"({self.n},)" + (f" or ({self.n}, {self.n_years})" if per_year else "")
                    self.errors.add(column.path, "wrong_length", f"expected an array of shape {shape}")
                    return None
            elif isinstance(values, list | tuple):
                if not per_year:
                    self.errors.add(column.path, "wrong_type", "a single value is expected, not a per-year list")
                    return None
                if len(values) != self.n_years:
                    self.errors.add(
                        column.path, "wrong_length", f"{len(values)} values for a range of {self.n_years} years"
                    )
                    return None
                if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
                    self.errors.add(column.path, "wrong_type", "values must be numbers")
                    return None
                array = np.asarray(values, dtype=float)[None, :]
            elif isinstance(values, int | float) and not isinstance(values, bool):
                array = np.full((1, 1), float(values))
            else:
                self.errors.add(column.path, "wrong_type", "a number or {value, unit} is expected")
                return None
        except (TypeError, ValueError):
            self.errors.add(column.path, "wrong_type", "values must be numbers")
            return None
        if not np.all(np.isfinite(array)):
            self.errors.add(column.path, "not_a_number", "values must be finite numbers" + _rows(~np.isfinite(array)))
            return None
        return array

    def quantity(
        self,
        name: str,
        targets: str | Mapping[str, str],
        *,
        required: bool = False,
        minimum: float | None = 0.0,
        maximum: float | None = None,
        above_minimum: bool = False,
        per_year: bool = False,
    ) -> tuple[Array, str] | None:
        """The input converted to the target unit of the first basis its unit fits, as (array, basis)."""
        self.mark(name)
        column = self.raw.get(name)
        if column is None:
            if required:
                self.errors.add(self._missing_path(name), "required", f"{name} is required")
            return None
        bases = {"": targets} if isinstance(targets, str) else dict(targets)
        unit = column.unit
        if unit is None:
            if any(not _is_fraction(t) for t in bases.values()):
                self.errors.add(f"{column.path}.unit", "required", "a unit is required")
                self._numbers(column, per_year)
                return None
            unit = ""
        try:
            basis, scale = matching_basis(unit, bases)
        except UnitProblem as problem:
            self.errors.add(
                f"{column.path}.unit" if column.unit is not None else column.path, problem.code, problem.message
            )
            return None
        array = self._numbers(column, per_year)
        if array is None:
            return None
        array = array * scale
        target = bases[basis]
        if minimum is not None:
            bad = array <= minimum if above_minimum else array < minimum
            if bad.any():
                code = "negative" if minimum == 0 and not above_minimum else "out_of_range"
                relation = "above" if above_minimum else "at least"
                self.errors.add(column.path, code, f"must be {relation} {minimum} {target}".rstrip() + _rows(bad))
                return None
        if maximum is not None and (array > maximum * (1 + 1e-12)).any():
            shown = f"{maximum} (100 %)" if maximum == 1 and _is_fraction(target) else f"{maximum} {target}"
            self.errors.add(column.path, "out_of_range", f"must be at most {shown}" + _rows(array > maximum))
            return None
        return array, basis

    def choice(
        self, name: str, choices: Iterable[str], *, required: bool = False, default: str | None = None, label: str = ""
    ) -> Cat | None:
        """The input as labels per row, each one of `choices`."""
        self.mark(name)
        allowed = list(choices)
        column = self.raw.get(name)
        if column is None:
            if required:
                self.errors.add(self._missing_path(name), "required", f"{name} is required")
                return None
            return None if default is None else Cat.full(self.n, default)
        if self.batch:
            values = np.asarray(column.values, dtype=object).reshape(-1)
            if values.shape[0] != self.n:
                self.errors.add(column.path, "wrong_length", f"expected {self.n} values")
                return None
            if not all(isinstance(v, str) for v in values):
                self.errors.add(column.path, "wrong_type", "text values are expected")
                return None
            labels, index = np.unique(values.astype(str), return_inverse=True)
            cat = Cat(tuple(str(v) for v in labels), index.reshape(-1))
        else:
            if not isinstance(column.values, str):
                self.errors.add(column.path, "wrong_type", "a text value is expected")
                return None
            cat = Cat((column.values,), np.zeros(1, dtype=np.intp))
        bad_labels = [i for i, v in enumerate(cat.labels) if v not in allowed]
        if bad_labels:
            what = label or name
            code = "unknown_" + label if label in ("fuel", "method") else "unknown_choice"
            rows = _rows(np.isin(cat.index, bad_labels).reshape(-1, 1)) if self.batch else ""
            shown = cat.labels[bad_labels[0]]
            self.errors.add(column.path, code, f"unknown {what} {shown!r}; one of: {', '.join(allowed)}{rows}")
            return None
        return cat

    def flag(self, name: str, *, default: bool = False) -> Array | None:
        self.mark(name)
        column = self.raw.get(name)
        if column is None:
            return np.full((self.n, 1), default)
        values = (
            np.asarray(column.values, dtype=object).reshape(-1)
            if self.batch
            else np.array([column.values], dtype=object)
        )
        if values.shape[0] != self.n or not all(isinstance(v, bool | np.bool_) for v in values):
            self.errors.add(column.path, "wrong_type", "true or false expected")
            return None
        return values.astype(bool)[:, None]

    def _missing_path(self, name: str) -> str:
        return f"{self.prefix}.{name}"


def _is_fraction(target: str) -> bool:
    return describe(target) == "fraction or number"


def lookup(factors: FactorSet, ids: Cat, target: str, errors: Errors, path: str) -> Array | None:
    """Factor values per row (n, 1) in `target`, from factor ids per row; factor_missing names `path`."""
    used = np.unique(ids.index)
    values = np.zeros(len(ids.labels))
    for i in used:
        factor_id = ids.labels[i]
        if factor_id not in factors:
            errors.add(path, "factor_missing", f"no default factor {factor_id!r}: give a value for this field")
            return None
        values[i] = factors.value(factor_id, target)
    return values[ids.index].reshape(-1, 1)


def input_or_factor(
    cols: Columns,
    prepared: Prepared,
    param: str,
    targets: str | Mapping[str, str],
    factor_ids: Cat | None,
    ctx: Context,
    *,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    above_minimum: bool = False,
    per_year: bool = False,
    path_for_factor: str | None = None,
) -> bool:
    """Set `param` from the user's input if given, else from the factor of each row; False on error."""
    got = cols.quantity(
        param, targets, minimum=minimum, maximum=maximum, above_minimum=above_minimum, per_year=per_year
    )
    if got is not None:
        array, basis = got
        target = targets if isinstance(targets, str) else targets[basis]
        prepared.params[param] = array
        prepared.inputs[param] = (cols.raw[param], target)
        prepared.static[f"{param}_basis"] = basis
        return True
    if cols.has(param):
        return False  # the input was given but is wrong: its error is recorded
    if factor_ids is None:
        return False
    target = targets if isinstance(targets, str) else next(iter(targets.values()))
    if not isinstance(targets, str):
        prepared.static[f"{param}_basis"] = next(iter(targets))
    values = lookup(ctx.factors, factor_ids, target, cols.errors, path_for_factor or f"{cols.prefix}.{param}")
    if values is None:
        return False
    prepared.params[param] = values
    prepared.refs[param] = (factor_ids, target)
    return True


def ids(pattern: str, **parts: Cat | str) -> Cat:
    """Factor ids per row from a pattern, e.g. ids("combustion.ncv.{fuel}", fuel=fuels): formatted once per
    combination of labels, never per row."""
    cats = {k: v for k, v in parts.items() if isinstance(v, Cat)}
    fixed = {k: v for k, v in parts.items() if not isinstance(v, Cat)}
    if not cats:
        raise ValueError("ids() needs at least one per-row part")
    names = list(cats)
    code = np.zeros(len(cats[names[0]]), dtype=np.intp)
    for name in names:
        code = code * len(cats[name].labels) + cats[name].index
    labels = tuple(
        pattern.format(**fixed, **dict(zip(names, combination, strict=True)))
        for combination in product(*(cats[name].labels for name in names))
    )
    return Cat(labels, code)


def destroyed(captured_share: Array, destruction: Array) -> Array:
    """Fraction of generated methane emitted given capture and destruction: (1 − c) + c·(1 − DE)."""
    return (1.0 - captured_share) + captured_share * (1.0 - destruction)


def shape_of(*arrays: Array) -> tuple[int, ...]:
    return np.broadcast_shapes(*(a.shape for a in arrays))
