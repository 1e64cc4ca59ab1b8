"""CSV of every table: UTF-8 with BOM, streamed, only rows the user may see."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.measures.exports.csv import TABLES


def _rows(response) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # BOM: Excel opens the Japanese correctly
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "table", ["measures", "indicators", "baselines", "targets", "actuals", "milestones", "reports"]
)
def test_every_table_downloads_for_the_secretariat(portfolio, client_for, table):
    client, _ = client_for(Role.SECRETARIAT)
    response = client.get(reverse("measures:export-csv", args=[table]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{table}.csv"' in response["Content-Disposition"]
    rows = _rows(response)
    assert rows, table
    assert list(rows[0]) == [header for header, _ in TABLES[table].columns]


@pytest.mark.django_db
def test_japanese_titles_survive_the_round_trip(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    rows = _rows(client.get(reverse("measures:export-csv", args=["measures"])))
    titles = {r["code"]: r["title_ja"] for r in rows}
    assert titles["M-PUB"] == "アジア低炭素都市づくり支援"
    actuals = _rows(client.get(reverse("measures:export-csv", args=["actuals"])))
    assert actuals == [
        {
            "indicator_code": "IND-CO2",
            "period_kind": "quarter",
            "fiscal_year": "2026",
            "period_number": "1",
            "dimensions": "",
            "value": "800.0",
            "text_value": "",
            "unit": "t CO2e",
            "comment": "",
        }
    ]


@pytest.mark.django_db
def test_rows_are_limited_to_what_the_user_may_see(portfolio, client_for):
    client, _ = client_for(Role.FOCAL_POINT, country="VN")
    codes = {r["code"] for r in _rows(client.get(reverse("measures:export-csv", args=["measures"])))}
    assert codes == {"M-PUB", "M-MEM"}
    indicators = {r["code"] for r in _rows(client.get(reverse("measures:export-csv", args=["indicators"])))}
    assert indicators == {"IND-CO2"}
    milestones = _rows(client.get(reverse("measures:export-csv", args=["milestones"])))
    assert milestones == []  # the overdue milestone belongs to the confidential measure


@pytest.mark.django_db
def test_a_formula_looking_text_is_defused(portfolio, client_for):
    from cleanasia.measures import services

    services.measure_update(
        actor=None,
        measure=portfolio.members,
        expected_version=portfolio.members.version,
        changes={"title_en": '=HYPERLINK("http://evil")'},
    )
    client, _ = client_for(Role.SECRETARIAT)
    rows = {r["code"]: r for r in _rows(client.get(reverse("measures:export-csv", args=["measures"])))}
    assert rows["M-MEM"]["title_en"].startswith("'=")


@pytest.mark.django_db
def test_unknown_table_is_404_and_anonymous_must_sign_in(portfolio, client_for, client):
    signed_in, _ = client_for(Role.SECRETARIAT)
    assert signed_in.get(reverse("measures:export-csv", args=["passwords"])).status_code == 404
    response = client.get(reverse("measures:export-csv", args=["measures"]))
    assert response.status_code == 302
