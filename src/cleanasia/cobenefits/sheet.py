"""The calculation sheet of an evaluation as plain rows and formatted text, shared by the HTML page and the PDF.

Nothing here touches the database or a request: each function takes the engine's `Evaluation` (and the active
language, for the method titles) and returns dicts and lists a template can print as they are. Numbers are
formatted to six significant figures, enough for a reviewer to recompute every line by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cleanasia.core.charts import Chart, bar_chart, line_chart
from cleanasia.engines.cobenefits import (
    Evaluation,
    EvaluationError,
    ParameterValue,
    UncertaintyResult,
    WorkingLine,
    default_factors,
    method_catalogue,
    monte_carlo,
)

SIGNIFICANT = 6
SIDES = ("baseline", "project")
UNCERTAINTY_SIDES = ("baseline", "project", "reduction")
# The pages' Monte Carlo: enough draws for stable 2.5th and 97.5th percentiles, fast (the engine does 10,000 in
# about 0.04 s), and a fixed seed so that the same request always shows the same interval.
PAGE_DRAWS = 2_000
PAGE_SEED = 0
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
# What the engine writes in a parameter's source when the value is not a published factor.
INPUT_DOCUMENT = "input"
DERIVED_DOCUMENT = "method default or derived from the inputs"


def format_number(value: float | None) -> str:
    """A number to six significant figures with thousands separators, trailing zeros dropped; tiny values in
    scientific notation."""
    if value is None:
        return "–"
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    magnitude = math.floor(math.log10(abs(value)))
    if magnitude < -4:
        return f"{value:.{SIGNIFICANT - 1}e}".replace("e-0", "e-")
    decimals = max(SIGNIFICANT - 1 - magnitude, 0)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_unit(unit: str) -> str:
    """Units as the engine writes them (pint syntax) in the usual notation; the dimensionless "1" as "–"."""
    if unit in ("", "1"):
        return "–"
    return unit.replace("**-3", "⁻³").replace("**3", "³").replace("**2", "²")


def species_label(species: str) -> str:
    if species == "co2_biogenic":
        return _("CO2 (biogenic, memo item)")
    return SPECIES_LABELS.get(species, species.upper())


def species_kind_label(species: str) -> str:
    if species in ("co2", "ch4", "n2o"):
        return _("Greenhouse gas")
    if species == "co2_biogenic":
        return _("Memo item (not in CO2e)")
    if species in ("bod", "cod"):
        return _("Water pollutant")
    return _("Air pollutant")


def side_label(side: str) -> str:
    return {"baseline": _("Baseline scenario"), "project": _("Project scenario"), "reduction": _("Reduction")}[side]


def grade_label(grade: str) -> str:
    labels = {
        "measured": _("measured"),
        "design": _("design value"),
        "default": _("default factor"),
        "user": _("user input"),
    }
    return labels.get(grade, grade or "–")


def _methods() -> dict[str, dict[str, Any]]:
    return {method["name"]: method for method in method_catalogue()}


def method_title(method: Mapping[str, Any], language: str | None = None) -> str:
    language = language or get_language() or "en"
    return method["title_ja"] if language.startswith("ja") else method["title_en"]


def methods_view(language: str | None = None) -> list[dict[str, Any]]:
    """The methods of the catalogue for the calculator's introduction, titles in the reader's language."""
    return [
        {
            "name": method["name"],
            "version": method["version"],
            "title": method_title(method, language),
            "species": ", ".join(species_label(s) for s in method["species"]),
            "parameters": [p["name"] for p in method["parameters"]],
            "equations": method["equations"],
        }
        for method in method_catalogue()
    ]


def overview(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation's settings: years, GWP set and values, FOD convention, factor files and overrides."""
    years = evaluation.years
    return {
        "years": f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else "",
        "year_count": len(years),
        "gwp_set": evaluation.gwp_set,
        "gwp": [{"gas": species_label(gas), "value": format_number(v)} for gas, v in evaluation.gwp.items()],
        "fod_convention": evaluation.fod_convention,
        "factor_versions": [{"file": name, "version": v} for name, v in sorted(evaluation.factor_versions.items())],
        "overrides": [
            {
                "factor_id": o.factor_id,
                "value": format_number(o.value),
                "unit": format_unit(o.unit),
                "source": o.source or "–",
                "default_value": format_number(o.default.value),
                "default_unit": format_unit(o.default.unit),
                "default_source": source_text(o.default.source.to_dict()),
            }
            for o in evaluation.overrides
        ],
    }


def totals(evaluation: Evaluation) -> list[dict[str, Any]]:
    """One row per gas and pollutant (t over the years), then CO2e."""
    rows = [
        {
            "species": s,
            "label": species_label(s),
            "kind": species_kind_label(s),
            "baseline": format_number(evaluation.total(s, "baseline")),
            "project": format_number(evaluation.total(s, "project")),
            "reduction": format_number(evaluation.total(s, "reduction")),
            "unit": "t",
            "is_co2e": False,
        }
        for s in evaluation.species
    ]
    rows.append(
        {
            "species": "co2e",
            "label": _("CO2e (%(gwp)s)") % {"gwp": evaluation.gwp_set},
            "kind": _("Greenhouse gases in total"),
            "baseline": format_number(evaluation.total("co2e", "baseline")),
            "project": format_number(evaluation.total("co2e", "project")),
            "reduction": format_number(evaluation.total("co2e", "reduction")),
            "unit": "t CO2e",
            "is_co2e": True,
        }
    )
    return rows


def by_year(evaluation: Evaluation) -> list[dict[str, Any]]:
    """CO2e of baseline, project and the reduction in each year."""
    return [
        {
            "year": year,
            "baseline": format_number(float(evaluation.co2e["baseline"][i])),
            "project": format_number(float(evaluation.co2e["project"][i])),
            "reduction": format_number(float(evaluation.co2e["reduction"][i])),
        }
        for i, year in enumerate(evaluation.years)
    ]


def charts(evaluation: Evaluation) -> dict[str, Any]:
    """Baseline against project for each gas and pollutant (one small chart each: their sizes differ by orders of
    magnitude), and the CO2e reduction by year."""
    sides = [side_label("baseline"), side_label("project")]
    per_species: list[dict[str, Any]] = []
    for s in evaluation.species:
        title = _("%(species)s: baseline and project, t over the years") % {"species": species_label(s)}
        values = [evaluation.total(s, "baseline"), evaluation.total(s, "project")]
        per_species.append({"id": f"chart-{s}", "chart": bar_chart(title, sides, [("t", values)], unit="t")})
    title = _("CO2e reduction by year (t CO2e, %(gwp)s)") % {"gwp": evaluation.gwp_set}
    reduction: Chart = line_chart(
        title,
        [str(y) for y in evaluation.years],
        [(_("Reduction (t CO2e)"), [float(v) for v in evaluation.co2e["reduction"]])],
        unit="t CO2e",
    )
    return {"species": per_species, "reduction": {"id": "chart-reduction-by-year", "chart": reduction}}


def source_text(source: Mapping[str, str] | None) -> str:
    if not source:
        return "–"
    return ", ".join(part for part in (source.get("document"), source.get("table"), source.get("edition")) if part)


def _values(value: float | list[float], years: Sequence[int]) -> str:
    if isinstance(value, list):
        return "; ".join(f"{year}: {format_number(v)}" for year, v in zip(years, value, strict=False))
    return format_number(value)


def parameter_row(parameter: ParameterValue, years: Sequence[int]) -> dict[str, Any]:
    """One parameter: value (per year when it varies), unit, source, data-quality grade and the check mark."""
    source = dict(parameter.source or {})
    document = source.get("document", "")
    if document == DERIVED_DOCUMENT:
        origin, text = "derived", _("Method default or derived from the inputs")
    elif parameter.factor_id:
        origin, text = "factor", source_text(source)
    else:
        origin = "input"
        given = "" if document == INPUT_DOCUMENT else document
        text = _("Request input %(path)s") % {"path": source.get("table", "")} + (f" ({given})" if given else "")
    published = ""
    if parameter.factor_id and parameter.factor_value is not None:
        same_unit = parameter.factor_unit == parameter.unit
        if not same_unit or not isinstance(parameter.value, float) or parameter.value != parameter.factor_value:
            published = f"{format_number(parameter.factor_value)} {format_unit(parameter.factor_unit)}".strip()
    return {
        "name": parameter.name,
        "value": _values(parameter.value, years),
        "unit": format_unit(parameter.unit),
        "origin": origin,
        "factor_id": parameter.factor_id,
        "published": published,
        "source": text,
        "document": document if origin == "factor" else "",
        "table": source.get("table", "") if origin == "factor" else "",
        "edition": source.get("edition", "") if origin == "factor" else "",
        "grade": grade_label(parameter.grade) if parameter.grade else "–",
        "check": parameter.check,
    }


def line_view(line: WorkingLine, years: Sequence[int], methods: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    method = methods.get(line.method)
    species = [s for s in (*SPECIES_LABELS, "co2_biogenic") if s in line.results]
    results = [
        {"year": year, "values": [format_number(line.results[s][i]) for s in species]} for i, year in enumerate(years)
    ]
    return {
        "path": line.path,
        "number": line.index + 1,
        "method": line.method,
        "method_title": method_title(method) if method else line.method,
        "version": line.method_version,
        "equations": list(line.equations),
        "parameters": [parameter_row(p, years) for p in line.parameters],
        "has_check": any(p.check for p in line.parameters),
        "species": [species_label(s) for s in species],
        "results": results,
        "result_totals": [format_number(sum(line.results[s])) for s in species],
    }


def calculation_sheet(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Every activity of the baseline and the project: method and version, equations, parameters with their
    sources, and the activity's results per year (t)."""
    methods = _methods()
    return [
        {
            "side": side,
            "label": side_label(side),
            "lines": [line_view(line, evaluation.years, methods) for line in evaluation.lines if line.scenario == side],
        }
        for side in SIDES
    ]


def has_check(evaluation: Evaluation) -> bool:
    return any(p.check for line in evaluation.lines for p in line.parameters)


def sheet_context(evaluation: Evaluation) -> dict[str, Any]:
    """Everything the result page and the PDF print (the charts are the page's only)."""
    return {
        "overview": overview(evaluation),
        "totals": totals(evaluation),
        "by_year": by_year(evaluation),
        "sheet": calculation_sheet(evaluation),
        "has_check": has_check(evaluation),
    }


def uncertainty_rows(result: UncertaintyResult, *, gwp_set: str) -> list[dict[str, Any]]:
    """One group per gas and pollutant, then CO2e: for baseline, project and reduction the central value (the
    evaluation's total), the median and the 2.5th and 97.5th percentiles over the draws."""
    rows = []
    for name, sides in result.totals.items():
        is_co2e = name == "co2e"
        rows.append(
            {
                "species": name,
                "label": _("CO2e (%(gwp)s)") % {"gwp": gwp_set} if is_co2e else species_label(name),
                "unit": "t CO2e" if is_co2e else "t",
                "is_co2e": is_co2e,
                "sides": [
                    {
                        "side": side,
                        "label": side_label(side),
                        "central": format_number(sides[side].central),
                        "median": format_number(sides[side].median),
                        "low": format_number(sides[side].low),
                        "high": format_number(sides[side].high),
                    }
                    for side in UNCERTAINTY_SIDES
                    if side in sides
                ],
            }
        )
    return rows


def uncertainty(
    request: Any,
    *,
    gwp_set: str,
    draws: int = PAGE_DRAWS,
    seed: int = PAGE_SEED,
    stored_versions: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """The Monte Carlo of the request over the current factor library, ready for includes/uncertainty.html:
    rows, seed, draws and the factors drawn. `stored_versions` (a stored evaluation's factor file versions) sets
    `current_files` when they differ from the library's. None when the current library cannot evaluate the
    request (a stored request the current files no longer accept); nothing is stored."""
    factors = default_factors()
    try:
        result = monte_carlo(request, draws=draws, seed=seed, factors=factors)
    except EvaluationError:
        return None
    return {
        "rows": uncertainty_rows(result, gwp_set=gwp_set),
        "draws": result.draws,
        "seed": result.seed,
        "distribution": result.distribution,
        "factors": list(result.factors_varied),
        "current_files": stored_versions is not None and dict(stored_versions) != dict(factors.versions),
    }
