"""The API of stored projects and evaluations for each role (the public, an expert, a focal point of the
project's country and of another, the secretariat): who reads and writes what, 409 on stale edits, bad input
answered with problem details naming the field and storing nothing, recompute and difference."""

import json

import pytest

from cleanasia.accounts.models import Role
from cleanasia.cobenefits.models import CobenefitProject, Evaluation
from tests.api.helpers import patch_json, problem

from ..measures.factories import make_measure
from ..network.test_packages_builders import make_package
from .test_projects_builders import bad_sulphur, fuel_switch, make_evaluation, make_project

pytestmark = pytest.mark.django_db
PROJECTS = "/api/v1/cobenefit-projects/"
EVALUATIONS = "/api/v1/cobenefit-evaluations/"

# (role, country of a focal point)
PUBLIC, EXPERT, FOCAL_VN, FOCAL_TH, SECRETARIAT = "public", "expert", "focal_vn", "focal_th", "secretariat"
WHO = [PUBLIC, EXPERT, FOCAL_VN, FOCAL_TH, SECRETARIAT]


@pytest.fixture
def signed_in(client_for):
    def make(who):
        if who == FOCAL_VN:
            return client_for(Role.FOCAL_POINT, country="VN")
        if who == FOCAL_TH:
            return client_for(Role.FOCAL_POINT, country="TH")
        return client_for({PUBLIC: "public", EXPERT: Role.EXPERT, SECRETARIAT: Role.SECRETARIAT}[who])

    return make


def post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def field_names(body):
    return {error["field"] for error in body["errors"]}


@pytest.fixture
def world():
    public = make_project(code="vn-public", country="VN", visibility="public")
    members = make_project(code="vn-members", country="VN", visibility="members")
    vn_secret = make_project(code="vn-secret", country="VN", visibility="secretariat")
    th_secret = make_project(code="th-secret", country="TH", visibility="secretariat")
    return {
        "public": public,
        "members": members,
        "vn_secret": vn_secret,
        "th_secret": th_secret,
        "evaluation": make_evaluation(public),
        "hidden_evaluation": make_evaluation(vn_secret),
    }


SEES = {
    PUBLIC: {"vn-public"},
    EXPERT: {"vn-public", "vn-members"},
    FOCAL_VN: {"vn-public", "vn-members", "vn-secret"},
    FOCAL_TH: {"vn-public", "vn-members", "th-secret"},
    SECRETARIAT: {"vn-public", "vn-members", "vn-secret", "th-secret"},
}
WRITES_VN = {FOCAL_VN, SECRETARIAT}


def refused(who):
    return 401 if who == PUBLIC else 403


@pytest.mark.parametrize("who", WHO)
def test_each_role_reads_the_projects_and_evaluations_it_may_see(who, signed_in, world):
    client, _user = signed_in(who)
    assert {row["code"] for row in client.get(PROJECTS).json()["results"]} == SEES[who]
    hidden = client.get(f"{PROJECTS}{world['vn_secret'].pk}/")
    assert hidden.status_code == (200 if "vn-secret" in SEES[who] else 404)
    evaluations = {row["id"] for row in client.get(EVALUATIONS).json()["results"]}
    expected = {world["evaluation"].pk} | ({world["hidden_evaluation"].pk} if "vn-secret" in SEES[who] else set())
    assert evaluations == expected
    detail = client.get(f"{EVALUATIONS}{world['hidden_evaluation'].pk}/")
    assert detail.status_code == (200 if "vn-secret" in SEES[who] else 404)


def test_a_project_and_an_evaluation_carry_what_was_stored(client, world):
    row = client.get(f"{PROJECTS}{world['public'].pk}/").json()
    assert (row["country"], row["sector"], row["status"], row["evaluation_count"], row["version"]) == (
        "VN",
        "energy",
        "planned",
        1,
        1,
    )
    evaluation = client.get(f"{EVALUATIONS}{world['evaluation'].pk}/").json()
    assert evaluation["request"] == fuel_switch()
    assert evaluation["result"]["co2e"]["total"]["reduction"] == pytest.approx(evaluation["co2e_reduction"])
    assert evaluation["number"] == 1
    assert "combustion" in evaluation["factor_versions"]
    listed = client.get(EVALUATIONS, {"project": world["public"].pk}).json()["results"]
    assert [row["id"] for row in listed] == [world["evaluation"].pk]
    assert "result" not in listed[0]
    assert "request" not in listed[0]


@pytest.mark.parametrize("who", WHO)
def test_who_creates_edits_and_deletes_projects_of_a_country(who, signed_in, world):
    client, _user = signed_in(who)
    package = make_package(code="eco-town", visibility="public")
    measure = make_measure(visibility="public", code="M-CB")
    body = {
        "code": "vn-new",
        "title_en": "Gas boilers",
        "title_ja": "ガスボイラー",
        "country": "VN",
        "sector": "industry",
        "package": "eco-town",
        "measures": ["M-CB"],
        "visibility": "members",
    }
    created = post_json(client, PROJECTS, body)
    if who not in WRITES_VN:
        problem(created, refused(who))
        assert not CobenefitProject.objects.filter(code="vn-new").exists()
    else:
        assert created.status_code == 201, created.content
        row = created.json()
        assert (row["package"], row["measures"], row["visibility"]) == (package.code, [measure.code], "members")

    project = world["members"]
    edited = patch_json(client, f"{PROJECTS}{project.pk}/", {"status": "ongoing", "version": 1})
    if who in WRITES_VN:
        assert edited.status_code == 200, edited.content
        assert (edited.json()["status"], edited.json()["version"]) == ("ongoing", 2)
    elif who == PUBLIC:
        problem(edited, 401)
    else:
        problem(edited, 403)

    deleted = client.delete(f"{PROJECTS}{world['vn_secret'].pk}/?version=1")
    if who in WRITES_VN:
        assert deleted.status_code == 204
        assert not Evaluation.objects.filter(pk=world["hidden_evaluation"].pk).exists()
    else:
        problem(deleted, {PUBLIC: 401, EXPERT: 403, FOCAL_TH: 404}[who])  # TH sees not the VN project
        assert CobenefitProject.objects.filter(pk=world["vn_secret"].pk).exists()


def test_a_focal_point_cannot_create_a_project_of_another_country(signed_in, world):
    client, _user = signed_in(FOCAL_TH)
    body = {"code": "vn-x", "title_en": "X", "country": "VN", "sector": "waste"}
    problem(post_json(client, PROJECTS, body), 403)
    assert not CobenefitProject.objects.filter(code="vn-x").exists()


def test_a_stale_edit_or_delete_is_a_409(signed_in, world):
    client, _user = signed_in(SECRETARIAT)
    url = f"{PROJECTS}{world['public'].pk}/"
    assert patch_json(client, url, {"title_en": "First", "version": 1}).status_code == 200
    body = problem(patch_json(client, url, {"title_en": "Second", "version": 1}), 409)
    assert body["current_version"] == 2
    problem(client.delete(f"{url}?version=1"), 409)
    assert field_names(problem(client.delete(url), 400)) == {"version"}
    assert CobenefitProject.objects.get(pk=world["public"].pk).title_en == "First"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"code": "Bad Code", "title_en": "X", "country": "VN", "sector": "energy"}, {"code"}),
        ({"code": "ok", "title_en": "", "country": "VN", "sector": "energy"}, {"title_ja"}),
        ({"code": "ok", "title_en": "X", "country": "VN", "sector": "mining"}, {"sector"}),
        ({"code": "ok", "title_en": "X", "country": "ZZ", "sector": "energy"}, {"country"}),
        ({"code": "ok", "title_en": "X", "country": "VN", "sector": "energy", "measures": ["NOPE"]}, {"measures"}),
        ({"code": "ok", "title_en": "X", "country": "VN", "sector": "energy", "evaluations": []}, {"evaluations"}),
    ],
)
def test_bad_project_data_is_a_problem_naming_the_field(body, fields, signed_in, world):
    client, _user = signed_in(SECRETARIAT)
    assert field_names(problem(post_json(client, PROJECTS, body), 400)) == fields
    assert not CobenefitProject.objects.filter(code="ok").exists()


@pytest.mark.parametrize("who", WHO)
def test_who_evaluates_a_project(who, signed_in, world):
    client, _user = signed_in(who)
    project = world["public"]
    response = post_json(client, EVALUATIONS, {"project": project.pk, "request": fuel_switch(), "note": "v2"})
    if who in WRITES_VN:
        assert response.status_code == 201, response.content
        assert (response.json()["number"], response.json()["note"]) == (2, "v2")
    else:
        problem(response, refused(who))
        assert Evaluation.objects.filter(project=project).count() == 1


def test_a_bad_request_is_a_problem_naming_the_field_and_nothing_is_stored(signed_in, world):
    client, _user = signed_in(FOCAL_VN)
    project = world["public"]
    body = problem(post_json(client, EVALUATIONS, {"project": project.pk, "request": bad_sulphur()}), 400)
    assert "request.baseline.activities.0.sulphur_content" in field_names(body)
    body = problem(post_json(client, EVALUATIONS, {"project": project.pk, "request": [1, 2]}), 400)
    assert field_names(body) == {"request"}
    body = problem(post_json(client, EVALUATIONS, {"project": world["th_secret"].pk, "request": fuel_switch()}), 400)
    assert field_names(body) == {"project"}
    assert field_names(problem(post_json(client, EVALUATIONS, {"request": fuel_switch()}), 400)) == {"project"}
    assert Evaluation.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("who", WHO)
def test_nobody_edits_or_deletes_a_stored_evaluation(who, signed_in, world):
    client, _user = signed_in(who)
    url = f"{EVALUATIONS}{world['evaluation'].pk}/"
    assert patch_json(client, url, {"note": "changed"}).status_code in (401, 403, 405)
    assert client.delete(url).status_code in (401, 403, 405)
    stored = Evaluation.objects.get(pk=world["evaluation"].pk)
    assert stored.note == ""


@pytest.mark.parametrize("who", WHO)
def test_recompute_and_difference(who, signed_in, world):
    client, _user = signed_in(who)
    stored = world["evaluation"]
    response = post_json(client, f"{EVALUATIONS}{stored.pk}/recompute/", {"note": "new factors"})
    if who not in WRITES_VN:
        problem(response, refused(who))
        return
    assert response.status_code == 201, response.content
    again = response.json()
    assert (again["number"], again["recomputed_from"], again["request"]) == (2, stored.pk, stored.request)
    difference = client.get(f"{EVALUATIONS}{stored.pk}/difference/", {"other": again["id"]})
    assert difference.status_code == 200
    data = difference.json()
    assert (data["before"], data["after"]) == (stored.pk, again["id"])
    assert data["totals"]["co2e"]["reduction"]["change"] == pytest.approx(0)
    assert data["factor_versions"] == []


def test_difference_needs_another_visible_evaluation(client, world):
    url = f"{EVALUATIONS}{world['evaluation'].pk}/difference/"
    assert field_names(problem(client.get(url), 400)) == {"other"}
    problem(client.get(url, {"other": world["hidden_evaluation"].pk}), 404)
    assert client.get(url, {"other": world["evaluation"].pk}).status_code == 200
