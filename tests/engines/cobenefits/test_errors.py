"""Bad input: each problem a FieldError naming the field by its path, all of a request's problems together."""

import pytest

from cleanasia.engines.cobenefits import EvaluationError, FieldError, evaluate

from .helpers import combustion, landfill, q, request


def errors_of(req) -> dict[str, str]:
    with pytest.raises(EvaluationError) as caught:
        evaluate(req)
    assert all(isinstance(e, FieldError) and e.message for e in caught.value.errors)
    return {e.path: e.code for e in caught.value.errors}


def test_every_error_of_a_request_is_reported_together_with_its_path():
    req = request(
        [
            combustion("other_bituminous_coal", -5, "t"),
            combustion("lignite", 10, "t", sulphur_content=q(120, "%")),
            combustion("natural_gas", 1, "TJ", controls=[{"type": "scr", "efficiency": q(1.2, "1")}]),
            combustion("peat_moss", 1, "t"),
            {"method": "carbon_magic"},
        ],
        factor_overrides={"combustion.ncv.lignite": {"value": 12.0}},
        start=2030,
        end=2025,
    )
    assert errors_of(req) == {
        "years.end": "year_range",
        "factor_overrides.combustion.ncv.lignite.unit": "required",
        "baseline.activities[0].fuel_quantity": "negative",
        "baseline.activities[1].sulphur_content": "out_of_range",
        "baseline.activities[2].controls[0].efficiency": "out_of_range",
        "baseline.activities[3].fuel": "unknown_fuel",
        "baseline.activities[4].method": "unknown_method",
    }


def test_wrong_dimension_names_the_unit_of_the_field():
    codes = errors_of(request([combustion("natural_gas", 5, "MWh/yr")]))
    assert codes == {"baseline.activities[0].fuel_quantity.unit": "wrong_dimension"}


def test_unknown_unit_and_missing_unit():
    codes = errors_of(
        request([combustion("natural_gas", 5, "blorps"), {**combustion("lignite", 1), "fuel_quantity": 3}])
    )
    assert codes == {
        "baseline.activities[0].fuel_quantity.unit": "unknown_unit",
        "baseline.activities[1].fuel_quantity.unit": "required",
    }


def test_per_year_list_must_match_the_range():
    codes = errors_of(request([combustion("lignite", [1.0, 2.0], "t")], end=2027))
    assert codes == {"baseline.activities[0].fuel_quantity": "wrong_length"}


def test_particulate_control_on_an_already_abated_coal_factor_is_refused():
    codes = errors_of(request([combustion("other_bituminous_coal", 1, "kt", controls=[{"type": "esp"}])]))
    assert codes == {"baseline.activities[0].controls[0]": "control_already_in_factor"}


def test_particulate_control_with_an_uncontrolled_factor_of_ones_own_is_applied():
    activity = combustion(
        "other_bituminous_coal",
        1,
        "TJ",
        ef_pm10=q(1000, "g/GJ"),
        ef_pm25=q(400, "g/GJ"),
        controls=[{"type": "esp"}],
    )
    result = evaluate(request([activity]))
    assert result.baseline["pm10"][0] == pytest.approx(1000 * 1000 * 1e-6 * (1 - 0.992), rel=1e-12)  # 1 TJ = 1000 GJ


def test_the_same_control_twice_is_refused():
    codes = errors_of(request([combustion("natural_gas", 1, "TJ", controls=[{"type": "scr"}, {"type": "scr"}])]))
    assert codes == {"baseline.activities[0].controls[1].type": "duplicate"}


def test_unknown_fields_and_choices():
    codes = errors_of(
        request(
            [landfill(100, {"food": 0.5, "unobtainium": 0.1}, climate="martian", colour="blue")],
            gwp="AR7",
            fod_convention="guess",
        )
    )
    assert codes == {
        "gwp": "unknown_choice",
        "fod_convention": "unknown_choice",
        "baseline.activities[0].composition.unobtainium": "unknown_choice",
        "baseline.activities[0].climate": "unknown_choice",
        "baseline.activities[0].colour": "unknown_field",
    }


def test_override_errors():
    req = request(
        [combustion("lignite", 1)],
        factor_overrides={
            "combustion.ncv.nothing": {"value": 1, "unit": "TJ/Gg"},
            "combustion.ncv.lignite": {"value": 1, "unit": "kg"},
            "emep.nox.hard_coal": {"value": -3, "unit": "g/GJ"},
        },
    )
    assert errors_of(req) == {
        "factor_overrides.combustion.ncv.nothing": "unknown_factor",
        "factor_overrides.combustion.ncv.lignite.unit": "wrong_dimension",
        "factor_overrides.emep.nox.hard_coal.value": "negative",
    }


def test_composition_over_one_and_missing_required_inputs():
    codes = errors_of(request([landfill(100, {"food": 0.7, "paper": 0.5}), {"method": "landfill_fod"}]))
    assert codes == {
        "baseline.activities[0].composition": "out_of_range",
        "baseline.activities[1].waste_deposited": "required",
        "baseline.activities[1].climate": "required",
        "baseline.activities[1].site": "required",
        "baseline.activities[1].composition": "required",
    }


def test_wastewater_mass_balance_is_checked():
    activity = {
        "method": "wastewater_domestic",
        "tow": q(1000, "kg"),
        "sludge_removed": q(800, "kg"),
        "removal_efficiency": q(50, "%"),
        "treatment": [{"system": "anaerobic_reactor", "share": 1}],
    }
    assert errors_of(request([activity])) == {"baseline.activities[0].sludge_removed": "mass_balance"}


def test_missing_scenarios_and_non_object_request():
    assert errors_of({"years": {"start": 2025, "end": 2025}}) == {
        "baseline.activities": "required",
        "project.activities": "required",
    }
    with pytest.raises(EvaluationError):
        evaluate([])  # type: ignore[arg-type]
