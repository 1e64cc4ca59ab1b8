"""The API of the catalogue, the needs and the ranking: who reads and writes what, bad input naming the field,
stale edits (409), the ranking with its reasons, no personal data, query budgets."""

import json

import pytest

from cleanasia.accounts.models import Role
from cleanasia.network.models import CountryNeed, KnowHowPackage
from tests.api.helpers import patch_json, problem

from ..conftest import ROLES
from ..factories import CountryFactory
from .test_packages_builders import make_case, make_field, make_need, make_package, organisation

pytestmark = pytest.mark.django_db
STAFF = (Role.SECRETARIAT, Role.ADMIN)
PACKAGES = "/api/v1/network-packages/"
NEEDS = "/api/v1/network-needs/"


def post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def field_names(body):
    return {error["field"] for error in body["errors"]}


@pytest.fixture
def world(make_user):
    eco = make_package(
        code="eco-town",
        fields=("waste",),
        conditions={"coastal": True, "urban_population_min": 100000},
        cost_min=10,
        cost_max=20,
        cost_currency="USD",
    )
    make_case(eco, "VN", year=2019)
    make_package(code="secret-pkg", fields=("waste",), visibility="secretariat")
    submitter = make_user(Role.FOCAL_POINT, email="focal.vn@example.org")
    need = make_need(
        actor=submitter,
        country="VN",
        visibility="public",
        conditions={"coastal": True},
        budget_max=100,
        budget_currency="USD",
    )
    hidden = make_need(country="TH", title_en="Thai need")
    return {"eco": eco, "need": need, "hidden": hidden}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_packages_and_needs_it_may_see(role, client_for, world):
    client, _user = client_for(role)
    packages = {row["code"] for row in client.get(PACKAGES).json()["results"]}
    assert packages == ({"eco-town", "secret-pkg"} if role in STAFF else {"eco-town"})
    needs = {row["country"] for row in client.get(NEEDS).json()["results"]}
    assert needs == ({"VN", "TH"} if role in STAFF else {"VN"})
    assert client.get(f"{NEEDS}{world['hidden'].pk}/").status_code == (200 if role in STAFF else 404)


def test_a_package_carries_its_fields_conditions_cost_and_cases(client, world):
    row = client.get(f"{PACKAGES}{world['eco'].pk}/").json()
    assert row["fields"] == ["waste"]
    assert row["conditions"] == {"coastal": True, "urban_population_min": 100000}
    assert (row["cost_min"], row["cost_max"], row["cost_currency"]) == ("10", "20", "USD")
    assert [case["country"] for case in row["cases"]] == ["VN"]


@pytest.mark.parametrize("role", ROLES)
def test_no_personal_data_about_who_submitted_a_need(role, client_for, world):
    client, _user = client_for(role)
    for url in (NEEDS, f"{NEEDS}{world['need'].pk}/", f"{NEEDS}{world['need'].pk}/matches/", PACKAGES):
        response = client.get(url)
        assert response.status_code == 200
        assert b"focal.vn@example.org" not in response.content
        assert b"submitted_by" not in response.content


def test_the_ranking_gives_the_score_and_every_reason(client, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the reasons are asserted in English
    response = client.get(f"{NEEDS}{world['need'].pk}/matches/")
    assert response.status_code == 200
    ranking = response.json()
    assert [row["package_code"] for row in ranking] == ["eco-town"]  # the public does not see secret-pkg
    reasons = {reason["code"]: reason for reason in ranking[0]["reasons"]}
    assert reasons["field"]["met"] is True
    assert reasons["condition:coastal"]["met"] is True
    assert reasons["condition:urban_population"]["met"] is None  # the need does not say
    assert reasons["cost"]["met"] is True
    assert reasons["case_same_country"]["met"] is True
    assert reasons["cost"]["text"] == "Cost: within the budget of 100 USD."
    assert ranking[0]["score"] == round(sum(reason["points"] for reason in ranking[0]["reasons"]))


def test_the_secretariat_ranking_includes_its_packages(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    codes = [row["package_code"] for row in client.get(f"{NEEDS}{world['need'].pk}/matches/").json()]
    assert set(codes) == {"eco-town", "secret-pkg"}
    assert codes[0] == "eco-town"


def test_the_ranking_of_a_need_one_may_not_see_is_404(client_for, world):
    client, _user = client_for(Role.EXPERT)
    problem(client.get(f"{NEEDS}{world['hidden'].pk}/matches/"), 404)


def test_the_ranking_runs_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries):
    for n in range(12):
        make_case(make_package(code=f"w-{n:02d}", fields=("waste",)), "TH")
    client, _user = client_for(Role.SECRETARIAT)
    with django_assert_max_num_queries(12):
        response = client.get(f"{NEEDS}{world['need'].pk}/matches/")
    assert len(response.json()) == 14


def test_the_catalogue_list_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    for n in range(12):
        make_case(make_package(code=f"p-{n:02d}", fields=("waste", "air"), providers=[organisation("JP")]), "VN")
    client, _user = client_for(Role.SECRETARIAT)
    with django_assert_max_num_queries(12):
        assert client.get(PACKAGES).json()["count"] == 12


def package_body(**overrides):
    make_field("waste")
    body = {
        "code": "api-pkg",
        "title_en": "From the API",
        "kind": "technology",
        "fields": ["waste"],
        "problem_en": "Landfills overflow",
        "conditions": {"coastal": True},
        "visibility": "public",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_adds_packages(role, client_for):
    client, _user = client_for(role)
    response = post_json(client, PACKAGES, package_body())
    if role in STAFF:
        assert response.status_code == 201
    else:
        problem(response, 401 if role == "public" else 403)
        assert not KnowHowPackage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "gadget"}, "kind"),
        ({"fields": []}, "fields"),
        ({"cost_min": 10, "cost_max": 5}, "cost_max"),
        ({"conditions": {"size_min": "big"}}, "conditions"),
        ({"providers": [0]}, "providers"),
    ],
)
def test_bad_package_input_names_the_field(client_for, overrides, field):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, PACKAGES, package_body(**overrides)), 400)
    assert field in field_names(body)
    assert not KnowHowPackage.objects.exists()


def test_a_foreign_provider_is_refused(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, PACKAGES, package_body(providers=[organisation("VN").pk])), 400)
    assert field_names(body) == {"providers"}


def test_a_package_edit_from_an_old_version_is_refused_and_cases_are_added(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    url = f"{PACKAGES}{world['eco'].pk}/"
    assert patch_json(client, url, {"version": 1, "title_en": "Eco-town"}).status_code == 200
    problem(patch_json(client, url, {"version": 1, "title_en": "Old"}), 409)
    CountryFactory(code="TH")
    case = post_json(client, f"{url}cases/", {"country": "TH", "title_en": "Rayong", "year": 2020})
    assert case.status_code == 201
    body = problem(post_json(client, f"{url}cases/", {"country": "TH", "title_en": "Old", "year": 1800}), 400)
    assert field_names(body) == {"year"}
    expert, _user = client_for(Role.EXPERT)
    problem(post_json(expert, f"{url}cases/", {"country": "TH", "title_en": "X"}), 403)


def need_body(**overrides):
    make_field("waste")
    CountryFactory(code="VN")
    body = {"country": "VN", "field": "waste", "title_en": "Plastics", "conditions": {"coastal": True}}
    body.update(overrides)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_focal_points_and_the_secretariat_register_needs(role, client_for):
    client, _user = client_for(role)
    response = post_json(client, NEEDS, need_body())
    if role in (*STAFF, Role.FOCAL_POINT):
        assert response.status_code == 201
        assert response.json()["status"] == "submitted"
    else:
        problem(response, 401 if role == "public" else 403)
        assert not CountryNeed.objects.exists()


def test_a_focal_point_registers_for_their_own_country_only(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    CountryFactory(code="TH")
    problem(post_json(client, NEEDS, need_body(country="TH")), 403)
    assert not CountryNeed.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title_en": ""}, "title_ja"),
        ({"budget_max": -1}, "budget_max"),
        ({"conditions": {"coastal": [True]}}, "conditions"),
        ({"field": "nope"}, "field"),
    ],
)
def test_bad_need_input_names_the_field(client_for, overrides, field):
    client, _user = client_for(Role.FOCAL_POINT)
    body = problem(post_json(client, NEEDS, need_body(**overrides)), 400)
    assert field in field_names(body)
    assert not CountryNeed.objects.exists()


def test_need_edits_and_status(client_for, world):
    need = world["need"]
    focal, _user = client_for(Role.FOCAL_POINT)
    url = f"{NEEDS}{need.pk}/"
    assert patch_json(focal, url, {"version": 1, "title_en": "Coastal plastics"}).status_code == 200
    problem(patch_json(focal, url, {"version": 1, "title_en": "Old"}), 409)
    problem(post_json(focal, f"{url}status/", {"status": "closed", "version": 2}), 403)
    staff, _user = client_for(Role.SECRETARIAT)
    assert post_json(staff, f"{url}status/", {"status": "matched", "version": 2}).json()["status"] == "matched"
    body = problem(post_json(staff, f"{url}status/", {"status": "submitted", "version": 3}), 400)
    assert field_names(body) == {"status"}
    # Matched: no longer the country's to edit.
    problem(patch_json(focal, url, {"version": 3, "title_en": "Late"}), 403)
