"""The API of joint research: who reads what, who writes, bad input naming the field, stale edits (409),
query budgets."""

import json

import pytest
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.network.models import ResearchOutput, ResearchProject
from cleanasia.network.services import research as services
from tests.api.helpers import patch_json, problem

from ..conftest import ROLES
from ..factories import CountryFactory
from ..measures.factories import make_measure
from .test_research_builders import make_field, make_project, organisation

pytestmark = pytest.mark.django_db
STAFF = (Role.SECRETARIAT, Role.ADMIN)
PROJECTS = "/api/v1/network-projects/"
OUTPUTS = "/api/v1/network-project-outputs/"
MILESTONES = "/api/v1/network-project-milestones/"


def post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def field_names(body):
    return {error["field"] for error in body["errors"]}


@pytest.fixture
def world():
    public = make_project(code="open-air", field=make_field("air"), visibility="public")
    secret = make_project(code="closed-water", field=make_field("water"), visibility="secretariat")
    for project in (public, secret):
        services.output_add(actor=None, project=project, kind="publication", title=f"{project.code} paper")
        services.milestone_add(actor=None, project=project, due_on=project.starts_on, title_en=f"{project.code} start")
    services.project_link_measure(actor=None, project=public, measure=make_measure(visibility="public", code="M-A"))
    return {"public": public, "secret": secret}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_projects_outputs_and_milestones_it_may_see(role, client_for, world):
    client, _user = client_for(role)
    wanted = {"open-air", "closed-water"} if role in STAFF else {"open-air"}
    body = client.get(PROJECTS).json()
    assert {row["code"] for row in body["results"]} == wanted
    assert {row["project_code"] for row in client.get(OUTPUTS).json()["results"]} == wanted
    assert {row["project_code"] for row in client.get(MILESTONES).json()["results"]} == wanted
    assert client.get(f"{PROJECTS}{world['secret'].pk}/").status_code == (200 if role in STAFF else 404)


def test_a_project_carries_its_countries_counts_and_measures(client, world):
    row = client.get(f"{PROJECTS}{world['public'].pk}/").json()
    assert row["countries"] == ["JP"]
    assert row["field"] == "air"
    assert row["output_count"] == 1
    assert row["measures"] == ["M-A"]
    assert row["version"] == 1


def test_projects_are_filtered(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    assert [r["code"] for r in client.get(PROJECTS + "?field=water").json()["results"]] == ["closed-water"]
    assert [r["code"] for r in client.get(PROJECTS + "?country=jp&status=proposed&field=air").json()["results"]] == [
        "open-air"
    ]
    assert client.get(PROJECTS + "?country=KH").json()["count"] == 0


def test_the_list_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    for _n in range(15):
        make_project(partners=[organisation("TH")], countries=[CountryFactory(code="TH")])
    client, _user = client_for(Role.SECRETARIAT)
    with django_assert_max_num_queries(15):
        response = client.get(PROJECTS)
    assert response.json()["count"] == 15


def project_body(**overrides):
    body = {
        "code": "api-project",
        "title_en": "Made through the API",
        "field": make_field("air").code,
        "lead_organisation": organisation("JP").pk,
        "starts_on": "2026-04-01",
        "visibility": "public",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_creates_projects(role, client_for):
    client, _user = client_for(role)
    response = post_json(client, PROJECTS, project_body())
    if role in STAFF:
        assert response.status_code == 201
        assert response.json()["countries"] == ["JP"]
    else:
        problem(response, 401 if role == "public" else 403)
        assert not ResearchProject.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "Not A Code"}, "code"),
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"funding_currency": "1Y"}, "funding_currency"),
        ({"field": "nope"}, "field"),
        ({"status": "completed"}, "status"),
    ],
)
def test_bad_project_input_names_the_field(client_for, overrides, field):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, PROJECTS, project_body(**overrides)), 400)
    assert field in field_names(body)
    assert not ResearchProject.objects.exists()


def test_an_edit_from_an_old_version_is_refused(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    url = f"{PROJECTS}{world['public'].pk}/"
    assert patch_json(client, url, {"version": 1, "funder": "JICA"}).json()["funder"] == "JICA"
    problem(patch_json(client, url, {"version": 1, "funder": "ADB"}), 409)
    world["public"].refresh_from_db()
    assert world["public"].funder == "JICA"


def test_the_status_moves_on_through_its_action(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    url = f"{PROJECTS}{world['public'].pk}/status/"
    body = problem(post_json(client, url, {"status": "completed", "version": 1}), 400)
    assert "status" in field_names(body)
    assert post_json(client, url, {"status": "ongoing", "version": 1}).json()["status"] == "ongoing"
    expert, _user = client_for(Role.EXPERT)
    problem(post_json(expert, url, {"status": "suspended", "version": 2}), 403)


def test_outputs_are_added_with_a_bare_doi_and_a_bad_doi_names_its_field(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    project = world["public"].pk
    response = post_json(
        client, OUTPUTS, {"project": project, "kind": "dataset", "title": "Data", "doi": "doi:10.5555/data"}
    )
    assert response.status_code == 201
    assert response.json()["doi"] == "10.5555/data"
    assert response.json()["doi_url"] == "https://doi.org/10.5555/data"
    body = problem(post_json(client, OUTPUTS, {"project": project, "kind": "dataset", "title": "X", "doi": "x"}), 400)
    assert field_names(body) == {"doi"}
    body = problem(post_json(client, OUTPUTS, {"project": 999999, "kind": "dataset", "title": "X"}), 400)
    assert field_names(body) == {"project"}
    output = ResearchOutput.objects.get(title="Data")
    assert patch_json(client, f"{OUTPUTS}{output.pk}/", {"version": 1, "title": "Data v2"}).status_code == 200
    problem(patch_json(client, f"{OUTPUTS}{output.pk}/", {"version": 1, "title": "Data v3"}), 409)


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_others_cannot_add_outputs_or_milestones(role, client_for, world):
    client, _user = client_for(role)
    project = world["public"].pk
    problem(post_json(client, OUTPUTS, {"project": project, "kind": "dataset", "title": "X"}), 403)
    problem(post_json(client, MILESTONES, {"project": project, "title_en": "X", "due_on": "2026-01-01"}), 403)


def test_milestones_are_added_edited_and_marked_done(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    project = world["public"]
    body = problem(
        post_json(client, MILESTONES, {"project": project.pk, "title_en": "Early", "due_on": "2000-01-01"}), 400
    )
    assert field_names(body) == {"due_on"}
    created = post_json(client, MILESTONES, {"project": project.pk, "title_en": "Report", "due_on": "2025-06-01"})
    assert created.status_code == 201
    milestone = created.json()
    assert milestone["overdue"] is True
    url = f"{MILESTONES}{milestone['id']}/"
    assert patch_json(client, url, {"version": 1, "title_en": "Interim report"}).status_code == 200
    done = post_json(client, f"{url}done/", {"version": 2})
    assert done.json()["done_on"] == timezone.localdate().isoformat()
    assert done.json()["overdue"] is False
    problem(post_json(client, f"{url}done/", {"version": 2}), 409)


def test_unknown_fields_are_refused_by_name(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(patch_json(client, f"{PROJECTS}{world['public'].pk}/", {"version": 1, "owner": "me"}), 400)
    assert field_names(body) == {"owner"}
