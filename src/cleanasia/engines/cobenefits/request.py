"""Reading a request dict into prepared activities, collecting every error with the path of its field.

A quantity is `{"value": 1.2, "unit": "%"}` or a per-year list `{"values": [...], "unit": "t"}` of the year
range's length, optionally with `"grade"` (measured / design / default) and `"source"`. Lists keyed by a type
(`controls`, `generation_mix`, `treatment`) and dicts by key (`composition`) are flattened to dotted names
(`controls.fgd.efficiency`), which are also the column names of the batch path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Errors
from .factors import GRADES, FactorSet, default_factors
from .gwp import DEFAULT_GWP_SET, GWP_SETS
from .methods import FOD_CONVENTIONS, METHODS, Context, Method, Prepared
from .methods.base import Columns, RawColumn

SIDES = ("baseline", "project")
TOP_LEVEL = {"years", "gwp", "fod_convention", "baseline", "project", "factor_overrides", "label"}
MAX_YEARS = 1000
QUANTITY_KEYS = {"value", "values", "unit", "grade", "source"}


@dataclass
class Activity:
    side: str
    index: int
    path: str
    method: Method
    prepared: Prepared


@dataclass
class ParsedRequest:
    years: tuple[int, ...]
    gwp_set: str
    fod_convention: str
    factors: FactorSet
    activities: list[Activity]

    @property
    def context(self) -> Context:
        return Context(self.factors, len(self.years), self.fod_convention)


def parse_years(value: object, errors: Errors, path: str = "years") -> tuple[int, ...]:
    if not isinstance(value, Mapping):
        errors.add(path, "required", "years {start, end} is required")
        return ()
    start, end = value.get("start"), value.get("end")
    ok = True
    for key, year in (("start", start), ("end", end)):
        if isinstance(year, bool) or not isinstance(year, int):
            errors.add(f"{path}.{key}", "required", "a whole year is required")
            ok = False
    if not ok:
        return ()
    assert isinstance(start, int)
    assert isinstance(end, int)
    if end < start:
        errors.add(f"{path}.end", "year_range", f"the range ends ({end}) before it starts ({start})")
        return ()
    if end - start + 1 > MAX_YEARS:
        errors.add(f"{path}.end", "year_range", f"at most {MAX_YEARS} years")
        return ()
    return tuple(range(start, end + 1))


def parse_choice(request: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str, errors: Errors) -> str:
    value = request.get(key, default)
    if value not in choices:
        errors.add(key, "unknown_choice", f"unknown {key} {value!r}; one of: {', '.join(choices)}")
        return default
    return str(value)


def _raw(value: object, path: str, errors: Errors) -> RawColumn:
    if isinstance(value, Mapping):
        for key in sorted(set(value) - QUANTITY_KEYS, key=str):
            errors.add(f"{path}.{key}", "unknown_field", f"unknown field {key!r} of a quantity")
        if ("value" in value) == ("values" in value):
            errors.add(path, "required", "give value (one for every year) or values (one per year)")
        values = value.get("value", value.get("values"))
        if "values" in value and not isinstance(values, list):
            errors.add(f"{path}.values", "wrong_type", "values must be a list, one per year")
        elif "value" in value and isinstance(values, list):
            errors.add(f"{path}.value", "wrong_type", "value must be one number; use values for a per-year list")
        unit = value.get("unit")
        if unit is not None and not isinstance(unit, str):
            errors.add(f"{path}.unit", "wrong_type", "unit must be a string")
            unit = None
        grade = value.get("grade", "")
        if grade and grade not in GRADES:
            errors.add(f"{path}.grade", "unknown_choice", f"grade must be one of {', '.join(GRADES)}")
        return RawColumn(values, unit, path, str(grade), str(value.get("source", "")))
    return RawColumn(value, None, path)


def flatten_activity(activity: Mapping[str, Any], path: str, method: Method, errors: Errors) -> dict[str, RawColumn]:
    """The activity's inputs by dotted name (see the module docstring)."""
    raw: dict[str, RawColumn] = {}
    for key, value in activity.items():
        here = f"{path}.{key}"
        if key == "method":
            continue
        if key in method.keyed_lists:
            key_field = method.keyed_lists[key]
            if not isinstance(value, list):
                errors.add(here, "wrong_type", f"a list of objects with {key_field!r} is expected")
                continue
            for i, item in enumerate(value):
                item_path = f"{here}[{i}]"
                if not isinstance(item, Mapping) or not isinstance(item.get(key_field), str):
                    errors.add(f"{item_path}.{key_field}", "required", f"{key_field} is required")
                    continue
                name = f"{key}.{item[key_field]}"
                if name in raw:
                    errors.add(f"{item_path}.{key_field}", "duplicate", f"{item[key_field]!r} is listed twice")
                    continue
                raw[name] = RawColumn(True, None, item_path)
                for field, field_value in item.items():
                    if field != key_field:
                        raw[f"{name}.{field}"] = _raw(field_value, f"{item_path}.{field}", errors)
        elif key in method.families:
            if not isinstance(value, Mapping):
                errors.add(here, "wrong_type", "an object keyed by type is expected")
                continue
            for sub, sub_value in value.items():
                raw[f"{key}.{sub}"] = _raw(sub_value, f"{here}.{sub}", errors)
        else:
            raw[key] = _raw(value, here, errors)
    return raw


def prepare_activity(
    activity: object, path: str, side: str, index: int, ctx: Context, errors: Errors
) -> Activity | None:
    if not isinstance(activity, Mapping):
        errors.add(path, "wrong_type", "an activity must be an object")
        return None
    method = METHODS.get(activity.get("method"))  # type: ignore[arg-type]
    if method is None:
        errors.add(
            f"{path}.method",
            "unknown_method",
            f"unknown method {activity.get('method')!r}; one of: {', '.join(METHODS)}",
        )
        return None
    raw = flatten_activity(activity, path, method, errors)
    cols = Columns(raw, n=1, n_years=ctx.n_years, errors=errors, batch=False, prefix=path)
    prepared = method.prepare(cols, ctx)
    cols.unknown_fields(path)
    if prepared is None:
        return None
    return Activity(side, index, path, method, prepared)


def parse_request(request: object, *, factors: FactorSet | None = None) -> ParsedRequest:
    """Validate and prepare a whole request; EvaluationError lists every problem found."""
    errors = Errors()
    if not isinstance(request, Mapping):
        errors.add("", "wrong_type", "the request must be an object")
        errors.raise_if_any()
    assert isinstance(request, Mapping)
    for key in sorted(set(request) - TOP_LEVEL, key=str):
        errors.add(str(key), "unknown_field", f"unknown field {key!r}")
    years = parse_years(request.get("years"), errors)
    gwp_set = parse_choice(request, "gwp", GWP_SETS, DEFAULT_GWP_SET, errors)
    convention = parse_choice(request, "fod_convention", FOD_CONVENTIONS, "ipcc2006", errors)
    factor_set = (factors or default_factors()).with_overrides(request.get("factor_overrides"), errors)
    ctx = Context(factor_set, max(len(years), 1), convention)
    activities: list[Activity] = []
    for side in SIDES:
        scenario = request.get(side)
        if not isinstance(scenario, Mapping) or not isinstance(scenario.get("activities"), list):
            errors.add(f"{side}.activities", "required", "a list of activities is required (it may be empty)")
            continue
        for key in sorted(set(scenario) - {"activities", "label"}, key=str):
            errors.add(f"{side}.{key}", "unknown_field", f"unknown field {key!r}")
        for index, activity in enumerate(scenario["activities"]):
            parsed = prepare_activity(activity, f"{side}.activities[{index}]", side, index, ctx, errors)
            if parsed is not None:
                activities.append(parsed)
    errors.raise_if_any()
    return ParsedRequest(years, gwp_set, convention, factor_set, activities)
