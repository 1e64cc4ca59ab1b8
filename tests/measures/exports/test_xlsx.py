"""The period's Excel workbook: a summary, a sheet per goal, headings in the asked language, print-ready."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cleanasia.accounts.models import Role


def _workbook(client, **params):
    response = client.get(reverse("measures:export-xlsx"), params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(BytesIO(response.content))


def _column(ws, header_row=3):
    return {ws.cell(row=header_row, column=c).value: c for c in range(1, ws.max_column + 1)}


def _codes(ws):
    return {ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)} - {None}


@pytest.mark.django_db
def test_secretariat_workbook_in_japanese_has_a_summary_and_a_sheet_per_goal(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    wb = _workbook(client, period=portfolio.period.pk, lang="ja")
    assert wb.sheetnames == ["概要", "G1", "G2"]
    g1 = wb["G1"]
    assert g1["A1"].value == "G1 低炭素社会の実現"
    headings = _column(g1)
    for heading in (
        "コード",
        "施策",
        "担当部署・担当者",
        "相手国",
        "状況",
        "報告書",
        "評価",
        "指標",
        "遅延マイルストーン",
    ):
        assert heading in headings
    row = 4
    assert g1.cell(row=row, column=headings["コード"]).value == "M-PUB"
    assert g1.cell(row=row, column=headings["施策"]).value == "アジア低炭素都市づくり支援"
    assert "山田 花子" in g1.cell(row=row, column=headings["担当部署・担当者"]).value
    assert g1.cell(row=row, column=headings["相手国"]).value == "VN"
    assert g1.cell(row=row, column=headings["報告書"]).value == "承認済み"
    assert g1.cell(row=row, column=headings["評価"]).value == "順調"
    assert g1.cell(row=row, column=headings["基準値（年）"]).value == "1,000 (2020)"
    assert g1.cell(row=row, column=headings["目標値（年）"]).value == "500 (2030)"
    assert g1.cell(row=row, column=headings["最新実績（期間）"]).value == "800 (2026年度 第1四半期)"
    assert _codes(wb["G2"]) == {"M-MEM", "M-SEC"}
    g2_late = _column(wb["G2"])["遅延マイルストーン"]
    late = {wb["G2"].cell(row=r, column=1).value: wb["G2"].cell(row=r, column=g2_late).value for r in (4, 5)}
    assert late == {"M-MEM": 0, "M-SEC": 1}
    summary = wb["概要"]
    assert summary["A4"].value == "G1 低炭素社会の実現"
    assert summary["B4"].value == 1
    assert summary["B5"].value == 2


@pytest.mark.django_db
def test_english_headings_when_asked_for_english(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    wb = _workbook(client, period=portfolio.period.pk, lang="en")
    assert wb.sheetnames == ["Summary", "G1", "G2"]
    headings = _column(wb["G1"])
    assert {"Code", "Measure", "Partner countries", "Milestones late", "Progress"} <= set(headings)
    assert wb["G1"].cell(row=4, column=headings["Measure"]).value == "Low-carbon cities in Asia"


@pytest.mark.django_db
def test_goal_sheets_are_formatted_for_printing(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    ws = _workbook(client, period=portfolio.period.pk)["G1"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"
    assert ws.freeze_panes == "C4"
    header = ws.cell(row=3, column=1)
    assert header.font.b
    assert header.fill.fgColor.rgb.endswith("1F4E79")
    assert ws.cell(row=4, column=2).alignment.wrap_text
    assert ws.column_dimensions["B"].width >= 30


@pytest.mark.django_db
def test_a_focal_point_gets_only_the_measures_they_may_see(portfolio, client_for):
    client, _ = client_for(Role.FOCAL_POINT, country="TH")
    wb = _workbook(client, period=portfolio.period.pk, lang="en")
    codes = set().union(*(_codes(wb[name]) for name in wb.sheetnames[1:]))
    # TH: the confidential measure with TH as partner, plus public and members' measures; nothing else.
    assert codes == {"M-PUB", "M-SEC", "M-MEM"}
    client, _ = client_for(Role.FOCAL_POINT, country="VN")
    wb = _workbook(client, period=portfolio.period.pk, lang="en")
    codes = set().union(*(_codes(wb[name]) for name in wb.sheetnames[1:]))
    assert "M-SEC" not in codes
    assert "M-PUB" in codes


@pytest.mark.django_db
def test_filters_in_the_url_narrow_the_workbook(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    wb = _workbook(client, period=portfolio.period.pk, goal="G2", lang="en")
    assert wb.sheetnames == ["Summary", "G2"]
    wb = _workbook(client, period=portfolio.period.pk, country="VN", lang="en")
    assert wb.sheetnames == ["Summary", "G1"]


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(portfolio, client):
    response = client.get(reverse("measures:export-xlsx"), {"period": portfolio.period.pk})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_a_measure_with_several_indicators_keeps_one_block_of_measure_cells(portfolio, client_for):
    from ..factories import make_indicator

    make_indicator(portfolio.public, unit="%", code="IND-SHARE")
    client, _ = client_for(Role.SECRETARIAT)
    ws = _workbook(client, period=portfolio.period.pk, lang="en")["G1"]
    headings = _column(ws)
    assert [ws.cell(row=r, column=headings["Indicator"]).value.split()[0] for r in (4, 5)] == ["IND-CO2", "IND-SHARE"]
    assert "A4:A5" in {str(r) for r in ws.merged_cells.ranges}
