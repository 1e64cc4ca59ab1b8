"""Who may open which progress page: public, expert, focal point, owner, secretariat."""

import pytest

from cleanasia.measures import services
from cleanasia.measures.models import ReportState
from tests.conftest import verified_client

from .conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(portfolio):
    period = services.period_open(actor=None, period=portfolio["period"])
    portfolio["period"] = period
    draft = services.report_get_or_create_draft(actor=None, measure=portfolio["vn"], period=period)
    return draft


def signed_in(people, role):
    return verified_client(people[role])


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("measures:list", ()),
        ("measures:dashboard", ()),
        ("measures:periods", ()),
        ("measures:compare", ()),
    ],
)
def test_the_public_is_sent_to_sign_in(name, args, client):
    response = client.get(url(name, "en", *args))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_the_public_cannot_see_a_measure_or_report(portfolio, report, client):
    for path in (
        url("measures:detail", "en", portfolio["public"].pk),
        url("measures:report-edit", "en", report.pk),
        url("measures:missing-reports", "en", portfolio["period"].pk),
    ):
        assert client.get(path).status_code == 302


def test_an_expert_sees_only_measures_open_to_members(portfolio, report, people):
    c = signed_in(people, "expert")
    html = c.get(url("measures:list")).content.decode()
    assert "M-PUB" in html
    assert "M-VN" not in html
    assert "M-TH" not in html
    assert c.get(url("measures:detail", "en", portfolio["vn"].pk)).status_code == 404
    assert c.get(url("measures:detail", "en", portfolio["public"].pk)).status_code == 200
    assert c.get(url("measures:report-edit", "en", report.pk)).status_code == 404
    assert c.get(url("measures:report-review", "en", report.pk)).status_code == 404
    assert c.get(url("measures:missing-reports", "en", portfolio["period"].pk)).status_code == 403
    assert c.post(url("measures:period-close", "en", portfolio["period"].pk)).status_code == 403
    html = c.get(url("measures:periods")).content.decode()
    assert "Close FY2026 Q1" not in html
    # The dashboard counts only what the expert may see.
    html = c.get(url("measures:dashboard")).content.decode()
    assert "1 measure in this view." in html


def test_a_focal_point_sees_the_measures_of_their_country_only(portfolio, people):
    c = signed_in(people, "focal_vn")
    html = c.get(url("measures:list")).content.decode()
    assert "M-VN" in html
    assert "M-TH" not in html
    assert c.get(url("measures:detail", "en", portfolio["vn"].pk)).status_code == 200
    assert c.get(url("measures:detail", "en", portfolio["th"].pk)).status_code == 404
    # Seeing is not reporting: no report button, and starting one is refused.
    html = c.get(url("measures:detail", "en", portfolio["vn"].pk)).content.decode()
    assert "Report for" not in html


def test_an_owner_edits_their_own_report_only(portfolio, report, people):
    own = signed_in(people, "owner")
    assert own.get(url("measures:report-edit", "en", report.pk)).status_code == 200
    html = own.get(url("measures:detail", "en", portfolio["vn"].pk)).content.decode()
    assert "Report for FY2026 Q1" in html
    other = signed_in(people, "other_owner")
    assert other.get(url("measures:report-edit", "en", report.pk)).status_code == 404
    response = other.post(url("measures:report-start", "en", portfolio["vn"].pk, portfolio["period"].pk))
    assert response.status_code == 404
    response = other.post(url("measures:report-start", "en", portfolio["th"].pk, portfolio["period"].pk))
    assert response.status_code == 302  # their own measure
    # The owner cannot review (approve) their own report.
    assert own.get(url("measures:report-review", "en", report.pk)).status_code == 403
    assert own.post(url("measures:period-close", "en", portfolio["period"].pk)).status_code == 403


def test_the_secretariat_sees_everything(portfolio, report, people):
    c = signed_in(people, "secretariat")
    html = c.get(url("measures:list")).content.decode()
    for code in ("M-VN", "M-TH", "M-PUB"):
        assert code in html
    for path in (
        url("measures:detail", "en", portfolio["th"].pk),
        url("measures:report-edit", "en", report.pk),
        url("measures:report-review", "en", report.pk),
        url("measures:missing-reports", "en", portfolio["period"].pk),
    ):
        assert c.get(path).status_code == 200, path
    assert "Close FY2026 Q1" in c.get(url("measures:periods")).content.decode()
    assert report.state == ReportState.DRAFT
