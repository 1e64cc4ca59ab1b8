"""The expert directory's API: search with the pages' selector, public fields only to the public and contact
details only to whom the policy allows, nomination (duplicates refused on their field), edits with versions,
consent, decisions, merge, publications, every role, and fixed query counts."""

from __future__ import annotations

import json

import pytest

from cleanasia.accounts.models import Role
from cleanasia.directory.models import Person
from cleanasia.network.models import ExpertProfile, NominationState, Publication
from cleanasia.network.services import experts as services
from tests.conftest import verified_client

from .factories_experts import ORCID_CARBERRY, make_expert, make_field, make_organisation

pytestmark = pytest.mark.django_db

EMAIL = "nguyen.an@example.vn"
PHONE = "+84 24 3333 4444"
EXPERTS = "/api/v1/network-experts/"
PUBLICATIONS = "/api/v1/network-publications/"


@pytest.fixture
def directory():
    make_field("air", "Air quality", "大気環境")
    make_field("water", "Water", "水環境")
    monre = make_organisation("Ministry of Natural Resources and Environment", country="VN", acronym="MONRE")
    listed = make_expert(
        "Nguyen Van An",
        country="VN",
        email=EMAIL,
        phone=PHONE,
        listed=True,
        keywords="大気汚染対策\nPM2.5",
        languages=["vi", "en"],
        fields=("air",),
        orcid=ORCID_CARBERRY,
        affiliations=[{"organisation": monre, "position_en": "Director"}],
    )
    services.publication_add(actor=None, expert=listed, title="Urban air quality in Hanoi", year=2024)
    return {
        "listed": listed,
        "members": make_expert("Somchai Dee", country="TH", keywords="wastewater", fields=("water",)),
        "nominated": make_expert("Tran Thi Binh", country="VN", state=NominationState.NOMINATED),
    }


def names(response):
    return {row["name"] for row in response.json()["results"]}


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


# --- reading --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("public", {"Nguyen Van An"}),
        (Role.EXPERT, {"Nguyen Van An", "Somchai Dee"}),
        (Role.WG_MEMBER, {"Nguyen Van An", "Somchai Dee"}),
        (Role.FOCAL_POINT, {"Nguyen Van An", "Somchai Dee", "Tran Thi Binh"}),
        (Role.SECRETARIAT, {"Nguyen Van An", "Somchai Dee", "Tran Thi Binh"}),
        (Role.ADMIN, {"Nguyen Van An", "Somchai Dee", "Tran Thi Binh"}),
    ],
)
def test_each_role_lists_the_experts_the_policy_shows(client_for, directory, role, expected):
    client, _user = client_for(role)
    response = client.get(EXPERTS)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("role", "personal"),
    [
        ("public", False),
        (Role.EXPERT, False),
        (Role.WG_MEMBER, False),
        (Role.FOCAL_POINT, True),
        (Role.SECRETARIAT, True),
    ],
)
def test_contact_details_only_to_whom_the_policy_allows(client_for, directory, role, personal):
    client, _user = client_for(role)
    listing = client.get(EXPERTS).content.decode()
    detail = client.get(f"{EXPERTS}{directory['listed'].pk}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    for text in (listing, body):
        assert (EMAIL in text) is personal
        assert (PHONE in text) is personal
    data = detail.json()
    assert data["orcid_url"] == f"https://orcid.org/{ORCID_CARBERRY}"
    assert data["fields"] == ["air"]
    assert data["publications"][0]["title"] == "Urban air quality in Hanoi"
    assert ("listing_consent_on" in data) is personal
    assert ("version" in data) is personal


def test_the_public_gets_no_personal_key_at_all(client, directory):
    row = client.get(EXPERTS).json()["results"][0]
    assert not {"email", "phone", "state", "listed_publicly", "listing_consent_on", "version"} & set(row)


def test_search_by_a_japanese_keyword_uses_the_directory_search(client, directory):
    response = client.get(EXPERTS, {"q": "大気汚染"})
    assert names(response) == {"Nguyen Van An"}
    assert client.get(EXPERTS, {"q": "wastewater"}).json()["count"] == 0  # not publicly listed


def test_filters_and_pages(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    assert names(client.get(EXPERTS, {"field": "water"})) == {"Somchai Dee"}
    assert names(client.get(EXPERTS, {"country": "VN", "state": "nominated"})) == {"Tran Thi Binh"}
    assert names(client.get(EXPERTS, {"language": "vi"})) == {"Nguyen Van An"}
    first = client.get(EXPERTS, {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"]
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_hidden_and_unknown_experts_are_404(client, directory):
    assert client.get(f"{EXPERTS}{directory['members'].pk}/").status_code == 404
    assert client.get(f"{EXPERTS}999999/").status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_for, directory, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    client.get(EXPERTS, {"q": "b"})  # the session and the token's first reads
    # Both requests come after a change of the data (the page is computed, not taken from the cache).
    with django_assert_max_num_queries(13) as few:
        client.get(EXPERTS, {"q": "a"})
    budget = len(few.captured_queries)
    for n in range(10):
        make_expert(f"Another Person {n}", country="JP", fields=("air",))
    with django_assert_max_num_queries(budget):
        assert client.get(EXPERTS, {"q": "a"}).json()["count"] >= 10


# --- nomination and decisions ---------------------------------------------------------------------------------


def nomination(**overrides):
    data = {
        "name_en": "Pham Minh Duc",
        "country": "VN",
        "email": "pham.duc@example.vn",
        "fields": ["air"],
        "keywords": ["大気汚染", "ozone"],
        "languages": ["vi"],
        "affiliations": [{"organisation_name": "monre", "position_en": "Researcher"}],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [("public", 401), (Role.EXPERT, 403), (Role.WG_MEMBER, 403), (Role.FOCAL_POINT, 201), (Role.SECRETARIAT, 201)],
)
def test_who_nominates(client_for, directory, role, status):
    client, _user = client_for(role)
    response = post(client, EXPERTS, nomination())
    assert response.status_code == status
    assert Person.objects.filter(name_en="Pham Minh Duc").exists() is (status == 201)
    if status == 201:
        data = response.json()
        assert data["state"] == "nominated"
        assert data["affiliations"][0]["organisation_name"] == "Ministry of Natural Resources and Environment"


def test_a_focal_point_nominates_for_their_own_country_only(client_for, directory):
    client, _user = client_for(Role.FOCAL_POINT)
    response = post(client, EXPERTS, nomination(country="TH"))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["country"]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"email": EMAIL.upper()}, "email", "with this e-mail address"),
        ({"orcid": ORCID_CARBERRY.replace("-", "")}, "orcid", "with this ORCID iD"),
    ],
)
def test_a_duplicate_is_refused_on_its_field_naming_the_record_to_merge_into(
    client_for, directory, overrides, field, words
):
    client, _user = client_for(Role.SECRETARIAT)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the message is asserted in English
    response = post(client, EXPERTS, nomination(**overrides))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["detail"]
    assert f"record {directory['listed'].pk}" in errors[0]["detail"]
    assert "merge" in errors[0]["detail"]
    assert not Person.objects.filter(name_en="Pham Minh Duc").exists()


def test_the_secretariat_accepts_and_declines_others_cannot(client_for, directory):
    nominated = directory["nominated"]
    client, _user = client_for(Role.FOCAL_POINT)
    assert client.post(f"{EXPERTS}{nominated.pk}/accept/").status_code == 403
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(f"{EXPERTS}{nominated.pk}/accept/")
    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
    again = client.post(f"{EXPERTS}{nominated.pk}/decline/")
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "state"


# --- edits, consent, merge ------------------------------------------------------------------------------------


def test_an_edit_needs_the_current_version(client_for, directory):
    expert = directory["listed"]
    client, _user = client_for(Role.FOCAL_POINT)
    response = patch(client, f"{EXPERTS}{expert.pk}/", {"version": expert.version, "keywords": ["ozone"]})
    assert response.status_code == 200
    assert response.json()["keywords"] == ["ozone"]
    stale = patch(client, f"{EXPERTS}{expert.pk}/", {"version": expert.version, "keywords": ["late"]})
    assert stale.status_code == 409
    expert.refresh_from_db()
    assert expert.keywords == "ozone"


@pytest.mark.parametrize(("role", "status"), [("public", 401), (Role.EXPERT, 403), (Role.WG_MEMBER, 403)])
def test_others_cannot_edit(client_for, directory, role, status):
    expert = directory["listed"]
    client, _user = client_for(role)
    assert patch(client, f"{EXPERTS}{expert.pk}/", {"version": expert.version, "keywords": ["x"]}).status_code == status


def test_the_expert_gives_consent_and_the_public_then_sees_them(client, client_for, make_user, directory):
    user = make_user(Role.EXPERT)
    expert = make_expert("Own Person", country="JP", user=user)
    assert "Own Person" not in client.get(EXPERTS).content.decode()
    response = post(verified_client(user), f"{EXPERTS}{expert.pk}/consent/", {"listed": True})
    assert response.status_code == 200
    assert response.json()["listing_consent_on"]
    assert "Own Person" in client.get(EXPERTS).content.decode()
    focal, _user = client_for(Role.FOCAL_POINT, country="JP")
    assert post(focal, f"{EXPERTS}{expert.pk}/consent/", {"listed": False}).status_code == 403


def test_the_secretariat_merges_a_duplicate(client_for, directory):
    duplicate = make_expert("An Nguyen", country="VN", keywords="ozone")
    keep = directory["listed"]
    client, _user = client_for(Role.FOCAL_POINT)
    assert post(client, f"{EXPERTS}{keep.pk}/merge/", {"duplicate": duplicate.pk}).status_code == 403
    client, _user = client_for(Role.SECRETARIAT)
    response = post(client, f"{EXPERTS}{keep.pk}/merge/", {"duplicate": duplicate.pk})
    assert response.status_code == 200
    assert "ozone" in response.json()["keywords"]
    assert not ExpertProfile.objects.filter(pk=duplicate.pk).exists()


# --- publications ---------------------------------------------------------------------------------------------


def test_publications_are_seen_with_their_expert(client, directory):
    titles = [row["title"] for row in client.get(PUBLICATIONS).json()["results"]]
    assert titles == ["Urban air quality in Hanoi"]
    services.publication_add(actor=None, expert=directory["members"], title="Hidden")
    assert "Hidden" not in client.get(PUBLICATIONS).content.decode()


def test_publications_are_added_and_changed_by_who_changes_the_expert(client, client_for, directory):
    expert = directory["listed"]
    assert post(client, PUBLICATIONS, {"expert": expert.pk, "title": "X"}).status_code == 401
    member, _user = client_for(Role.EXPERT)
    assert post(member, PUBLICATIONS, {"expert": expert.pk, "title": "X"}).status_code == 403
    focal, _user = client_for(Role.FOCAL_POINT)
    response = post(focal, PUBLICATIONS, {"expert": expert.pk, "title": "Ozone", "doi": "https://doi.org/10.1000/o3"})
    assert response.status_code == 201
    assert response.json()["doi"] == "10.1000/o3"
    duplicate = post(focal, PUBLICATIONS, {"expert": expert.pk, "title": "Again", "doi": "10.1000/O3"})
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"][0]["field"] == "doi"
    publication = Publication.objects.get(title="Ozone")
    changed = patch(focal, f"{PUBLICATIONS}{publication.pk}/", {"version": publication.version, "year": 2022})
    assert changed.status_code == 200
    assert changed.json()["year"] == 2022
    stale = patch(focal, f"{PUBLICATIONS}{publication.pk}/", {"version": publication.version, "year": 2021})
    assert stale.status_code == 409
