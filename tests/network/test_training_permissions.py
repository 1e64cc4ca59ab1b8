"""Who sees and changes joint training, for every role, with the privacy of trainees as a first-class rule.

Programmes and sessions are read by their visibility (and by the focal points
and trainees of a session whatever its level); nominations and what hangs on
them (gender, motivation, attendance, scores, certificates) only by the
secretariat, the nominating country's focal points and the trainee; a
certificate is checked by anyone, by its code only.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cleanasia.accounts.models import Role
from cleanasia.core.permissions import VIEW, can, visible
from cleanasia.network.models import (
    AssessmentScore,
    AttendanceRecord,
    Certificate,
    SurveyResponse,
    TraineeNomination,
    TraineeState,
    TrainingProgramme,
    TrainingSession,
)
from cleanasia.network.policies.training import VIEW_PERSONAL
from cleanasia.network.selectors import training as selectors
from cleanasia.network.services import training as services
from tests.conftest import ROLES

from .test_training_services import attend, make_programme, make_session, nominate

pytestmark = pytest.mark.django_db

SECRETARIAT_ROLES = {Role.SECRETARIAT, Role.ADMIN}
EVERYONE = [*ROLES, "trainee"]


@pytest.fixture
def world(make_user):
    """Three levels of sessions; Lan (who has an account) and Minh of Viet Nam and Somchai of Thailand in the
    public session, Hoa of Viet Nam in the secretariat-only one; Lan holds a certificate."""
    public = make_session(make_programme(code="public-course"), days=1, title_en="public")
    members = make_session(make_programme(code="members-course", visibility="members"), title_en="members")
    closed = make_session(make_programme(code="closed-course", visibility="secretariat"), title_en="closed")
    lan = nominate(public, "VN", "Lan", state=TraineeState.SELECTED)
    minh = nominate(public, "VN", "Minh", gender="male", state=TraineeState.SELECTED)
    somchai = nominate(public, "TH", "Somchai", gender="male", state=TraineeState.SELECTED)
    hoa = nominate(closed, "VN", "Hoa")
    for nomination in (lan, minh, somchai):
        attend(nomination, "present")
        services.assessment_record(actor=None, nomination=nomination, kind="pre", score=40)
    services.certificate_issue(actor=None, nomination=lan)
    SurveyResponse.objects.create(session=public, answers={"overall": 4}, submitted_on=public.ends_on)
    trainee = make_user(Role.EXPERT, email="lan@example.vn")
    lan.person.user = trainee
    lan.person.save()
    return {"sessions": (public, members, closed), "people": (lan, minh, somchai, hoa), "trainee": trainee}


def user_for(role: str, world, make_user):
    if role == "public":
        return AnonymousUser()
    if role == "trainee":
        return world["trainee"]
    return make_user(role, country="VN") if role == Role.FOCAL_POINT else make_user(role)


ALL_PEOPLE = ["Hoa", "Lan", "Minh", "Somchai"]
# Whose nomination (and personal data) each reader sees; the focal point is Viet Nam's.
NOMINATIONS = {
    "public": [],
    Role.EXPERT: [],
    Role.WG_MEMBER: [],
    Role.FOCAL_POINT: ["Hoa", "Lan", "Minh"],
    Role.SECRETARIAT: ALL_PEOPLE,
    Role.ADMIN: ALL_PEOPLE,
    "trainee": ["Lan"],
}
SESSIONS = {
    "public": ["public"],
    Role.EXPERT: ["members", "public"],
    Role.WG_MEMBER: ["members", "public"],
    Role.FOCAL_POINT: ["closed", "members", "public"],  # closed: Viet Nam has a nomination there
    Role.SECRETARIAT: ["closed", "members", "public"],
    Role.ADMIN: ["closed", "members", "public"],
    "trainee": ["members", "public"],
}


def names(rows) -> list[str]:
    return sorted(
        row.person.name_en if isinstance(row, TraineeNomination) else row.nomination.person.name_en for row in rows
    )


@pytest.mark.parametrize("role", EVERYONE)
def test_each_role_sees_the_sessions_and_programmes_of_its_level(role, world, make_user):
    user = user_for(role, world, make_user)
    assert sorted(visible(TrainingSession.objects.all(), user).values_list("title_en", flat=True)) == SESSIONS[role]
    codes = sorted(visible(TrainingProgramme.objects.all(), user).values_list("code", flat=True))
    assert codes == sorted(f"{level}-course" for level in SESSIONS[role])
    assert sorted(s.title_en for s in selectors.sessions_for(user=user)) == SESSIONS[role]


@pytest.mark.parametrize("role", EVERYONE)
def test_nominations_and_their_personal_data_are_seen_by_the_secretariat_the_focal_point_and_the_trainee(
    role, world, make_user
):
    user = user_for(role, world, make_user)
    expected = NOMINATIONS[role]
    assert names(visible(TraineeNomination.objects.all(), user)) == expected
    public_session = world["sessions"][0]
    assert names(selectors.nominations_for(user=user, session=public_session)) == [n for n in expected if n != "Hoa"]
    scored = [n for n in expected if n != "Hoa"]
    assert names(visible(AttendanceRecord.objects.all(), user)) == scored
    assert names(visible(AssessmentScore.objects.all(), user)) == scored
    assert names(visible(Certificate.objects.all(), user)) == [n for n in expected if n == "Lan"]
    for nomination in world["people"]:
        seen = nomination.person.name_en in expected
        assert can(user, VIEW, nomination) is seen
        assert can(user, VIEW_PERSONAL, nomination) is seen


@pytest.mark.parametrize("role", EVERYONE)
def test_the_quota_usage_shows_a_focal_point_their_own_countries_only(role, world, make_user):
    user = user_for(role, world, make_user)
    rows = selectors.quota_usage_for(user=user, session=world["sessions"][0])
    expected = {
        Role.FOCAL_POINT: [("VN", 2)],
        Role.SECRETARIAT: [("TH", 1), ("VN", 2)],
        Role.ADMIN: [("TH", 1), ("VN", 2)],
        "trainee": [("VN", 1)],
    }.get(role, [])
    assert sorted((row["country"], row["used"]) for row in rows) == expected


@pytest.mark.parametrize("role", EVERYONE)
def test_survey_answers_are_for_the_secretariat_only(role, world, make_user):
    user = user_for(role, world, make_user)
    assert visible(SurveyResponse.objects.all(), user).exists() is (role in SECRETARIAT_ROLES)


@pytest.mark.parametrize("role", EVERYONE)
def test_only_the_secretariat_changes_training_records(role, world, make_user):
    user = user_for(role, world, make_user)
    lan, minh, _somchai, hoa = world["people"]
    public_session = world["sessions"][0]
    writes = [
        lambda: services.programme_create(
            actor=user, code="new", field=public_session.programme.field, level="advanced", title_en="New"
        ),
        lambda: services.session_update(
            actor=user,
            session=public_session,
            expected_version=public_session.version,
            changes={"quota_per_country": 3},
        ),
        lambda: services.trainee_select(actor=user, nomination=hoa),
        lambda: services.attendance_record(actor=user, nomination=minh, day=public_session.starts_on, status="late"),
        lambda: services.assessment_record(actor=user, nomination=minh, kind="post", score=90),
        lambda: services.certificate_issue(actor=user, nomination=minh),
        lambda: services.certificate_revoke(actor=user, certificate=lan.certificate, reason="Test"),
    ]
    for write in writes:
        if role in SECRETARIAT_ROLES:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()


@pytest.mark.parametrize("role", EVERYONE)
def test_a_certificate_is_checked_by_anyone_by_its_code_but_listed_to_nobody_else(role, world, make_user):
    user = user_for(role, world, make_user)
    certificate = Certificate.objects.get()
    assert services.certificate_verify(certificate.code)["status"] == "valid"
    assert visible(Certificate.objects.all(), user).exists() is (
        role in {*SECRETARIAT_ROLES, Role.FOCAL_POINT, "trainee"}
    )


def test_the_trainee_sees_their_own_record_even_in_a_session_above_their_level(world):
    lan, _minh, _somchai, hoa = world["people"]
    lan.person.user = None
    lan.person.save()
    hoa.person.user = world["trainee"]
    hoa.person.save()
    closed = world["sessions"][2]
    assert can(world["trainee"], VIEW, closed)
    assert names(selectors.nominations_for(user=world["trainee"], session=closed)) == ["Hoa"]
