"""Units: one pint registry for the engine, and conversion of inputs to the engine's internal units.

Internal units: mass t, energy TJ, electricity MWh, volume m³, fractions 1. Conversions are done once per
input (a factor times the values), so arrays of a batch cost one pint call per column.

Two definitions differ from pint's defaults on purpose: `kt` is the kilotonne (pint reads it as the knot),
and the year is 365 days, the year of IPCC and CDM annual amounts (pint's is the Julian 365.25 days, which
would make 1 t/d come out at 365.25 t/yr).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pint

from .errors import FieldError

UREG = pint.UnitRegistry(on_redefinition="ignore")
UREG.define("year = 365 * day = a = yr")
UREG.define("kt = 1e3 * tonne")
UREG.define("scf = foot ** 3")  # standard cubic foot (AP-42 gas volumes); the reference state is the caller's
UREG.define("person = 1 = capita = cap")  # per-person rates (g/person/d)

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPER_RUN = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)")
# "lb/10^6 scf", "lb/10⁶ scf", "lb/1e6 scf": the number scales the unit after it, as AP-42 means it.
_SCALED_DENOMINATOR = re.compile(
    r"/\s*(10\s*(?:\*\*|\^)\s*-?\d+|\d+(?:\.\d+)?e-?\d+|10)\s*\*?\s*([A-Za-z_][\w]*(?:\s*\*\*\s*\d+)?)"
)


class UnitProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _normalise(unit: str) -> str:
    text = _SUPER_RUN.sub(lambda m: "**" + m.group(1).translate(_SUPERSCRIPTS), unit.strip())
    text = text.replace("·", "*").replace("^", "**").replace("³", "**3")
    text = _SCALED_DENOMINATOR.sub(lambda m: f"/({m.group(1)} * {m.group(2)})", text)
    return text or "dimensionless"


@lru_cache(maxsize=4096)
def parse_unit(unit: str) -> pint.Quantity:
    """The unit as a pint Quantity of magnitude 1 (or the scale it carries, as in 'lb/10^6 scf')."""
    if not isinstance(unit, str):
        raise UnitProblem("unknown_unit", f"unit must be a string, not {type(unit).__name__}")
    if unit.strip() in ("", "1"):
        return UREG.Quantity(1.0, "dimensionless")
    try:
        quantity = UREG.parse_expression(_normalise(unit))
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        SyntaxError,
        ValueError,
        TypeError,
    ) as exc:
        raise UnitProblem("unknown_unit", f"unknown unit {unit!r}") from exc
    if not isinstance(quantity, pint.Quantity):
        quantity = UREG.Quantity(float(quantity), "dimensionless")
    return quantity


@lru_cache(maxsize=4096)
def conversion_factor(unit: str, target: str) -> float:
    """How many `target` one `unit` is; UnitProblem for an unknown unit or another dimension."""
    quantity = parse_unit(unit)
    try:
        return float(quantity.to(parse_unit(target)).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitProblem(
            "wrong_dimension", f"unit {unit!r} is not a {describe(target)} (expected something like {target!r})"
        ) from exc


_DIMENSION_NAMES = {
    "mass": "kg",
    "energy": "J",
    "volume": "m**3",
    "mass per energy": "kg/J",
    "mass per volume": "kg/m**3",
    "energy per mass": "J/kg",
    "energy per volume": "J/m**3",
    "volume per mass": "m**3/kg",
    "mass per time": "kg/s",
    "rate per time": "1/s",
}


def describe(target: str) -> str:
    """A dimension in words for messages ('energy', 'mass per energy'), else pint's own notation."""
    dims = parse_unit(target).dimensionality
    if not dims:
        return "fraction or number"
    for name, unit in _DIMENSION_NAMES.items():
        if parse_unit(unit).dimensionality == dims:
            return name
    return str(dims)


def matching_basis(unit: str, targets: dict[str, str]) -> tuple[str, float]:
    """The first basis whose target unit `unit` converts to, with the factor; UnitProblem if none."""
    parse_unit(unit)
    for basis, target in targets.items():
        try:
            return basis, conversion_factor(unit, target)
        except UnitProblem:
            continue
    expected = " or ".join(describe(t) for t in targets.values())
    raise UnitProblem("wrong_dimension", f"unit {unit!r} is not a {expected}")


def to_base(value: float | np.ndarray, unit: str, target: str, path: str) -> float | np.ndarray:
    """`value` in `unit` expressed in `target`; a FieldError naming `path` wrapped in EvaluationError if not."""
    from .errors import EvaluationError

    try:
        return value * conversion_factor(unit, target)
    except UnitProblem as problem:
        raise EvaluationError([FieldError(f"{path}.unit", problem.code, problem.message)]) from problem
