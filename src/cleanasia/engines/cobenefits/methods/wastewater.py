"""Wastewater methane (IPCC 2006 Vol. 5 Ch. 6; 2019 Refinement MCFs selectable), and the organics discharged.

Mass balance (so no organics are counted twice): of the organics in the wastewater (TOW), the sludge removed
(S) and the organics left in the effluent are taken out before the treatment's methane factor applies; the
effluent's organics are counted once, at discharge, with the discharge MCF. The effluent is known from a
removal efficiency or from the effluent's flow and concentration; without either, IPCC 2006 Tier 1 applies the
treatment factor to TOW − S and no discharged load is reported. Captured methane is destroyed with the
flare's efficiency; the biogenic CO2 of flared or used biogas is not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .base import Array, Cat, Columns, Context, Method, Parameter, Prepared, destroyed, ids, input_or_factor

EDITIONS = ("ipcc2006", "ipcc2019")
FLARES = ("enclosed", "open")
DAYS_PER_YEAR = 365.0  # IPCC Eq. 6.3

EQUATIONS_DOMESTIC = (
    "TOW [kg BOD] = population × bod_per_person [g/d] × 0.001 × I × 365  (IPCC 2006 Eq. 6.3; or tow given)",
    "effluent [kg] = TOW × (1 − removal_efficiency)  or  effluent_flow [m³] × effluent_concentration [kg/m³]",
    "treated [kg] = TOW − sludge_removed − effluent",
    "CH4_treatment [kg] = treated × Bo × Σ_j share_j × MCF_j  (EF_j = Bo × MCF_j)",
    "CH4 [t] = (CH4_treatment × [(1 − capture) + capture × (1 − destruction_efficiency)]",
    "          + effluent × Bo × MCF_discharge) / 1000",
    "BOD discharged [t] = effluent / 1000",
)
EQUATIONS_INDUSTRIAL = (
    "TOW [kg COD] = production [t] × wastewater_per_product [m³/t] × cod [kg/m³]  (or wastewater_flow × cod, or tow)",
    *EQUATIONS_DOMESTIC[1:6],
    "COD discharged [t] = effluent / 1000",
)


def _systems(ctx: Context) -> list[str]:
    return sorted({f.split(".")[2] for f in ctx.factors.factors if f.startswith("wastewater.mcf.")} - {"discharge"})


def _mcf_ids(ctx: Context, system: str, edition: Cat) -> Cat:
    newer = f"wastewater.mcf_2019.{system}"
    older = f"wastewater.mcf.{system}"
    return Cat.where(edition.is_("ipcc2019") & (newer in ctx.factors), newer, older)


def _common(cols: Columns, ctx: Context, prepared: Prepared, organics_unit: str) -> None:
    n = cols.n
    edition = cols.choice("factor_edition", EDITIONS, default="ipcc2006")
    systems = _systems(ctx)
    shares, total = [], np.zeros((n, 1))
    for system in cols.keys("treatment"):
        name = f"treatment.{system}.share"
        cols.mark(f"treatment.{system}")
        if system not in systems:
            cols.mark(name)
            cols.errors.add(
                cols.path(name).rsplit(".", 1)[0],
                "unknown_choice",
                f"unknown treatment system {system!r}; one of: {', '.join(systems)}",
            )
            continue
        share = cols.quantity(name, "1", required=True, maximum=1.0)
        if share is None:
            continue
        prepared.params[name] = share[0]
        prepared.inputs[name] = (cols.raw[name], "1")
        total = total + share[0]
        if edition is not None:
            input_or_factor(cols, prepared, f"mcf.{system}", "1", _mcf_ids(ctx, system, edition), ctx, maximum=1.0)
        shares.append(system)
    if not cols.keys("treatment"):
        cols.errors.add(f"{cols.prefix}.treatment", "required", "treatment is required: [{system, share}]")
    elif np.any(np.abs(total - 1.0) > 1e-6):
        cols.errors.add(
            f"{cols.prefix}.treatment", "out_of_range", "the shares of the treatment systems must add up to 1"
        )
    prepared.static["systems"] = tuple(shares)
    if edition is not None:
        input_or_factor(cols, prepared, "mcf_discharge", "1", _mcf_ids(ctx, "discharge", edition), ctx, maximum=1.0)
    for name, unit in (
        ("sludge_removed", organics_unit),
        ("removal_efficiency", "1"),
        ("effluent_flow", "m**3"),
        ("effluent_concentration", "kg/m**3"),
        ("methane_capture", "1"),
    ):
        got = cols.quantity(name, unit, maximum=1.0 if unit == "1" else None, per_year=True)
        if got is not None:
            prepared.params[name] = got[0]
            prepared.inputs[name] = (cols.raw[name], unit)
    if "removal_efficiency" in prepared.params and cols.has("effluent_concentration"):
        cols.errors.add(
            cols.path("effluent_concentration"),
            "conflict",
            "give removal_efficiency or the effluent's concentration, not both",
        )
    flare = cols.choice("flare", FLARES, default="enclosed")
    if flare is not None:
        input_or_factor(cols, prepared, "destruction_efficiency", "1", ids("flare.{f}", f=flare), ctx, maximum=1.0)


def organics(params: Mapping[str, Array], static: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """(TOW, effluent organics or None), kg per year."""
    if "tow" in params:
        tow = params["tow"]
    elif static["kind"] == "domestic":
        tow = params["population"] * params["bod_per_person"] * 0.001 * params["i_factor"] * DAYS_PER_YEAR
    else:
        tow = _flow(params) * params["cod"]
    if "removal_efficiency" in params:
        return tow, tow * (1.0 - params["removal_efficiency"])
    if "effluent_concentration" in params:
        flow = params["effluent_flow"] if "effluent_flow" in params else _flow(params)
        return tow, flow * params["effluent_concentration"]
    return tow, None


def _flow(params: Mapping[str, Array]) -> Array:
    if "wastewater_flow" in params:
        return params["wastewater_flow"]
    return params["production"] * params["wastewater_per_product"]


def _check_balance(cols: Columns, prepared: Prepared) -> None:
    if cols.errors:
        return
    if (
        "effluent_concentration" in prepared.params
        and "effluent_flow" not in prepared.params
        and not ("wastewater_flow" in prepared.params or "production" in prepared.params)
    ):
        cols.errors.add(
            f"{cols.prefix}.effluent_flow", "required", "effluent_flow is required with effluent_concentration"
        )
        return
    tow, effluent = organics(prepared.params, prepared.static)
    left = tow - prepared.params.get("sludge_removed", 0.0) - (0.0 if effluent is None else effluent)
    if np.any(left < -1e-9 * np.maximum(1.0, tow)):
        where = "sludge_removed" if cols.has("sludge_removed") else "effluent_concentration"
        cols.errors.add(
            cols.path(where) if cols.has(where) else cols.prefix,
            "mass_balance",
            "sludge removed and effluent organics exceed the organics in the wastewater",
        )


def prepare_domestic(cols: Columns, ctx: Context) -> Prepared | None:
    prepared = Prepared(DOMESTIC, cols.n)
    prepared.static["kind"] = "domestic"
    n = cols.n
    if cols.has("tow"):
        cols.mark("population", "bod_per_person", "country", "collected")
        for name in ("population", "bod_per_person", "country"):
            if cols.has(name):
                cols.errors.add(cols.path(name), "conflict", f"give tow or {name}, not both")
        input_or_factor(cols, prepared, "tow", "kg", None, ctx, per_year=True)
    else:
        population = cols.quantity("population", "1", required=True, per_year=True)
        if population is not None:
            prepared.params["population"] = population[0]
            prepared.inputs["population"] = (cols.raw["population"], "1")
        countries = sorted(
            f.rsplit(".", 1)[1] for f in ctx.factors.factors if f.startswith("wastewater.bod_per_person.")
        )
        country = (
            None if cols.has("bod_per_person") else cols.choice("country", countries, required=True, label="country")
        )
        cols.mark("country")
        factor_ids = None if country is None else ids("wastewater.bod_per_person.{c}", c=country)
        input_or_factor(cols, prepared, "bod_per_person", "g/d", factor_ids, ctx, per_year=True)
        collected = cols.flag("collected", default=True)
        if collected is not None:
            i_ids = Cat.where(collected, "wastewater.i.collected", "wastewater.i.uncollected")
            input_or_factor(cols, prepared, "i_factor", "1", i_ids, ctx)
    input_or_factor(cols, prepared, "bo", "kg/kg", Cat.full(n, "wastewater.bo.bod"), ctx)
    _common(cols, ctx, prepared, "kg")
    _check_balance(cols, prepared)
    return prepared


def prepare_industrial(cols: Columns, ctx: Context) -> Prepared | None:
    prepared = Prepared(INDUSTRIAL, cols.n)
    prepared.static["kind"] = "industrial"
    n = cols.n
    industries = sorted({f.split(".")[2] for f in ctx.factors.factors if f.startswith("wastewater.industry.")})
    if cols.has("tow"):
        cols.mark("industry", "production", "wastewater_per_product", "wastewater_flow", "cod")
        for name in ("production", "wastewater_flow", "cod"):
            if cols.has(name):
                cols.errors.add(cols.path(name), "conflict", f"give tow or {name}, not both")
        input_or_factor(cols, prepared, "tow", "kg", None, ctx, per_year=True)
    else:
        industry = cols.choice("industry", industries, label="industry")
        if cols.has("wastewater_flow"):
            cols.mark("production", "wastewater_per_product")
            input_or_factor(cols, prepared, "wastewater_flow", "m**3", None, ctx, per_year=True)
        else:
            production = cols.quantity("production", "t", required=True, per_year=True)
            if production is not None:
                prepared.params["production"] = production[0]
                prepared.inputs["production"] = (cols.raw["production"], "t")
            w_ids = None if industry is None else ids("wastewater.industry.{i}.w", i=industry)
            found = input_or_factor(cols, prepared, "wastewater_per_product", "m**3/t", w_ids, ctx)
            if not found and w_ids is None and not cols.has("wastewater_per_product"):
                cols.errors.add(
                    f"{cols.prefix}.industry",
                    "required",
                    "industry (or wastewater_per_product and cod) is required",
                )
        cod_ids = None if industry is None else ids("wastewater.industry.{i}.cod", i=industry)
        if (
            not input_or_factor(cols, prepared, "cod", "kg/m**3", cod_ids, ctx)
            and cod_ids is None
            and not cols.has("cod")
        ):
            cols.errors.add(f"{cols.prefix}.industry", "required", "industry (or cod) is required")
    input_or_factor(cols, prepared, "bo", "kg/kg", Cat.full(n, "wastewater.bo.cod"), ctx)
    _common(cols, ctx, prepared, "kg")
    _check_balance(cols, prepared)
    return prepared


def compute(params: Mapping[str, Array], static: Mapping[str, Any], ctx: Context) -> dict[str, Array]:
    tow, effluent = organics(params, static)
    treated = np.maximum(tow - params.get("sludge_removed", 0.0) - (0.0 if effluent is None else effluent), 0.0)
    mcf = sum((params[f"treatment.{s}.share"] * params[f"mcf.{s}"] for s in static["systems"]), np.zeros((1, 1)))
    generated = treated * params["bo"] * mcf
    capture = params.get("methane_capture", np.zeros((1, 1)))
    ch4 = generated * destroyed(capture, params["destruction_efficiency"])
    ones = np.ones((1, ctx.n_years))
    out = {"ch4": ch4 / 1000.0 * ones}
    if effluent is not None:
        out["ch4"] = out["ch4"] + effluent * params["bo"] * params["mcf_discharge"] / 1000.0
        out["bod" if static["kind"] == "domestic" else "cod"] = effluent / 1000.0 * ones
    return out


_COMMON_PARAMETERS = (
    Parameter(
        "treatment",
        "family",
        "Treatment systems: [{system, share}] (shares add up to 1)",
        "1",
        required=True,
        minimum=0,
        maximum=1,
        default_factor="wastewater.mcf.{system}",
    ),
    Parameter("factor_edition", "choice", "MCFs of IPCC 2006 or the 2019 Refinement", choices=EDITIONS),
    Parameter("sludge_removed", "quantity", "Organics removed as sludge per year (S)", "kg", minimum=0, per_year=True),
    Parameter(
        "removal_efficiency",
        "quantity",
        "Fraction of organics removed from the water",
        "1",
        minimum=0,
        maximum=1,
        per_year=True,
    ),
    Parameter("effluent_flow", "quantity", "Effluent discharged per year", "m³", minimum=0, per_year=True),
    Parameter(
        "effluent_concentration", "quantity", "Organics in the effluent (BOD or COD)", "kg/m³", minimum=0, per_year=True
    ),
    Parameter(
        "methane_capture", "quantity", "Fraction of generated CH4 captured", "1", minimum=0, maximum=1, per_year=True
    ),
    Parameter("flare", "choice", "Destruction of captured CH4", choices=FLARES, default_factor="flare.{flare}"),
    Parameter("destruction_efficiency", "quantity", "Fraction of captured CH4 destroyed", "1", minimum=0, maximum=1),
    Parameter(
        "bo", "quantity", "Maximum CH4 producing capacity", "kg/kg", minimum=0, default_factor="wastewater.bo.{bod|cod}"
    ),
    Parameter(
        "mcf_discharge",
        "quantity",
        "MCF of the effluent's discharge",
        "1",
        minimum=0,
        maximum=1,
        default_factor="wastewater.mcf.discharge",
    ),
)

DOMESTIC = Method(
    name="wastewater_domestic",
    version="1.0",
    title_en="Domestic wastewater methane and BOD discharged",
    title_ja="生活排水のメタンとBOD排出負荷",
    description=__doc__ or "",
    parameters=(
        Parameter("population", "quantity", "People served", "1", required=True, minimum=0, per_year=True),
        Parameter(
            "country",
            "choice",
            "Country for the BOD per person default",
            default_factor="wastewater.bod_per_person.{country}",
        ),
        Parameter("bod_per_person", "quantity", "BOD per person per day", "g/d", minimum=0, per_year=True),
        Parameter(
            "collected", "flag", "Collected in sewers (I = 1.25) or not (I = 1.0)", default_factor="wastewater.i.*"
        ),
        Parameter(
            "tow",
            "quantity",
            "Organics in the wastewater per year, kg BOD (instead of population)",
            "kg",
            minimum=0,
            per_year=True,
        ),
        *_COMMON_PARAMETERS,
    ),
    equations=EQUATIONS_DOMESTIC,
    species=("ch4", "bod"),
    prepare=prepare_domestic,
    compute=compute,
    keyed_lists={"treatment": "system"},
)

INDUSTRIAL = Method(
    name="wastewater_industrial",
    version="1.0",
    title_en="Industrial wastewater methane and COD discharged",
    title_ja="産業排水のメタンとCOD排出負荷",
    description=__doc__ or "",
    parameters=(
        Parameter(
            "industry",
            "choice",
            "Industry (IPCC 2006 Table 6.9 defaults)",
            default_factor="wastewater.industry.{industry}.*",
        ),
        Parameter("production", "quantity", "Production per year", "t", minimum=0, per_year=True),
        Parameter("wastewater_per_product", "quantity", "Wastewater per tonne of product", "m³/t", minimum=0),
        Parameter(
            "wastewater_flow", "quantity", "Wastewater per year (instead of production)", "m³", minimum=0, per_year=True
        ),
        Parameter("cod", "quantity", "COD of the untreated wastewater", "kg/m³", minimum=0),
        Parameter(
            "tow",
            "quantity",
            "Organics in the wastewater per year, kg COD (instead of the above)",
            "kg",
            minimum=0,
            per_year=True,
        ),
        *_COMMON_PARAMETERS,
    ),
    equations=EQUATIONS_INDUSTRIAL,
    species=("ch4", "cod"),
    prepare=prepare_industrial,
    compute=compute,
    keyed_lists={"treatment": "system"},
)
