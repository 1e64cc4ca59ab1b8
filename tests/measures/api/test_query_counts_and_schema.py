"""List endpoints of the progress module answer in a fixed number of queries; the schema documents them."""

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.measures import services
from tests.factories import OrganisationFactory

from ..factories import make_indicator, make_measure, make_period

pytestmark = pytest.mark.django_db

_counter = iter(range(10_000))


def _rows(n, owner, period):
    """n public measures, each with a budget, a partner, a published indicator with values, and a report."""
    for _ in range(n):
        i = next(_counter)
        measure = make_measure(visibility="public", owner=owner, countries=("VN", "TH"), code=f"Q-{i:04d}")
        measure.partner_organisations.add(OrganisationFactory())
        services.budget_set(actor=None, measure=measure, fiscal_year=2026, amount_jpy=1000)
        indicator = make_indicator(measure, public_approved=True)
        services.baseline_set(actor=None, indicator=indicator, year=2015, value=10)
        services.target_set(actor=None, indicator=indicator, year=2030, value=20)
        services.actual_record(actor=None, indicator=indicator, period=period, value=12)
        services.report_get_or_create_draft(actor=None, measure=measure, period=period)


PATHS = [
    "/api/v1/measures/",
    "/api/v1/indicators/",
    "/api/v1/actuals/",
    "/api/v1/reporting-periods/",
    "/api/v1/progress-reports/",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ["public", Role.FOCAL_POINT, Role.SECRETARIAT])
def test_list_queries_do_not_grow_with_rows(path, role, client_for, make_user, django_assert_max_num_queries):
    client, _user = client_for(role)
    owner = make_user(Role.EXPERT)
    period = make_period(fiscal_year=2026, number=3)
    _rows(3, owner, period)
    with CaptureQueriesContext(connection) as few:
        response = client.get(path, {"page_size": 100})
    if role == "public" and path in ("/api/v1/reporting-periods/", "/api/v1/progress-reports/"):
        assert response.status_code == 401
        return
    assert response.status_code == 200
    _rows(12, owner, period)
    with django_assert_max_num_queries(len(few)):
        response = client.get(path, {"page_size": 100})
    shown = response.json()["results"]
    if path != "/api/v1/reporting-periods/" and not (role == Role.FOCAL_POINT and "reports" in path):
        assert len(shown) >= 12, "the second request really shows more rows"
    assert len(few) <= 15, f"{path} as {role}: {len(few)} queries"


def test_the_iati_export_is_a_fixed_number_of_queries(client, make_user, django_assert_max_num_queries):
    owner = make_user(Role.EXPERT)
    period = make_period(fiscal_year=2026, number=3)
    _rows(2, owner, period)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/measures/iati/").status_code == 200
    _rows(10, owner, period)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/api/v1/measures/iati/").content.count(b"<iati-activity ") == 12


@pytest.fixture
def schema(client):
    response = client.get(reverse("v1:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_lists_the_progress_endpoints(schema):
    expected = {
        "/api/v1/measures/",
        "/api/v1/measures/{id}/",
        "/api/v1/measures/iati/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/",
        "/api/v1/indicators/{id}/targets/",
        "/api/v1/actuals/",
        "/api/v1/reporting-periods/",
        "/api/v1/reporting-periods/{id}/open/",
        "/api/v1/reporting-periods/{id}/close/",
        "/api/v1/progress-reports/",
        "/api/v1/progress-reports/{id}/",
        "/api/v1/progress-reports/{id}/submit/",
        "/api/v1/progress-reports/{id}/return/",
        "/api/v1/progress-reports/{id}/approve/",
    }
    assert expected <= set(schema["paths"])


def test_the_schema_documents_the_iati_xml_and_csv(schema):
    answer = schema["paths"]["/api/v1/measures/iati/"]["get"]["responses"]["200"]["content"]
    assert {"application/xml", "text/csv"} <= set(answer)


def test_the_schema_documents_conflicts_of_measure_and_report_edits(schema):
    for path in ("/api/v1/measures/{id}/", "/api/v1/progress-reports/{id}/"):
        patch = schema["paths"][path]["patch"]
        assert {"200", "400", "403", "409"} <= set(patch["responses"]), path
        assert (
            "version"
            in schema["components"]["schemas"][
                patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
            ]["properties"]
        )
