"""Waste diverted from landfill: composting, anaerobic digestion (IPCC 2006 Vol. 5 Ch. 4) or incineration (Ch. 5).

Put the diverted waste in the project scenario with this method, and the landfill it avoids in the baseline
(`landfill_fod`); the reduction is then the landfill methane avoided less the treatment's own emissions.
Incineration: fossil CO2 from the fossil carbon of each waste type; its biogenic CO2 is a memo item
(`co2_biogenic`), excluded from CO2e, as is the biogenic CO2 of composting and digestion (not reported).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .base import Array, Cat, Columns, Context, Method, Parameter, Prepared, ids, input_or_factor
from .landfill import waste_types

TREATMENTS = ("composting", "anaerobic_digestion", "incineration")
CO2_PER_C = 44.0 / 12.0

EQUATIONS = (
    "composting / digestion: E_gas [t] = waste_treated [t] × ef_gas [kg/t = g/kg] / 1000  (CH4, N2O; wet weight)",
    "incineration: CO2_total [t] = Σ_j waste_treated × composition_j × dm_j × cf_j × oxidation × 44/12",
    "incineration: CO2 fossil = Σ_j (… × fcf_j); co2_biogenic = CO2_total − CO2 fossil (memo)",
    "incineration: E_CH4, E_N2O as above, ef in kg/t (the defaults are 0.2 kg/Gg and 50 g/t of wet waste)",
)


def prepare(cols: Columns, ctx: Context) -> Prepared | None:
    prepared = Prepared(METHOD, cols.n)
    n = cols.n
    treatment = cols.choice("treatment", TREATMENTS, required=True, label="treatment")
    waste = cols.quantity("waste_treated", "t", required=True, per_year=True)
    if waste is not None:
        prepared.params["waste_treated"] = waste[0]
        prepared.inputs["waste_treated"] = (cols.raw["waste_treated"], "t")
    if treatment is None:
        cols.mark(*cols.raw)
        return prepared
    if len(treatment.distinct()) != 1:
        cols.errors.add(cols.path("treatment"), "wrong_type", "one treatment per batch of activities")
        return prepared
    kind = next(iter(treatment.distinct()))
    prepared.static["treatment"] = kind
    for gas in ("ch4", "n2o"):
        input_or_factor(cols, prepared, f"ef_{gas}", "kg/t", ids(f"treatment.{kind}.{gas}", k=treatment), ctx)
    incinerated: list[str] = []
    if kind == "incineration":
        fractions = waste_types(cols, ctx, "composition")
        for waste_type, fraction in (fractions or {}).items():
            prepared.params[f"composition.{waste_type}"] = fraction
            prepared.inputs[f"composition.{waste_type}"] = (cols.raw[f"composition.{waste_type}"], "1")
            for part in ("dm", "cf", "fcf"):
                input_or_factor(
                    cols,
                    prepared,
                    f"{part}.{waste_type}",
                    "1",
                    Cat.full(n, f"treatment.incineration.{part}.{waste_type}"),
                    ctx,
                    maximum=1.0,
                    path_for_factor=cols.path(f"composition.{waste_type}"),
                )
            incinerated.append(waste_type)
        input_or_factor(cols, prepared, "oxidation", "1", Cat.full(n, "treatment.incineration.of"), ctx, maximum=1.0)
    else:
        for name in list(cols.raw):
            if name.startswith("composition.") or name == "oxidation":
                cols.mark(name)
                cols.errors.add(cols.path(name), "not_applicable", f"{name} applies only to incineration")
    prepared.static["composition"] = tuple(incinerated)
    return prepared


def compute(params: Mapping[str, Array], static: Mapping[str, Any], ctx: Context) -> dict[str, Array]:
    waste = params["waste_treated"]
    out = {"ch4": waste * params["ef_ch4"] / 1000.0, "n2o": waste * params["ef_n2o"] / 1000.0}
    if static["treatment"] == "incineration":
        total = np.zeros((1, 1))
        fossil = np.zeros((1, 1))
        for kind in static["composition"]:
            carbon = waste * params[f"composition.{kind}"] * params[f"dm.{kind}"] * params[f"cf.{kind}"]
            total = total + carbon
            fossil = fossil + carbon * params[f"fcf.{kind}"]
        out["co2"] = fossil * params["oxidation"] * CO2_PER_C * np.ones_like(waste)
        out["co2_biogenic"] = (total - fossil) * params["oxidation"] * CO2_PER_C * np.ones_like(waste)
    return out


METHOD = Method(
    name="waste_treatment",
    version="1.0",
    title_en="Composting, anaerobic digestion or incineration of waste diverted from landfill",
    title_ja="埋立回避:堆肥化・嫌気性消化・焼却",
    description=__doc__ or "",
    parameters=(
        Parameter("treatment", "choice", "Treatment of the diverted waste", required=True, choices=TREATMENTS),
        Parameter(
            "waste_treated",
            "quantity",
            "Waste treated per year (wet weight)",
            "t",
            required=True,
            minimum=0,
            per_year=True,
        ),
        Parameter(
            "ef_ch4", "quantity", "CH4 per wet waste", "kg/t", minimum=0, default_factor="treatment.{treatment}.ch4"
        ),
        Parameter(
            "ef_n2o", "quantity", "N2O per wet waste", "kg/t", minimum=0, default_factor="treatment.{treatment}.n2o"
        ),
        Parameter(
            "composition",
            "family",
            "Incineration: mass fraction of each waste type",
            "1",
            minimum=0,
            maximum=1,
            per_year=True,
            default_factor="treatment.incineration.{dm|cf|fcf}.{type}",
        ),
        Parameter(
            "oxidation",
            "quantity",
            "Incineration: oxidation factor",
            "1",
            minimum=0,
            maximum=1,
            default_factor="treatment.incineration.of",
        ),
    ),
    equations=EQUATIONS,
    species=("co2", "co2_biogenic", "ch4", "n2o"),
    prepare=prepare,
    compute=compute,
    families=("composition",),
)
