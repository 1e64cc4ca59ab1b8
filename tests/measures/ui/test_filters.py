"""Filters live in the URL (shareable views) and the dashboard drills down goal → measures → measure → indicator."""

import re

import pytest

from tests.conftest import verified_client

from .conftest import url

pytestmark = pytest.mark.django_db


def codes(html: str) -> set[str]:
    return set(re.findall(r">(M-[A-Z]+)</a>", html))


@pytest.fixture
def secretariat(people):
    return verified_client(people["secretariat"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"M-VN", "M-TH", "M-PUB"}),
        ("goal=G1", {"M-VN"}),
        ("goal=G2", {"M-TH", "M-PUB"}),
        ("country=TH", {"M-TH"}),
        ("status=planned", {"M-PUB"}),
        ("q=thai", {"M-TH"}),
        ("fy=2026", {"M-VN", "M-TH", "M-PUB"}),
        ("fy=2040", set()),
        ("goal=G2&status=ongoing", {"M-TH"}),
    ],
)
def test_the_list_filters_come_from_the_url(query, expected, portfolio, secretariat):
    html = secretariat.get(url("measures:list", "en", query=query)).content.decode()
    assert codes(html) == expected


def test_the_filter_form_shows_the_url_values_and_pages_keep_them(portfolio, secretariat):
    from .conftest import bulk_measures

    bulk_measures(portfolio, 55, 0)
    html = secretariat.get(url("measures:list", "en", query="goal=G1&status=ongoing")).content.decode()
    assert '<option value="G1" selected>' in html
    assert "Page 1 of" not in html or "goal=G1" in html
    html = secretariat.get(url("measures:list", "en")).content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?page=2"' in html
    html = secretariat.get(url("measures:list", "en", query="country=VN")).content.decode()
    assert "country=VN&amp;page=2" in html


def test_the_dashboard_keeps_its_filters_and_drills_down(portfolio, secretariat):
    html = secretariat.get(url("measures:dashboard", "en", query="country=VN")).content.decode()
    assert "1 measure in this view." in html
    # goal → the measure list filtered by goal (and the dashboard's other filters)
    link = re.search(r'href="(/en/staff/measures/\?[^"]*goal=G1[^"]*)"', html)
    assert link, html
    listing = secretariat.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert codes(listing) == {"M-VN"}
    # measure → its page, with an anchor per indicator
    detail = secretariat.get(url("measures:detail", "en", portfolio["vn"].pk)).content.decode()
    assert re.search(r'id="indicator-IND-\d+"', detail)


def test_each_chart_has_a_title_and_its_data_table(portfolio, secretariat):
    html = secretariat.get(url("measures:dashboard", "en")).content.decode()
    charts = html.count('role="img"')
    assert charts >= 4
    assert html.count("<title id=") == charts
    assert html.count("<summary>Data table</summary>") >= charts
    assert "Measures by status" in html
    assert "<caption" in html


def test_an_invalid_filter_shows_an_error_not_a_crash(portfolio, secretariat):
    response = secretariat.get(url("measures:list", "en", query="fy=abc&goal=NOPE"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-text" in html
    assert codes(html) == {"M-VN", "M-TH", "M-PUB"}


def test_the_comparison_lists_what_was_added(portfolio, secretariat):
    html = secretariat.get(url("measures:compare", "en", query="as_of=2000-01-01")).content.decode()
    added = html.split('id="changes-added"')[1].split("</section>")[0]
    assert "M-VN" in added
    assert "M-TH" in added
    assert "On 1 January 2000" in html


def test_the_comparison_lists_closed_and_slipped_measures(portfolio, people, secretariat):
    import datetime as dt

    from django.utils import timezone

    from cleanasia.measures import services
    from cleanasia.measures.models import Measure, Milestone

    # Everything so far happened in 2020; today the Thai measure is completed and a Vietnamese milestone moves.
    for model in (Measure, Milestone):
        model.history.update(history_date=timezone.make_aware(dt.datetime(2020, 1, 1)))
    th, vn = portfolio["th"], portfolio["vn"]
    services.measure_update(
        actor=people["secretariat"], measure=th, expected_version=th.version, changes={"status": "completed"}
    )
    milestone = Milestone.objects.get(measure=vn, due_on=dt.date(2099, 1, 31))
    services.milestone_update(
        actor=people["secretariat"],
        milestone=milestone,
        expected_version=milestone.version,
        changes={"due_on": dt.date(2100, 6, 30)},
    )
    html = secretariat.get(url("measures:compare", "en", query="as_of=2021-01-01")).content.decode()
    section = {
        key: html.split(f'id="changes-{key}"')[1].split("</section>")[0] for key in ("added", "closed", "slipped")
    }
    assert "M-VN" not in section["added"]
    assert "M-TH" in section["closed"]
    assert "Ongoing → Completed" in section["closed"]
    assert "M-VN" in section["slipped"]
    assert "30 June 2100" in section["slipped"]


def test_the_dashboard_links_the_ministry_reports_with_its_filters(portfolio, secretariat):
    html = secretariat.get(url("measures:dashboard", "en", query="goal=G1&country=VN")).content.decode()
    link = re.search(r'href="([^"]*progress\.xlsx\?[^"]*)"', html)
    assert link
    assert "goal=G1" in link.group(1)
    assert "country=VN" in link.group(1)
    response = secretariat.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
