"""Merging a duplicate expert into the record kept: everything moves, blanks are filled, the duplicate is not
listed any more, and the history of both records keeps every step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.accounts.models import Role
from cleanasia.directory.models import Affiliation, Person
from cleanasia.network.models import (
    ExpertProfile,
    NominationState,
    Publication,
    TraineeNomination,
    TrainingProgramme,
    TrainingSession,
    WorkingGroup,
    WorkingGroupMember,
)
from cleanasia.network.selectors.experts import expert_search
from cleanasia.network.services import experts as services

from ..factories import CountryFactory, PersonFactory
from .factories_experts import ORCID_CARBERRY, actions, make_expert, make_field, make_organisation

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


def make_group(code: str) -> WorkingGroup:
    return WorkingGroup.objects.create(field=make_field("air", "Air quality", "大気"), code=code, name_en=code)


def make_session(code: str) -> TrainingSession:
    programme = TrainingProgramme.objects.create(
        code=code, title_en=code, field=make_field("air", "Air quality", "大気"), level="introductory"
    )
    return TrainingSession.objects.create(programme=programme, starts_on=DAY, ends_on=DAY + dt.timedelta(days=2))


@pytest.fixture
def duplicates(make_user):
    """The same person twice: an accepted record without contact details, and a later nomination with them."""
    kept = make_expert(
        "Tran Thi Binh", name_ja="", email="", phone="", keywords="air quality", languages=["vi"], fields=("air",)
    )
    merged = make_expert(
        "Tran Thi Binh",
        name_ja="チャン・ティ・ビン",
        email="binh@example.vn",
        phone="+84 24 3333",
        state=NominationState.NOMINATED,
        listed=True,
        orcid=ORCID_CARBERRY,
        keywords="大気汚染\nAir Quality",
        languages=["en", "vi"],
        fields=("water",),
        biography_en="Atmospheric chemist.",
        user=make_user(Role.EXPERT),
    )
    return kept, merged


def test_a_merge_moves_everything_onto_the_kept_record_and_fills_its_blanks(duplicates, secretariat):
    kept, merged = duplicates
    organisation = make_organisation("Viet Nam Environment Administration", country="VN", acronym="VEA")
    Affiliation.objects.create(person=merged.person, organisation=organisation, position_en="Researcher")
    publication = services.publication_add(actor=None, expert=merged, title="Haze in Hanoi", doi="10.1000/haze")
    group, other_group = make_group("wg-air"), make_group("wg-water")
    WorkingGroupMember.objects.create(group=group, person=kept.person, started_on=DAY)
    same_term = WorkingGroupMember.objects.create(group=group, person=merged.person, started_on=DAY)
    other_term = WorkingGroupMember.objects.create(group=other_group, person=merged.person, started_on=DAY)
    nomination = TraineeNomination.objects.create(
        session=make_session("aq-1"), person=merged.person, country=CountryFactory(code="VN")
    )
    account = merged.person.user
    merged_profile_id, merged_person_id = merged.pk, merged.person.pk

    result = services.expert_merge(actor=secretariat, keep=kept, merge=merged)

    assert result.pk == kept.pk
    person = result.person
    assert (person.name_ja, person.email, person.phone) == ("チャン・ティ・ビン", "binh@example.vn", "+84 24 3333")
    assert person.user == account, "the account follows the person"
    assert result.orcid == ORCID_CARBERRY
    assert result.biography_en == "Atmospheric chemist."
    assert result.keywords == "air quality\n大気汚染", "keywords joined, each once whatever its case"
    assert result.languages == ["vi", "en"]
    assert sorted(result.fields.values_list("code", flat=True)) == ["air", "water"]
    assert result.listed_publicly, "the consent came over"
    assert result.listing_consent_on is not None, "with its date"
    assert result.state == NominationState.ACCEPTED, "the kept record's acceptance stays"
    assert list(Affiliation.objects.filter(person=person).values_list("organisation__acronym", flat=True)) == ["VEA"]
    assert Publication.objects.get(pk=publication.pk).expert_id == kept.pk
    assert WorkingGroupMember.objects.get(pk=other_term.pk).person_id == person.pk
    assert not WorkingGroupMember.objects.filter(pk=same_term.pk).exists(), "the same term once"
    assert TraineeNomination.objects.get(pk=nomination.pk).person_id == person.pk

    husk = Person.objects.get(pk=merged_person_id)
    assert (husk.email, husk.phone, husk.user_id, husk.visibility) == ("", "", None, "secretariat")
    assert not ExpertProfile.objects.filter(pk=merged_profile_id).exists()
    assert services.expert_duplicates(email="binh@example.vn") == [
        services.Duplicate(person=person, expert=result, matched_on=("email",))
    ], "the duplicate is not found again"


def test_the_history_keeps_both_records(duplicates, secretariat):
    kept, merged = duplicates
    merged_id = merged.pk
    services.expert_merge(actor=secretariat, keep=kept, merge=merged)
    gone = ExpertProfile.history.filter(id=merged_id).order_by("history_id")
    assert list(gone.values_list("action_code", flat=True)) == [
        "network.expert.nominated",
        "network.expert.merged_away",
    ]
    assert gone.last().history_type == "-"
    assert gone.last().action_code == "network.expert.merged_away"
    assert gone.last().orcid == ORCID_CARBERRY, "what the duplicate said is kept"
    assert gone.last().history_user == secretariat
    assert actions(ExpertProfile.objects.get(pk=kept.pk))[-1] == "network.expert.merged"
    assert actions(Person.objects.get(pk=merged.person_id))[-1] == "network.expert.merged_away"
    old_contact = Person.history.filter(id=merged.person_id, email="binh@example.vn")
    assert old_contact.exists(), "the old contact details stay in the history"


def test_a_duplicate_person_without_a_profile_is_merged_into_the_expert(secretariat):
    expert = make_expert("Somchai Dee", country="TH", email="")
    trainee = PersonFactory(name_en="Somchai Dee", email="somchai@example.th", country=CountryFactory(code="TH"))
    nomination = TraineeNomination.objects.create(
        session=make_session("aq-2"), person=trainee, country=CountryFactory(code="TH")
    )
    result = services.expert_merge(actor=secretariat, keep=expert, merge=trainee)
    assert result.person.email == "somchai@example.th"
    assert TraineeNomination.objects.get(pk=nomination.pk).person_id == expert.person_id


def test_a_profile_moves_to_a_kept_person_who_had_none(secretariat):
    expert = make_expert("Le Van Cuong", keywords="water")
    person = PersonFactory(name_en="Le Van Cuong", country=CountryFactory(code="VN"))
    result = services.expert_merge(actor=secretariat, keep=person, merge=expert)
    assert result.pk == expert.pk
    assert result.person_id == person.pk
    assert actions(result)[-1] == "network.expert.merged"


def test_a_merged_duplicate_is_no_longer_found(duplicates, secretariat):
    kept, merged = duplicates
    services.expert_merge(actor=secretariat, keep=kept, merge=merged)
    page = expert_search(user=secretariat, query="Tran Thi Binh")
    assert [row["id"] for row in page.object_list] == [kept.pk]


def test_only_the_secretariat_merges_and_impossible_merges_are_refused(duplicates, make_user, secretariat):
    kept, merged = duplicates
    for role in (Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT):
        with pytest.raises(PermissionDenied):
            services.expert_merge(actor=make_user(role, country="VN"), keep=kept, merge=merged)
    with pytest.raises(ValidationError) as excinfo:
        services.expert_merge(actor=secretariat, keep=kept, merge=kept.person)
    assert "two different records" in excinfo.value.message_dict["merge"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.expert_merge(actor=secretariat, keep=PersonFactory(), merge=PersonFactory())
    assert "keep" in excinfo.value.message_dict
    session = make_session("aq-3")
    for expert in (kept, merged):
        TraineeNomination.objects.create(session=session, person=expert.person, country=CountryFactory(code="VN"))
    with pytest.raises(ValidationError) as excinfo:
        services.expert_merge(actor=secretariat, keep=kept, merge=merged)
    assert "same training session" in excinfo.value.message_dict["merge"][0]
    assert ExpertProfile.objects.filter(pk=merged.pk).exists(), "nothing was changed"


def test_two_accounts_are_not_merged_silently(duplicates, make_user, secretariat):
    kept, merged = duplicates
    kept.person.user = make_user(Role.EXPERT)
    kept.person.save()
    with pytest.raises(ValidationError) as excinfo:
        services.expert_merge(actor=secretariat, keep=kept, merge=merged)
    assert "platform account" in excinfo.value.message_dict["merge"][0]
