"""Writes to the directory go through services that validate, version and record who acted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cleanasia.core.concurrency import StaleEditError
from cleanasia.directory import services
from cleanasia.directory.models import GroupMembership, Organisation, Person
from tests.factories import CountryFactory, CountryGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return CountryGroupFactory(code="asean")


@pytest.fixture
def viet_nam():
    return CountryFactory(code="VN")


def test_an_overlapping_membership_of_the_same_country_is_refused_with_a_field_message(make_user, group, viet_nam):
    actor = make_user("secretariat")
    services.group_membership_add(actor=actor, group=group, country=viet_nam, joined_on=dt.date(1995, 7, 28))
    with pytest.raises(ValidationError) as caught:
        services.group_membership_add(actor=actor, group=group, country=viet_nam, joined_on=dt.date(2001, 1, 1))
    assert "joined_on" in caught.value.message_dict
    assert "already a member" in caught.value.message_dict["joined_on"][0]
    assert GroupMembership.objects.filter(group=group, country=viet_nam).count() == 1


def test_a_country_may_rejoin_after_its_membership_ended(make_user, group, viet_nam):
    actor = make_user("secretariat")
    services.group_membership_add(
        actor=actor, group=group, country=viet_nam, joined_on=dt.date(1990, 1, 1), left_on=dt.date(1994, 12, 31)
    )
    services.group_membership_add(actor=actor, group=group, country=viet_nam, joined_on=dt.date(1995, 7, 28))
    # An earlier period that would run into the first one is refused.
    with pytest.raises(ValidationError) as caught:
        services.group_membership_add(
            actor=actor, group=group, country=viet_nam, joined_on=dt.date(1985, 1, 1), left_on=dt.date(1990, 1, 1)
        )
    assert "joined_on" in caught.value.message_dict
    assert group.members_on(dt.date(1995, 1, 1)).count() == 0
    assert group.members_on(dt.date(1996, 1, 1)).count() == 1


def test_a_membership_cannot_end_before_it_starts(group, viet_nam):
    with pytest.raises(ValidationError) as caught:
        services.group_membership_add(
            actor=None, group=group, country=viet_nam, joined_on=dt.date(2000, 1, 2), left_on=dt.date(2000, 1, 1)
        )
    assert "left_on" in caught.value.message_dict


def test_correcting_a_membership_into_an_overlap_is_refused(make_user, group, viet_nam):
    actor = make_user("secretariat")
    first = services.group_membership_add(
        actor=actor, group=group, country=viet_nam, joined_on=dt.date(1990, 1, 1), left_on=dt.date(1994, 12, 31)
    )
    services.group_membership_add(actor=actor, group=group, country=viet_nam, joined_on=dt.date(1995, 7, 28))
    with pytest.raises(ValidationError) as caught:
        services.group_membership_update(
            actor=actor, membership=first, expected_version=1, changes={"left_on": dt.date(1996, 1, 1)}
        )
    assert "joined_on" in caught.value.message_dict


def test_an_organisation_edit_records_the_actor_and_refuses_a_stale_version(make_user):
    alice, bob = make_user("secretariat"), make_user("secretariat")
    ministry = services.organisation_create(actor=alice, name_en="Ministry of Environment", name_ja="環境省")
    assert ministry.history.first().action_code == services.ORGANISATION_CREATED
    services.organisation_update(actor=alice, organisation=ministry, expected_version=1, changes={"acronym": "MOE"})
    with pytest.raises(StaleEditError):
        services.organisation_update(actor=bob, organisation=ministry, expected_version=1, changes={"acronym": "X"})
    ministry.refresh_from_db()
    assert ministry.acronym == "MOE"
    latest = ministry.history.first()
    assert latest.history_user == alice
    assert latest.action_code == services.ORGANISATION_UPDATED


def test_an_organisation_cannot_be_placed_under_its_own_unit(make_user):
    actor = make_user("secretariat")
    ministry = services.organisation_create(actor=actor, name_en="Ministry")
    bureau = services.organisation_create(actor=actor, name_en="Bureau", parent=ministry)
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(
            actor=actor, organisation=ministry, expected_version=ministry.version, changes={"parent": bureau}
        )
    assert "parent" in caught.value.message_dict
    assert Organisation.objects.get(pk=ministry.pk).parent is None


def test_a_record_needs_a_name_in_at_least_one_language():
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=None, name_ja="", name_en="  ")
    assert "name_ja" in caught.value.message_dict
    assert not Person.objects.exists()


def test_people_are_private_to_the_secretariat_unless_made_public(viet_nam):
    person = services.person_create(actor=None, name_en="Nguyen Van An", country=viet_nam)
    assert person.visibility == "secretariat"


def test_an_affiliation_cannot_end_before_it_starts():
    person = services.person_create(actor=None, name_en="A Person")
    organisation = services.organisation_create(actor=None, name_en="An Institute")
    with pytest.raises(ValidationError) as caught:
        services.affiliation_add(
            actor=None,
            person=person,
            organisation=organisation,
            started_on=dt.date(2010, 1, 1),
            ended_on=dt.date(2009, 1, 1),
        )
    assert "ended_on" in caught.value.message_dict
