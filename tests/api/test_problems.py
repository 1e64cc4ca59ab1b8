"""Every API error is an RFC 9457 problem document."""

import json

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import RequestFactory
from rest_framework import exceptions
from rest_framework.request import Request

from cleanasia.api.problems import flatten_errors, problem_exception_handler
from tests.factories import FrameworkNodeFactory, PersonFactory

from .helpers import PROBLEM, patch_json, problem

pytestmark = pytest.mark.django_db

BASE = "https://cleanasia.invalid/problems/"


def _node_url(node):
    return f"/api/v1/framework-nodes/{node.pk}/"


def test_a_malformed_json_body_is_a_400_problem(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory()
    response = client.patch(_node_url(node), data='{"version": 1, "title_en": ', content_type="application/json")
    body = problem(response, 400)
    assert body["type"] == BASE + "malformed-request"
    assert body["instance"] == _node_url(node)
    assert "JSON" in body["detail"]


def test_a_validation_error_names_the_field(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory()
    body = problem(patch_json(client, _node_url(node), {"version": 1, "position": -1, "title_en": "x" * 301}), 400)
    assert body["type"] == BASE + "validation-error"
    fields = {error["field"]: error for error in body["errors"]}
    assert set(fields) == {"position", "title_en"}
    assert fields["position"]["code"] == "min_value"
    assert fields["title_en"]["code"] == "max_length"


def test_errors_about_the_whole_body_have_no_field(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory()
    body = problem(patch_json(client, _node_url(node), {"version": 1}), 400)
    assert [error["field"] for error in body["errors"]] == [None]
    body = problem(patch_json(client, _node_url(node), ["not", "an", "object"]), 400)
    assert body["errors"][0]["field"] is None


def test_nested_errors_are_dotted():
    detail = {
        "name": ["Required."],
        "affiliations": [{}, {"position": ["Too long."], "non_field_errors": ["Overlaps."]}],
        "non_field_errors": ["Nothing to change."],
        "address": {"city": ["Unknown."]},
    }
    flat = [(e["field"], e["detail"]) for e in flatten_errors(exceptions.ValidationError(detail).detail)]
    assert flat == [
        ("name", "Required."),
        ("affiliations.1.position", "Too long."),
        ("affiliations.1", "Overlaps."),
        (None, "Nothing to change."),
        ("address.city", "Unknown."),
    ]


def test_a_missing_person_and_an_invisible_one_get_the_same_404(client_for):
    client, _user = client_for("expert")
    hidden = PersonFactory(visibility="secretariat")
    missing = problem(client.get(f"/api/v1/people/{hidden.pk + 1000}/"), 404)
    invisible = problem(client.get(f"/api/v1/people/{hidden.pk}/"), 404)
    assert missing["type"] == BASE + "not-found"
    for body in (missing, invisible):
        body.pop("instance")
    assert missing == invisible


def test_an_unknown_api_path_is_a_404_problem_not_the_html_page(client):
    body = problem(client.get("/api/v1/no-such-thing/"), 404)
    assert body["instance"] == "/api/v1/no-such-thing/"
    hint = problem(client.get("/api/v1/countries"), 404)
    assert "/api/v1/countries/" in hint["detail"]


def test_a_method_the_endpoint_does_not_have_is_a_405_problem(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory()
    response = client.put(_node_url(node), data="{}", content_type="application/json")
    body = problem(response, 405)
    assert body["type"] == BASE + "method-not-allowed"
    assert "PATCH" in response["Allow"]
    problem(client.delete(_node_url(node)), 405)


def test_an_unacceptable_format_and_an_unsupported_body_are_problems(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory()
    body = problem(client.get("/api/v1/countries/", headers={"Accept": "text/csv"}), 406)
    assert body["type"] == BASE + "not-acceptable"
    body = problem(client.patch(_node_url(node), data="version=1", content_type="text/plain"), 415)
    assert body["type"] == BASE + "unsupported-media-type"


def test_an_anonymous_edit_is_401_with_a_token_challenge(client):
    node = FrameworkNodeFactory()
    response = patch_json(client, _node_url(node), {"version": 1, "title_en": "New"})
    body = problem(response, 401)
    assert body["type"] == BASE + "not-authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_wrong_token_is_401(client):
    response = client.get("/api/v1/people/", headers={"Authorization": "Token not-a-real-token"})
    body = problem(response, 401)
    assert body["type"] == BASE + "authentication-failed"


def test_a_signed_in_user_without_the_right_gets_403(client_for):
    client, _user = client_for("expert")
    node = FrameworkNodeFactory()
    body = problem(patch_json(client, _node_url(node), {"version": 1, "title_en": "New"}), 403)
    assert body["type"] == BASE + "permission-denied"


def test_the_browsable_api_keeps_its_html_page_for_errors(client):
    response = client.get("/api/v1/people/999/", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- The handler itself, for errors no endpoint raises yet -------------------


def _context(path="/api/v1/anything/"):
    request = Request(RequestFactory().get(path))
    return {"request": request, "view": None}


def _render(response):
    response.accepted_renderer = None
    response.renderer_context = {}
    response.render()
    assert response["Content-Type"] == PROBLEM
    return json.loads(response.content)


def test_throttling_is_a_429_problem_with_retry_after():
    response = problem_exception_handler(exceptions.Throttled(wait=30), _context())
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert _render(response)["type"] == BASE + "too-many-requests"


def test_a_server_error_exception_is_a_500_problem_with_about_blank():
    response = problem_exception_handler(exceptions.APIException(), _context())
    body = _render(response)
    assert body == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": str(exceptions.APIException.default_detail),
        "instance": "/api/v1/anything/",
    }


def test_a_conflict_exception_is_a_409_problem():
    class Conflict(exceptions.APIException):
        status_code = 409
        default_detail = "Already there."

    body = _render(problem_exception_handler(Conflict(), _context()))
    assert (body["type"], body["title"], body["status"]) == ("about:blank", "Conflict", 409)


def test_an_unexpected_exception_is_a_logged_500_problem(caplog):
    response = problem_exception_handler(RuntimeError("boom"), _context())
    body = _render(response)
    assert body["status"] == 500
    assert "boom" not in json.dumps(body), "internal details are not shown to clients"
    assert "request_id" in body
    assert any(record.levelname == "ERROR" and record.exc_info for record in caplog.records)


def test_model_validation_errors_from_services_name_their_fields():
    exc = DjangoValidationError({"title_ja": ["A node needs its Japanese title."], "__all__": ["Overlaps."]})
    body = _render(problem_exception_handler(exc, _context()))
    assert body["status"] == 400
    assert {(e["field"], e["detail"]) for e in body["errors"]} == {
        ("title_ja", "A node needs its Japanese title."),
        (None, "Overlaps."),
    }
