"""The reporting cycle through the pages: open → draft → submit → return → resubmit → approve → correct."""

import re

import pytest
from django.contrib.messages import get_messages

from cleanasia.measures.models import Actual, Milestone, PeriodState, ProgressReport, ReportState
from tests.conftest import verified_client

from .conftest import url

pytestmark = pytest.mark.django_db


def form_data(report, indicator, **extra):
    data = {
        "version": report.version,
        "narrative_ja": "順調に進んでいる。",
        "narrative_en": "Going well.",
        "rating": "on_track",
        "rating_reason": "",
        f"actual_{indicator.pk}": "120",
        f"actual_comment_{indicator.pk}": "Measured by the ministry",
    }
    data.update(extra)
    return data


def test_the_whole_cycle(portfolio, people):
    secretariat = verified_client(people["secretariat"])
    owner = verified_client(people["owner"])
    period, measure = portfolio["period"], portfolio["vn"]
    indicator = measure.results.get().indicators.get()
    milestone = Milestone.objects.filter(measure=measure).order_by("due_on").first()

    # The secretariat opens the period.
    response = secretariat.post(url("measures:period-open", "en", period.pk))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN
    # Nobody has reported yet.
    html = secretariat.get(url("measures:missing-reports", "en", period.pk)).content.decode()
    assert "M-VN" in html
    assert "M-TH" in html

    # The owner starts a draft from the measure page and saves it.
    response = owner.post(url("measures:report-start", "en", measure.pk, period.pk))
    report = ProgressReport.objects.get(measure=measure, period=period)
    assert response["Location"] == url("measures:report-edit", "en", report.pk)
    data = form_data(report, indicator, **{f"milestone_{milestone.pk}": "2026-05-01"})
    response = owner.post(url("measures:report-edit", "en", report.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert report.narrative_en == "Going well."
    assert report.state == ReportState.DRAFT
    actual = Actual.objects.get(indicator=indicator, period=period)
    assert actual.value == 120
    assert actual.report_id == report.pk
    milestone.refresh_from_db()
    assert str(milestone.completed_on) == "2026-05-01"

    # ...then submits it.
    response = owner.post(url("measures:report-edit", "en", report.pk), form_data(report, indicator, submit="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    html = secretariat.get(url("measures:missing-reports", "en", period.pk)).content.decode()
    assert "M-VN" not in html
    assert "M-TH" in html

    # The periods page counts it (with the other owner's report) and queues both for the secretariat.
    other = ProgressReport.objects.create(measure=portfolio["th"], period=period, state=ReportState.SUBMITTED)
    html = secretariat.get(url("measures:periods", "en")).content.decode()
    assert f'href="{url("measures:report-review", "en", report.pk)}"' in html
    assert f'href="{url("measures:report-review", "en", other.pk)}"' in html
    row = re.search(r"<tr>\s*<th scope=\"row\">FY2026 Q1.*?</tr>", html, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "2", "0"]  # reports, awaiting review, approved
    assert "Reports awaiting your review" not in owner.get(url("measures:periods", "en")).content.decode()

    # The secretariat returns it with comments; a return without comment is refused.
    review = url("measures:report-review", "en", report.pk)
    response = secretariat.post(review, {"decision": "return", "comment": ""})
    assert response.status_code == 400
    assert "Say what the owner should change." in response.content.decode()
    response = secretariat.post(review, {"decision": "return", "comment": "Add the source of the figure."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED

    # The owner sees the comments and resubmits.
    html = owner.get(url("measures:report-edit", "en", report.pk)).content.decode()
    assert "Add the source of the figure." in html
    data = form_data(report, indicator, submit="1", **{f"actual_{indicator.pk}": "130"})
    response = owner.post(url("measures:report-edit", "en", report.pk), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert Actual.objects.get(indicator=indicator, period=period).value == 130

    # The secretariat approves.
    response = secretariat.post(review, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED

    # Approved: read-only, an edit is refused naming the state, and a correction makes a new version.
    html = owner.get(url("measures:report-edit", "en", report.pk)).content.decode()
    assert "Save the draft" not in html
    assert "Correct this report (new version)" in html
    response = owner.post(url("measures:report-edit", "en", report.pk), form_data(report, indicator))
    assert response.status_code == 400
    assert "Approved" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative_en == "Going well."
    response = owner.post(url("measures:report-correct", "en", report.pk))
    correction = ProgressReport.objects.get(supersedes=report)
    assert response["Location"] == url("measures:report-edit", "en", correction.pk)
    assert correction.report_version == 2
    assert correction.state == ReportState.DRAFT
    html = owner.get(url("measures:report-edit", "en", correction.pk)).content.decode()
    assert "Save the draft" in html

    # The dashboard shows the approved rating in its trend table.
    html = secretariat.get(url("measures:dashboard", "en")).content.decode()
    assert "FY2026 Q1" in html
    assert "On track" in html


def test_a_stale_report_edit_shows_what_changed(portfolio, people):
    from cleanasia.measures import services

    period = services.period_open(actor=None, period=portfolio["period"])
    measure = portfolio["vn"]
    report = services.report_get_or_create_draft(actor=None, measure=measure, period=period)
    indicator = measure.results.get().indicators.get()
    loaded = report.version
    # Someone else saves first.
    services.report_update(
        actor=people["secretariat"], report=report, expected_version=loaded, changes={"narrative_en": "Theirs"}
    )
    owner = verified_client(people["owner"])
    report.version = loaded
    response = owner.post(url("measures:report-edit", "en", report.pk), form_data(report, indicator))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this report" in html
    assert "Theirs" in html
    assert "Going well." in html  # the owner's input is kept
    report.refresh_from_db()
    assert report.narrative_en == "Theirs"


def test_at_risk_needs_a_reason(portfolio, people):
    from cleanasia.measures import services

    period = services.period_open(actor=None, period=portfolio["period"])
    report = services.report_get_or_create_draft(actor=None, measure=portfolio["vn"], period=period)
    indicator = portfolio["vn"].results.get().indicators.get()
    owner = verified_client(people["owner"])
    response = owner.post(url("measures:report-edit", "en", report.pk), form_data(report, indicator, rating="at_risk"))
    assert response.status_code == 400
    assert "Say why the measure is at risk or off track." in response.content.decode()


def test_opening_a_period_is_reported(portfolio, people):
    secretariat = verified_client(people["secretariat"])
    response = secretariat.post(url("measures:period-open", "en", portfolio["period"].pk), follow=True)
    assert "FY2026 Q1 is open for reporting" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    response = secretariat.post(url("measures:periods"), {"kind": "half", "fiscal_year": 2026, "number": 2})
    assert response.status_code == 302
    assert "FY2026 H2" in secretariat.get(url("measures:periods")).content.decode()
