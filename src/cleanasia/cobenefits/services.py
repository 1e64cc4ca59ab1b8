"""Co-benefits evaluation as the command line and the API use it: read a request, evaluate it, serialise the
result; the plain-text tables of the command line.

Stateless: nothing here touches the database. The calculation is the engine's (`cleanasia.engines.cobenefits`);
this module only turns text into a request, a request into the result document (`Evaluation.to_dict()`, the
same for the command line and the API) and a result document into a table. Every problem of a request is an
engine `FieldError` (path, code, English message); text that is not JSON is one more, at the path "" (the
request as a whole).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cleanasia.engines.cobenefits import (
    EvaluationError,
    FieldError,
    evaluate,
    method_catalogue,
    monte_carlo,
    request_schema,
)

__all__ = [
    "API_MAX_ACTIVITY_YEARS",
    "MAX_SEED",
    "MAX_UNCERTAINTY_DRAWS",
    "EvaluationError",
    "FieldError",
    "catalogue",
    "error_lines",
    "evaluate_document",
    "evaluate_text",
    "format_evaluation_table",
    "format_methods_table",
    "format_uncertainty_table",
    "parse_json",
    "problem_errors",
    "schema",
    "uncertainty_document",
    "uncertainty_options",
]

# The API's bound on the work of one request: activities × years (a request of 10 activities over 1000 years,
# or 100 over 100, is about a megabyte of result). The command line runs on one's own machine, unbounded.
API_MAX_ACTIVITY_YEARS = 10_000
# The Monte Carlo of the API and the command line: `uncertainty_draws` (0 = none) and its seed.
MAX_UNCERTAINTY_DRAWS = 20_000
# The API's bound on the Monte Carlo's work: draws × activities × years (20,000 draws of a 50 activity-year
# request). Without it an anonymous caller could ask for 20,000 draws of 10,000 activity-years: gigabytes.
API_MAX_DRAW_ACTIVITY_YEARS = 1_000_000
MAX_SEED = 2**32 - 1

SPECIES_LABELS = {
    "co2": "CO2",
    "ch4": "CH4",
    "n2o": "N2O",
    "so2": "SO2",
    "nox": "NOx",
    "pm10": "PM10",
    "pm25": "PM2.5",
    "bod": "BOD",
    "cod": "COD",
}
SIDES = ("baseline", "project", "reduction")


# --- reading and evaluating ------------------------------------------------------------------------------------


def parse_json(text: str | bytes) -> Any:
    """The JSON document in `text`; EvaluationError (path "", code "malformed_json") if it is not JSON."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            message = f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        else:
            message = f"not valid JSON: {exc}"
        raise EvaluationError([FieldError("", "malformed_json", message)]) from exc


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259); the API's parser refuses them too.
    raise ValueError(f"{name} is not a JSON value")


def _activity_years(document: Mapping[str, Any]) -> int:
    """activities × years of a request as sent (0 where it is too malformed to tell; the engine says why)."""
    years = document.get("years")
    span = 0
    if isinstance(years, Mapping):
        start, end = years.get("start"), years.get("end")
        if isinstance(start, int) and isinstance(end, int):
            span = max(end - start + 1, 0)
    activities = 0
    for side in ("baseline", "project"):
        scenario = document.get(side)
        if isinstance(scenario, Mapping) and isinstance(scenario.get("activities"), list):
            activities += len(scenario["activities"])
    return activities * span


def evaluate_document(document: Any, *, max_activity_years: int | None = None) -> dict[str, Any]:
    """The result document of one request (a dict as JSON gives it); EvaluationError lists every problem.

    `max_activity_years` bounds activities × years (the API passes API_MAX_ACTIVITY_YEARS).
    """
    if max_activity_years is not None and isinstance(document, Mapping):
        size = _activity_years(document)
        if size > max_activity_years:
            raise EvaluationError(
                [
                    FieldError(
                        "",
                        "too_large",
                        f"{size} activity-years (activities × years); at most {max_activity_years} in one request: "
                        "split it, or use the command line",
                    )
                ]
            )
    return evaluate(document).to_dict()


def _bounded_integer(name: str, value: Any, maximum: int, errors: list[FieldError]) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        errors.append(FieldError(name, "wrong_type", f"must be a whole number from 0 to {maximum}"))
        return 0
    number = int(text)
    if not 0 <= number <= maximum:
        errors.append(FieldError(name, "out_of_range", f"must be from 0 to {maximum}, not {number}"))
    return number


def uncertainty_options(draws: Any = 0, seed: Any = 0) -> tuple[int, int]:
    """`uncertainty_draws` (0 = no Monte Carlo, at most MAX_UNCERTAINTY_DRAWS) and `seed` (0 to MAX_SEED) read
    from text or numbers; EvaluationError names each bad one (path: the parameter's name)."""
    errors: list[FieldError] = []
    draws_value = _bounded_integer("uncertainty_draws", draws, MAX_UNCERTAINTY_DRAWS, errors)
    seed_value = _bounded_integer("seed", seed, MAX_SEED, errors)
    if errors:
        raise EvaluationError(errors)
    return draws_value, seed_value


def uncertainty_document(
    document: Any, *, draws: int, seed: int = 0, max_draw_activity_years: int | None = None
) -> dict[str, Any]:
    """The Monte Carlo of a request (already evaluated, so valid) over the factors' ranges as JSON:
    `UncertaintyResult.to_dict()` (draws, seed, distribution, factors_varied, totals). `max_draw_activity_years`
    bounds draws × activities × years (the API passes API_MAX_DRAW_ACTIVITY_YEARS)."""
    if max_draw_activity_years is not None and isinstance(document, Mapping):
        work = draws * _activity_years(document)
        if work > max_draw_activity_years:
            raise EvaluationError(
                [
                    FieldError(
                        "uncertainty_draws",
                        "too_large",
                        f"{draws} draws × {_activity_years(document)} activity-years; at most "
                        f"{max_draw_activity_years} in one request: ask for fewer draws",
                    )
                ]
            )
    return monte_carlo(document, draws=draws, seed=seed).to_dict()


def evaluate_text(text: str | bytes, *, max_activity_years: int | None = None) -> dict[str, Any]:
    """parse_json + evaluate_document."""
    return evaluate_document(parse_json(text), max_activity_years=max_activity_years)


def catalogue() -> list[dict[str, Any]]:
    """Every method with its parameters (the engine's catalogue)."""
    return method_catalogue()


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a request (the engine's)."""
    return request_schema()


# --- errors ------------------------------------------------------------------------------------------------------


def error_lines(errors: Iterable[FieldError]) -> list[str]:
    """`path: message` for each problem; the request as a whole is named so."""
    return [f"{error.path or _('(the whole request)')}: {error.message}" for error in errors]


def dotted(path: str) -> str:
    """An engine path in the API's dotted convention: `baseline.activities[0].fuel` → `baseline.activities.0.fuel`."""
    return re.sub(r"\[(\d+)\]", r".\1", path)


def problem_errors(errors: Iterable[FieldError]) -> list[dict[str, Any]]:
    """The `errors` of a validation problem: the engine's {path, code, message}, and the API's usual
    {field, detail} beside them (field dotted, null for the request as a whole), so that a client that reads
    any other endpoint's errors reads these too."""
    return [
        {
            "path": error.path,
            "code": error.code,
            "message": error.message,
            "field": dotted(error.path) or None,
            "detail": error.message,
        }
        for error in errors
    ]


# --- tables ------------------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 0.001:
        return f"{value:,.3f}"
    return f"{value:.3e}"


def _width(text: str) -> int:
    """Columns the text takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric_from: int = 1) -> list[str]:
    """Columns padded to their widest cell; columns from `numeric_from` on are right-aligned."""
    widths = [max(_width(str(row[i])) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            padding = " " * (width - _width(str(cell)))
            padded.append(f"{padding}{cell}" if i >= numeric_from else f"{cell}{padding}")
        return "  ".join(padded).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def species_label(species: str) -> str:
    if species == "co2_biogenic":
        return _("CO2 (biogenic, memo item)")
    return SPECIES_LABELS.get(species, species)


def _years_text(years: Sequence[int]) -> str:
    if not years:
        return ""
    if len(years) == 1:
        return str(years[0])
    return f"{years[0]}–{years[-1]}"


def format_evaluation_table(result: Mapping[str, Any]) -> str:
    """A result document as text: totals over the years per gas and pollutant, CO2e, then CO2e by year."""
    years = list(result["years"])
    gwp = result["gwp"]
    gwp_values = ", ".join(f"{SPECIES_LABELS.get(gas, gas)} {value:g}" for gas, value in gwp["values"].items())
    count = ngettext("%(n)s year", "%(n)s years", len(years)) % {"n": len(years)}
    lines = [
        _("Co-benefits evaluation result"),
        f"{_('Years')}: {_years_text(years)} ({count})",
        f"{_('GWP set')}: {gwp['set']} ({gwp_values})",
        f"{_('Landfill decay convention')}: {result['fod_convention']}",
        "",
        _("Totals over the years"),
    ]
    sides = [_("Baseline scenario"), _("Project scenario"), _("Reduction")]
    rows = []
    for species, amounts in result["species"].items():
        totals = amounts["total"]
        rows.append([species_label(species), *(_number(totals[side]) for side in SIDES), result["unit"]])
    co2e = result["co2e"]
    rows.append(
        [
            _("CO2e (%(gwp)s)") % {"gwp": gwp["set"]},
            *(_number(co2e["total"][side]) for side in SIDES),
            co2e["unit"],
        ]
    )
    lines += _table([_("Gas or pollutant"), *sides, _("Unit")], rows)
    lines.append(
        _("Biogenic CO2 is reported as a memo item and is not counted in CO2e. A negative reduction is an increase.")
    )
    lines += ["", _("CO2e by year (t CO2e)")]
    by_year = [[str(year), *(_number(co2e[side][i]) for side in SIDES)] for i, year in enumerate(years)]
    lines += _table([_("Year"), *sides], by_year)
    return "\n".join(lines)


def format_uncertainty_table(uncertainty: Mapping[str, Any], *, gwp_set: str) -> str:
    """The `uncertainty` object as text: median and 95 % interval of each total beside its central value."""
    lines = [
        _("Uncertainty of the totals"),
        _(
            "Monte Carlo over the factors' ranges (triangular distributions, user inputs fixed): seed %(seed)s, "
            "%(draws)s draws."
        )
        % {"seed": uncertainty["seed"], "draws": uncertainty["draws"]},
        f"{_('Factors drawn:')} {', '.join(uncertainty['factors_varied']) or '–'}",
    ]
    sides = {"baseline": _("Baseline scenario"), "project": _("Project scenario"), "reduction": _("Reduction")}
    rows = []
    for name, by_side in uncertainty["totals"].items():
        label = _("CO2e (%(gwp)s)") % {"gwp": gwp_set} if name == "co2e" else species_label(name)
        for side in SIDES:
            i = by_side[side]
            rows.append(
                [
                    label,
                    sides[side],
                    _number(i["central"]),
                    _number(i["median"]),
                    f"{_number(i['p2_5'])} – {_number(i['p97_5'])}",
                    "t CO2e" if name == "co2e" else "t",
                ]
            )
    # "%%": a literal percent sign in a python-format msgid (the same msgid as the page's, "95 %% interval").
    interval = _("95 %% interval") % {}
    header = [_("Gas or pollutant"), _("Scenario"), _("Central value"), _("Median"), interval, _("Unit")]
    lines += _table(header, rows, numeric_from=2)
    return "\n".join(lines)


def _bounds(parameter: Mapping[str, Any]) -> str:
    low, high = parameter.get("minimum"), parameter.get("maximum")
    if low is not None and high is not None:
        return f"{low:g} – {high:g}"
    if low is not None:
        return f"≥ {low:g}"
    if high is not None:
        return f"≤ {high:g}"
    return "—"


def format_methods_table(methods: Sequence[Mapping[str, Any]]) -> str:
    """Each method (title in the active language) with its parameters: name, unit, default factor, bounds."""
    japanese = (get_language() or "").startswith("ja")
    lines: list[str] = []
    header = [_("Parameter"), _("Unit"), _("Default factor"), _("Bounds"), _("Required input")]
    for method in methods:
        title = method["title_ja"] if japanese else method["title_en"]
        if lines:
            lines.append("")
        lines.append(f"{method['name']} {method['version']}: {title}")
        species = ", ".join(species_label(s) for s in method["species"])
        lines.append(f"{_('Gases and pollutants')}: {species}")
        rows = [
            [
                p["name"],
                p["unit"] or "—",
                p["default_factor"] or "—",
                _bounds(p),
                _("yes") if p["required"] else _("no"),
            ]
            for p in method["parameters"]
        ]
        lines += ["  " + line for line in _table(header, rows, numeric_from=len(header))]
    return "\n".join(lines)
