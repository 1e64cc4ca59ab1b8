"""Pages of the training statistics (charts, data tables, filters in the URL, CSV) and of the alumni records,
for every role, with bad filters and query budgets.

The data set (as in test_training_statistics): an air course in March 2024 (5 days) and a water course in
June 2025 (3 days).

    trainee        country gender course  selected attended  pre      post     gain  certificate
    a  Lan         VN      female air     yes      yes       40/100   70/100   0.30
    b  Binh        VN      male   air     yes      yes       50/100   60/100   0.10
    c  Somchai     TH      female air     yes      4 days    30/50    40/50    0.20  revoked
    d  Dao         TH      male   air     yes      no (absent)                       (not trained)
    e  Ekkachai    TH      male   air     declined                                   (not trained)
    f  Lan         VN      female water   yes      3 days    20/100   80/100   0.60  valid
    g  Gun         TH      other  water   yes      yes       50/100   —

Trained: a b c f g (5 trainings, 4 people); gain over a b c f: 0.3. VN: 3 trainings, 2 people, gain 33.3.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.network.models import TraineeState
from cleanasia.network.services import training as services
from cleanasia.network.views import training_statistics as views
from tests.conftest import ROLES
from tests.factories import PersonFactory

from .test_training_services import attend, make_field, make_programme, make_session, nominate

pytestmark = pytest.mark.django_db

STATISTICS = "/en/staff/network/training/statistics/"
STATISTICS_CSV = "/en/staff/network/training/statistics.csv"
ALUMNI = "/en/staff/network/training/alumni/"


def scored(nomination, pre=None, post=None, max_score=100):
    for kind, score in (("pre", pre), ("post", post)):
        if score is not None:
            services.assessment_record(actor=None, nomination=nomination, kind=kind, score=score, max_score=max_score)


@pytest.fixture
def data():
    air = make_session(
        make_programme(field=make_field("air", 1), code="air-course", title_en="Air quality monitoring"),
        starts_on=dt.date(2024, 3, 4),
        quota=4,
    )
    water = make_session(
        make_programme(field=make_field("water", 2), code="water-course", title_en="Water quality"),
        starts_on=dt.date(2025, 6, 2),
        days=3,
    )
    lan = PersonFactory(name_en="Lan Nguyen", email="lan@example.org")
    selected = TraineeState.SELECTED
    a = nominate(air, "VN", person=lan, gender="female", state=selected)
    b = nominate(air, "VN", "Binh Tran", gender="male", state=selected)
    c = nominate(air, "TH", "Somchai Deng", gender="female", state=selected)
    d = nominate(air, "TH", "Dao Absent", gender="male", state=selected)
    nominate(air, "TH", "Ekkachai Declined", gender="male", state=TraineeState.NOT_SELECTED)
    f = nominate(water, "VN", person=lan, gender="female", state=selected)
    g = nominate(water, "TH", "Gun Wong", gender="other", state=selected)
    for nomination in (a, b, g):
        attend(nomination, "present", "late")
    attend(c, "present", "present", "present", "present")
    attend(f, "present", "present", "late")
    attend(d, "absent", "excused")
    scored(a, 40, 70)
    scored(b, 50, 60)
    scored(c, 30, 40, max_score=50)
    scored(d, 10, 90)
    scored(f, 20, 80)
    scored(g, pre=50)
    valid = services.certificate_issue(actor=None, nomination=f)
    revoked = services.certificate_issue(actor=None, nomination=c)
    services.certificate_revoke(actor=None, certificate=revoked, reason="Signed in for a colleague.")
    return {"air": air, "water": water, "lan": lan, "valid": valid, "revoked": revoked, "somchai": c.person}


def csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def figures(rows, grouping: str) -> dict[str, tuple[str, str, str, str]]:
    return {
        row["key"]: (row["trainings"], row["people"], row["with_both_tests"], row["mean_gain_percent"])
        for row in rows
        if row["grouping"] == grouping
    }


# --- who sees the statistics -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [STATISTICS, STATISTICS_CSV, ALUMNI])
def test_the_statistics_and_alumni_pages_are_for_the_secretariat_and_focal_points(role, url, data, client_for):
    client, _user = client_for(role)
    response = client.get(url)
    if role == "public":
        assert response.status_code == 302
        assert "sign-in" in response["Location"]
    elif role in (Role.SECRETARIAT, Role.ADMIN, Role.FOCAL_POINT):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_the_secretariat_sees_every_country_with_charts_and_their_data_tables(data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(STATISTICS)
    html = response.content.decode()
    assert "5 trainings delivered" in html
    assert "4 people trained" in html
    assert "mean learning gain 30.0 points (4 with both tests)" in html
    for title in ("People trained by country", "People trained by field", "People trained by year"):
        assert title in html
    assert "People trained by gender" in html
    assert html.count('<svg class="chart__svg" role="img"') == 5
    assert html.count("Data table") == 5
    assert "Viet Nam" in html
    assert "Thailand" in html
    assert "Air quality monitoring (2024-03-04)" in html
    by_country = response.context["sections"][0]["rows"]
    assert [(row["key"], row["trainees"], row["people"], row["gain_percent"]) for row in by_country] == [
        ("TH", 2, 2, 20.0),
        ("VN", 3, 2, 33.3),
    ]
    assert "lan@example.org" not in html


def test_a_focal_point_sees_their_own_countrys_figures_only(data, client_for):
    client, _user = client_for(Role.FOCAL_POINT, country="VN")
    response = client.get(STATISTICS)
    html = response.content.decode()
    assert "3 trainings delivered" in html
    assert "Viet Nam" in html
    assert "Thailand" not in html
    assert "You see the figures of your own countries" in html
    # By field, water had one VN trainee with both tests: below the threshold, no mean shown.
    by_field = {row["key"]: row["gain_percent"] for row in response.context["sections"][1]["rows"]}
    assert by_field == {"air": None, "water": None}
    by_country = {row["key"]: row["gain_percent"] for row in response.context["sections"][0]["rows"]}
    assert by_country == {"VN": 33.3}


def test_a_focal_point_cannot_filter_on_another_country(data, client_for):
    client, _user = client_for(Role.FOCAL_POINT, country="VN")
    response = client.get(STATISTICS, {"country": "TH"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Thailand" not in html
    assert "3 trainings delivered" in html


# --- filters in the URL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "trainings", "gain"),
    [
        ({"year": "2024"}, 3, "20.0"),
        ({"year": "2025"}, 2, "60.0"),
        ({"field": "water"}, 2, "60.0"),
        ({"country": "TH"}, 2, "20.0"),
        ({"year": "2024", "country": "VN"}, 2, "20.0"),
    ],
)
def test_the_filters_in_the_url_narrow_the_figures_and_the_csv(params, trainings, gain, data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(STATISTICS, params).content.decode()
    assert f"{trainings} trainings delivered" in html
    assert f"mean learning gain {gain} points" in html
    assert "Clear the filters" in html
    rows = csv_rows(client.get(STATISTICS_CSV, params))
    total = rows[0]
    assert (total["grouping"], total["trainings"], total["mean_gain_percent"]) == ("total", str(trainings), gain)


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "1999"}, {"field": "nope"}, {"country": "ZZ"}])
def test_a_bad_filter_is_named_and_the_figures_stay_unfiltered(params, data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(STATISTICS, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "5 trainings delivered" in html
    assert client.get(STATISTICS_CSV, params).status_code == 200


def test_the_year_choices_are_the_years_of_the_sessions(data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    choices = client.get(STATISTICS).context["form"].fields["year"].choices
    assert [value for value, _label in choices] == ["", 2025, 2024]


# --- CSV --------------------------------------------------------------------------------------------------


def test_the_csv_holds_the_figures_of_the_page(data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(STATISTICS_CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="training-statistics.csv"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith("\ufeff".encode())
    rows = csv_rows(response)
    assert list(rows[0]) == [
        "grouping",
        "key",
        "label",
        "trainings",
        "people",
        "with_both_tests",
        "mean_gain_percent",
    ]
    assert figures(rows, "total") == {"": ("5", "4", "4", "30.0")}
    assert figures(rows, "country") == {"TH": ("2", "2", "1", "20.0"), "VN": ("3", "2", "3", "33.3")}
    assert figures(rows, "field") == {"air": ("3", "3", "3", "20.0"), "water": ("2", "2", "1", "60.0")}
    assert figures(rows, "year") == {"2024": ("3", "3", "3", "20.0"), "2025": ("2", "2", "1", "60.0")}
    assert figures(rows, "gender") == {
        "female": ("3", "2", "3", "36.7"),
        "male": ("1", "1", "1", "10.0"),
        "other": ("1", "1", "0", ""),
    }
    by_session = {row["label"]: row["mean_gain_percent"] for row in rows if row["grouping"] == "session"}
    assert by_session == {"Air quality monitoring (2024-03-04)": "20.0", "Water quality (2025-06-02)": "60.0"}
    assert "lan@example.org" not in response.content.decode("utf-8-sig")


def test_the_csv_of_a_focal_point_has_their_countries_only(data, client_for):
    client, _user = client_for(Role.FOCAL_POINT, country="VN")
    rows = csv_rows(client.get(STATISTICS_CSV))
    assert figures(rows, "country") == {"VN": ("3", "2", "3", "33.3")}
    assert figures(rows, "gender") == {"female": ("2", "1", "2", ""), "male": ("1", "1", "1", "")}


def test_text_that_a_spreadsheet_would_run_is_written_as_text():
    assert views._csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert views._csv_cell("Viet Nam") == "Viet Nam"
    assert views._csv_cell(3) == 3


# --- alumni -----------------------------------------------------------------------------------------------


def alumni_names(response) -> list[str]:
    return [nomination.person.name_en for nomination in response.context["page_obj"].object_list]


def test_the_alumni_are_the_trainees_who_completed_a_session_with_their_certificate(data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(ALUMNI)
    assert alumni_names(response) == ["Gun Wong", "Lan Nguyen", "Binh Tran", "Lan Nguyen", "Somchai Deng"]
    html = response.content.decode()
    assert "Dao Absent" not in html
    assert "Ekkachai Declined" not in html
    assert f"<code>{data['valid'].code}</code>" in html
    assert "Revoked on" in html
    assert "Not issued" in html
    assert "lan@example.org" not in html
    assert "Signed in for a colleague." not in html


def test_a_focal_point_sees_their_countrys_alumni_only(data, client_for):
    client, _user = client_for(Role.FOCAL_POINT, country="VN")
    response = client.get(ALUMNI)
    assert alumni_names(response) == ["Lan Nguyen", "Binh Tran", "Lan Nguyen"]
    assert "Somchai" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"q": "lan"}, ["Lan Nguyen", "Lan Nguyen"]),
        ({"q": "water"}, ["Gun Wong", "Lan Nguyen"]),
        ({"q": "air-course"}, ["Binh Tran", "Lan Nguyen", "Somchai Deng"]),
        ({"country": "TH"}, ["Gun Wong", "Somchai Deng"]),
        ({"year": "2024", "country": "VN"}, ["Lan Nguyen", "Binh Tran"]),
        ({"q": "nobody"}, []),
    ],
)
def test_the_alumni_are_searched_and_filtered_in_the_url(params, names, data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(ALUMNI, params)
    assert sorted(alumni_names(response)) == sorted(names)
    if not names:
        assert "No completed training matches." in response.content.decode()


def test_a_bad_alumni_filter_is_named(data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(ALUMNI, {"year": "20x4"})
    assert response.status_code == 200
    assert 'id="id_year_error">Enter a whole number.' in response.content.decode()
    assert len(alumni_names(response)) == 5


def test_the_alumni_list_is_paged_keeping_the_filters(data, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client, _user = client_for(Role.SECRETARIAT)
    first = client.get(ALUMNI, {"country": "VN"})
    assert first.context["page_obj"].paginator.num_pages == 2
    assert "country=VN&amp;page=2" in first.content.decode()
    second = client.get(ALUMNI, {"country": "VN", "page": "2"})
    assert alumni_names(second) == ["Lan Nguyen"]


def test_the_alumni_detail_shows_a_persons_trainings_to_whom_may_see_them(data, client_for):
    lan, somchai = data["lan"], data["somchai"]
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(reverse("network:alumni-detail", args=[lan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Water quality" in html
    assert "Air quality monitoring" in html
    assert "lan@example.org" not in html
    focal, _user = client_for(Role.FOCAL_POINT, country="VN")
    assert focal.get(reverse("network:alumni-detail", args=[lan.pk])).status_code == 200
    assert focal.get(reverse("network:alumni-detail", args=[somchai.pk])).status_code == 404
    assert client.get(reverse("network:alumni-detail", args=[999999])).status_code == 404
    expert, _user = client_for(Role.EXPERT)
    assert expert.get(reverse("network:alumni-detail", args=[lan.pk])).status_code == 403


# --- query budgets ------------------------------------------------------------------------------------------


def more_trainees(n: int) -> None:
    session = make_session(
        make_programme(field=make_field("waste", 3), code="waste-course"), starts_on=dt.date(2023, 5, 1), quota=n
    )
    for i in range(n):
        nomination = nominate(session, "VN" if i % 2 else "TH", state=TraineeState.SELECTED)
        attend(nomination, "present")
        scored(nomination, 10, 60)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FOCAL_POINT])
def test_the_pages_keep_a_fixed_number_of_queries(role, data, client_for, django_assert_max_num_queries):
    client, _user = client_for(role, country="VN") if role == Role.FOCAL_POINT else client_for(role)
    budgets = {STATISTICS: 18, STATISTICS_CSV: 16, ALUMNI: 14}
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url, {"year": "2024"} if url != ALUMNI else {}).status_code == 200
    more_trainees(8)
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_the_pages_answer_in_japanese(data, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    for url in (STATISTICS, STATISTICS_CSV, ALUMNI, reverse("network:alumni-detail", args=[data["lan"].pk])):
        response = client.get(url.replace("/en/", "/ja/"), HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 200
    rows = csv_rows(client.get(STATISTICS_CSV.replace("/en/", "/ja/")))
    assert {row["label"] for row in rows if row["grouping"] == "country"} == {"ベトナム", "タイ"}
