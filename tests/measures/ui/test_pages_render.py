"""Every progress page renders for the secretariat, in Japanese and in English."""

import pytest

from tests.conftest import verified_client

from .conftest import url

pytestmark = pytest.mark.django_db


def pages(portfolio, report=None):
    period = portfolio["period"]
    found = {
        "list": ("measures:list", ()),
        "detail": ("measures:detail", (portfolio["vn"].pk,)),
        "dashboard": ("measures:dashboard", ()),
        "periods": ("measures:periods", ()),
        "missing": ("measures:missing-reports", (period.pk,)),
        "compare": ("measures:compare", ()),
    }
    if report is not None:
        found["report-edit"] = ("measures:report-edit", (report.pk,))
        found["report-review"] = ("measures:report-review", (report.pk,))
    return found


@pytest.fixture
def submitted_report(portfolio, people):
    from cleanasia.measures import services

    period = services.period_open(actor=None, period=portfolio["period"])
    report = services.report_get_or_create_draft(actor=None, measure=portfolio["vn"], period=period)
    report = services.report_update(
        actor=None, report=report, expected_version=report.version, changes={"rating": "on_track"}
    )
    return services.report_submit(actor=None, report=report)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_renders_in_both_languages(lang, portfolio, people, submitted_report):
    client = verified_client(people["secretariat"])
    for name, (view, args) in pages(portfolio, submitted_report).items():
        response = client.get(url(view, lang, *args))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{lang}"' in html, name
        assert "<h1" in html, name


def test_the_measure_page_shows_what_the_secretariat_follows(portfolio, people):
    client = verified_client(people["secretariat"])
    html = client.get(url("measures:detail", "en", portfolio["vn"].pk)).content.decode()
    assert "Viet Nam air" in html
    assert "FY2026" in html  # budget by Japanese fiscal year
    assert "Emissions avoided" in html
    assert 'id="indicator-IND-' in html  # the anchor the dashboard drills down to
    assert "Overdue" in html
    assert "⚠" in html
    assert "Not available" in html or "progress" in html  # the status badge has text
    assert "/staff/history/measures/measure/" in html
    ja = client.get(url("measures:detail", "ja", portfolio["vn"].pk)).content.decode()
    assert "2026年度" in ja


def test_the_workspace_lists_the_section(portfolio, people):
    client = verified_client(people["secretariat"])
    html = client.get(url("core:staff-home", "en")).content.decode()
    assert "Progress of measures" in html
    html = client.get(url("measures:dashboard", "en")).content.decode()
    assert 'aria-current="true"' in html  # the workspace menu marks the section as the current one
