"""Nomination, duplicates (by e-mail and ORCID, with its check digit), acceptance, consent with its date,
affiliations from the one organisation registry, publications and edits of the expert directory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.concurrency import StaleEditError
from cleanasia.directory.models import Organisation, Person
from cleanasia.network.models import ExpertProfile, NominationState
from cleanasia.network.services import experts as services

from ..factories import CountryFactory, PersonFactory
from .factories_experts import (
    ORCID_BAD_CHECK,
    ORCID_CARBERRY,
    ORCID_OTHER,
    ORCID_WITH_X,
    actions,
    make_expert,
    make_field,
    make_organisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries():
    for code in ("VN", "TH", "JP", "KH"):
        CountryFactory(code=code)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def new_person(name: str = "Nguyen Van An", country: str = "VN", email: str = "an@example.vn") -> dict:
    return {"name_en": name, "family_name": name.split()[0], "country": country, "email": email}


# --- ORCID ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        (ORCID_CARBERRY, ORCID_CARBERRY),
        ("https://orcid.org/0000-0002-1825-0097", ORCID_CARBERRY),
        ("0000000218250097", ORCID_CARBERRY),
        ("００００-０００２-１８２５-００９７", ORCID_CARBERRY),  # full-width digits, as a Japanese IME types them
        ("0000-0002-1694-233x", ORCID_WITH_X),
        ("", None),
    ],
)
def test_an_orcid_id_is_stored_in_one_form_however_it_was_written(written, stored):
    assert services.orcid_normalise(written) == stored


def test_an_orcid_id_with_a_wrong_check_digit_or_form_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as excinfo:
        services.orcid_normalise(ORCID_BAD_CHECK)
    assert "wrong check digit" in errors_of(excinfo)["orcid"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.orcid_normalise("0000-0002-1825")
    assert "sixteen characters" in errors_of(excinfo)["orcid"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, person_data=new_person(), orcid=ORCID_BAD_CHECK)
    assert set(errors_of(excinfo)) == {"orcid"}
    assert not ExpertProfile.objects.exists(), "nothing is written"
    assert not Person.objects.exists(), "nothing is written"


# --- nomination -----------------------------------------------------------------------------------


def test_a_focal_point_nominates_an_expert_of_their_country_with_everything_normalised(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    air = make_field("air", "Air quality", "大気")
    expert = services.expert_nominate(
        actor=focal_point,
        person_data=new_person(),
        fields=["air"],
        keywords="大気汚染\nＰＭ２.５\n  air   quality \nAir Quality",
        languages="vi, EN",
        orcid="https://orcid.org/0000-0001-5109-3700",
        biography_en="Atmospheric chemist.",
        listed_publicly=True,
    )
    assert expert.state == NominationState.NOMINATED
    assert expert.nominated_by == focal_point
    assert expert.person.country_id == "VN"
    assert expert.person.visibility == "secretariat", "the person record is personal data"
    assert list(expert.fields.all()) == [air]
    assert expert.keywords == "大気汚染\nPM2.5\nair quality", "width unified, spaces collapsed, each once"
    assert expert.languages == ["vi", "en"]
    assert expert.orcid == ORCID_OTHER
    assert expert.listing_consent_on == timezone.localdate(), "the consent given with the nomination is dated"
    assert actions(expert) == ["network.expert.nominated"]


def test_a_focal_point_cannot_nominate_for_another_country_and_others_cannot_nominate(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=focal_point, person_data=new_person(country="TH"))
    assert "focal point of VN" in errors_of(excinfo)["country"][0]
    for role in (Role.EXPERT, Role.WG_MEMBER):
        with pytest.raises(PermissionDenied):
            services.expert_nominate(actor=make_user(role), person_data=new_person())
    expert = services.expert_nominate(actor=make_user(Role.SECRETARIAT), person_data=new_person(country="TH"))
    assert expert.person.country_id == "TH", "the secretariat nominates for any country"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"person_data": {"name_en": "No Country", "email": "x@example.org"}}, "country"),
        ({"person_data": new_person(), "person": None, "languages": ["vi", "xx"]}, "languages"),
        ({"person_data": new_person(), "fields": ["no-such-field"]}, "fields"),
        ({"person_data": {**new_person(), "name_en": ""}}, "name_ja"),
        ({"person_data": {**new_person(), "email": "not-an-address"}}, "email"),
        ({"person_data": {**new_person(), "salary": 1}}, "salary"),
        (
            {"person_data": new_person(), "affiliations": [{"organisation_name": ""}]},
            "affiliations.0.organisation_name",
        ),
        (
            {"person_data": new_person(), "affiliations": [{"organisation_nmae": "MOE"}]},
            "affiliations.0.organisation_nmae",
        ),
        ({"person_data": new_person(), "visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_nominations_are_refused_naming_the_field_and_write_nothing(kwargs, field):
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, **kwargs)
    assert field in errors_of(excinfo), errors_of(excinfo)
    assert not ExpertProfile.objects.exists()
    assert not Person.objects.exists()


def test_a_retired_field_and_both_or_neither_person_are_refused():
    make_field("old", "Old field", is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, person_data=new_person(), fields=["old"])
    assert "No longer in use" in errors_of(excinfo)["fields"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None)
    assert "person" in errors_of(excinfo)
    with pytest.raises(ValidationError):
        services.expert_nominate(actor=None, person=PersonFactory(), person_data=new_person())


def test_a_directory_person_is_nominated_once():
    person = PersonFactory(country=CountryFactory(code="TH"))
    expert = services.expert_nominate(actor=None, person=person, keywords=["water"])
    assert expert.person == person
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, person=person)
    assert "already in the expert directory" in errors_of(excinfo)["person"][0]


# --- duplicates -----------------------------------------------------------------------------------


def test_the_same_e_mail_address_in_any_case_is_refused_naming_the_expert_and_offering_a_merge():
    existing = make_expert("Tran Thi Binh", email="Binh.Tran@Example.VN", country="VN")
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, person_data=new_person(email="  binh.tran@example.vn "))
    (message,) = errors_of(excinfo)["email"]
    assert "Tran Thi Binh (Viet Nam)" in message
    assert f"record {existing.pk}" in message
    assert "merge" in message
    assert ExpertProfile.objects.count() == 1
    assert Person.objects.count() == 1
    (duplicate,) = services.expert_duplicates(person_data={"email": "BINH.TRAN@example.vn"})
    assert duplicate.expert == existing
    assert duplicate.matched_on == ("email",)


def test_the_same_orcid_id_written_otherwise_is_refused_naming_the_expert():
    existing = make_expert("Somchai Dee", country="TH", orcid=ORCID_CARBERRY)
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, person_data=new_person(), orcid="https://orcid.org/0000000218250097")
    assert set(errors_of(excinfo)) == {"orcid"}
    assert "Somchai Dee (Thailand)" in errors_of(excinfo)["orcid"][0]
    duplicates = services.expert_duplicates(orcid="0000000218250097", email="somebody@else.org")
    assert [(d.expert, d.matched_on) for d in duplicates] == [(existing, ("orcid",))]
    with pytest.raises(ValidationError) as excinfo:
        services.expert_duplicates(orcid=ORCID_BAD_CHECK)
    assert "orcid" in errors_of(excinfo)


def test_both_matches_are_named_and_a_person_who_is_not_an_expert_is_offered_for_nomination():
    make_expert("Le Van Cuong", email="cuong@example.vn", orcid=ORCID_WITH_X)
    PersonFactory(name_en="Pham Duc", email="duc@example.vn", country=CountryFactory(code="VN"))
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, person_data=new_person(email="CUONG@example.vn"), orcid=ORCID_WITH_X)
    assert set(errors_of(excinfo)) == {"email", "orcid"}
    with pytest.raises(ValidationError) as excinfo:
        services.expert_nominate(actor=None, person_data=new_person(email="duc@example.vn"))
    assert "not as an expert: nominate that person" in errors_of(excinfo)["email"][0]
    assert services.expert_duplicates(email="") == []


# --- decision and consent -------------------------------------------------------------------------


def test_the_secretariat_accepts_or_declines_a_nomination_once(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    first = make_expert(state=NominationState.NOMINATED)
    second = make_expert(state=NominationState.NOMINATED)
    with pytest.raises(PermissionDenied):
        services.expert_accept(actor=make_user(Role.FOCAL_POINT, country="VN"), expert=first)
    accepted = services.expert_accept(actor=secretariat, expert=first)
    assert accepted.state == NominationState.ACCEPTED
    assert accepted.decided_on == timezone.localdate()
    declined = services.expert_decline(actor=secretariat, expert=second)
    assert declined.state == NominationState.DECLINED
    with pytest.raises(ValidationError) as excinfo:
        services.expert_accept(actor=secretariat, expert=declined)
    assert "already declined" in errors_of(excinfo)["state"][0]
    assert actions(accepted) == ["network.expert.nominated", "network.expert.accepted"]
    assert accepted.history.latest().history_user == secretariat


def test_consent_is_given_and_withdrawn_by_the_expert_with_its_date_in_the_history(make_user):
    own = make_user(Role.EXPERT)
    expert = make_expert(user=own)
    with pytest.raises(PermissionDenied):
        services.expert_consent_set(actor=make_user(Role.FOCAL_POINT, country="VN"), expert=expert, listed=True)
    with pytest.raises(PermissionDenied):
        services.expert_consent_set(actor=make_user(Role.EXPERT), expert=expert, listed=True)
    given = services.expert_consent_set(actor=own, expert=expert, listed=True)
    assert given.listed_publicly
    assert given.listing_consent_on == timezone.localdate()
    withdrawn = services.expert_consent_set(actor=make_user(Role.SECRETARIAT), expert=given, listed=False)
    assert not withdrawn.listed_publicly
    assert withdrawn.listing_consent_on == timezone.localdate()
    rows = list(expert.history.order_by("history_id").values_list("action_code", "listed_publicly", "history_user"))
    assert rows[-2:] == [
        ("network.expert.consent_given", True, own.pk),
        ("network.expert.consent_withdrawn", False, rows[-1][2]),
    ]


# --- affiliations from the one registry -----------------------------------------------------------


def test_an_affiliation_finds_the_organisation_by_any_spelling_width_or_case():
    moe = make_organisation(
        "Ministry of the Environment", "環境省", acronym="MOE", alternative_names=["Kankyō-shō", "MoE Japan"]
    )
    expert = make_expert("Sato Hanako", country="JP")
    for spelling in ("ministry of  the environment", "環境省", "ＭＯＥ", "moe japan", "KANKYŌ-SHŌ"):
        affiliation = services.expert_affiliation_add(actor=None, expert=expert, organisation_name=spelling)
        assert affiliation.organisation == moe, spelling
    assert Organisation.objects.count() == 1, "one ministry, one record"


def test_an_affiliation_creates_an_organisation_only_when_none_has_the_name_in_that_country():
    make_organisation("Ministry of Environment", country="KH", acronym="MOE")
    unep = make_organisation("United Nations Environment Programme", country=None, acronym="UNEP")
    expert = make_expert("Nguyen Thi Lan", country="VN")
    created = services.expert_affiliation_add(
        actor=None, expert=expert, organisation_name="Ministry of Environment", position_en="Director"
    ).organisation
    assert created.country_id == "VN"
    assert created.name_en == "Ministry of Environment"
    assert created.pk != Organisation.objects.get(country_id="KH").pk, "another country's ministry is not reused"
    international = services.expert_affiliation_add(actor=None, expert=expert, organisation_name="unep")
    assert international.organisation == unep, "international bodies are found from any country"
    japanese = services.expert_affiliation_add(
        actor=None, expert=expert, organisation_name="国立環境研究所", organisation_country="JP"
    )
    assert (japanese.organisation.name_ja, japanese.organisation.country_id) == ("国立環境研究所", "JP")


def test_several_organisations_of_one_name_are_refused_so_the_user_chooses():
    make_organisation("Institute of Environment", country="VN")
    make_organisation("Environment Institute", country="VN", alternative_names=["Institute of Environment"])
    expert = make_expert(country="VN")
    with pytest.raises(ValidationError) as excinfo:
        services.expert_affiliation_add(actor=None, expert=expert, organisation_name="institute of environment")
    assert "Choose one of them" in errors_of(excinfo)["organisation_name"][0]


def test_affiliations_are_added_with_a_nomination_and_by_whoever_may_change_the_expert(make_user):
    make_organisation("Hanoi University of Science", country="VN", acronym="HUS")
    expert = services.expert_nominate(
        actor=make_user(Role.FOCAL_POINT, country="VN"),
        person_data=new_person(),
        affiliations=[{"organisation_name": "hus", "position_en": "Lecturer", "started_on": dt.date(2015, 9, 1)}],
    )
    (affiliation,) = expert.person.affiliations.all()
    assert affiliation.organisation.acronym == "HUS"
    assert affiliation.position_en == "Lecturer"
    with pytest.raises(PermissionDenied):
        services.expert_affiliation_add(actor=make_user(Role.WG_MEMBER), expert=expert, organisation_name="HUS")
    with pytest.raises(ValidationError) as excinfo:
        services.expert_affiliation_add(
            actor=None,
            expert=expert,
            organisation_name="HUS",
            started_on=dt.date(2020, 1, 1),
            ended_on=dt.date(2019, 1, 1),
        )
    assert "ended_on" in errors_of(excinfo)


# --- publications and edits -----------------------------------------------------------------------


def test_publications_are_added_once_per_doi():
    expert = make_expert()
    publication = services.publication_add(
        actor=None, expert=expert, title="Ozone  trends in East Asia", year=2021, doi="https://doi.org/10.1000/xyz123"
    )
    assert (publication.title, publication.doi) == ("Ozone trends in East Asia", "10.1000/xyz123")
    with pytest.raises(ValidationError) as excinfo:
        services.publication_add(actor=None, expert=expert, title="Again", doi="doi:10.1000/XYZ123")
    assert "already has" in errors_of(excinfo)["doi"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.publication_add(actor=None, expert=expert, title="Bad", doi="xyz")
    assert "doi" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.publication_add(actor=None, expert=expert, title="  ")
    assert "title" in errors_of(excinfo)


def test_an_edit_is_refused_when_stale_and_keeps_orcid_ids_unique(make_user):
    own = make_user(Role.EXPERT)
    expert = make_expert(user=own, keywords="water")
    make_expert(orcid=ORCID_CARBERRY)
    updated = services.expert_update(
        actor=own, expert=expert, expected_version=expert.version, changes={"keywords": ["水質", "water", "WATER"]}
    )
    assert updated.keywords == "水質\nwater"
    with pytest.raises(StaleEditError):
        services.expert_update(actor=own, expert=expert, expected_version=expert.version, changes={"keywords": "x"})
    with pytest.raises(ValidationError) as excinfo:
        services.expert_update(
            actor=own, expert=updated, expected_version=updated.version, changes={"orcid": "0000000218250097"}
        )
    assert "already in the expert directory" in errors_of(excinfo)["orcid"][0]
    with pytest.raises(PermissionDenied):
        services.expert_update(
            actor=own, expert=updated, expected_version=updated.version, changes={"visibility": "public"}
        )
    with pytest.raises(ValidationError) as excinfo:
        services.expert_update(actor=own, expert=updated, expected_version=updated.version, changes={"state": "x"})
    assert "state" in errors_of(excinfo)
