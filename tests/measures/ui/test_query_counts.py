"""Each progress page runs a fixed number of queries, with few rows and with many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanasia.measures import services
from cleanasia.measures.models import Actual
from tests.conftest import verified_client

from .conftest import add_measure, bulk_measures, url

pytestmark = pytest.mark.django_db

PAGES = ["list", "detail", "dashboard", "periods", "compare", "missing", "report-edit", "report-review"]
# Measured maxima; roughly six are the request's own (session, user, roles, devices, demo banner, navigation).
BUDGET = 30


def count(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def grow(portfolio, period, start):
    """More measures, more periods, more actuals and more indicators on the measure shown."""
    bulk_measures(portfolio, 12, start)
    measure = portfolio["vn"]
    result = measure.results.get()
    for i in range(3):
        indicator = services.indicator_create(
            actor=None, result=result, code=f"EXTRA-{start + i}", title_ja="追加", unit="t CO2e"
        )
        services.baseline_set(actor=None, indicator=indicator, year=2020, value=10)
        services.actual_record(actor=None, indicator=indicator, period=period, value=11 + i)
    add_measure(node=portfolio["l1"], owner=measure.owner, countries=("VN",), code=f"MORE-{start}")


# Pages each role may open (the refusals are tested in test_permissions).
DENIED = {
    ("owner", "missing"),
    ("owner", "report-review"),
    ("focal_vn", "missing"),
    ("focal_vn", "report-edit"),
    ("focal_vn", "report-review"),
}
CASES = [(page, role) for role in ("secretariat", "owner", "focal_vn") for page in PAGES if (role, page) not in DENIED]


@pytest.mark.parametrize(("page", "role"), CASES)
def test_pages_do_not_grow_with_the_data(page, role, portfolio, people):
    period = services.period_open(actor=None, period=portfolio["period"])
    measure = portfolio["vn"]
    report = services.report_get_or_create_draft(actor=None, measure=measure, period=period)
    for indicator in measure.results.get().indicators.all():
        services.actual_record(actor=None, indicator=indicator, period=period, value=150, report=report)
    report = services.report_update(
        actor=None, report=report, expected_version=report.version, changes={"rating": "on_track"}
    )
    report = services.report_submit(actor=None, report=report)
    paths = {
        "list": url("measures:list"),
        "detail": url("measures:detail", "en", measure.pk),
        "dashboard": url("measures:dashboard"),
        "periods": url("measures:periods"),
        "compare": url("measures:compare", query="as_of=2020-01-01"),
        "missing": url("measures:missing-reports", "en", period.pk),
        "report-edit": url("measures:report-edit", "en", report.pk),
        "report-review": url("measures:report-review", "en", report.pk),
    }
    client = verified_client(people[role])
    path = paths[page]
    few = count(client, path)
    grow(portfolio, period, 100)
    assert Actual.objects.count() > 3
    many = count(client, path)
    assert many == few, f"{page} as {role}: {few} queries with few rows, {many} with many"
    assert many <= BUDGET, f"{page} as {role}: {many} queries"
