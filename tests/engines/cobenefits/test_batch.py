"""The vectorised batch path gives the same numbers as the single-request path."""

import numpy as np
import pytest

from cleanasia.engines.cobenefits import ActivityBatch, EvaluationError, evaluate, evaluate_batch

from .helpers import combustion, landfill, q, request

FUELS = ["other_bituminous_coal", "lignite", "natural_gas", "residual_fuel_oil", "wood"]
YEARS = {"start": 2025, "end": 2034}


def scenarios(n: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    return {
        "coal_kt": rng.uniform(1, 500, size=(n, 10)),
        "fuel": rng.choice(FUELS, size=n).astype(object),
        "gas_tj": rng.uniform(1, 5000, size=n),
        "sulphur": rng.uniform(0.1, 3.0, size=n),
        "waste": rng.uniform(0, 20_000, size=(n, 10)),
        "food": rng.uniform(0, 0.6, size=n),
        "paper": rng.uniform(0, 0.3, size=n),
        "climate": rng.choice(["temperate_dry", "tropical_wet", "tropical_dry"], size=n).astype(object),
        "capture": rng.uniform(0, 0.8, size=n),
    }


def single(s, i, convention):
    baseline = [
        combustion(s["fuel"][i], list(s["coal_kt"][i]), "kt", sulphur_content=q(float(s["sulphur"][i]), "%")),
        landfill(
            list(s["waste"][i]), {"food": float(s["food"][i]), "paper": float(s["paper"][i])}, climate=s["climate"][i]
        ),
    ]
    project = [
        combustion("natural_gas", float(s["gas_tj"][i]), "TJ", controls=[{"type": "low_nox_burner"}]),
        landfill(
            list(s["waste"][i]),
            {"food": float(s["food"][i]), "paper": float(s["paper"][i])},
            climate=s["climate"][i],
            methane_capture=q(float(s["capture"][i]), "1"),
        ),
    ]
    return request(baseline, project, start=2025, end=2034, fod_convention=convention)


def batch(s, n, convention):
    baseline = [
        ActivityBatch(
            "stationary_combustion",
            {
                "fuel": s["fuel"],
                "fuel_quantity": {"values": s["coal_kt"], "unit": "kt"},
                "sulphur_content": {"values": s["sulphur"], "unit": "%"},
            },
        ),
        ActivityBatch(
            "landfill_fod",
            {
                "waste_deposited": {"values": s["waste"], "unit": "t"},
                "composition.food": s["food"],
                "composition.paper": s["paper"],
                "climate": s["climate"],
                "site": np.full(n, "managed_anaerobic", dtype=object),
            },
        ),
    ]
    project = [
        ActivityBatch(
            "stationary_combustion",
            {
                "fuel": np.full(n, "natural_gas", dtype=object),
                "fuel_quantity": {"values": s["gas_tj"], "unit": "TJ"},
                "controls.low_nox_burner": np.ones(n, dtype=bool),
            },
        ),
        ActivityBatch(
            "landfill_fod",
            {
                "waste_deposited": {"values": s["waste"], "unit": "t"},
                "composition.food": s["food"],
                "composition.paper": s["paper"],
                "climate": s["climate"],
                "site": np.full(n, "managed_anaerobic", dtype=object),
                "methane_capture": s["capture"],
            },
        ),
    ]
    return evaluate_batch(n_scenarios=n, years=YEARS, baseline=baseline, project=project, fod_convention=convention)


@pytest.mark.parametrize("convention", ["ipcc2006", "cdm_tool04"])
def test_batch_equals_single_requests(convention):
    n = 12
    s = scenarios(n)
    result = batch(s, n, convention)
    for i in range(n):
        one = evaluate(single(s, i, convention))
        assert set(one.species) <= set(result.species)
        for species in set(result.species) - set(one.species):  # e.g. biogenic CO2 of other rows' wood
            assert not result.baseline[species][i].any()
        for species in one.species:
            for side in ("baseline", "project", "reduction"):
                np.testing.assert_allclose(result.side(side)[species][i], one.side(side)[species], rtol=1e-13, atol=0)
        for side in ("baseline", "project", "reduction"):
            np.testing.assert_allclose(result.co2e[side][i], one.co2e[side], rtol=1e-13, atol=0)


def test_rows_are_added_into_their_scenarios():
    rows = ActivityBatch(
        "stationary_combustion",
        {
            "fuel": np.array(["natural_gas"] * 3, dtype=object),
            "fuel_quantity": {"values": [1.0, 2.0, 4.0], "unit": "TJ"},
        },
        scenario=[1, 1, 0],
    )
    result = evaluate_batch(n_scenarios=2, years={"start": 2025, "end": 2025}, baseline=[rows], project=[])
    assert result.baseline["co2"][:, 0] == pytest.approx([4 * 56.1, 3 * 56.1])
    assert result.totals("co2e", "reduction") == pytest.approx(result.co2e["reduction"].sum(axis=1))


def test_batch_errors_name_the_column_and_rows():
    rows = ActivityBatch(
        "stationary_combustion",
        {"fuel": np.array(["lignite", "nope"], dtype=object), "fuel_quantity": {"values": [1.0, -2.0], "unit": "t"}},
    )
    with pytest.raises(EvaluationError) as caught:
        evaluate_batch(n_scenarios=2, years={"start": 2025, "end": 2025}, baseline=[rows], project=[])
    codes = {e.path: e.code for e in caught.value.errors}
    assert codes == {"baseline[0].fuel": "unknown_fuel", "baseline[0].fuel_quantity": "negative"}
    assert "rows 1" in next(e.message for e in caught.value.errors if e.code == "negative")
