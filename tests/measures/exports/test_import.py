"""The Excel import: template, full validation before any write, errors by sheet/row/column, all-or-nothing."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cleanasia.accounts.models import Role
from cleanasia.measures.models import Baseline, Indicator, Measure, Result, Target

MEASURE = {
    "code": "M-NEW",
    "framework_node": "G1.1",
    "kind": "measure",
    "title_ja": "新しい施策",
    "title_en": "New measure",
    "partner_countries": "VN, TH",
    "starts_on": "2026-04-01",
    "ends_on": "2030-03-31",
    "status": "ongoing",
    "weight": 2,
    "visibility": "members",
}
ACTIVITY = {
    "code": "M-NEW-A1",
    "framework_node": "G1.1",
    "kind": "activity",
    "parent_code": "M-NEW",
    "title_ja": "活動",
}
INDICATOR = {
    "measure_code": "M-NEW",
    "result_level": "outcome",
    "result_title_ja": "排出削減",
    "code": "IND-NEW",
    "title_ja": "CO2排出量",
    "unit": "t",
    "direction": "decrease",
    "baseline_year": 2020,
    "baseline_value": 1000,
}
TARGET = {"indicator_code": "IND-NEW", "year": 2030, "value": 500, "unit": "t"}


def _template(client) -> bytes:
    response = client.get(reverse("measures:import-template"))
    assert response.status_code == 200
    return response.content


def _fill(template: bytes, sheets: dict[str, list[dict]]) -> bytes:
    wb = load_workbook(BytesIO(template))
    for name, rows in sheets.items():
        ws = wb[name]
        columns = {str(ws.cell(row=1, column=c).value).replace("*", "").strip(): c for c in range(1, ws.max_column + 1)}
        for r, row in enumerate(rows, start=2):
            for key, value in row.items():
                ws.cell(row=r, column=columns[key], value=value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes):
    return client.post(reverse("measures:import"), {"file": SimpleUploadedFile("import.xlsx", data)}, follow=False)


def _nothing_written():
    assert not Measure.objects.filter(code__startswith="M-NEW").exists()
    assert not Indicator.objects.filter(code="IND-NEW").exists()
    assert not Target.objects.filter(indicator__code="IND-NEW").exists()


@pytest.fixture
def secretariat_client(client_for, portfolio):
    client, _ = client_for(Role.SECRETARIAT)
    return client


def _good(**overrides) -> dict[str, list[dict]]:
    sheets = {"Measures": [dict(MEASURE), dict(ACTIVITY)], "Indicators": [dict(INDICATOR)], "Targets": [dict(TARGET)]}
    for name, rows in overrides.items():
        sheets[name] = rows
    return sheets


@pytest.mark.django_db
def test_the_template_has_the_sheets_lists_and_validations(secretariat_client):
    wb = load_workbook(BytesIO(_template(secretariat_client)))
    assert wb.sheetnames == ["Instructions", "Measures", "Indicators", "Targets", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    lists = {wb["Lists"].cell(row=1, column=c).value: c for c in range(1, wb["Lists"].max_column + 1)}
    countries = {wb["Lists"].cell(row=r, column=lists["countries"]).value for r in range(2, wb["Lists"].max_row + 1)}
    assert {"JP", "VN", "TH"} <= countries
    assert wb["Measures"]["A1"].value == "code *"
    assert wb["Measures"]["A1"].font.b
    formulas = {dv.formula1 for dv in wb["Indicators"].data_validations.dataValidation}
    assert any(f.startswith("Lists!") for f in formulas)
    kinds = {dv.type for dv in wb["Targets"].data_validations.dataValidation}
    assert {"whole", "decimal"} <= kinds
    instructions = [wb["Instructions"].cell(row=r, column=c).value or "" for r in range(1, 8) for c in (1, 2)]
    assert any("記入" in text for text in instructions)
    assert any("nothing is written" in text for text in instructions)


@pytest.mark.django_db
def test_a_good_file_creates_everything(secretariat_client):
    response = _upload(secretariat_client, _fill(_template(secretariat_client), _good()))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "Import complete" in response.content.decode()
    measure = Measure.objects.get(code="M-NEW")
    assert measure.title_ja == "新しい施策"
    assert set(measure.partner_countries.values_list("code", flat=True)) == {"VN", "TH"}
    assert measure.visibility == "members"
    assert Measure.objects.get(code="M-NEW-A1").parent == measure
    indicator = Indicator.objects.get(code="IND-NEW")
    assert indicator.result.measure == measure
    assert indicator.direction == "decrease"
    assert Result.objects.filter(measure=measure).count() == 1
    assert Baseline.objects.get(indicator=indicator).value == 1000
    assert Target.objects.get(indicator=indicator, year=2030).value == 500


def _refused(client, sheets, expected: str):
    response = _upload(client, _fill(_template(client), sheets))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert expected in page, page[page.find("<table") : page.find("</table>")]
    _nothing_written()
    return page


@pytest.mark.django_db
def test_a_code_twice_in_the_file_is_refused_at_its_cell(secretariat_client):
    rows = [dict(MEASURE), dict(MEASURE, title_ja="重複")]
    _refused(
        secretariat_client, _good(Measures=rows), "Measures!A3: the code &#x27;M-NEW&#x27; is already used in row 2"
    )


@pytest.mark.django_db
def test_a_code_already_in_the_database_is_refused(secretariat_client):
    _refused(
        secretariat_client,
        _good(Measures=[dict(MEASURE, code="M-PUB"), ACTIVITY]),
        "Measures!A2: the code &#x27;M-PUB&#x27; already exists",
    )


@pytest.mark.django_db
def test_an_unknown_country_is_refused(secretariat_client):
    _refused(
        secretariat_client,
        _good(Measures=[dict(MEASURE, partner_countries="VN, XX"), ACTIVITY]),
        "Measures!I2: unknown country &#x27;XX&#x27;",
    )


@pytest.mark.django_db
def test_text_in_a_number_column_is_refused(secretariat_client):
    _refused(
        secretariat_client,
        _good(Indicators=[dict(INDICATOR, baseline_value="12 t")]),
        "Indicators!L2: &#x27;12 t&#x27; is not a number",
    )


@pytest.mark.django_db
def test_a_target_in_another_unit_is_refused(secretariat_client):
    _refused(
        secretariat_client,
        _good(Targets=[dict(TARGET, unit="kt")]),
        "Targets!E2: the target is in &#x27;kt&#x27; but the indicator &#x27;IND-NEW&#x27; is in &#x27;t&#x27;",
    )


@pytest.mark.django_db
def test_a_target_for_an_existing_indicator_in_another_unit_is_refused(secretariat_client):
    target = dict(TARGET, indicator_code="IND-CO2", unit="kt")
    _refused(secretariat_client, _good(Targets=[target]), "Targets!E2:")


@pytest.mark.django_db
def test_every_problem_is_listed_at_once_and_nothing_written(secretariat_client):
    sheets = _good(
        Measures=[dict(MEASURE, framework_node="NOPE", title_ja=None), ACTIVITY],
        Indicators=[dict(INDICATOR, measure_code="M-GHOST")],
        Targets=[dict(TARGET, year="2030年")],
    )
    page = _refused(secretariat_client, sheets, "Measures!B2: unknown framework line &#x27;NOPE&#x27;")
    assert "Measures!E2: a value is required" in page
    assert "Indicators!A2: unknown measure &#x27;M-GHOST&#x27;" in page
    assert "Targets!B2: &#x27;2030年&#x27; is not a whole number" in page
    assert "<caption" in page


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_refused(secretariat_client):
    response = _upload(secretariat_client, b"not a workbook")
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EXPERT, Role.FOCAL_POINT, Role.WG_MEMBER])
def test_only_the_secretariat_imports(portfolio, client_for, role):
    client, _ = client_for(role)
    assert client.get(reverse("measures:import")).status_code == 403
    assert client.get(reverse("measures:import-template")).status_code == 403
    assert client.post(reverse("measures:import"), {}).status_code == 403


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(portfolio, client):
    response = client.get(reverse("measures:import"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_the_import_page_has_a_labelled_file_input(secretariat_client):
    page = secretariat_client.get(reverse("measures:import")).content.decode()
    assert 'type="file"' in page
    assert "<label" in page
    assert reverse("measures:import-template") in page


@pytest.mark.django_db
def test_a_refusal_by_a_service_while_writing_rolls_everything_back(secretariat_client, monkeypatch):
    from django.core.exceptions import ValidationError

    from cleanasia.measures import services

    def refuse(**kwargs):
        raise ValidationError({"unit": "Values of this indicator are in t; convert the value to that unit."})

    monkeypatch.setattr(services, "target_set", refuse)
    response = _upload(secretariat_client, _fill(_template(secretariat_client), _good()))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Targets!E2: Values of this indicator are in t" in page
    _nothing_written()  # the measures and indicator created before the refusal are gone too
