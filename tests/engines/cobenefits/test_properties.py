"""Property tests: emissions scale linearly with activity; no activity, no emissions."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanasia.engines.cobenefits import evaluate

from .helpers import combustion, landfill, q, request

SETTINGS = settings(max_examples=25, deadline=None)
amount = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
scale = st.floats(min_value=0.0, max_value=1e3, allow_nan=False)
fuel = st.sampled_from(
    ["other_bituminous_coal", "sub_bituminous_coal", "lignite", "natural_gas", "gas_diesel_oil", "wood"]
)


def activities(x: float, fuel_id: str, amounts: list[float]) -> list[dict]:
    return [
        combustion(fuel_id, [a * x for a in amounts], "t", sulphur_content=q(0.8, "%"), controls=[{"type": "scr"}]),
        landfill([a * x for a in amounts], {"food": 0.5, "wood": 0.2, "paper": 0.1}, climate="temperate_wet"),
        {
            "method": "wastewater_domestic",
            "population": q([a * x for a in amounts], "1"),
            "country": "VN",
            "treatment": [
                {"system": "anaerobic_shallow_lagoon", "share": 0.7},
                {"system": "septic_system", "share": 0.3},
            ],
            "removal_efficiency": q(60, "%"),
        },
        {
            "method": "grid_electricity",
            "electricity": q([a * x for a in amounts], "MWh"),
            "grid_factor": q(0.7, "t/MWh"),
            "generation_mix": [
                {"fuel": "other_bituminous_coal", "share": 0.6, "efficiency": q(36, "%")},
                {"fuel": "non_emitting", "share": 0.4},
            ],
        },
        {
            "method": "waste_treatment",
            "treatment": "incineration",
            "waste_treated": q([a * x for a in amounts], "t"),
            "composition": {"plastics": 0.2, "paper": 0.3, "food": 0.4},
        },
    ]


@SETTINGS
@given(amounts=st.lists(amount, min_size=4, max_size=4), factor=scale, fuel_id=fuel)
def test_scaling_activity_scales_every_emission_linearly(amounts, factor, fuel_id):
    base = evaluate(request(activities(1.0, fuel_id, amounts), end=2028))
    scaled = evaluate(request(activities(factor, fuel_id, amounts), end=2028))
    for species in base.species:
        np.testing.assert_allclose(scaled.baseline[species], factor * base.baseline[species], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaled.co2e["baseline"], factor * base.co2e["baseline"], rtol=1e-9, atol=1e-9)


@SETTINGS
@given(fuel_id=fuel, convention=st.sampled_from(["ipcc2006", "cdm_tool04"]))
def test_zero_activity_gives_zero(fuel_id, convention):
    result = evaluate(request(activities(0.0, fuel_id, [1.0] * 4), end=2028, fod_convention=convention))
    assert set(result.species) >= {"co2", "ch4", "n2o", "so2", "nox", "pm10", "pm25", "bod"}
    for species in result.species:
        assert not result.baseline[species].any()
    assert not result.co2e["baseline"].any()
