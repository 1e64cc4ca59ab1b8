"""Behaviour of each method beyond the reference values, and the working shown with every result."""

import json

import pytest

from cleanasia.engines.cobenefits import EvaluationError, evaluate

from .helpers import combustion, landfill, q, request


def test_working_lines_let_a_reviewer_recompute():
    result = evaluate(request([combustion("other_bituminous_coal", 2, "kt")]))
    [line] = result.lines
    assert line.method == "stationary_combustion"
    assert line.method_version == "1.0"
    assert any("ef_gas" in e for e in line.equations)
    params = {p.name: p for p in line.parameters}
    assert params["ncv"].factor_id == "combustion.ncv.other_bituminous_coal"
    assert params["ncv"].source["table"] == "Ch. 1, Table 1.2"
    assert params["ef_ch4"].check is True  # a "(check)" value is flagged where it is used
    recomputed = params["fuel_quantity"].value * params["ncv"].value * params["ef_co2"].value / 1000
    assert recomputed == pytest.approx(line.results["co2"][0])
    json.dumps(result.to_dict())


def test_biogenic_co2_is_a_memo_item_outside_co2e():
    result = evaluate(request([combustion("wood", 1, "t")]))
    assert result.baseline["co2"][0] == 0.0
    assert result.baseline["co2_biogenic"][0] == pytest.approx(15.6e-3 * 112_000 / 1000)
    ghg_only = result.baseline["ch4"][0] * 28 + result.baseline["n2o"][0] * 265
    assert result.co2e["baseline"][0] == pytest.approx(ghg_only)


def test_grid_user_factor_and_generation_mix_pollutants():
    activity = {
        "method": "grid_electricity",
        "electricity": q(1000, "MWh"),
        "grid_factor": q(0.8, "kg/kWh"),
        "generation_mix": [
            {"fuel": "other_bituminous_coal", "share": 0.5, "efficiency": q(40, "%")},
            {"fuel": "non_emitting", "share": 0.5},
        ],
    }
    result = evaluate(request([activity]))
    assert result.baseline["co2"][0] == pytest.approx(800.0)
    fuel_tj = 1000 * 0.5 * 0.0036 / 0.4
    assert result.baseline["nox"][0] == pytest.approx(fuel_tj * 209 / 1000)


def test_grid_national_table_by_country_and_year():
    activity = {"method": "grid_electricity", "electricity": q(10, "GWh"), "country": "TH", "grid_year": 2026}
    result = evaluate(request([activity]))
    assert result.baseline["co2"][0] == pytest.approx(4750.0)
    assert result.lines[0].parameters[-1].check is True
    with pytest.raises(EvaluationError) as caught:
        evaluate(request([{**activity, "country": "JP"}]))
    assert caught.value.errors[0].path == "baseline.activities[0].country"


def test_avoided_landfill_by_incineration_counts_fossil_carbon_only():
    activity = {
        "method": "waste_treatment",
        "treatment": "incineration",
        "waste_treated": q(1000, "t"),
        "composition": {"plastics": 0.1, "food": 0.5},
    }
    result = evaluate(request([landfill(1000, {"food": 0.5, "plastics": 0.1})], [activity], end=2026))
    assert result.project["co2"][0] == pytest.approx(1000 * 0.1 * 1.0 * 0.75 * 1.0 * 44 / 12)
    assert result.project["co2_biogenic"][0] == pytest.approx(1000 * 0.5 * 0.4 * 0.38 * 44 / 12)
    assert result.project["n2o"][0] == pytest.approx(1000 * 50e-6)


def test_industrial_wastewater_defaults_and_discharged_cod():
    activity = {
        "method": "wastewater_industrial",
        "industry": "starch",
        "production": q(1000, "t"),
        "treatment": [{"system": "anaerobic_reactor", "share": 1}],
        "removal_efficiency": q(90, "%"),
        "methane_capture": q(0.8, "1"),
        "flare": "enclosed",
    }
    result = evaluate(request([activity]))
    tow = 1000 * 9 * 10  # kg COD
    treated_ch4 = tow * 0.9 * 0.25 * 0.8 * ((1 - 0.8) + 0.8 * (1 - 0.9))
    discharge_ch4 = tow * 0.1 * 0.25 * 0.1
    assert result.baseline["ch4"][0] == pytest.approx((treated_ch4 + discharge_ch4) / 1000)
    assert result.baseline["cod"][0] == pytest.approx(tow * 0.1 / 1000)


def test_domestic_wastewater_from_population():
    activity = {
        "method": "wastewater_domestic",
        "population": q(100_000, "1"),
        "country": "JP",
        "treatment": [{"system": "centralised_aerobic_not_well_managed", "share": 1}],
        "effluent_flow": q(7e6, "m³"),
        "effluent_concentration": q(15, "mg/L"),
    }
    result = evaluate(request([activity]))
    tow = 100_000 * 42 * 0.001 * 1.25 * 365
    effluent = 7e6 * 0.015
    expected = ((tow - effluent) * 0.6 * 0.3 + effluent * 0.6 * 0.1) / 1000
    assert result.baseline["ch4"][0] == pytest.approx(expected)
    assert result.baseline["bod"][0] == pytest.approx(effluent / 1000)


@pytest.mark.parametrize("method", ["landfill", "combustion"])
def test_a_single_value_is_the_same_every_year(method):
    if method == "landfill":
        one, listed = landfill(500, {"food": 0.5}), landfill([500.0] * 6, {"food": 0.5})
    else:
        one, listed = combustion("lignite", 5, "kt"), combustion("lignite", [5.0] * 6, "kt")
    a, b = evaluate(request([one], end=2030)), evaluate(request([listed], end=2030))
    for species in a.species:
        assert list(a.baseline[species]) == list(b.baseline[species])
