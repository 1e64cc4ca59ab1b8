"""Directory endpoints: what each role sees, groups at a date, search, pagination."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from cleanasia.core.models import Visibility
from tests.conftest import ROLES
from tests.factories import CountryFactory, OrganisationFactory, PersonFactory

from .factories import AffiliationFactory, build_asean_and_eas
from .helpers import problem

pytestmark = pytest.mark.django_db

SEES = {
    "public": {"public"},
    "expert": {"public", "members"},
    "wg_member": {"public", "members"},
    "focal_point": {"public", "members"},
    "secretariat": {"public", "members", "groups", "secretariat"},
    "admin": {"public", "members", "groups", "secretariat"},
}
SEES_CONTACTS = {"secretariat", "admin"}


@pytest.fixture
def people():
    """One person at each visibility level; the 'groups' one for the group 'WG air'."""
    group = Group.objects.create(name="WG air")
    rows = {level: PersonFactory(visibility=level, name_en=f"Visible to {level}") for level in Visibility.values}
    rows[Visibility.GROUPS].audience_groups.add(group)
    return rows, group


def _by_visibility(results, rows):
    level_of = {person.pk: level for level, person in rows.items()}
    return {level_of[p["id"]] for p in results if p["id"] in level_of}


# --- People -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_people_it_may_see(role, people, client_for):
    rows, _group = people
    client, _user = client_for(role)
    response = client.get("/api/v1/people/")
    assert response.status_code == 200
    assert _by_visibility(response.json()["results"], rows) == SEES[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_people_it_may_see(role, people, client_for):
    rows, _group = people
    client, _user = client_for(role)
    for level, person in rows.items():
        response = client.get(f"/api/v1/people/{person.pk}/")
        if level in SEES[role]:
            assert response.status_code == 200
            assert response.json()["name_en"] == f"Visible to {level}"
        else:
            problem(response, 404)


@pytest.mark.parametrize("role", ROLES)
def test_contact_details_are_shown_to_the_secretariat_only(role, people, client_for):
    client, _user = client_for(role)
    for person in client.get("/api/v1/people/").json()["results"]:
        if role in SEES_CONTACTS:
            assert person["email"].endswith("@example.org")
            assert "phone" in person
        else:
            assert "email" not in person
            assert "phone" not in person


def test_members_of_a_named_group_see_its_records(people, client_for):
    rows, group = people
    client, user = client_for("expert")
    user.groups.add(group)
    seen = _by_visibility(client.get("/api/v1/people/").json()["results"], rows)
    assert seen == {"public", "members", "groups"}


def test_a_person_sees_their_own_record_and_contact_details(people, client_for):
    rows, _group = people
    client, user = client_for("expert")
    me = PersonFactory(visibility=Visibility.SECRETARIAT, user=user, email="me@example.org", phone="+81 3 0000")
    mine = client.get(f"/api/v1/people/{me.pk}/").json()
    assert (mine["email"], mine["phone"]) == ("me@example.org", "+81 3 0000")
    listed = {p["id"]: p for p in client.get("/api/v1/people/").json()["results"]}
    assert listed[me.pk]["email"] == "me@example.org"
    assert "email" not in listed[rows["public"].pk]


def test_people_show_their_current_affiliations_only(client):
    person = PersonFactory(visibility=Visibility.PUBLIC)
    today = dt.date.today()
    current = AffiliationFactory(person=person, started_on=today - dt.timedelta(days=30), position_en="Director")
    AffiliationFactory(person=person, started_on=dt.date(2000, 1, 1), ended_on=dt.date(2010, 1, 1))
    data = client.get(f"/api/v1/people/{person.pk}/").json()
    assert [a["position_en"] for a in data["affiliations"]] == ["Director"]
    assert data["affiliations"][0]["organisation"]["id"] == current.organisation_id
    assert data["affiliations"][0]["organisation"]["name_en"] == current.organisation.name_en


def test_people_can_be_filtered_by_country_and_searched(client):
    vn = PersonFactory(visibility=Visibility.PUBLIC, name_en="Nguyen Van A", country=CountryFactory(code="VN"))
    PersonFactory(visibility=Visibility.PUBLIC, name_en="Tanaka Hanako", name_ja="田中花子")
    assert [p["id"] for p in client.get("/api/v1/people/", {"country": "vn"}).json()["results"]] == [vn.pk]
    found = client.get("/api/v1/people/", {"search": "田中"}).json()["results"]
    assert [p["name_en"] for p in found] == ["Tanaka Hanako"]


# --- Countries and groups ---------------------------------------------------


def _codes(response):
    assert response.status_code == 200, response.content
    return {c["code"] for c in response.json()["results"]}


def test_asean_had_six_members_on_1_january_1990(client):
    build_asean_and_eas()
    codes = _codes(client.get("/api/v1/countries/", {"group": "asean", "on": "1990-01-01"}))
    assert codes == {"ID", "MY", "PH", "SG", "TH", "BN"}


def test_the_east_asia_summit_of_2009_did_not_include_the_united_states(client):
    build_asean_and_eas()
    in_2009 = _codes(client.get("/api/v1/countries/", {"group": "eas", "on": "2009-10-01"}))
    assert len(in_2009) == 16
    assert "US" not in in_2009
    assert "JP" in in_2009
    in_2012 = _codes(client.get("/api/v1/countries/", {"group": "eas", "on": "2012-01-01"}))
    assert {"US", "RU"} <= in_2012
    assert len(in_2012) == 18


def test_a_group_without_a_date_means_its_members_today(client):
    build_asean_and_eas()
    assert len(_codes(client.get("/api/v1/countries/", {"group": "asean", "page_size": 100}))) == 10


def test_bad_group_filters_are_validation_problems(client):
    build_asean_and_eas()
    body = problem(client.get("/api/v1/countries/", {"group": "nope"}), 400)
    assert [e["field"] for e in body["errors"]] == ["group"]
    body = problem(client.get("/api/v1/countries/", {"group": "eas", "on": "2009-13-45"}), 400)
    assert [e["field"] for e in body["errors"]] == ["on"]
    body = problem(client.get("/api/v1/countries/", {"on": "2009-10-01"}), 400)
    assert [e["field"] for e in body["errors"]] == ["on"]


def test_a_country_is_found_by_its_code_in_either_case(client):
    CountryFactory(code="JP")
    assert client.get("/api/v1/countries/JP/").json() == {
        "code": "JP",
        "alpha3": "JPN",
        "numeric": "392",
        "name_ja": "日本",
        "name_en": "Japan",
    }
    assert client.get("/api/v1/countries/jp/").json()["code"] == "JP"
    problem(client.get("/api/v1/countries/ZZ/"), 404)


def test_a_group_lists_its_membership_history_and_its_members_on_a_date(client):
    build_asean_and_eas()
    data = client.get("/api/v1/country-groups/eas/").json()
    assert data["name_en"] == "East Asia Summit"
    assert data["members_on"] is None
    us = [m for m in data["memberships"] if m["country"] == "US"]
    assert us == [{"country": "US", "joined_on": "2011-11-19", "left_on": None, "note": "", "source": ""}]
    on_2009 = client.get("/api/v1/country-groups/eas/", {"on": "2009-10-01"}).json()["members_on"]
    assert len(on_2009) == 16
    assert "US" not in on_2009
    body = problem(client.get("/api/v1/country-groups/eas/", {"on": "yesterday"}), 400)
    assert body["errors"][0]["field"] == "on"


def test_the_group_list_is_short_and_has_no_memberships(client):
    build_asean_and_eas()
    results = client.get("/api/v1/country-groups/").json()["results"]
    assert [g["code"] for g in results] == ["asean", "eas"]
    assert "memberships" not in results[0]


# --- Organisations ----------------------------------------------------------


def test_organisations_are_searched_by_name_acronym_and_alternative_names(client):
    moe = OrganisationFactory(
        name_en="Ministry of the Environment",
        name_ja="環境省",
        acronym="MOEJ",
        alternative_names=["Environment Agency", "環境庁"],
    )
    OrganisationFactory(name_en="Institute for Global Environmental Strategies", acronym="IGES")

    def search(term):
        return [o["id"] for o in client.get("/api/v1/organisations/", {"search": term}).json()["results"]]

    assert search("moej") == [moe.pk]
    assert search("環境省") == [moe.pk]
    assert search("environment agency") == [moe.pk]
    assert search("環境庁") == [moe.pk], "non-ASCII alternative names are found on SQLite too"
    assert search("nothing like it") == []


def test_an_organisation_shows_its_public_fields(client):
    parent = OrganisationFactory(name_en="Ministry")
    unit = OrganisationFactory(name_en="Bureau", parent=parent, kind="ministry", website="https://example.org/")
    data = client.get(f"/api/v1/organisations/{unit.pk}/").json()
    assert data == {
        "id": unit.pk,
        "name_ja": unit.name_ja,
        "name_en": "Bureau",
        "acronym": "",
        "kind": "ministry",
        "country": "JP",
        "parent": parent.pk,
        "website": "https://example.org/",
        "alternative_names": [],
        "is_demo": False,
    }
    assert [o["id"] for o in client.get("/api/v1/organisations/", {"parent": parent.pk}).json()["results"]] == [unit.pk]


# --- Pagination -------------------------------------------------------------


def test_lists_are_paginated_with_count_next_previous_results(client):
    for index in range(7):
        OrganisationFactory(name_en=f"Org {index}")
    first = client.get("/api/v1/organisations/", {"page_size": 3, "ordering": "name_en"}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 7
    assert first["previous"] is None
    assert [o["name_en"] for o in first["results"]] == ["Org 0", "Org 1", "Org 2"]
    second = client.get(first["next"]).json()
    assert [o["name_en"] for o in second["results"]] == ["Org 3", "Org 4", "Org 5"]
    assert second["previous"] is not None
    body = problem(client.get("/api/v1/organisations/", {"page": 99}), 404)
    assert body["type"].endswith("/not-found")
