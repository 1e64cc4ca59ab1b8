"""The Excel import of co-benefit projects: the template round trip (download, fill, upload, preview, confirm),
every problem named by sheet, row and column with nothing written, focal points limited to their countries,
re-imports updating rather than duplicating, and files that are not workbooks."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cleanasia.accounts.models import Role
from cleanasia.cobenefits import imports
from cleanasia.cobenefits.models import CobenefitProject, Evaluation

from ..factories import CountryFactory

pytestmark = pytest.mark.django_db

IMPORT = "cobenefits_staff:import"
TEMPLATE = "cobenefits_staff:import-template"


@pytest.fixture(autouse=True)
def countries():
    CountryFactory(code="VN")
    CountryFactory(code="TH")


def _rows(ws) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]


def workbook(template: bytes, projects: list[list[Any]], scenarios: list[list[Any]]) -> bytes:
    """The template with these rows in Projects and Scenarios (row 2 onwards), as bytes."""
    wb = load_workbook(BytesIO(template))
    for sheet, rows in ((imports.PROJECTS, projects), (imports.SCENARIOS, scenarios)):
        for number, values in enumerate(rows, start=2):
            for col, value in enumerate(values, start=1):
                wb[sheet].cell(row=number, column=col, value=value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def examples(template: bytes) -> tuple[list[list[Any]], list[list[Any]]]:
    wb = load_workbook(BytesIO(template))
    return _rows(wb["Example projects"]), _rows(wb["Example scenarios"])


def upload(client, data: bytes, name: str = "projects.xlsx"):
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile(name, data, content_type=imports.XLSX)})


def confirm(client, response):
    return client.post(reverse(IMPORT), {"confirm": "1", "token": response.context["token"]})


def project_row(code: str, country: str = "VN", **values: Any) -> list[Any]:
    """A Projects row: code, title_ja, title_en, country, sector, status, visibility, package, group, measures,
    start, end, gwp, fod, note."""
    row = {
        "title_ja": "",
        "title_en": f"Project {code}",
        "sector": "industry",
        "start_year": 2026,
        "end_year": 2028,
    } | values
    keys = [c.key for c in imports.PROJECT_COLUMNS]
    return [code if key == "code" else country if key == "country" else row.get(key) for key in keys]


def boiler_rows(code: str, sulphur: Any = 1, unit: str = "%") -> list[list[Any]]:
    return [
        [code, "baseline", "stationary_combustion", "fuel", "other_bituminous_coal", None,
         "fuel_quantity", 1000, "t", "sulphur_content", sulphur, unit],
        [code, "project", "stationary_combustion", "fuel", "natural_gas", None, "fuel_quantity", 20, "TJ"],
    ]  # fmt: skip


def test_the_template_round_trip_creates_every_example_project_with_its_evaluation(client_for):
    client, user = client_for(Role.SECRETARIAT)
    response = client.get(reverse(TEMPLATE))
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX
    template = response.content
    wb = load_workbook(BytesIO(template))
    assert {"Instructions", "Projects", "Scenarios", "Methods", "Example projects", "Example scenarios"} <= set(
        wb.sheetnames
    )
    assert wb["Lists"].sheet_state == "hidden"
    assert wb["Scenarios"].data_validations.dataValidation, "drop-downs for sides, methods, parameters, units"
    assert any("コベネフィット" in str(c.value) for c in wb["Instructions"]["A"])
    projects, scenarios = examples(template)
    methods = {row[2] for row in scenarios}
    assert methods == {m["name"] for m in imports.method_catalogue()}, "an example of every method"

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    preview = upload(client, workbook(template, projects, scenarios))
    assert preview.status_code == 200, [str(i) for i in preview.context.get("issues") or []]
    plan = preview.context["plan"]
    assert plan.creating == len(projects) == 5
    assert all(item.co2e["reduction"] > 0 for item in plan.projects)
    assert b"Import these projects" in preview.content
    assert not CobenefitProject.objects.exists(), "a preview writes nothing"

    done = confirm(client, preview)
    assert done.status_code == 302
    stored = {p.code: p for p in CobenefitProject.objects.all()}
    assert set(stored) == {row[0] for row in projects}
    assert stored["example-grid-saving"].country_id == "TH"
    assert Evaluation.objects.count() == 5
    evaluation = Evaluation.objects.get(project__code="example-boiler-gas")
    assert evaluation.created_by == user
    assert evaluation.request["baseline"]["activities"][0]["sulphur_content"] == {"value": 1, "unit": "%"}
    assert evaluation.request["baseline"]["activities"][0]["controls"] == [{"type": "fgd"}]
    assert evaluation.co2e_reduction == pytest.approx(plan.projects[0].co2e["reduction"])
    assert "Import complete" in client.get(reverse(IMPORT)).content.decode()


def test_reimporting_updates_by_code_and_stores_an_evaluation_only_when_the_request_changed(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    template = imports.build_template()
    first = workbook(template, [project_row("vn-boiler")], boiler_rows("vn-boiler"))
    assert confirm(client, upload(client, first)).status_code == 302
    project = CobenefitProject.objects.get(code="vn-boiler")

    again = upload(client, first)
    item = again.context["plan"].projects[0]
    assert (item.action, item.changes, item.evaluate) == ("update", [], False)
    confirm(client, again)
    assert CobenefitProject.objects.count() == 1
    assert Evaluation.objects.filter(project=project).count() == 1

    changed = workbook(
        template,
        [project_row("vn-boiler", title_en="Boiler renamed", status="ongoing")],
        boiler_rows("vn-boiler", sulphur=0.5),
    )
    preview = upload(client, changed)
    assert preview.context["plan"].projects[0].changes == ["title_en", "status"]
    confirm(client, preview)
    project.refresh_from_db()
    assert (CobenefitProject.objects.count(), project.title_en, project.status) == (1, "Boiler renamed", "ongoing")
    assert list(Evaluation.objects.filter(project=project).values_list("number", flat=True)) == [1, 2]


def test_one_bad_row_names_sheet_row_and_column_and_writes_nothing(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    template = imports.build_template()
    data = workbook(
        template,
        [project_row("vn-good"), project_row("xx-unknown", country="XX"), project_row(None), project_row("vn-bad")],
        [*boiler_rows("vn-good"), *boiler_rows("vn-bad", sulphur=120)],
    )
    response = upload(client, data)
    assert response.status_code == 400
    found = {(i.sheet, i.row, i.column, i.header) for i in response.context["issues"]}
    assert ("Projects", 3, "D", "country") in found, "unknown country"
    assert ("Projects", 4, "A", "code") in found, "missing code"
    # The sulphur content of vn-bad's baseline (Scenarios row 4) is its third parameter: value_3 in column K.
    assert ("Scenarios", 4, "K", "value_3") in found
    sulphur = next(i for i in response.context["issues"] if i.sheet == "Scenarios")
    assert "sulphur_content" in sulphur.message
    assert sulphur.cell == "Scenarios!K4"
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Scenarios!K4" in page
    assert "Projects!D3" in page
    assert not CobenefitProject.objects.exists()
    assert not Evaluation.objects.exists()


def test_cell_problems_of_the_scenarios_sheet_are_named_too(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    rows = [
        ["vn-a", "sideways", "stationary_combustion", "fuel", "natural_gas", None, "fuel_quantity", "lots", "TJ"],
        ["vn-a", "project", "stationary_combustion", "colour", "blue", None],
        ["nope", "project", "grid_electricity", "electricity", 5, "MWh"],
        ["vn-a", "project", "stationary_combustion", "fuel", "natural_gas", None, "fuel_quantity", 1, "parsecs"],
    ]
    response = upload(client, workbook(imports.build_template(), [project_row("vn-a")], rows))
    found = {(i.row, i.header) for i in response.context["issues"] if i.sheet == "Scenarios"}
    assert {(2, "side"), (2, "value_2"), (3, "parameter_1"), (4, "project_code"), (5, "unit_2")} <= found
    assert not CobenefitProject.objects.exists()


def test_a_focal_point_imports_only_their_countries_projects(client_for):
    client, _user = client_for(Role.FOCAL_POINT, country="VN")
    template = imports.build_template()
    data = workbook(
        template,
        [project_row("vn-boiler"), project_row("th-boiler", country="TH")],
        [*boiler_rows("vn-boiler"), *boiler_rows("th-boiler")],
    )
    response = upload(client, data)
    assert response.status_code == 400
    issues = response.context["issues"]
    assert [(i.sheet, i.row, i.column, i.header) for i in issues] == [("Projects", 3, "D", "country")]
    assert "TH" in issues[0].message
    assert not CobenefitProject.objects.exists()

    own = workbook(template, [project_row("vn-boiler")], boiler_rows("vn-boiler"))
    assert confirm(client, upload(client, own)).status_code == 302
    assert CobenefitProject.objects.get(code="vn-boiler").country_id == "VN"


def test_a_focal_point_cannot_update_another_countrys_project_by_its_code(client_for, make_user):
    secretariat, _ = client_for(Role.SECRETARIAT)
    template = imports.build_template()
    th = workbook(template, [project_row("th-boiler", country="TH")], boiler_rows("th-boiler"))
    confirm(secretariat, upload(secretariat, th))
    client, _user = client_for(Role.FOCAL_POINT, country="VN")
    hijack = workbook(template, [project_row("th-boiler", country="VN")], boiler_rows("th-boiler"))
    response = upload(client, hijack)
    assert {(i.row, i.header) for i in response.context["issues"]} == {(2, "code")}
    assert CobenefitProject.objects.get(code="th-boiler").country_id == "TH"


def test_a_failure_at_confirmation_rolls_everything_back(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    template = imports.build_template()
    data = workbook(
        template, [project_row("vn-one"), project_row("vn-two")], [*boiler_rows("vn-one"), *boiler_rows("vn-two")]
    )
    preview = upload(client, data)
    CobenefitProject.objects.create(code="vn-two", title="taken meanwhile", country_id="VN", sector="energy")
    response = confirm(client, preview)
    assert response.status_code == 409
    assert [(i.row, i.header) for i in response.context["issues"]] == [(3, "code")]
    assert list(CobenefitProject.objects.values_list("code", flat=True)) == ["vn-two"]
    assert not Evaluation.objects.exists()


def test_files_that_are_not_workbooks_or_too_large_get_a_clear_error(client_for, monkeypatch):
    client, _user = client_for(Role.SECRETARIAT)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = upload(client, b"code,title\n", name="projects.csv")
    assert response.status_code == 400
    assert "Choose an Excel workbook (.xlsx)." in response.content.decode()
    response = upload(client, b"not a zip file at all", name="projects.xlsx")
    assert response.status_code == 400
    assert "The file is not an Excel workbook (.xlsx)." in response.content.decode()
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 100)
    response = upload(client, imports.build_template())
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not CobenefitProject.objects.exists()


def test_a_confirmation_without_a_checked_file_writes_nothing(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(reverse(IMPORT), {"confirm": "1", "token": "forged"})
    assert response.status_code == 302
    assert not CobenefitProject.objects.exists()


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.WG_MEMBER])
def test_only_focal_points_and_the_secretariat_import(client_for, role):
    client, _user = client_for(role)
    for name in (IMPORT, TEMPLATE):
        response = client.get(reverse(name))
        assert response.status_code == (302 if role == "public" else 403)


def test_the_page_offers_the_template_and_the_upload_form(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse(IMPORT)).content.decode()
    assert reverse(TEMPLATE) in page
    assert 'enctype="multipart/form-data"' in page
    assert 'for="id_file"' in page
