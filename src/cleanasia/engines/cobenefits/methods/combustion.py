"""Stationary fuel combustion: GHG by IPCC 2006 Tier 1, SO2 by sulphur mass balance, NOx and PM by EMEP/EEA.

Fuel switching and efficiency improvement are a baseline and a project activity of this method (another fuel,
less fuel). End-of-pipe controls scale the pollutant they act on by (1 − η); a control is refused where the
default factor already includes abatement (EMEP Tier 1 coal particulates): give an uncontrolled `ef_pm10` /
`ef_pm25` of your own to apply a particulate control there. The same control cannot be listed twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .base import Array, Cat, Columns, Context, Method, Parameter, Prepared, ids, input_or_factor, lookup

SECTORS = ("energy_industries", "manufacturing")
POLLUTANT_FACTORS = {
    "nox": "emep.nox.{emep}",
    "so2": "emep.sox.{emep}",
    "pm10": "emep.pm10.{emep}",
    "pm25": "emep.pm25.{emep}",
}
GHG_FACTORS = {
    "co2": "combustion.ef_co2.{fuel}",
    "ch4": "combustion.ef_ch4.{sector}.{fuel}",
    "n2o": "combustion.ef_n2o.{sector}.{fuel}",
}
EF_UNITS = {"energy": "kg/TJ", "mass": "kg/t", "volume": "kg/m**3"}
SO2_SPECIES = "so2"

EQUATIONS = (
    "energy [TJ] = fuel_quantity [t] × ncv [TJ/t] (or fuel_quantity in TJ; by volume: × ncv [TJ/m³])",
    "E_gas [t] = energy [TJ] × ef_gas [kg/TJ] / 1000  (gas = CO2, CH4, N2O; IPCC 2006 Vol. 2 Eq. 2.1, oxidation 1)",
    "E_SO2 [t] = fuel_quantity [t] × sulphur_content × so2_per_s × (1 − ash_retention)  (when sulphur_content given)",
    "E_p [t] = energy [TJ] × ef_p [kg/TJ = g/GJ] / 1000  (p = NOx, SO2 without sulphur content, PM10, PM2.5)",
    "E_p ×= Π (1 − η_control) over the controls acting on p (FGD: SO2; ESP, cyclone: PM; SCR, low-NOx burner: NOx)",
    "CO2 of a biogenic fuel is reported as co2_biogenic (memo), excluded from CO2e",
)


def _control_types(ctx: Context) -> dict[str, tuple[str, ...]]:
    return {
        factor_id.split(".", 1)[1]: tuple(factor.extra.get("applies_to", ()))
        for factor_id, factor in ctx.factors.factors.items()
        if factor_id.startswith("control.")
    }


def prepare(cols: Columns, ctx: Context) -> Prepared | None:
    errors, fs = cols.errors, ctx.factors
    fuels = {entry["id"]: entry for entry in fs.tables["combustion"]["fuels"]}
    prepared = Prepared(METHOD, cols.n)
    fuel = cols.choice("fuel", fuels, required=True, label="fuel")
    sector = cols.choice("sector", SECTORS, default="energy_industries")
    quantity = cols.quantity(
        "fuel_quantity", {"mass": "t", "energy": "TJ", "volume": "m**3"}, required=True, per_year=True
    )
    if quantity is not None:
        prepared.params["fuel_quantity"], basis = quantity
        prepared.static["fuel_quantity_basis"] = basis
        prepared.inputs["fuel_quantity"] = (
            cols.raw["fuel_quantity"],
            {"mass": "t", "energy": "TJ", "volume": "m**3"}[basis],
        )
    if fuel is None or sector is None:
        _mark_rest(cols)
        return None
    emep = fuel.map(lambda f: fuels[f]["emep"])
    prepared.params["biogenic"] = fuel.per_row(lambda f: float(fuels[f]["biogenic"]))
    prepared.static["fuel"] = fuel

    input_or_factor(
        cols,
        prepared,
        "ncv",
        {"mass": "TJ/t", "volume": "TJ/m**3"},
        ids("combustion.ncv.{fuel}", fuel=fuel),
        ctx,
        above_minimum=True,
    )
    q_basis = prepared.static.get("fuel_quantity_basis")
    ncv_basis = prepared.static.get("ncv_basis")
    if q_basis == "volume" and ncv_basis != "volume" and "ncv" in prepared.params:
        errors.add(f"{cols.prefix}.ncv", "required", "a fuel quantity by volume needs ncv per volume (e.g. MJ/m³)")
    if q_basis == "mass" and ncv_basis == "volume":
        errors.add(cols.path("ncv"), "wrong_dimension", "ncv per volume does not fit a fuel quantity by mass")
    has_mass = q_basis == "mass" or (q_basis == "energy" and ncv_basis == "mass")
    available = {"energy", "mass"} if has_mass else {"energy", "volume"} if q_basis == "volume" else {"energy"}

    sulphur = cols.quantity("sulphur_content", "1", maximum=1.0, per_year=True)
    if sulphur is not None:
        if cols.has("ef_so2"):
            errors.add(cols.path("ef_so2"), "conflict", "give either sulphur_content or ef_so2, not both")
        if not has_mass and q_basis is not None:
            errors.add(cols.path("sulphur_content"), "not_applicable", "the sulphur mass balance needs the fuel mass")
        prepared.params["sulphur_content"] = sulphur[0]
        prepared.inputs["sulphur_content"] = (cols.raw["sulphur_content"], "1")
        input_or_factor(
            cols,
            prepared,
            "ash_retention",
            "1",
            ids("combustion.ash_retention.{fuel}", fuel=fuel),
            ctx,
            maximum=1.0,
            per_year=True,
        )
        input_or_factor(cols, prepared, "so2_per_s", "1", Cat.full(cols.n, "combustion.so2_per_s"), ctx)
    else:
        cols.mark("ash_retention", "so2_per_s")
        for name in ("ash_retention", "so2_per_s"):
            if cols.has(name):
                errors.add(cols.path(name), "not_applicable", f"{name} applies only with sulphur_content")

    patterns = dict(GHG_FACTORS) | dict(POLLUTANT_FACTORS)
    for species, pattern in patterns.items():
        param = f"ef_{species}"
        if species == SO2_SPECIES and sulphur is not None:
            cols.mark(param)
            continue
        factor_ids = ids(pattern, fuel=fuel, sector=sector, emep=emep)
        input_or_factor(cols, prepared, param, EF_UNITS, factor_ids, ctx)
        basis = prepared.static.get(f"{param}_basis")
        if param in prepared.params and basis not in available and q_basis is not None:
            errors.add(cols.path(param), "not_applicable", f"a factor per {basis} needs the fuel quantity by {basis}")

    _prepare_controls(cols, prepared, ctx)
    return prepared


def _prepare_controls(cols: Columns, prepared: Prepared, ctx: Context) -> None:
    known = _control_types(ctx)
    controls = []
    for kind in cols.keys("controls"):
        path = cols.path(f"controls.{kind}") if cols.has(f"controls.{kind}") else f"{cols.prefix}.controls"
        if kind not in known:
            cols.mark(f"controls.{kind}", f"controls.{kind}.efficiency")
            cols.errors.add(path, "unknown_choice", f"unknown control {kind!r}; one of: {', '.join(known)}")
            continue
        on = cols.flag(f"controls.{kind}", default=True)
        param = f"controls.{kind}.efficiency"
        got = cols.quantity(param, "1", maximum=1.0)
        if got is not None:
            prepared.params[param] = got[0]
            prepared.inputs[param] = (cols.raw[param], "1")
        elif not cols.has(param):
            factor_ids = Cat.full(cols.n, f"control.{kind}")
            values = lookup(ctx.factors, factor_ids, "1", cols.errors, path)
            if values is not None:
                prepared.params[param] = values
                prepared.refs[param] = (factor_ids, "1")
        if on is None or param not in prepared.params:
            continue
        prepared.params[param] = prepared.params[param] * on
        controls.append((kind, known[kind]))
        for species in known[kind]:
            ref = prepared.refs.get(f"ef_{species}")
            if ref is None:
                continue  # the user's own (uncontrolled) factor
            abated = ref[0].per_row(lambda fid: float(bool(ctx.factors.get(fid).extra.get("abated")))) * on
            if abated.any():
                fid = ref[0][int(np.flatnonzero(abated)[0])]
                cols.errors.add(
                    path,
                    "control_already_in_factor",
                    f"the default factor {fid} already includes abatement: a {kind} cannot be applied on top; "
                    f"give an uncontrolled ef_{species} to use this control",
                )
    prepared.static["controls"] = tuple(controls)


def _mark_rest(cols: Columns) -> None:
    cols.mark(*cols.raw)


def compute(params: Mapping[str, Array], static: Mapping[str, Any], ctx: Context) -> dict[str, Array]:
    quantity, ncv = params["fuel_quantity"], params["ncv"]
    q_basis, ncv_basis = static["fuel_quantity_basis"], static["ncv_basis"]
    if q_basis == "energy":
        energy = quantity
        mass = quantity / ncv if ncv_basis == "mass" else None
    else:
        energy = quantity * ncv
        mass = quantity if q_basis == "mass" else None
    activity = {"energy": energy, "mass": mass, "volume": quantity if q_basis == "volume" else None}
    out: dict[str, Array] = {}
    for species in (*GHG_FACTORS, *POLLUTANT_FACTORS):
        if species == SO2_SPECIES and "sulphur_content" in params:
            emitted = mass * params["sulphur_content"] * params["so2_per_s"] * (1.0 - params["ash_retention"])
            for kind, acts_on in static["controls"]:
                if species in acts_on:
                    emitted = emitted * (1.0 - params[f"controls.{kind}.efficiency"])
        else:
            factor = params[f"ef_{species}"] / 1000.0  # kg -> t; per-row factors first keeps arrays small
            for kind, acts_on in static["controls"]:
                if species in acts_on:
                    factor = factor * (1.0 - params[f"controls.{kind}.efficiency"])
            emitted = activity[static[f"ef_{species}_basis"]] * factor
        out[species] = emitted
    biogenic = params["biogenic"]
    if biogenic.any():  # reported only where a biogenic fuel is burnt (saves a large array otherwise)
        out["co2_biogenic"] = out["co2"] * biogenic
        out["co2"] = out["co2"] * (1.0 - biogenic)
    return out


PARAMETERS = (
    Parameter("fuel", "choice", "Fuel (IPCC 2006 fuel names)", required=True, default_factor="combustion.fuels"),
    Parameter("sector", "choice", "Source category for CH4/N2O factors", choices=SECTORS),
    Parameter(
        "fuel_quantity",
        "quantity",
        "Fuel burnt per year: mass, energy (NCV) or volume",
        "t | TJ | m³",
        required=True,
        minimum=0,
        per_year=True,
    ),
    Parameter(
        "ncv", "quantity", "Net calorific value", "TJ/t | TJ/m³", minimum=0, default_factor="combustion.ncv.{fuel}"
    ),
    Parameter(
        "sulphur_content",
        "quantity",
        "Sulphur mass fraction of the fuel (enables the SO2 mass balance)",
        "1",
        minimum=0,
        maximum=1,
        per_year=True,
    ),
    Parameter(
        "ash_retention",
        "quantity",
        "Fraction of sulphur retained in ash",
        "1",
        minimum=0,
        maximum=1,
        default_factor="combustion.ash_retention.{fuel}",
        per_year=True,
    ),
    Parameter("so2_per_s", "quantity", "kg SO2 per kg S", "1", default_factor="combustion.so2_per_s"),
    *(
        Parameter(
            f"ef_{s}",
            "quantity",
            f"Emission factor for {s.upper()}",
            "kg/TJ | kg/t | kg/m³",
            minimum=0,
            default_factor=p,
        )
        for s, p in (dict(GHG_FACTORS) | dict(POLLUTANT_FACTORS)).items()
    ),
    Parameter(
        "controls",
        "family",
        "End-of-pipe controls: [{type, efficiency?}]",
        "1",
        minimum=0,
        maximum=1,
        default_factor="control.{type}",
    ),
)

METHOD = Method(
    name="stationary_combustion",
    version="1.0",
    title_en="Stationary fuel combustion (fuel switching, efficiency improvement)",
    title_ja="固定発生源の燃料燃焼(燃料転換・省エネルギー)",
    description=__doc__ or "",
    parameters=PARAMETERS,
    equations=EQUATIONS,
    species=("co2", "co2_biogenic", "ch4", "n2o", "so2", "nox", "pm10", "pm25"),
    prepare=prepare,
    compute=compute,
    keyed_lists={"controls": "type"},
)
