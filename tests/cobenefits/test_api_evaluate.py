"""The co-benefits API: evaluate (public, stateless), the methods and the request's JSON Schema."""

import json

import pytest
import yaml
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from cleanasia.accounts.models import Role
from cleanasia.cobenefits.api.evaluate import EXAMPLE_INVALID_REQUEST, EXAMPLE_PROBLEM, EXAMPLE_REQUEST
from cleanasia.engines.cobenefits import EvaluationError, evaluate, method_catalogue, monte_carlo, request_schema
from tests.api.helpers import problem
from tests.engines.cobenefits.helpers import combustion, landfill, q, request

pytestmark = pytest.mark.django_db

PROBLEMS = "https://cleanasia.invalid/problems/"
ROLES = ["public", Role.EXPERT, Role.FOCAL_POINT, Role.SECRETARIAT]
WRITES = ("insert", "update", "delete", "create", "alter", "drop")


def small_request() -> dict:
    return request(
        [combustion("other_bituminous_coal", 1000, "t", sulphur_content=q(0.8, "%")), landfill(100, {"food": 0.5})],
        [combustion("natural_gas", 20, "TJ")],
        end=2027,
    )


def invalid_request() -> dict:
    return request(
        [combustion("lignite", 10, "t", sulphur_content=q(120, "%")), {"method": "carbon_magic"}],
        start=2030,
        end=2025,
    )


def engine_errors(req: dict) -> list[dict]:
    with pytest.raises(EvaluationError) as caught:
        evaluate(req)
    return [error.to_dict() for error in caught.value.errors]


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        reverse("v1:cobenefits-evaluate"),
        data=data,
        content_type=extra.pop("content_type", "application/json"),
        **extra,
    )


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().lower().startswith(WRITES)]


def test_the_endpoints_have_their_names_and_paths():
    assert reverse("v1:cobenefits-evaluate") == "/api/v1/cobenefits/evaluate/"
    assert reverse("v1:cobenefits-methods") == "/api/v1/cobenefits/methods/"
    assert reverse("v1:cobenefits-request-schema") == "/api/v1/cobenefits/request-schema/"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_the_engines_result_and_nothing_is_written(client_for, role):
    client, _user = client_for(role)
    req = small_request()
    with CaptureQueriesContext(connection) as captured:
        response = post(client, req)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == evaluate(req).to_dict()
    assert writes(captured.captured_queries) == []
    if role == "public":
        assert len(captured.captured_queries) == 0
        assert "sessionid" not in response.cookies


def test_an_anonymous_client_needs_no_csrf_token():
    """Session authentication checks CSRF only for a request signed in by its cookie."""
    client = Client(enforce_csrf_checks=True)
    assert post(client, small_request()).status_code == 200


def test_a_token_client_needs_no_csrf_token(make_user):
    expert = make_user(Role.EXPERT)
    token = Token.objects.create(user=expert)
    client = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as captured:
        response = post(client, small_request(), headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert writes(captured.captured_queries) == []


def test_a_signed_in_browser_session_sends_the_csrf_token(make_user):
    """As everywhere in the API: a script in a signed-in page sends X-CSRFToken."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.EXPERT))
    refused = problem(post(client, small_request(), headers={"Accept-Language": "en"}), 403)
    assert "CSRF" in refused["detail"]
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    assert post(client, small_request(), headers={"X-CSRFToken": secret}).status_code == 200


def test_an_invalid_request_is_a_validation_problem_naming_every_path():
    req = invalid_request()
    with CaptureQueriesContext(connection) as captured:
        body = problem(post(Client(), req, headers={"Accept-Language": "en"}), 400)
    assert captured.captured_queries == []
    assert body["type"] == PROBLEMS + "validation-error"
    assert body["title"] == "Invalid request data"
    assert body["instance"] == "/api/v1/cobenefits/evaluate/"
    assert [{k: e[k] for k in ("path", "code", "message")} for e in body["errors"]] == engine_errors(req)
    by_path = {e["path"]: e for e in body["errors"]}
    assert set(by_path) == {"years.end", "baseline.activities[0].sulphur_content", "baseline.activities[1].method"}
    sulphur = by_path["baseline.activities[0].sulphur_content"]
    assert sulphur["code"] == "out_of_range"
    # The API's usual names too: the field dotted, the message as detail.
    assert sulphur["field"] == "baseline.activities.0.sulphur_content"
    assert sulphur["detail"] == sulphur["message"]


def test_the_documented_problem_example_is_what_the_api_answers():
    body = problem(post(Client(), EXAMPLE_INVALID_REQUEST, headers={"Accept-Language": "en"}), 400)
    assert body == EXAMPLE_PROBLEM


def test_the_problem_speaks_japanese_when_asked():
    body = problem(post(Client(), invalid_request(), headers={"Accept-Language": "ja"}), 400)
    assert body["title"] == "リクエストデータが不正です"
    assert body["errors"], "the engine's paths and codes whatever the language"


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        ([1, 2], "", "wrong_type"),
        ({}, "years", "required"),
        ({**request([]), "colour": "blue"}, "colour", "unknown_field"),
    ],
)
def test_bodies_that_are_json_but_not_a_request(body, path, code):
    errors = problem(post(Client(), body), 400)["errors"]
    assert {(e["path"], e["code"]) for e in errors} >= {(path, code)}
    assert all(e["field"] is None for e in errors if e["path"] == "")


@pytest.mark.parametrize("text", ['{"years": {"start": 2025,', "not json at all", '{"years": NaN}'])
def test_a_body_that_is_not_json_is_a_malformed_request_problem(text):
    body = problem(post(Client(), text, headers={"Accept-Language": "en"}), 400)
    assert body["type"] == PROBLEMS + "malformed-request"
    assert "JSON parse error" in body["detail"]


def test_a_form_body_is_refused_as_an_unsupported_media_type():
    response = Client().post(reverse("v1:cobenefits-evaluate"), {"years": "2025"})
    assert problem(response, 415)["type"] == PROBLEMS + "unsupported-media-type"


def test_a_request_of_too_many_activity_years_is_refused_before_it_is_evaluated():
    req = request([combustion("natural_gas", 1, "TJ")] * 11, start=2001, end=3000)  # 11 × 1000
    errors = problem(post(Client(), req), 400)["errors"]
    assert [(e["path"], e["code"], e["field"]) for e in errors] == [("", "too_large", None)]
    assert "11000 activity-years" in errors[0]["message"]
    assert post(Client(), request([combustion("natural_gas", 1, "TJ")] * 10, start=2001, end=3000)).status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_body_over_the_upload_limit_is_refused():
    assert problem(post(Client(), small_request()), 413)["type"] == "about:blank"


def test_the_calculator_is_throttled_like_the_rest_of_the_api(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min"})
    client = Client()
    assert [post(client, request([])).status_code for _ in range(2)] == [200, 200]
    throttled = post(client, request([]))
    assert problem(throttled, 429)["type"] == PROBLEMS + "too-many-requests"
    assert "Retry-After" in throttled


def test_get_is_not_an_evaluation():
    assert problem(Client().get(reverse("v1:cobenefits-evaluate")), 405)["type"] == PROBLEMS + "method-not-allowed"


@pytest.mark.parametrize("role", ["public", Role.EXPERT])
def test_methods_and_request_schema_are_the_engines(client_for, role):
    client, _user = client_for(role)
    methods = client.get(reverse("v1:cobenefits-methods"))
    assert methods.status_code == 200
    assert methods.json() == method_catalogue()
    schema = client.get(reverse("v1:cobenefits-request-schema"))
    assert schema.status_code == 200
    assert schema.json() == request_schema()


def test_the_openapi_document_describes_the_three_operations(client):
    document = yaml.safe_load(client.get(reverse("v1:schema")).content)
    paths = document["paths"]
    evaluate_op = paths["/api/v1/cobenefits/evaluate/"]["post"]
    assert evaluate_op["operationId"] == "cobenefits_evaluate"
    body = evaluate_op["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/CobenefitsEvaluationRequest"}
    assert body["examples"]["FuelSwitch"]["value"] == EXAMPLE_REQUEST
    assert body["examples"]["SulphurOver100Percent"]["value"] == EXAMPLE_INVALID_REQUEST
    assert set(evaluate_op["responses"]) >= {"200", "400", "413", "default"}
    bad = evaluate_op["responses"]["400"]["content"]["application/problem+json"]
    assert bad["schema"] == {"$ref": "#/components/schemas/CobenefitsValidationProblem"}
    assert bad["examples"]["SulphurOver100Percent"]["value"] == EXAMPLE_PROBLEM
    assert {"get"} == set(paths["/api/v1/cobenefits/methods/"])
    assert {"get"} == set(paths["/api/v1/cobenefits/request-schema/"])

    components = document["components"]["schemas"]
    request_component = components["CobenefitsEvaluationRequest"]
    assert set(request_component["properties"]) == set(request_schema()["properties"])
    text = json.dumps(request_component)
    # OpenAPI 3.0: the engine's $defs became a component, const an enum.
    assert "$defs" not in text
    assert '"const"' not in text
    assert "#/components/schemas/CobenefitsQuantity" in text
    assert components["CobenefitsQuantity"]["properties"]["unit"] == {"type": "string"}
    result = components["CobenefitsResult"]
    assert result["example"] == evaluate(EXAMPLE_REQUEST).to_dict()


# --- uncertainty -------------------------------------------------------------------------------------------------


def evaluate_url(**query) -> str:
    return reverse("v1:cobenefits-evaluate") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_without_uncertainty_draws_there_is_no_uncertainty():
    response = post(Client(), small_request())
    assert response.status_code == 200
    assert "uncertainty" not in response.json()
    assert (
        "uncertainty"
        not in Client().post(evaluate_url(uncertainty_draws=0), small_request(), "application/json").json()
    )


def test_uncertainty_draws_add_the_median_and_95_percent_interval_reproducibly():
    url = evaluate_url(uncertainty_draws=500, seed=7)
    first = Client().post(url, small_request(), "application/json")
    second = Client().post(url, small_request(), "application/json")
    assert first.status_code == 200
    assert (
        first.json()["uncertainty"]
        == second.json()["uncertainty"]
        == monte_carlo(small_request(), draws=500, seed=7).to_dict()
    )
    body = first.json()
    uncertainty = body["uncertainty"]
    assert (uncertainty["draws"], uncertainty["seed"]) == (500, 7)
    assert uncertainty["factors_varied"]
    for name, sides in uncertainty["totals"].items():
        for side, interval in sides.items():
            assert interval["p2_5"] <= interval["median"] <= interval["p97_5"]
            total = body["co2e"]["total"] if name == "co2e" else body["species"][name]["total"]
            assert interval["central"] == pytest.approx(total[side])
    other = Client().post(evaluate_url(uncertainty_draws=500, seed=8), small_request(), "application/json").json()
    assert other["uncertainty"]["totals"] != uncertainty["totals"]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"uncertainty_draws": -1}, "uncertainty_draws", "out_of_range"),
        ({"uncertainty_draws": 50_000}, "uncertainty_draws", "out_of_range"),
        ({"uncertainty_draws": "x"}, "uncertainty_draws", "wrong_type"),
        ({"uncertainty_draws": 10, "seed": "x"}, "seed", "wrong_type"),
        ({"uncertainty_draws": 10, "seed": -1}, "seed", "out_of_range"),
    ],
)
def test_a_bad_uncertainty_parameter_is_a_validation_problem_naming_it(query, field, code):
    body = problem(Client().post(evaluate_url(**query), small_request(), "application/json"), 400)
    assert body["type"] == PROBLEMS + "validation-error"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, code)]


def test_the_monte_carlo_of_the_api_is_bounded_by_draws_times_activity_years():
    """An anonymous caller cannot ask for 20,000 draws of a long request: gigabytes of arrays."""
    long = request([combustion("other_bituminous_coal", 1000, "t"), landfill(100, {"food": 0.5})], end=2125)
    body = problem(Client().post(evaluate_url(uncertainty_draws=20_000), long, "application/json"), 400)
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("uncertainty_draws", "too_large")]
    fewer = Client().post(evaluate_url(uncertainty_draws=1_000), long, "application/json")
    assert fewer.status_code == 200
    assert fewer.json()["uncertainty"]["draws"] == 1_000


def test_the_openapi_document_describes_the_uncertainty_parameters_and_field(client):
    document = yaml.safe_load(client.get(reverse("v1:schema")).content)
    operation = document["paths"]["/api/v1/cobenefits/evaluate/"]["post"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["uncertainty_draws"]["in"] == parameters["seed"]["in"] == "query"
    assert parameters["uncertainty_draws"]["schema"]["type"] == "integer"
    result = document["components"]["schemas"]["CobenefitsResult"]
    assert "uncertainty" in result["properties"]
    assert "uncertainty" not in result["required"]
