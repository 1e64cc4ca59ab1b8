"""The network's data model holds its rules in the database too: dated consent, ordered terms and periods,
scores within their maximum, a revocation with its reason, one nomination per person and session."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from cleanasia.network.models import (
    AssessmentKind,
    AssessmentScore,
    Certificate,
    ExpertProfile,
    Field,
    TraineeNomination,
    TrainingProgramme,
    TrainingSession,
    WorkingGroup,
    WorkingGroupMember,
)

from ..factories import CountryFactory, PersonFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 30)


@pytest.fixture
def air():
    return Field.objects.create(code="air", name_en="Air quality", name_ja="大気")


@pytest.fixture
def session(air):
    programme = TrainingProgramme.objects.create(
        code="aq-monitoring", title_en="Air monitoring", field=air, level="introductory"
    )
    return TrainingSession.objects.create(programme=programme, starts_on=DAY, ends_on=DAY + dt.timedelta(days=4))


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_public_listing_needs_the_date_of_consent():
    refused(lambda: ExpertProfile.objects.create(person=PersonFactory(), listed_publicly=True))
    ExpertProfile.objects.create(person=PersonFactory(), listed_publicly=True, listing_consent_on=DAY)


def test_a_membership_term_cannot_end_before_it_starts(air):
    group = WorkingGroup.objects.create(field=air, code="wg-air", name_en="Air WG")
    person = PersonFactory()
    refused(
        lambda: WorkingGroupMember.objects.create(
            group=group, person=person, started_on=DAY, ended_on=DAY - dt.timedelta(days=1)
        )
    )
    WorkingGroupMember.objects.create(group=group, person=person, started_on=DAY)


def test_a_session_ends_after_it_starts_and_a_person_is_nominated_once(session):
    refused(
        lambda: TrainingSession.objects.create(
            programme=session.programme, starts_on=DAY, ends_on=DAY - dt.timedelta(days=1)
        )
    )
    person, vn = PersonFactory(), CountryFactory(code="VN")
    TraineeNomination.objects.create(session=session, person=person, country=vn)
    refused(lambda: TraineeNomination.objects.create(session=session, person=person, country=vn))


def test_a_score_lies_within_its_maximum_and_a_revocation_has_its_reason(session):
    nomination = TraineeNomination.objects.create(
        session=session, person=PersonFactory(), country=CountryFactory(code="TH")
    )
    refused(lambda: AssessmentScore.objects.create(nomination=nomination, kind=AssessmentKind.PRE, score=101))
    AssessmentScore.objects.create(nomination=nomination, kind=AssessmentKind.PRE, score=55)
    refused(
        lambda: Certificate.objects.create(
            nomination=nomination, code="ABC", name_at_issue="Somchai", issued_on=DAY, revoked_on=DAY
        )
    )
    certificate = Certificate.objects.create(nomination=nomination, code="ABC", name_at_issue="Somchai", issued_on=DAY)
    assert certificate.history.count() == 1, "certificates keep their history (a revocation stays visible)"
