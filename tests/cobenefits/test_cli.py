"""`cleanasia cobenefits`: evaluate a request file (JSON or a table), list the methods, print the schema.

No test here has database access (no django_db mark: pytest-django refuses any query), so every one of them also
shows that the command neither reads nor writes the database.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cleanasia.engines.cobenefits import evaluate, method_catalogue, monte_carlo, request_schema
from tests.engines.cobenefits.helpers import combustion, landfill, q, request, wastewater

SPECIES_SHOWN = ["CO2", "CO2 (biogenic, memo item)", "CH4", "N2O", "SO2", "NOx", "PM10", "PM2.5", "BOD", "COD"]


def every_species_request() -> dict:
    """Every gas and pollutant the engine reports, in a few small activities over two years."""
    domestic = {
        "method": "wastewater_domestic",
        "population": q(10_000, "1"),
        "country": "JP",
        "treatment": [{"system": "centralised_aerobic_not_well_managed", "share": 1}],
        "effluent_flow": q(7e5, "m³"),
        "effluent_concentration": q(15, "mg/L"),
    }
    industrial = {
        "method": "wastewater_industrial",
        "industry": "starch",
        "production": q(1000, "t"),
        "treatment": [{"system": "anaerobic_reactor", "share": 1}],
        "removal_efficiency": q(90, "%"),
    }
    return request(
        [
            combustion("other_bituminous_coal", 1000, "t", sulphur_content=q(0.8, "%")),
            combustion("wood", 10, "t"),
            landfill(100, {"food": 0.5}),
            domestic,
            industrial,
        ],
        [combustion("natural_gas", 20, "TJ"), wastewater("anaerobic_reactor", 1000, methane_capture=q(90, "%"))],
        end=2026,
    )


def invalid_request() -> dict:
    return request(
        [combustion("lignite", 10, "t", sulphur_content=q(120, "%")), {"method": "carbon_magic"}],
        start=2030,
        end=2025,
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("cobenefits", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def request_file(tmp_path):
    def write(document, name="request.json") -> str:
        path = tmp_path / name
        path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
        return str(path)

    return write


def test_evaluate_prints_the_engines_result_document(request_file):
    req = every_species_request()
    printed = run("evaluate", request_file(req))
    assert json.loads(printed) == evaluate(req).to_dict()


def test_json_is_the_default_and_stdin_is_read_for_a_dash(monkeypatch):
    req = request([combustion("natural_gas", 5, "TJ")])
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(req)))
    assert json.loads(run("evaluate", "-", "--format", "json")) == evaluate(req).to_dict()


def test_the_table_shows_every_gas_and_pollutant_with_totals_units_co2e_and_years(request_file):
    req = every_species_request()
    result = evaluate(req)
    table = run("evaluate", request_file(req), "--format", "table")
    rows = {line.split("  ")[0].strip(): line for line in table.splitlines() if line.strip()}
    for label in SPECIES_SHOWN:
        assert label in rows, label
        assert rows[label].rstrip().endswith(" t")
    co2 = rows["CO2"]
    for side in ("baseline", "project", "reduction"):
        assert f"{result.total('co2', side):,.3f}" in co2
    assert "Years: 2025–2026 (2 years)" in table
    assert "GWP set: AR5 (CO2 1, CH4 28, N2O 265)" in table
    co2e = rows["CO2e (AR5)"]
    assert f"{result.total('co2e', 'reduction'):,.3f}" in co2e
    assert co2e.endswith("t CO2e")
    assert "Biogenic CO2 is reported as a memo item and is not counted in CO2e." in table
    for i, year in enumerate(result.years):
        assert f"{result.co2e['reduction'][i]:,.3f}" in rows[str(year)]


def test_the_table_follows_the_language_option(request_file):
    table = run("evaluate", request_file(request([combustion("natural_gas", 5, "TJ")])), "--format", "table")
    assert "Unit" in table
    japanese = run(
        "evaluate", request_file(request([combustion("natural_gas", 5, "TJ")])), "--format", "table", "--language", "ja"
    )
    assert "単位" in japanese


def test_an_invalid_request_names_every_field(request_file):
    with pytest.raises(CommandError) as caught:
        run("evaluate", request_file(invalid_request(), "bad.json"))
    message = str(caught.value)
    assert "bad.json is not a valid evaluation request" in message
    lines = [line.strip() for line in message.splitlines()[1:]]
    assert "baseline.activities[0].sulphur_content: must be at most 1.0 (100 %) (rows 0)" in lines
    assert any(line.startswith("baseline.activities[1].method: unknown method 'carbon_magic'") for line in lines)
    assert any(line.startswith("years.end: ") for line in lines)
    assert len(lines) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"years": {"start": 2025, ', "(the whole request): not valid JSON (line 1, column 27)"),
        ('{"years": NaN}', "(the whole request): not valid JSON: NaN is not a JSON value"),
        ("[1, 2]", "(the whole request): the request must be an object"),
    ],
)
def test_text_that_is_not_a_request_object_is_refused(request_file, text, expected):
    with pytest.raises(CommandError) as caught:
        run("evaluate", request_file(text))
    assert expected in str(caught.value)


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("evaluate", str(tmp_path / "nowhere.json"))


def test_the_console_command_exits_non_zero_and_lists_the_paths():
    """The real `cleanasia` entry point, reading standard input."""
    src = Path(__file__).resolve().parents[2] / "src"
    environment = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    completed = subprocess.run(
        [sys.executable, "-m", "cleanasia.cli", "cobenefits", "--skip-checks", "evaluate", "-"],
        input=json.dumps(invalid_request()),
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert "baseline.activities[0].sulphur_content: must be at most 1.0" in completed.stderr
    assert completed.stdout == ""


def test_methods_as_json_are_the_engines_catalogue():
    assert json.loads(run("methods")) == method_catalogue()


def test_methods_as_a_table_list_each_parameter_with_unit_default_factor_and_bounds():
    table = run("methods", "--format", "table")
    for method in method_catalogue():
        assert f"{method['name']} {method['version']}: {method['title_en']}" in table
        for parameter in method["parameters"]:
            assert parameter["name"] in table
            if parameter["default_factor"]:
                assert parameter["default_factor"] in table
    rows = {line.split()[0]: line for line in table.splitlines() if line.startswith("  ")}
    assert rows["sulphur_content"].split()[1:5] == ["1", "—", "0", "–"]  # unit 1, no default, 0 – 1
    assert "≥ 0" in rows["fuel_quantity"]
    assert "t | TJ | m³" in rows["fuel_quantity"]
    assert rows["fuel_quantity"].rstrip().endswith("yes")


def test_schema_prints_the_request_schema():
    assert json.loads(run("schema")) == request_schema()


def test_a_subcommand_is_required():
    with pytest.raises(CommandError):
        run()


# --- uncertainty -------------------------------------------------------------------------------------------------


def test_uncertainty_draws_add_the_apis_uncertainty_object_reproducibly(request_file):
    req = every_species_request()
    path = request_file(req)
    printed = json.loads(run("evaluate", path, "--uncertainty-draws", "300", "--seed", "4"))
    assert printed["uncertainty"] == monte_carlo(req, draws=300, seed=4).to_dict()
    assert json.loads(run("evaluate", path, "--uncertainty-draws", "300", "--seed", "4")) == printed
    assert {k: v for k, v in printed.items() if k != "uncertainty"} == evaluate(req).to_dict()
    assert "uncertainty" not in json.loads(run("evaluate", path))


def test_the_table_shows_the_median_and_95_percent_interval_of_each_total(request_file):
    req = request([combustion("other_bituminous_coal", 1000, "t")], [combustion("natural_gas", 20, "TJ")])
    expected = monte_carlo(req, draws=200, seed=1).totals["co2e"]["reduction"]
    table = run("evaluate", request_file(req), "--format", "table", "--uncertainty-draws", "200", "--seed", "1")
    section = table.split("Uncertainty of the totals", 1)[1]
    assert "seed 1, 200 draws" in section
    assert "Median" in section
    assert "95 % interval" in section
    co2e_reduction = next(
        line for line in section.splitlines() if line.startswith("CO2e (AR5)") and "Reduction" in line
    )
    assert f"{expected.median:,.3f}" in co2e_reduction
    assert f"{expected.low:,.3f} – {expected.high:,.3f}" in co2e_reduction
    assert expected.low <= expected.median <= expected.high


@pytest.mark.parametrize("draws", ["-1", "50000"])
def test_bad_uncertainty_draws_are_a_command_error_naming_the_option(request_file, draws):
    with pytest.raises(CommandError, match="uncertainty_draws"):
        run("evaluate", request_file(request([combustion("natural_gas", 5, "TJ")])), "--uncertainty-draws", draws)
