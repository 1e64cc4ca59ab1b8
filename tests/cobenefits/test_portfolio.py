"""The co-benefit portfolio: latest evaluations only, no double counting across measures and goals, who sees
what (public page and staff page), filters, the two-axes scatter with its data table, and the CSV."""

import csv
import io

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.cobenefits import portfolio
from cleanasia.cobenefits.charts import scatter_chart
from cleanasia.engines.cobenefits import evaluate

from ..measures.factories import goal_with_line, make_measure
from .test_projects_builders import fuel_switch, make_evaluation, make_project

pytestmark = pytest.mark.django_db


def fuel_switch_in(start: int = 2025, factor: float = 1.0) -> dict:
    request = fuel_switch()
    request["years"] = {"start": start, "end": start + 2}
    for side in ("baseline", "project"):
        request[side]["activities"][0]["fuel_quantity"]["value"] *= factor
    return request


@pytest.fixture
def world():
    """Two public projects (VN energy, linked to two measures under one goal; TH waste-less energy, one measure
    under another goal), a secretariat-only one (VN), a public one without an evaluation."""
    _goal_a, line_a = goal_with_line("GA")
    _goal_b, line_b = goal_with_line("GB")
    m1 = make_measure(node=line_a, code="M-A1", visibility="public")
    m2 = make_measure(node=line_a, code="M-A2", visibility="public")
    m3 = make_measure(node=line_b, code="M-B1", visibility="public")
    both = make_project(code="vn-both", country="VN", sector="energy", measures=[m1, m2, m3])
    make_evaluation(both, request=fuel_switch_in(factor=0.5))  # superseded: only the latest counts
    make_evaluation(both, request=fuel_switch_in())
    th = make_project(code="th-one", country="TH", sector="industry", measures=[m3])
    make_evaluation(th, request=fuel_switch_in(start=2026, factor=2))
    hidden = make_project(code="vn-hidden", country="VN", sector="energy", visibility="secretariat")
    make_evaluation(hidden, request=fuel_switch_in(factor=3))
    make_project(code="vn-unevaluated", country="VN")
    return {"measures": (m1, m2, m3)}


def reduction(factor: float = 1.0, start: int = 2025) -> float:
    return evaluate(fuel_switch_in(start, factor)).total("co2e", "reduction")


def groups(data, by):
    return {g["key"]: g for g in data["groupings"][by]["groups"]}


def test_rows_rebuilt_from_a_stored_result_equal_the_engines_summary_rows():
    project = make_project()
    stored = make_evaluation(project)
    assert portfolio.evaluation_rows(stored, "p", country="VN") == evaluate(fuel_switch()).summary_rows(
        "p", country="VN"
    )


def test_a_project_linked_to_two_measures_counts_once_in_the_total_and_under_its_goal(world):
    data = portfolio.compute_portfolio(user=None)
    assert [p["code"] for p in data["projects"]] == ["th-one", "vn-both"]
    expected = reduction() + reduction(2, 2026)
    assert data["project_count"] == 2
    assert data["total"]["co2e_reduction"] == pytest.approx(expected)
    measures = groups(data, "measure")
    assert measures["M-A1"]["values"]["co2e_reduction"] == pytest.approx(reduction())
    assert measures["M-A2"]["values"]["co2e_reduction"] == pytest.approx(reduction())
    assert measures["M-B1"]["values"]["co2e_reduction"] == pytest.approx(expected)
    # The measure rows add up to more than the total: by vn-both's reduction, twice (three measures).
    assert data["groupings"]["measure"]["overlap"]["co2e_reduction"] == pytest.approx(2 * reduction())
    goals = groups(data, "goal")
    assert goals["GA"]["values"]["co2e_reduction"] == pytest.approx(reduction())  # once, not twice
    assert goals["GB"]["values"]["co2e_reduction"] == pytest.approx(expected)
    assert goals["GA"]["shared_projects"] == ["vn-both"]
    # Country, sector and year never double count.
    for by in ("country", "sector", "year"):
        assert data["groupings"][by]["overlap"]["co2e_reduction"] == pytest.approx(0, abs=1e-6)
    assert sorted(groups(data, "year")) == [2025, 2026, 2027, 2028]


def test_filters_by_country_sector_and_years(world):
    assert [p["code"] for p in portfolio.compute_portfolio(user=None, country="th")["projects"]] == ["th-one"]
    assert [p["code"] for p in portfolio.compute_portfolio(user=None, sector="energy")["projects"]] == ["vn-both"]
    late = portfolio.compute_portfolio(user=None, year_from=2027, year_to=2027)
    assert sorted(groups(late, "year")) == [2027]
    assert late["total"]["co2e_reduction"] == pytest.approx((reduction() + reduction(2, 2026)) / 3)
    assert portfolio.compute_portfolio(user=None, year_from=2040)["project_count"] == 0


def test_the_public_page_counts_public_projects_only_even_for_the_secretariat(world, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(reverse("cobenefits:portfolio"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "vn-both" in body
    assert "th-one" in body
    assert "vn-hidden" not in body


def test_the_staff_page_shows_what_the_reader_may_see(world, client_for):
    url = reverse("cobenefits_staff:portfolio")
    public, _ = client_for("public")
    assert public.get(url).status_code == 302  # sign in first
    secretariat, _ = client_for(Role.SECRETARIAT)
    body = secretariat.get(url).content.decode()
    assert "vn-hidden" in body
    expert, _ = client_for(Role.EXPERT)
    body = expert.get(url).content.decode()
    assert "vn-both" in body
    assert "vn-hidden" not in body
    focal, _ = client_for(Role.FOCAL_POINT, country="VN")
    assert "vn-hidden" in focal.get(url).content.decode()  # their own country's project


def test_the_page_has_the_overlap_note_charts_and_filters(world, client):
    response = client.get(reverse("cobenefits:portfolio"), {"country": "VN", "pollutant": "nox"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "th-one" not in body
    assert "vn-both" in body
    assert "counted under each" in body
    assert 'role="img"' in body
    assert "<svg" in body
    assert "NOx reduction (t)" in body
    bad = client.get(reverse("cobenefits:portfolio"), {"year_from": "2030", "year_to": "2020"})
    assert bad.status_code == 200
    assert "The last year cannot come before the first." in bad.content.decode()


def test_the_scatter_has_a_title_and_a_data_table(world, client):
    body = client.get(reverse("cobenefits:portfolio"), {"pollutant": "so2"}).content.decode()
    start = body.index('id="chart-two-axes-caption"')
    figure = body[start : body.index("</figure>", start)]
    assert "<title" in figure
    assert "<circle" in figure
    assert "<table>" in figure
    assert 'scope="col"' in figure
    assert figure.count('<tr><th scope="row">') == 2
    assert "GHG reduction (t CO2e)" in figure
    assert "SO2 reduction (t)" in figure


def test_scatter_chart_leaves_out_points_without_both_values_and_draws_zero_lines():
    chart = scatter_chart("T", [("a", 10, -2), ("b", None, 3), ("c", 5, 4)], x_label="x", y_label="y")
    assert [row["label"] for row in chart.rows] == ["a", "c"]
    assert sum(1 for e in chart.elements if e["shape"] == "circle") == 2
    assert sum(1 for e in chart.elements if e["shape"] == "line") == 3  # two edges and y = 0
    assert scatter_chart("T", [], x_label="x", y_label="y").is_empty


def test_csv_has_one_row_per_project_and_year_with_the_same_filters(world, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    response = client.get(reverse("cobenefits_staff:portfolio-csv"), {"country": "VN"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["project", "title", "country", "sector", "evaluation", "year"]
    assert sorted((r[0], r[5]) for r in rows[1:]) == [
        ("vn-both", "2025"),
        ("vn-both", "2026"),
        ("vn-both", "2027"),
        ("vn-hidden", "2025"),
        ("vn-hidden", "2026"),
        ("vn-hidden", "2027"),
    ]
    assert {r[4] for r in rows[1:] if r[0] == "vn-both"} == {"2"}  # the latest evaluation
    public = client_for("public")[0].get(reverse("cobenefits:portfolio-csv"))
    codes = {r[0] for r in list(csv.reader(io.StringIO(public.content.decode("utf-8-sig"))))[1:]}
    assert codes == {"vn-both", "th-one"}


def test_the_page_renders_in_japanese(world, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
    response = client.get("/ja/cobenefits/portfolio/")
    assert response.status_code == 200
    assert "vn-both" in response.content.decode()
