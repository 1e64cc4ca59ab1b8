"""Factor files, units, the method catalogue and the request schema."""

import json

import pytest

from cleanasia.engines.cobenefits import default_factors, evaluate, method_catalogue, request_schema
from cleanasia.engines.cobenefits.factors import DATA_DIR, FACTOR_FILES, load_factor_file
from cleanasia.engines.cobenefits.units import UnitProblem, conversion_factor

from .helpers import combustion, q, request


@pytest.mark.parametrize("name", FACTOR_FILES)
def test_every_factor_file_is_versioned_and_every_value_cited(name):
    version, factors, _ = load_factor_file(DATA_DIR / f"{name}.json")
    assert version
    for factor in factors:
        assert factor.source.document, factor.id
        assert factor.source.table, factor.id
        assert factor.source.edition, factor.id
        assert factor.low <= factor.value <= factor.high, factor.id
        assert factor.grade == "default"
        if factor.check:
            assert "(check)" in factor.note, factor.id


def test_factor_ids_are_unique_across_files():
    factors = default_factors()
    assert len(factors.factors) == sum(len(load_factor_file(DATA_DIR / f"{n}.json")[1]) for n in FACTOR_FILES)
    assert set(factors.versions) == set(FACTOR_FILES)


@pytest.mark.parametrize(
    ("unit", "target", "expected"),
    [
        ("lb/10⁶ scf", "kg/m**3", 0.45359237 / (1e6 * 0.3048**3)),
        ("lb/10^6 scf", "kg/m**3", 0.45359237 / (1e6 * 0.3048**3)),
        ("lb/ton", "kg/t", 0.5),
        ("kt", "t", 1000.0),
        ("t/d", "t/yr", 365.0),
        ("TJ/Gg", "TJ/t", 0.001),
        ("%", "1", 0.01),
        ("ppm", "1", 1e-6),
        ("m³", "m**3", 1.0),
        ("g/person/d", "g/d", 1.0),
        ("MWh", "TJ", 0.0036),
    ],
)
def test_units(unit, target, expected):
    assert conversion_factor(unit, target) == pytest.approx(expected, rel=1e-12)


def test_ap42_factor_per_volume_on_a_gas_volume():
    # 100 lb NOx per 10^6 scf on 10^6 scf burnt is 100 lb.
    activity = combustion("natural_gas", 1e6, "scf", ncv=q(1020, "Btu/scf"), ef_nox=q(100, "lb/10^6 scf"))
    result = evaluate(request([activity]))
    assert result.baseline["nox"][0] == pytest.approx(100 * 0.45359237 / 1000, rel=1e-12)


def test_unknown_unit_is_a_problem():
    with pytest.raises(UnitProblem):
        conversion_factor("blorps", "t")


def test_override_is_used_and_recorded_in_the_result():
    req = request(
        [combustion("lignite", 1, "t")],
        factor_overrides={"combustion.ncv.lignite": {"value": 13, "unit": "GJ/t", "source": "lab 2025"}},
    )
    result = evaluate(req)
    assert result.baseline["co2"][0] == pytest.approx(13e-3 * 101_000 / 1000)
    [override] = result.to_dict()["overrides"]
    assert override["factor_id"] == "combustion.ncv.lignite"
    assert override["source"] == "lab 2025"
    assert override["default"]["value"] == 11.9
    ncv = next(p for p in result.lines[0].parameters if p.name == "ncv")
    assert ncv.grade == "user"
    assert ncv.source["document"] == "lab 2025"


def test_catalogue_and_schema_are_json():
    catalogue = method_catalogue()
    names = {m["name"] for m in catalogue}
    assert names == {
        "stationary_combustion",
        "grid_electricity",
        "landfill_fod",
        "waste_treatment",
        "wastewater_domestic",
        "wastewater_industrial",
    }
    for method in catalogue:
        for key in ("version", "title_en", "title_ja", "equations", "parameters", "species"):
            assert method[key], (method["name"], key)
    schema = request_schema()
    json.dumps(schema)
    json.dumps(catalogue)
    activities = schema["properties"]["baseline"]["properties"]["activities"]["items"]["oneOf"]
    assert len(activities) == len(catalogue)


def test_requests_of_the_tests_validate_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    req = request(
        [combustion("lignite", [1.0, 2.0], "kt", sulphur_content=q(1, "%"), controls=[{"type": "fgd"}])],
        [
            {
                "method": "landfill_fod",
                "waste_deposited": q(100, "t"),
                "composition": {"food": 0.5, "paper": {"value": 20, "unit": "%"}},
                "climate": "tropical_wet",
                "site": "managed_anaerobic",
            },
            {"method": "grid_electricity", "electricity": q(5, "MWh"), "country": "TH", "grid_year": 2026},
        ],
        end=2026,
        factor_overrides={"combustion.ncv.lignite": {"value": 12, "unit": "TJ/Gg"}},
    )
    jsonschema.validate(req, request_schema())
    evaluate(req)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**req, "surprise": 1}, request_schema())
