"""The OpenAPI document and the two documentation pages, which must work offline."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/countries/",
    "/api/v1/countries/{code}/",
    "/api/v1/country-groups/",
    "/api/v1/country-groups/{code}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{id}/",
    "/api/v1/people/",
    "/api/v1/people/{id}/",
    "/api/v1/framework-nodes/",
    "/api/v1/framework-nodes/{id}/",
    "/api/v1/framework-nodes/tree/",
    "/api/v1/auth/token/",
]


@pytest.fixture
def schema(client):
    response = client.get(reverse("v1:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_openapi_3_and_lists_every_endpoint(schema):
    assert str(schema["openapi"]).startswith("3.")
    assert set(ENDPOINTS) <= set(schema["paths"])
    # The catch-all 404 and the documentation pages are not endpoints.
    assert not any("docs" in path or "redoc" in path or "unmatched" in path for path in schema["paths"])


def test_the_schema_is_also_served_as_json(client):
    response = client.get(reverse("v1:schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_schema_explains_tokens_and_problem_details(schema):
    description = schema["info"]["description"]
    assert "Authorization: Token" in description
    assert "administrator" in description
    assert "second factor" in description
    assert "application/problem+json" in description
    assert {"Problem", "ValidationProblem", "StaleEditProblem"} <= set(schema["components"]["schemas"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_every_operation_documents_its_errors_as_problems(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            default = operation["responses"]["default"]
            assert "application/problem+json" in default["content"], (method, path)
    detail = schema["paths"]["/api/v1/people/{id}/"]["get"]["responses"]
    assert "application/problem+json" in detail["404"]["content"]


def test_the_node_edit_documents_version_conflicts(schema):
    patch = schema["paths"]["/api/v1/framework-nodes/{id}/"]["patch"]
    assert set(patch["responses"]) >= {"200", "400", "401", "403", "404", "409"}
    conflict = patch["responses"]["409"]["content"]["application/problem+json"]["schema"]
    assert conflict == {"$ref": "#/components/schemas/StaleEditProblem"}
    body = schema["components"]["schemas"]["PatchedFrameworkNodeUpdateRequest"]
    assert "version" in body["properties"]
    assert "put" not in schema["paths"]["/api/v1/framework-nodes/{id}/"]


def test_contact_details_are_documented_as_optional(schema):
    person = schema["components"]["schemas"]["Person"]
    assert {"email", "phone"} <= set(person["properties"])
    assert not {"email", "phone"} & set(person.get("required", []))


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("name", ["v1:docs", "v1:redoc"])
def test_documentation_pages_load_only_local_assets(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    urls = _asset_urls(html)
    assert urls, "the page loads its viewer from static files"
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), f"external asset {url}"
    assert "fonts.googleapis.com" not in html
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"missing static file {url}"
    assert reverse("v1:schema") in html


def test_swagger_ui_does_not_call_the_online_validator(client):
    html = client.get(reverse("v1:docs")).content.decode()
    assert '"validatorUrl": null' in html


def test_the_site_footer_links_to_the_api_documentation(client):
    response = client.get("/en/")
    assert reverse("v1:docs") in response.content.decode()
