"""Grid electricity saved or displaced: CO2 by a grid emission factor, pollutants by the generation mix.

The grid factor is the user's (t CO2/MWh, e.g. a CDM combined margin) or a national value from `grid.json`
chosen by country and year; the shipped table is deliberately small and cited, so most users give their own.
Pollutants: for each fuel of the displaced generation, share × fuel input (MWh × 3.6 GJ/MWh / efficiency) ×
the fuel's EMEP/EEA Tier 1 factor. Plant efficiencies have no shipped default: give one for each fuel.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .base import Array, Cat, Columns, Context, Method, Parameter, Prepared, ids, input_or_factor

POLLUTANTS = {
    "nox": "emep.nox.{emep}",
    "so2": "emep.sox.{emep}",
    "pm10": "emep.pm10.{emep}",
    "pm25": "emep.pm25.{emep}",
}
NON_EMITTING = "non_emitting"
TJ_PER_MWH = 0.0036

EQUATIONS = (
    "E_CO2 [t] = electricity [MWh] × grid_factor [t/MWh]",
    "fuel_input_f [TJ] = electricity [MWh] × share_f × 0.0036 [TJ/MWh] / efficiency_f",
    "E_p [t] = Σ_f fuel_input_f [TJ] × ef_p,f [kg/TJ = g/GJ] / 1000  (EMEP/EEA Tier 1, p = NOx, SO2, PM10, PM2.5)",
)


def prepare(cols: Columns, ctx: Context) -> Prepared | None:
    errors, fs = cols.errors, ctx.factors
    prepared = Prepared(METHOD, cols.n)
    electricity = cols.quantity("electricity", "MWh", required=True, per_year=True)
    if electricity is not None:
        prepared.params["electricity"] = electricity[0]
        prepared.inputs["electricity"] = (cols.raw["electricity"], "MWh")
    table = {(f.extra.get("country"), f.extra.get("year")) for f in fs.factors.values() if f.id.startswith("grid.co2.")}
    countries = sorted({c for c, _ in table if c})
    if cols.has("grid_factor"):
        cols.mark("country", "grid_year")
        for name in ("country", "grid_year"):
            if cols.has(name):
                errors.add(cols.path(name), "conflict", "give either grid_factor or country and grid_year")
        input_or_factor(cols, prepared, "grid_factor", "t/MWh", None, ctx)
    else:
        if cols.has("grid_year"):  # a year is a number in JSON; the table is keyed by its text
            raw = cols.raw["grid_year"]
            raw.values = np.asarray(raw.values).astype(str) if cols.batch else str(raw.values)
        country = cols.choice("country", countries, label="country")
        year = cols.choice("grid_year", sorted({str(y) for _, y in table}))
        if country is None or year is None:
            if not (cols.has("country") or cols.has("grid_year")):
                errors.add(f"{cols.prefix}.grid_factor", "required", "give grid_factor, or country and grid_year")
            for name in ("country", "grid_year"):
                if not cols.has(name) and (cols.has("country") or cols.has("grid_year")):
                    errors.add(f"{cols.prefix}.{name}", "required", "country and grid_year go together")
        else:
            input_or_factor(
                cols,
                prepared,
                "grid_factor",
                "t/MWh",
                ids("grid.co2.{c}.{y}", c=country, y=year),
                ctx,
                path_for_factor=cols.path("country"),
            )

    fuels = {entry["id"]: entry for entry in fs.tables["combustion"]["fuels"]}
    mix = []
    total = np.zeros((cols.n, 1))
    for fuel in cols.keys("generation_mix"):
        share_name, eff_name = f"generation_mix.{fuel}.share", f"generation_mix.{fuel}.efficiency"
        cols.mark(f"generation_mix.{fuel}")
        share = cols.quantity(share_name, "1", required=True, maximum=1.0)
        if share is None:
            continue
        total = total + share[0]
        if fuel == NON_EMITTING:
            cols.mark(eff_name)
            continue
        if fuel not in fuels:
            errors.add(
                cols.path(share_name).rsplit(".", 1)[0],
                "unknown_fuel",
                f"unknown fuel {fuel!r}; one of: {', '.join([*fuels, NON_EMITTING])}",
            )
            cols.mark(eff_name)
            continue
        efficiency = cols.quantity(eff_name, "1", required=True, minimum=0.0, above_minimum=True, maximum=1.0)
        if efficiency is None:
            continue
        prepared.params[share_name] = share[0]
        prepared.inputs[share_name] = (cols.raw[share_name], "1")
        prepared.params[eff_name] = efficiency[0]
        prepared.inputs[eff_name] = (cols.raw[eff_name], "1")
        emep = Cat.full(cols.n, fuels[fuel]["emep"])
        for species, pattern in POLLUTANTS.items():
            param = f"generation_mix.{fuel}.ef_{species}"
            input_or_factor(cols, prepared, param, "kg/TJ", ids(pattern, emep=emep), ctx)
        mix.append(fuel)
    if cols.keys("generation_mix") and np.any(np.abs(total - 1.0) > 1e-6):
        errors.add(f"{cols.prefix}.generation_mix", "out_of_range", "the shares of the generation mix must add up to 1")
    prepared.static["mix"] = tuple(mix)
    prepared.static["has_mix"] = bool(cols.keys("generation_mix"))
    return prepared


def compute(params: Mapping[str, Array], static: Mapping[str, Any], ctx: Context) -> dict[str, Array]:
    electricity = params["electricity"]
    out = {"co2": electricity * params["grid_factor"]}
    if static["has_mix"]:
        for species in POLLUTANTS:
            emitted = np.zeros(1)
            for fuel in static["mix"]:
                p = f"generation_mix.{fuel}"
                fuel_input = electricity * params[f"{p}.share"] * TJ_PER_MWH / params[f"{p}.efficiency"]
                emitted = emitted + fuel_input * params[f"{p}.ef_{species}"] / 1000.0
            out[species] = emitted * np.ones_like(electricity)
    return out


METHOD = Method(
    name="grid_electricity",
    version="1.0",
    title_en="Grid electricity saved or displaced",
    title_ja="系統電力の削減・代替",
    description=__doc__ or "",
    parameters=(
        Parameter(
            "electricity",
            "quantity",
            "Electricity saved or displaced per year",
            "MWh",
            required=True,
            minimum=0,
            per_year=True,
        ),
        Parameter("grid_factor", "quantity", "Grid CO2 emission factor (user value)", "t/MWh", minimum=0),
        Parameter(
            "country",
            "choice",
            "Country of the national grid factor table (with grid_year)",
            default_factor="grid.co2.{country}.{year}",
        ),
        Parameter("grid_year", "choice", "Year of the national grid factor"),
        Parameter(
            "generation_mix",
            "family",
            "Displaced generation: [{fuel, share, efficiency, ef_nox?, …}]; fuel "
            "'non_emitting' for hydro, nuclear, renewables",
            "1",
            minimum=0,
            maximum=1,
            default_factor="emep.{pollutant}.{emep}",
        ),
    ),
    equations=EQUATIONS,
    species=("co2", "so2", "nox", "pm10", "pm25"),
    prepare=prepare,
    compute=compute,
    keyed_lists={"generation_mix": "fuel"},
)
