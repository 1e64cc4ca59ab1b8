"""The public co-benefits calculator: the form, each worked example's result and sheet, and bad input (400)."""

import copy
import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.cobenefits.sheet import format_number
from cleanasia.cobenefits.views.examples import examples
from cleanasia.engines.cobenefits import evaluate, method_catalogue, monte_carlo

pytestmark = pytest.mark.django_db

EXAMPLE_KEYS = list(examples())
SIGNED_IN = Role.EXPERT


def _client(client_for, role, language):
    client, _ = client_for(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _request_of(key: str) -> dict:
    return copy.deepcopy(examples()[key].request)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]


@pytest.mark.parametrize("role", ["public", SIGNED_IN])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_calculator_page_explains_lists_the_methods_and_offers_the_examples(client_for, role, language):
    client = _client(client_for, role, language)
    response = client.get(f"/{language}/cobenefits/")
    assert response.status_code == 200
    text = _text(response)
    assert f'<html lang="{language}">' in text
    for method in method_catalogue():
        assert method[f"title_{language}"] in text
        assert method["name"] in text
    for example in examples().values():
        assert example.titles[language] in text
    first = examples()[EXAMPLE_KEYS[0]]
    assert '"method": "stationary_combustion"' in text  # the first example fills the textarea
    assert first.titles[language] in text
    assert 'enctype="multipart/form-data"' in text
    assert 'type="file"' in text


def test_the_chosen_example_fills_the_form(client):
    response = client.get(reverse("cobenefits:calculator"), {"example": "landfill_food_waste_composting"})
    text = _text(response)
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S).group(1)
    assert json.loads(textarea) == examples()["landfill_food_waste_composting"].request
    assert '<option value="landfill_food_waste_composting" selected>' in text


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_each_example_evaluates_and_shows_its_totals_sources_and_charts(client, key):
    request = _request_of(key)
    expected = evaluate(request)
    response = client.post(reverse("cobenefits:calculator"), {"request": json.dumps(request)})
    assert response.status_code == 200, response.content[:2000]
    text = _text(response)
    assert "Co-benefits evaluation result" in text
    # Totals per gas and pollutant and in CO2e, as the engine computed them.
    assert f"CO2e ({expected.gwp_set})" in text
    for species in expected.species:
        assert format_number(expected.total(species, "reduction")) in text
    assert format_number(expected.total("co2e", "reduction")) in text
    # The settings: GWP set, years, factor file versions.
    assert f"{expected.years[0]}–{expected.years[-1]}" in text
    for name, version in expected.factor_versions.items():
        assert f'<th scope="row">{name}</th><td>{version}</td>' in text
    # The calculation sheet: method, version, equations and each parameter's source, with "(check)" marks.
    for line in expected.lines:
        assert line.method in text
        assert line.equations[0] in text
        for parameter in line.parameters:
            if parameter.factor_id:
                assert parameter.factor_id in text
                assert parameter.source["document"] in text
                assert parameter.source["table"] in text
    if any(p.check for line in expected.lines for p in line.parameters):
        assert '<span class="check-mark">(check)</span>' in text
    # Charts: one per gas and pollutant and the reduction by year, each with its data table.
    figures = re.findall(r'<figure class="chart".*?</figure>', text, re.S)
    assert len(figures) == len(expected.species) + 1
    assert all("<table>" in figure and "<caption" in figure for figure in figures)
    assert all('role="img"' in figure for figure in figures)
    # The request travels with the page for the PDF, nothing is kept on the server.
    assert reverse("cobenefits:sheet-pdf") in text
    assert "Download the calculation sheet (PDF)" in text


def test_the_result_reads_in_japanese_for_a_signed_in_user(client_for):
    client = _client(client_for, SIGNED_IN, "ja")
    response = client.post("/ja/cobenefits/", {"request": json.dumps(_request_of("wastewater_lagoon_to_reactor"))})
    assert response.status_code == 200
    text = _text(response)
    assert '<html lang="ja">' in text
    assert "生活排水のメタンとBOD排出負荷" in text  # the method's Japanese title
    assert "合計" in text  # "Total" from the catalogue
    assert "/ja/cobenefits/sheet.pdf" in text


@pytest.mark.parametrize("role", ["public", SIGNED_IN])
def test_sulphur_of_120_percent_is_refused_naming_the_field_and_nothing_is_stored(client_for, role):
    client = _client(client_for, role, "en")
    request = _request_of("coal_boiler_to_gas")
    request["baseline"]["activities"][0]["sulphur_content"] = {"value": 120, "unit": "%"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("cobenefits:calculator"), {"request": json.dumps(request)})
    assert response.status_code == 400
    text = _text(response)
    summary = re.search(r'<div class="message message--error" role="alert".*?</div>', text, re.S).group(0)
    assert "There is a problem" in summary
    assert "baseline.activities[0].sulphur_content" in summary
    assert "Out of range: must be at most 1" in summary
    assert 'href="#id_request"' in summary
    assert "<textarea" in text
    assert '"value": 120' in text
    assert _writes(queries.captured_queries) == []


def test_invalid_json_is_shown_with_its_line_and_column(client):
    response = client.post(reverse("cobenefits:calculator"), {"request": '{"years": {"start": 2026,}}'})
    assert response.status_code == 400
    text = _text(response)
    assert "Evaluation request (JSON)" in text
    assert "Not valid JSON" in text
    assert "line 1, column" in text


def test_every_problem_of_a_request_is_listed(client):
    request = _request_of("coal_boiler_to_gas")
    request["years"] = {"start": 2030, "end": 2026}
    request["project"]["activities"][0]["fuel"] = "peat_moss"
    response = client.post(reverse("cobenefits:calculator"), {"request": json.dumps(request)})
    assert response.status_code == 400
    text = _text(response)
    assert "years.end" in text
    assert "project.activities[0].fuel" in text
    assert "Unknown fuel" in text


def test_an_empty_request_asks_for_one(client):
    response = client.post(reverse("cobenefits:calculator"), {"request": "  "})
    assert response.status_code == 400
    assert "Paste a request or upload a .json file." in _text(response)


def test_an_uploaded_json_file_is_evaluated(client):
    request = _request_of("landfill_food_waste_composting")
    upload = SimpleUploadedFile("request.json", json.dumps(request).encode(), content_type="application/json")
    response = client.post(reverse("cobenefits:calculator"), {"request": "", "request_file": upload})
    assert response.status_code == 200
    assert format_number(evaluate(request).total("co2e", "reduction")) in _text(response)


def test_edit_brings_the_request_back_into_the_form(client):
    request = _request_of("wastewater_lagoon_to_reactor")
    response = client.post(reverse("cobenefits:calculator"), {"request": json.dumps(request), "action": "edit"})
    assert response.status_code == 200
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", _text(response), re.S).group(1)
    assert json.loads(textarea) == request


def test_factor_overrides_are_listed_beside_the_defaults_they_replace(client):
    request = _request_of("coal_boiler_to_gas")
    request["factor_overrides"] = {
        "combustion.ncv.natural_gas": {"value": 48.5, "unit": "TJ/Gg", "source": "Supplier gas analysis 2025"}
    }
    response = client.post(reverse("cobenefits:calculator"), {"request": json.dumps(request)})
    assert response.status_code == 200
    text = _text(response)
    overrides = re.search(r'<table>\s*<caption id="overrides-caption">.*?</table>', text, re.S).group(0)
    assert "combustion.ncv.natural_gas" in overrides
    assert "48.5 TJ/Gg" in overrides
    assert "Supplier gas analysis 2025" in overrides
    assert "2006 IPCC Guidelines" in overrides  # the default's source


# --- uncertainty -------------------------------------------------------------------------------------------------

UNCERTAINTY_SECTION = re.compile(r'<section aria-labelledby="uncertainty-heading".*?</section>', re.S)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_result_shows_the_median_and_95_percent_interval_of_each_total(client):
    request = _request_of(EXAMPLE_KEYS[0])
    expected = monte_carlo(request, draws=2_000, seed=0)
    response = client.post(reverse("cobenefits:calculator"), {"request": json.dumps(request)})
    assert response.status_code == 200
    section = UNCERTAINTY_SECTION.search(_text(response)).group(0)
    for markup in ("<caption", 'scope="rowgroup"', 'scope="col"', "Seed 0, 2000 draws", "triangular distribution"):
        assert markup in section, markup
    for factor_id in expected.factors_varied:
        assert factor_id in section
    co2e = expected.totals["co2e"]["reduction"]
    for value in (co2e.central, co2e.median, co2e.low, co2e.high):
        assert format_number(value) in section
    # Every row: central, median, 2.5 %, 97.5 %; the interval holds the median.
    rows = re.findall(r'<td class="num">([^<]*)</td>' * 4, section)
    assert len(rows) == 3 * len(expected.totals)
    for _central, median, low, high in rows:
        assert _number(low) <= _number(median) <= _number(high)


def test_the_same_request_shows_the_same_interval(client):
    body = {"request": json.dumps(_request_of(EXAMPLE_KEYS[0]))}
    first, second = (_text(client.post(reverse("cobenefits:calculator"), body)) for _ in range(2))
    assert UNCERTAINTY_SECTION.search(first).group(0) == UNCERTAINTY_SECTION.search(second).group(0)
