"""The reference file's published values, reproduced by the engine with its shipped factors."""

import math

import numpy as np
import pytest

from cleanasia.engines.cobenefits import default_factors, evaluate

from .helpers import combustion, landfill, q, request, wastewater


@pytest.mark.parametrize(
    ("fuel", "expected"),
    [
        ("other_bituminous_coal", 2.44068),
        ("sub_bituminous_coal", 1.81629),
        ("natural_gas", 2.6928),
        ("gas_diesel_oil", 3.1863),
    ],
)
def test_tonnes_co2_per_tonne_of_fuel(fuel, expected):
    result = evaluate(request([combustion(fuel, 1, "t")]))
    assert result.baseline["co2"][0] == pytest.approx(expected, rel=1e-12)
    factors = default_factors()
    ef, ncv = factors.get(f"combustion.ef_co2.{fuel}"), factors.get(f"combustion.ncv.{fuel}")
    assert ef.value * ncv.value / 1e6 == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("fuel", "sulphur_percent", "emep", "digits", "expected"),
    [
        ("residual_fuel_oil", 1.0, "heavy_fuel_oil", 0, 495),
        ("gas_diesel_oil", 0.1, "gas_oil", 1, 46.5),
        ("lignite", 1.0, "brown_coal", 1, 1680.7),
    ],
)
def test_sulphur_mass_balance_reproduces_emep_sox_factors(fuel, sulphur_percent, emep, digits, expected):
    one_gj = combustion(fuel, 1, "GJ", sulphur_content=q(sulphur_percent, "%"))
    grams_per_gj = evaluate(request([one_gj])).baseline["so2"][0] * 1e6
    assert round(grams_per_gj, digits) == expected
    # The Guidebook's own factor is the same balance, printed to three significant figures.
    assert f"{default_factors().get(f'emep.sox.{emep}').value:.3g}" == f"{grams_per_gj:.3g}"


def test_sulphur_by_mass_and_ash_retention_and_fgd():
    activity = combustion(
        "other_bituminous_coal",
        100,
        "kt",
        sulphur_content=q(1.2, "%"),
        ash_retention=q(5, "%"),
        controls=[{"type": "fgd", "efficiency": q(95, "%")}],
    )
    so2 = evaluate(request([activity])).baseline["so2"][0]
    assert so2 == pytest.approx(100_000 * 0.012 * 2.0 * 0.95 * 0.05, rel=1e-12)


@pytest.mark.parametrize(
    ("system", "edition", "expected"),
    [
        ("centralised_aerobic_well_managed", "ipcc2019", 0.018),
        ("anaerobic_reactor", "ipcc2006", 0.48),
        ("anaerobic_shallow_lagoon", "ipcc2006", 0.12),
        ("septic_system", "ipcc2006", 0.3),
    ],
)
def test_bo_times_mcf(system, edition, expected):
    # 1,000 kg BOD treated: kg CH4 per kg BOD is t CH4 here.
    result = evaluate(request([wastewater(system, 1000, factor_edition=edition)]))
    assert result.baseline["ch4"][0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("convention", ["ipcc2006", "cdm_tool04"])
def test_fod_check_value_food_waste(convention):
    deposits = [10_000.0] * 10 + [0.0] * 190
    activity = landfill(deposits, {"food": 1.0})
    result = evaluate(request([activity], end=2224, fod_convention=convention))
    assert result.total("ch4", "baseline") == pytest.approx(5_000.0, rel=1e-9)


def test_fod_conventions_are_one_year_apart():
    deposits = [float(1000 + 37 * i) for i in range(30)]
    composition = {"food": 0.4, "paper": 0.2, "wood": 0.1, "garden": 0.1, "plastics": 0.2}
    activity = landfill(deposits, composition, methane_capture=q(0.3, "1"), oxidising_cover=True)
    ipcc = evaluate(request([activity], end=2054, fod_convention="ipcc2006")).baseline["ch4"]
    tool04 = evaluate(request([activity], end=2054, fod_convention="cdm_tool04")).baseline["ch4"]
    assert ipcc[0] == 0.0  # no decay in the first deposit year (IPCC as printed)
    assert tool04[0] > 0.0
    np.testing.assert_array_equal(ipcc[1:], tool04[:-1])


def test_total_landfill_methane_over_a_long_horizon_is_the_mass_balance():
    composition = {"food": 0.5, "paper": 0.2, "garden": 0.1, "textiles": 0.05, "plastics": 0.15}
    deposits = [20_000.0] * 5 + [0.0] * 995
    activity = landfill(deposits, composition, site="unmanaged_deep", climate="tropical_dry")
    result = evaluate(request([activity], end=3024))
    factors = default_factors()
    expected = 0.0
    for kind, share in composition.items():
        doc = factors.get(f"landfill.doc.{kind}").value
        expected += 100_000 * share * doc * 0.5 * 0.8 * 0.5 * 16 / 12  # W × DOC × DOCf × MCF × F × 16/12
    assert result.total("ch4", "baseline") == pytest.approx(expected, rel=1e-9)


def test_reduction_is_baseline_minus_project_for_every_gas():
    baseline = [
        combustion("other_bituminous_coal", [100.0, 120.0, 140.0], "kt", sulphur_content=q(1.0, "%")),
        landfill([5000.0, 5000.0, 5000.0], {"food": 0.6, "paper": 0.2}),
        wastewater("anaerobic_deep_lagoon", 2e6),
    ]
    project = [
        combustion("natural_gas", [2.0, 2.2, 2.4], "PJ", controls=[{"type": "scr"}]),
        {"method": "waste_treatment", "treatment": "composting", "waste_treated": q(5000, "t")},
        wastewater("anaerobic_reactor", 2e6, methane_capture=q(90, "%")),
    ]
    result = evaluate(request(baseline, project, end=2027, gwp="AR6"))
    for species in result.species:
        np.testing.assert_array_equal(result.reduction[species], result.baseline[species] - result.project[species])
    np.testing.assert_array_equal(result.co2e["reduction"], result.co2e["baseline"] - result.co2e["project"])
    gwp = {"co2": 1.0, "ch4": 27.9, "n2o": 273.0}
    expected = sum(gwp[g] * result.baseline[g] for g in ("co2", "ch4", "n2o"))
    np.testing.assert_allclose(result.co2e["baseline"], expected, rtol=1e-12)
    assert result.gwp_set == "AR6"
    assert math.isclose(result.to_dict()["gwp"]["values"]["ch4"], 27.9)
