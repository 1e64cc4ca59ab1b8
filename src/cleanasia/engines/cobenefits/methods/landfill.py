"""Landfill methane by first-order decay (IPCC 2006 Vol. 5 Ch. 3), in the IPCC or the CDM TOOL04 convention.

Multi-component waste: each waste type decays with its own DOC, DOCf and k (climate zone); MCF by site type;
oxidation in the cover; methane captured and destroyed (flare or use). Waste is deposited in the evaluation's
years; what it deposited before the range is not modelled (the same in baseline and project, it cancels), and
methane after the range is not counted (lengthen the range to see the tail).

Conventions (a choice of each evaluation, stored with its result):
* `ipcc2006`: decay starts the year after deposit (IPCC Eq. 3.4-3.5 as printed, no decay in the deposit year);
* `cdm_tool04`: decay starts in the deposit year (TOOL04's e^(−k(y−x))·(1 − e^(−k)) with x ≤ y): the same series
  shifted one year earlier. TOOL04's model correction φ is the input `model_correction` (default 1: none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .base import Array, Cat, Columns, Context, Method, Parameter, Prepared, ids, input_or_factor

CLIMATES = ("temperate_dry", "temperate_wet", "tropical_dry", "tropical_wet")
SITES = ("managed_anaerobic", "managed_semi_aerobic", "unmanaged_deep", "unmanaged_shallow", "uncategorised")
DOCF_EDITIONS = ("ipcc2006", "ipcc2019")
FLARES = ("enclosed", "open")
CONVENTIONS = ("ipcc2006", "cdm_tool04")
CH4_PER_C = 16.0 / 12.0

EQUATIONS = (
    "DDOCm_j,T [t] = W_T [t] × composition_j × DOC_j × DOCf_j × MCF",
    "DDOCma_j,T = DDOCm_j,T + DDOCma_j,T−1 × e^(−k_j)",
    "ipcc2006: decomposed_j,T = DDOCma_j,T−1 × (1 − e^(−k_j))",
    "cdm_tool04: decomposed_j,T = DDOCma_j,T × (1 − e^(−k_j))",
    "CH4_generated_T [t] = φ × F × 16/12 × Σ_j decomposed_j,T",
    "CH4_emitted_T = CH4_generated_T × [(1 − capture_T) × (1 − OX) + capture_T × (1 − destruction_efficiency)]",
)


def waste_types(cols: Columns, ctx: Context, family: str) -> dict[str, Array] | None:
    """The composition as fractions per waste type (sum at most 1, the rest inert)."""
    known = ctx.factors.tables["landfill"]["waste_types"]
    fractions: dict[str, Array] = {}
    for kind in cols.keys(family):
        name = f"{family}.{kind}"
        if kind not in known:
            cols.mark(name)
            cols.errors.add(
                cols.path(name), "unknown_choice", f"unknown waste type {kind!r}; one of: {', '.join(known)}"
            )
            continue
        got = cols.quantity(name, "1", maximum=1.0, per_year=True)
        if got is not None:
            fractions[kind] = got[0]
    if not cols.keys(family):
        cols.errors.add(f"{cols.prefix}.{family}", "required", f"{family} is required (fractions by waste type)")
        return None
    if fractions and np.any(sum(fractions.values()) > 1.0 + 1e-9):
        cols.errors.add(f"{cols.prefix}.{family}", "out_of_range", "the fractions add up to more than 1")
    return fractions


def prepare(cols: Columns, ctx: Context) -> Prepared | None:
    prepared = Prepared(METHOD, cols.n)
    n = cols.n
    waste = cols.quantity("waste_deposited", "t", required=True, per_year=True)
    if waste is not None:
        prepared.params["waste_deposited"] = waste[0]
        prepared.inputs["waste_deposited"] = (cols.raw["waste_deposited"], "t")
    climate = cols.choice("climate", CLIMATES, required=True, label="climate zone")
    site = cols.choice("site", SITES, required=not cols.has("mcf"), default="uncategorised")
    edition = cols.choice("docf_edition", DOCF_EDITIONS, default="ipcc2006")
    fractions = waste_types(cols, ctx, "composition")
    groups = ctx.factors.tables["landfill"]["waste_types"]
    organic = []
    if fractions is not None and climate is not None and edition is not None:
        for kind, fraction in fractions.items():
            prepared.params[f"composition.{kind}"] = fraction
            prepared.inputs[f"composition.{kind}"] = (cols.raw[f"composition.{kind}"], "1")
            if groups[kind] is None:
                continue  # inert: no degradable carbon
            organic.append(kind)
            kind_ids = Cat.full(n, kind)
            for param, factor_ids in (
                (f"doc.{kind}", ids("landfill.doc.{w}", w=kind_ids)),
                (
                    f"docf.{kind}",
                    Cat.where(
                        edition.is_("ipcc2019"), ids("landfill.docf.ipcc2019.{w}", w=kind_ids), "landfill.docf.ipcc2006"
                    ),
                ),
                (f"k.{kind}", ids("landfill.k.{g}.{z}", g=groups[kind], z=climate)),
            ):
                input_or_factor(
                    cols,
                    prepared,
                    param,
                    "1/yr" if param.startswith("k.") else "1",
                    factor_ids,
                    ctx,
                    path_for_factor=cols.path(f"composition.{kind}"),
                )
    prepared.static["organic"] = tuple(organic)
    if site is not None:
        input_or_factor(cols, prepared, "mcf", "1", ids("landfill.mcf.{s}", s=site), ctx, maximum=1.0)
    cover = cols.flag("oxidising_cover")
    if cover is not None:
        ox_ids = Cat.where(cover, "landfill.ox.oxidising_cover", "landfill.ox.default")
        input_or_factor(cols, prepared, "oxidation", "1", ox_ids, ctx, maximum=1.0)
    input_or_factor(cols, prepared, "methane_generation_fraction", "1", Cat.full(n, "landfill.f"), ctx, maximum=1.0)
    capture = cols.quantity("methane_capture", "1", maximum=1.0, per_year=True)
    prepared.params["methane_capture"] = np.zeros((n, 1)) if capture is None else capture[0]
    if capture is not None:
        prepared.inputs["methane_capture"] = (cols.raw["methane_capture"], "1")
    flare = cols.choice("flare", FLARES, default="enclosed")
    if flare is not None:
        input_or_factor(cols, prepared, "destruction_efficiency", "1", ids("flare.{f}", f=flare), ctx, maximum=1.0)
    phi = cols.quantity("model_correction", "1", maximum=1.0)
    prepared.params["model_correction"] = np.ones((n, 1)) if phi is None else phi[0]
    if phi is not None:
        prepared.inputs["model_correction"] = (cols.raw["model_correction"], "1")
    return prepared


def decay(deposited: Array, k: Array, convention: str) -> Array:
    """Degradable carbon decomposed per year from deposits per year (first-order decay, both conventions)."""
    shape = np.broadcast_shapes(deposited.shape, k.shape)
    years = shape[-1]
    # Years along the first axis, rows contiguous: each year is one vector operation over all rows.
    by_year = np.ascontiguousarray(np.broadcast_to(deposited, shape).reshape(-1, years).T)
    kept = np.broadcast_to(np.exp(-k), (*shape[:-1], 1)).reshape(-1)
    lost = 1.0 - kept
    accumulated = np.zeros(by_year.shape[1])
    decomposed = np.empty_like(by_year)
    tool04 = convention == "cdm_tool04"
    for year in range(years):
        if tool04:  # decay from the deposit year on
            accumulated *= kept
            accumulated += by_year[year]
            np.multiply(accumulated, lost, out=decomposed[year])
        else:  # IPCC as printed: what was there at the end of last year decays
            np.multiply(accumulated, lost, out=decomposed[year])
            accumulated *= kept
            accumulated += by_year[year]
    return decomposed.T.reshape(shape)


def compute(params: Mapping[str, Array], static: Mapping[str, Any], ctx: Context) -> dict[str, Array]:
    waste = params["waste_deposited"]
    decomposed: Array = np.zeros((1, ctx.n_years))
    for kind in static["organic"]:
        share = params[f"composition.{kind}"] * params[f"doc.{kind}"] * params[f"docf.{kind}"] * params["mcf"]
        deposited = waste * share
        deposited = np.broadcast_to(deposited, np.broadcast_shapes(deposited.shape, (1, ctx.n_years)))
        part = decay(deposited, params[f"k.{kind}"], ctx.fod_convention)
        decomposed = decomposed + part if decomposed.shape != part.shape else np.add(decomposed, part, out=decomposed)
    capture = params["methane_capture"]
    released = (1.0 - capture) * (1.0 - params["oxidation"]) + capture * (1.0 - params["destruction_efficiency"])
    emitted = decomposed * (params["model_correction"] * params["methane_generation_fraction"] * CH4_PER_C * released)
    return {"ch4": np.broadcast_to(emitted, np.broadcast_shapes(emitted.shape, waste.shape, (1, ctx.n_years)))}


METHOD = Method(
    name="landfill_fod",
    version="1.0",
    title_en="Landfill methane by first-order decay (IPCC 2006 / CDM TOOL04)",
    title_ja="埋立処分場からのメタン(一次減衰法、IPCC 2006 / CDM TOOL04)",
    description=__doc__ or "",
    parameters=(
        Parameter(
            "waste_deposited",
            "quantity",
            "Waste deposited per year (wet weight)",
            "t",
            required=True,
            minimum=0,
            per_year=True,
        ),
        Parameter(
            "composition",
            "family",
            "Mass fraction of each waste type (wet); the rest is inert",
            "1",
            required=True,
            minimum=0,
            maximum=1,
            per_year=True,
            default_factor="landfill.doc.{type}",
        ),
        Parameter(
            "climate",
            "choice",
            "IPCC climate zone (tropical: MAT > 20 °C)",
            required=True,
            choices=CLIMATES,
            default_factor="landfill.k.{group}.{climate}",
        ),
        Parameter("site", "choice", "Site type for MCF", choices=SITES, default_factor="landfill.mcf.{site}"),
        Parameter(
            "mcf", "quantity", "Methane correction factor (instead of the site type's)", "1", minimum=0, maximum=1
        ),
        Parameter(
            "docf_edition", "choice", "DOCf: 0.5 (2006) or by waste type (2019 Refinement)", choices=DOCF_EDITIONS
        ),
        Parameter(
            "oxidising_cover",
            "flag",
            "Well-managed site with an oxidising cover (OX 0.1)",
            default_factor="landfill.ox.*",
        ),
        Parameter("oxidation", "quantity", "Oxidation factor OX (instead of the default)", "1", minimum=0, maximum=1),
        Parameter(
            "methane_generation_fraction",
            "quantity",
            "F, fraction of CH4 in landfill gas",
            "1",
            minimum=0,
            maximum=1,
            default_factor="landfill.f",
        ),
        Parameter(
            "methane_capture",
            "quantity",
            "Fraction of generated CH4 captured",
            "1",
            minimum=0,
            maximum=1,
            per_year=True,
        ),
        Parameter("flare", "choice", "Destruction of captured CH4", choices=FLARES, default_factor="flare.{flare}"),
        Parameter(
            "destruction_efficiency", "quantity", "Fraction of captured CH4 destroyed", "1", minimum=0, maximum=1
        ),
        Parameter(
            "model_correction", "quantity", "φ, TOOL04 model correction factor (default 1)", "1", minimum=0, maximum=1
        ),
    ),
    equations=EQUATIONS,
    species=("ch4",),
    prepare=prepare,
    compute=compute,
    families=("composition",),
)
