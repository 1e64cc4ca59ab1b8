"""The progress module's API: who sees and does what, the reporting workflow, and each bad input refused by name."""

import json

import pytest

from cleanasia.accounts.models import Role
from cleanasia.measures import services
from cleanasia.measures.models import Actual, Measure, ProgressReport
from tests.api.helpers import patch_json, problem
from tests.conftest import ROLES, verified_client
from tests.factories import FrameworkNodeFactory, UserFactory

from ..factories import make_indicator, make_measure, make_period

pytestmark = pytest.mark.django_db


def post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


@pytest.fixture
def portfolio(make_user):
    """Measures at each visibility, one owned by `owner`, one with Viet Nam as a partner."""
    owner = make_user(Role.EXPERT)
    make_measure(code="PUB", visibility="public")
    make_measure(code="MEM", visibility="members")
    make_measure(code="SEC", visibility="secretariat")
    make_measure(code="OWN", visibility="secretariat", owner=owner)
    make_measure(code="VN", visibility="secretariat", countries=("VN",))
    return owner


EXPECTED_MEASURES = {
    "public": ["PUB"],
    Role.EXPERT: ["MEM", "PUB"],
    Role.WG_MEMBER: ["MEM", "PUB"],
    Role.FOCAL_POINT: ["MEM", "PUB", "VN"],  # the focal point of Viet Nam
    Role.SECRETARIAT: ["MEM", "OWN", "PUB", "SEC", "VN"],
    Role.ADMIN: ["MEM", "OWN", "PUB", "SEC", "VN"],
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_measures_the_contract_gives_it(role, portfolio, client_for):
    client, _user = client_for(role)
    assert codes(client.get("/api/v1/measures/")) == EXPECTED_MEASURES[role]


def test_the_owner_sees_their_own_measure_and_nobody_elses(portfolio):
    client = verified_client(portfolio)
    assert codes(client.get("/api/v1/measures/")) == ["MEM", "OWN", "PUB"]
    hidden = Measure.objects.get(code="SEC")
    problem(client.get(f"/api/v1/measures/{hidden.pk}/"), 404)


def test_measures_are_filtered_by_country_status_and_search(portfolio, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    assert codes(client.get("/api/v1/measures/", {"country": "vn"})) == ["VN"]
    assert codes(client.get("/api/v1/measures/", {"search": "OWN"})) == ["OWN"]
    assert codes(client.get("/api/v1/measures/", {"status": "completed"})) == []
    problem(client.get("/api/v1/measures/", {"status": "nonsense"}), 400)


def _create_body(**extra):
    node = FrameworkNodeFactory(code="G1.1")
    return {"framework_node": node.pk, "code": "NEW-1", "title_ja": "新しい施策", "title_en": "New", **extra}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_creates_measures(role, client_for):
    client, _user = client_for(role)
    response = post_json(client, "/api/v1/measures/", _create_body(partner_countries=[], visibility="public"))
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        assert response.status_code == 201, response.content
        assert response.json()["code"] == "NEW-1"
        assert response.json()["version"] == 1
    else:
        problem(response, 401 if role == "public" else 403)
        assert not Measure.objects.filter(code="NEW-1").exists()


def test_a_measure_without_a_japanese_title_is_refused_by_name(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, "/api/v1/measures/", _create_body(title_ja="")), 400)
    assert [e["field"] for e in body["errors"]] == ["title_ja"]


def test_an_unknown_partner_country_is_refused_by_name(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, "/api/v1/measures/", _create_body(partner_countries=["ZZ"])), 400)
    assert body["errors"][0]["field"] == "partner_countries"


def test_a_stale_edit_of_a_measure_is_a_409_with_what_changed(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    measure = make_measure(title_en="Old")
    url = f"/api/v1/measures/{measure.pk}/"
    first = patch_json(client, url, {"version": 1, "title_en": "First"})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    body = problem(patch_json(client, url, {"version": 1, "title_en": "Second"}), 409)
    assert body["current_version"] == 2
    assert "title_en" in {c["field"] for c in body["changed_fields"]}
    measure.refresh_from_db()
    assert measure.title_en == "First"


def test_a_measure_edit_changes_partner_countries(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    measure = make_measure(countries=("TH",))
    from tests.factories import CountryFactory

    CountryFactory(code="VN")
    response = patch_json(client, f"/api/v1/measures/{measure.pk}/", {"version": 1, "partner_countries": ["VN"]})
    assert response.status_code == 200, response.content
    assert response.json()["partner_countries"] == ["VN"]


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT])
def test_others_cannot_edit_a_measure(role, client_for):
    client, _user = client_for(role)
    measure = make_measure(visibility="public", countries=("VN",))
    response = patch_json(client, f"/api/v1/measures/{measure.pk}/", {"version": 1, "title_en": "X"})
    problem(response, 401 if role == "public" else 403)


def test_the_owner_cannot_edit_the_measure_itself(portfolio):
    measure = Measure.objects.get(code="OWN")
    response = patch_json(
        verified_client(portfolio), f"/api/v1/measures/{measure.pk}/", {"version": 1, "title_en": "X"}
    )
    problem(response, 403)


# --- indicators ---------------------------------------------------------------------------------


@pytest.fixture
def indicators():
    public_measure = make_measure(code="PUB", visibility="public")
    approved = make_indicator(public_measure, code="I-APPROVED", public_approved=True, direction="decrease")
    draft = make_indicator(public_measure, code="I-DRAFT")
    hidden = make_indicator(make_measure(code="SEC"), code="I-SEC", public_approved=True)
    services.baseline_set(actor=None, indicator=approved, year=2015, value=100.0)
    services.target_set(actor=None, indicator=approved, year=2030, value=50.0)
    period = make_period(fiscal_year=2025, number=4)
    services.actual_record(actor=None, indicator=approved, period=period, value=60.0)
    return approved, draft, hidden


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("public", ["I-APPROVED"]),
        (Role.EXPERT, ["I-APPROVED", "I-DRAFT"]),
        (Role.SECRETARIAT, ["I-APPROVED", "I-DRAFT", "I-SEC"]),
    ],
)
def test_the_public_sees_approved_public_indicators_only(role, expected, indicators, client_for):
    client, _user = client_for(role)
    assert codes(client.get("/api/v1/indicators/")) == expected


def test_an_indicator_shows_its_values_and_effective_status(indicators, client):
    approved = indicators[0]
    data = client.get(f"/api/v1/indicators/{approved.pk}/").json()
    assert data["baselines"][0]["year"] == 2015
    assert data["baselines"][0]["value"] == 100.0
    assert data["targets"][0]["value"] == 50.0
    assert data["actuals"][0]["value"] == 60.0
    assert data["actuals"][0]["period_label"] == "2025年度 第4四半期"  # the API speaks Japanese unless asked
    english = client.get(f"/api/v1/indicators/{approved.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["actuals"][0]["period_label"] == "FY2025 Q4"
    assert data["computed_status"] != "not_available"
    assert data["effective_status"] == data["computed_status"]
    assert data["latest_value"] == 60.0


def test_an_override_is_the_effective_status(indicators, client_for):
    approved = indicators[0]
    services.indicator_override_status(actor=None, indicator=approved, status="limited", justification="Data late.")
    client, _user = client_for(Role.SECRETARIAT)
    data = client.get(f"/api/v1/indicators/{approved.pk}/").json()
    assert data["effective_status"] == "limited"
    assert data["override_justification"] == "Data late."
    assert codes(client.get("/api/v1/indicators/", {"status": "limited"})) == ["I-APPROVED"]


def test_a_target_in_another_unit_is_refused_by_name(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    indicator = make_indicator(unit="t CO2e")
    response = post_json(
        client, f"/api/v1/indicators/{indicator.pk}/targets/", {"year": 2030, "value": 5, "unit": "kt"}
    )
    body = problem(response, 400)
    assert [e["field"] for e in body["errors"]] == ["unit"]
    assert not indicator.targets.exists()
    ok = post_json(client, f"/api/v1/indicators/{indicator.pk}/targets/", {"year": 2030, "value": 5, "unit": "t CO2e"})
    assert ok.status_code == 201, ok.content
    assert ok.json()["targets"] == [{"year": 2030, "value": 5.0, "text_value": "", "dimensions": {}, "comment": ""}]


def test_only_the_secretariat_sets_targets(portfolio):
    indicator = make_indicator(Measure.objects.get(code="OWN"))
    response = post_json(
        verified_client(portfolio), f"/api/v1/indicators/{indicator.pk}/targets/", {"year": 2030, "value": 1}
    )
    problem(response, 403)


# --- actuals -----------------------------------------------------------------------------------------


@pytest.fixture
def owned_indicator(portfolio):
    return make_indicator(Measure.objects.get(code="OWN"))


def test_the_owner_records_an_actual_for_an_open_period(portfolio, owned_indicator):
    period = make_period(fiscal_year=2026, number=3)
    response = post_json(
        verified_client(portfolio),
        "/api/v1/actuals/",
        {"indicator": owned_indicator.pk, "period": period.pk, "value": 12.5, "comment": "From the survey."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] == 12.5
    assert Actual.objects.get(indicator=owned_indicator).comment == "From the survey."


def test_an_actual_for_a_period_that_is_not_open_is_refused_by_name(portfolio, owned_indicator):
    closed = make_period(fiscal_year=2026, number=2)
    services.period_close(actor=None, period=closed)
    planned = make_period(fiscal_year=2026, number=4, open=False)
    for period in (closed, planned):
        response = post_json(
            verified_client(portfolio),
            "/api/v1/actuals/",
            {"indicator": owned_indicator.pk, "period": period.pk, "value": 1},
        )
        body = problem(response, 400)
        assert [e["field"] for e in body["errors"]] == ["period"]
    assert not Actual.objects.exists()


def test_text_in_a_number_is_refused_by_name(portfolio, owned_indicator):
    period = make_period(fiscal_year=2026, number=3)
    response = post_json(
        verified_client(portfolio),
        "/api/v1/actuals/",
        {"indicator": owned_indicator.pk, "period": period.pk, "value": "many"},
    )
    assert [e["field"] for e in problem(response, 400)["errors"]] == ["value"]


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT])
def test_others_cannot_record_actuals(role, client_for):
    client, _user = client_for(role)
    indicator = make_indicator(make_measure(visibility="public", countries=("VN",)), public_approved=True)
    period = make_period(fiscal_year=2026, number=3)
    response = post_json(client, "/api/v1/actuals/", {"indicator": indicator.pk, "period": period.pk, "value": 1})
    problem(response, 401 if role == "public" else 403)
    assert not Actual.objects.exists()


def test_an_indicator_the_user_cannot_see_is_refused_as_unknown(client_for):
    client, _user = client_for(Role.EXPERT)
    indicator = make_indicator(make_measure(visibility="secretariat"))
    period = make_period(fiscal_year=2026, number=3)
    response = post_json(client, "/api/v1/actuals/", {"indicator": indicator.pk, "period": period.pk, "value": 1})
    assert [e["field"] for e in problem(response, 400)["errors"]] == ["indicator"]


# --- reporting periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_opens_and_closes_periods(role, client_for):
    client, _user = client_for(role)
    period = make_period(fiscal_year=2026, number=4, open=False)
    response = post_json(client, f"/api/v1/reporting-periods/{period.pk}/open/")
    period.refresh_from_db()
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "open"
        assert period.state == "open"
        closed = post_json(client, f"/api/v1/reporting-periods/{period.pk}/close/")
        assert closed.json()["state"] == "closed"
    else:
        problem(response, 401 if role == "public" else 403)
        assert period.state == "planned"


def test_periods_are_listed_for_the_signed_in_and_created_by_the_secretariat(client_for, client):
    secretariat, _user = client_for(Role.SECRETARIAT)
    response = post_json(
        secretariat, "/api/v1/reporting-periods/", {"kind": "quarter", "fiscal_year": 2027, "number": 1}
    )
    assert response.status_code == 201, response.content
    assert response.json()["starts_on"] == "2027-04-01"
    assert response.json()["ends_on"] == "2027-06-30"
    listed = secretariat.get("/api/v1/reporting-periods/", {"state": "planned"}).json()["results"]
    assert [p["label"] for p in listed] == ["2027年度 第1四半期"]  # Japanese unless the request asks for English
    problem(client.get("/api/v1/reporting-periods/"), 401)


# --- progress reports: the workflow ------------------------------------------------------------------------


def test_the_owner_reports_and_the_secretariat_returns_then_approves(portfolio, client_for):
    measure = Measure.objects.get(code="OWN")
    period = make_period(fiscal_year=2026, number=3)
    owner = verified_client(portfolio)
    secretariat, _user = client_for(Role.SECRETARIAT)

    created = post_json(owner, "/api/v1/progress-reports/", {"measure": measure.pk, "period": period.pk})
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["state"] == "draft"
    url = f"/api/v1/progress-reports/{report['id']}/"

    edited = patch_json(owner, url, {"version": report["version"], "narrative_en": "On plan.", "rating": "on_track"})
    assert edited.status_code == 200, edited.content
    assert post_json(owner, url + "submit/").json()["state"] == "submitted"
    problem(post_json(owner, url + "approve/"), 403)  # owners do not approve their own reports

    returned = post_json(secretariat, url + "return/", {"comment": "Add the survey."})
    assert returned.json()["state"] == "returned"
    assert returned.json()["secretariat_comment"] == "Add the survey."
    version = owner.get(url).json()["version"]
    assert patch_json(owner, url, {"version": version, "narrative_en": "With the survey."}).status_code == 200
    assert post_json(owner, url + "submit/").json()["state"] == "submitted"
    approved = post_json(secretariat, url + "approve/")
    assert approved.json()["state"] == "approved"

    # Approved reports are immutable: the edit is refused naming the state.
    version = owner.get(url).json()["version"]
    body = problem(patch_json(owner, url, {"version": version, "narrative_en": "Changed later."}), 400)
    assert [e["field"] for e in body["errors"]] == ["state"]
    assert ProgressReport.objects.get(pk=report["id"]).narrative_en == "With the survey."

    correction = post_json(owner, url + "correct/")
    assert correction.status_code == 201, correction.content
    assert correction.json()["report_version"] == 2
    assert correction.json()["supersedes"] == report["id"]


def test_a_stale_report_edit_is_a_409(portfolio):
    measure = Measure.objects.get(code="OWN")
    period = make_period(fiscal_year=2026, number=3)
    owner = verified_client(portfolio)
    report = post_json(owner, "/api/v1/progress-reports/", {"measure": measure.pk, "period": period.pk}).json()
    url = f"/api/v1/progress-reports/{report['id']}/"
    assert patch_json(owner, url, {"version": 1, "narrative_en": "A"}).status_code == 200
    problem(patch_json(owner, url, {"version": 1, "narrative_en": "B"}), 409)


def test_at_risk_without_a_reason_is_refused_by_name(portfolio):
    measure = Measure.objects.get(code="OWN")
    period = make_period(fiscal_year=2026, number=3)
    owner = verified_client(portfolio)
    report = post_json(owner, "/api/v1/progress-reports/", {"measure": measure.pk, "period": period.pk}).json()
    body = problem(
        patch_json(owner, f"/api/v1/progress-reports/{report['id']}/", {"version": 1, "rating": "at_risk"}), 400
    )
    assert [e["field"] for e in body["errors"]] == ["rating_reason"]


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT])
def test_others_cannot_start_a_report(role, client_for):
    client, _user = client_for(role)
    measure = make_measure(visibility="public", countries=("VN",))
    period = make_period(fiscal_year=2026, number=3)
    response = post_json(client, "/api/v1/progress-reports/", {"measure": measure.pk, "period": period.pk})
    problem(response, 401 if role == "public" else 403)
    assert not ProgressReport.objects.exists()


def test_focal_points_read_approved_reports_of_their_countries_only(client_for):
    focal, _user = client_for(Role.FOCAL_POINT)  # Viet Nam
    owner = UserFactory()
    period = make_period(fiscal_year=2026, number=3)
    reports = {}
    for code, country in [("VN-1", "VN"), ("VN-2", "VN"), ("TH-1", "TH")]:
        measure = make_measure(code=code, owner=owner, countries=(country,))
        reports[code] = services.report_get_or_create_draft(actor=None, measure=measure, period=period)
    for code in ("VN-1", "TH-1"):
        report = services.report_update(
            actor=None, report=reports[code], expected_version=1, changes={"rating": "on_track"}
        )
        services.report_submit(actor=None, report=report)
        services.report_approve(actor=None, report=report)
    listed = focal.get("/api/v1/progress-reports/").json()["results"]
    assert [r["measure_code"] for r in listed] == ["VN-1"]
    problem(focal.get(f"/api/v1/progress-reports/{reports['VN-2'].pk}/"), 404)


def test_the_public_sees_no_reports(client):
    problem(client.get("/api/v1/progress-reports/"), 401)


def test_the_list_shows_the_latest_four_actuals_and_the_detail_all(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    indicator = make_indicator()
    for number in range(1, 5):
        period = make_period(fiscal_year=2025, number=number)
        services.actual_record(actor=None, indicator=indicator, period=period, value=float(number))
        services.period_close(actor=None, period=period)
    period = make_period(fiscal_year=2026, number=1)
    services.actual_record(actor=None, indicator=indicator, period=period, value=5.0)
    listed = client.get("/api/v1/indicators/").json()["results"][0]["actuals"]
    assert [a["value"] for a in listed] == [5.0, 4.0, 3.0, 2.0]
    detail = client.get(f"/api/v1/indicators/{indicator.pk}/").json()["actuals"]
    assert [a["value"] for a in detail] == [5.0, 4.0, 3.0, 2.0, 1.0]
