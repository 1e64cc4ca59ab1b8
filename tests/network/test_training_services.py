"""Joint training services: programmes and sessions, nomination with the call and the per-country quota,
selection, attendance per day and test scores, with every bad input the issue names.

The builders at the top are shared by the other test_training_* files.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.concurrency import StaleEditError
from cleanasia.directory.models import Person
from cleanasia.network.models import (
    AssessmentScore,
    AttendanceRecord,
    Field,
    TraineeNomination,
    TraineeState,
    TrainingSession,
)
from cleanasia.network.services import training as services
from tests.factories import CountryFactory, PersonFactory

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


# --- builders shared by the training tests ------------------------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def make_field(code: str = "air", position: int = 0) -> Field:
    names = {"air": ("Air quality", "大気"), "water": ("Water", "水")}.get(code, (code.title(), code))
    field, _created = Field.objects.get_or_create(
        code=code, defaults={"name_en": names[0], "name_ja": names[1], "position": position}
    )
    return field


def make_programme(*, field: Field | None = None, language: str = "en", visibility: str = "public", **extra):
    n = next(_seq)
    return services.programme_create(
        actor=None,
        code=extra.pop("code", f"course-{n}"),
        field=field or make_field(),
        level=extra.pop("level", "introductory"),
        title_en=extra.pop("title_en", f"Air quality monitoring {n}"),
        title_ja=extra.pop("title_ja", f"大気環境モニタリング研修{n}"),
        language=language,
        visibility=visibility,
        **extra,
    )


def make_session(
    programme=None,
    *,
    starts_on: dt.date | None = None,
    days: int = 5,
    quota: int = 2,
    call: tuple[dt.date | None, dt.date | None] | None = None,
    visibility: str | None = None,
    **extra,
) -> TrainingSession:
    """A session of `days` days; by default in three weeks, with its call open today."""
    starts_on = starts_on or today() + dt.timedelta(days=21)
    if call is None:
        call = (
            (today() - dt.timedelta(days=10), today() + dt.timedelta(days=7)) if starts_on > today() else (None, None)
        )
    return services.session_create(
        actor=None,
        programme=programme or make_programme(),
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1),
        call_opens_on=call[0],
        call_closes_on=call[1],
        quota_per_country=quota,
        visibility=visibility,
        venue_en=extra.pop("venue_en", "Hanoi"),
        **extra,
    )


def nominate(
    session,
    country: str = "VN",
    name: str | None = None,
    *,
    gender: str = "female",
    state: str = TraineeState.NOMINATED,
    person=None,
    **person_data,
) -> TraineeNomination:
    """A nomination made by the system, moved to `state` by the system; a new person unless `person`."""
    if person is None:
        n = next(_seq)
        person_data.setdefault("name_en", name or f"Trainee {n}")
        person_data.setdefault("name_ja", f"研修生{n}")
    nomination = services.trainee_nominate(
        actor=None,
        session=session,
        person=person,
        person_data=None if person is not None else person_data,
        country=CountryFactory(code=country),
        gender=gender,
        motivation="Works on air monitoring.",
    )
    moves = {
        TraineeState.SELECTED: services.trainee_select,
        TraineeState.WAITLISTED: services.trainee_waitlist,
        TraineeState.NOT_SELECTED: services.trainee_decline,
        TraineeState.WITHDRAWN: services.trainee_withdraw,
    }
    if state in moves:
        nomination = moves[state](actor=None, nomination=nomination)
    return nomination


def attend(nomination, *statuses: str) -> None:
    """Record one status per day from the session's first day."""
    for offset, status in enumerate(statuses):
        day = nomination.session.starts_on + dt.timedelta(days=offset)
        services.attendance_record(actor=None, nomination=nomination, day=day, status=status)


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


def codes(record) -> list[str]:
    return list(record.history.order_by("history_id").values_list("action_code", flat=True))


# --- programmes and sessions --------------------------------------------------------------------------


def test_the_secretariat_creates_a_programme_and_a_session_with_their_history(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    programme = services.programme_create(
        actor=secretariat, code="aq-monitoring", field=make_field(), level="intermediate", title_en="Air monitoring"
    )
    assert programme.visibility == "secretariat", "a new programme is a draft until published"
    start = today() + dt.timedelta(days=30)
    session = services.session_create(
        actor=secretariat,
        programme=programme,
        starts_on=start,
        ends_on=start + dt.timedelta(days=4),
        call_opens_on=today(),
        call_closes_on=start - dt.timedelta(days=7),
        quota_per_country=3,
        host_country=CountryFactory(code="VN"),
    )
    assert (session.mode, session.visibility, session.quota_per_country) == ("in_person", "secretariat", 3)
    assert codes(programme) == ["network.training.programme.created"]
    assert codes(session) == ["network.training.session.created"]
    assert programme.history.first().history_user == secretariat


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_creates_and_changes_programmes_and_sessions(role, make_user):
    user = make_user(role)
    programme = make_programme()
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=user, code="x", field=make_field(), level="advanced", title_en="X")
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=user, programme=programme, expected_version=1, changes={"title_en": "Y"})
    with pytest.raises(PermissionDenied):
        services.session_create(actor=user, programme=programme, starts_on=today(), ends_on=today())
    session = make_session(programme)
    with pytest.raises(PermissionDenied):
        services.session_update(actor=user, session=session, expected_version=1, changes={"quota_per_country": 9})


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "Air Course"}, "code"),
        ({"code": "taken"}, "code"),
        ({"title_en": " ", "title_ja": ""}, "title_ja"),
        ({"level": "expert"}, "level"),
        ({"mode": "radio"}, "mode"),
        ({"language": "English"}, "language"),
        ({"field": "inactive"}, "field"),
    ],
)
def test_a_programme_with_bad_input_is_refused_naming_the_field(values, field):
    make_programme(code="taken")
    if values.get("field") == "inactive":
        values["field"] = Field.objects.create(code="old", name_en="Old", is_active=False)
    arguments = {"code": "new-course", "field": make_field(), "level": "introductory", "title_en": "New"} | values
    with pytest.raises(ValidationError) as exc:
        services.programme_create(actor=None, **arguments)
    assert field in errors(exc)


def test_a_programme_edit_carries_its_version_and_a_stale_one_is_refused(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    programme = make_programme(visibility="secretariat")
    staff = Group.objects.create(name="Training staff")
    programme = services.programme_update(
        actor=secretariat,
        programme=programme,
        expected_version=1,
        changes={"visibility": "groups", "audience_groups": [staff], "title_en": "Renamed"},
    )
    assert (programme.version, programme.title_en) == (2, "Renamed")
    assert list(programme.audience_groups.all()) == [staff]
    with pytest.raises(StaleEditError):
        services.programme_update(
            actor=secretariat, programme=programme, expected_version=1, changes={"level": "advanced"}
        )
    with pytest.raises(ValidationError) as exc:
        services.programme_update(actor=secretariat, programme=programme, expected_version=2, changes={"is_demo": True})
    assert "is_demo" in errors(exc)
    assert codes(programme)[-1] == "network.training.programme.updated"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"ends_on": -1}, "ends_on"),
        ({"starts_on": "datetime"}, "starts_on"),
        ({"call_opens_on": 5, "call_closes_on": 2}, "call_closes_on"),
        ({"call_closes_on": 25}, "call_closes_on"),
        ({"quota_per_country": 0}, "quota_per_country"),
        ({"mode": "radio"}, "mode"),
    ],
)
def test_a_session_with_bad_input_is_refused_naming_the_field(values, field):
    start = today() + dt.timedelta(days=21)
    arguments = {"starts_on": start, "ends_on": start + dt.timedelta(days=4)}
    for name, value in values.items():
        if name == "ends_on":
            arguments[name] = start + dt.timedelta(days=value)
        elif value == "datetime":
            arguments[name] = timezone.now()
        elif name.startswith("call_"):
            arguments[name] = today() + dt.timedelta(days=value)
        else:
            arguments[name] = value
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=None, programme=make_programme(), **arguments)
    assert field in errors(exc)


def test_a_session_cannot_be_moved_away_from_recorded_attendance_nor_lose_places_already_taken():
    session = make_session(quota=3)
    trainee = nominate(session, "VN", state=TraineeState.SELECTED)
    nominate(session, "VN")
    nominate(session, "VN")
    attend(trainee, "present", "present")
    with pytest.raises(ValidationError) as exc:
        services.session_update(
            actor=None,
            session=session,
            expected_version=session.version,
            changes={"starts_on": session.starts_on + dt.timedelta(days=1)},
        )
    assert "which the new dates leave out" in errors(exc)["starts_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.session_update(
            actor=None, session=session, expected_version=session.version, changes={"quota_per_country": 2}
        )
    assert "Viet Nam already has 3 nominations" in errors(exc)["quota_per_country"][0]
    session = services.session_update(
        actor=None,
        session=session,
        expected_version=session.version,
        changes={"ends_on": session.ends_on + dt.timedelta(days=1), "quota_per_country": 4},
    )
    assert session.quota_per_country == 4
    assert codes(session)[-1] == "network.training.session.updated"


# --- nomination ---------------------------------------------------------------------------------------


def test_a_focal_point_nominates_a_trainee_without_an_account(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    session = make_session()
    nomination = services.trainee_nominate(
        actor=focal_point,
        session=session,
        person_data={"name_en": "Nguyen Thi Lan", "name_ja": "グエン・ティ・ラン", "email": "lan@example.vn"},
        country=CountryFactory(code="VN"),
        gender="female",
        motivation="  Runs the Hanoi monitoring network.  ",
    )
    person = nomination.person
    assert (person.name_en, person.user, person.country_id, person.visibility) == (
        "Nguyen Thi Lan",
        None,
        "VN",
        "secretariat",
    )
    assert (nomination.state, nomination.nominated_by, nomination.motivation) == (
        "nominated",
        focal_point,
        "Runs the Hanoi monitoring network.",
    )
    assert codes(nomination) == ["network.training.nomination.created"]
    assert codes(person) == ["network.training.trainee.added"]


def test_a_returning_trainee_given_by_email_keeps_their_directory_record():
    known = PersonFactory(email="lan@example.vn", country=CountryFactory(code="VN"))
    nomination = nominate(make_session(), "VN", email="LAN@example.vn")
    assert nomination.person == known
    assert Person.objects.filter(email__iexact="lan@example.vn").count() == 1


def test_a_nomination_over_the_countrys_quota_is_refused_and_a_withdrawal_frees_the_place(make_user):
    focal_point = make_user(Role.FOCAL_POINT, country="VN")
    session = make_session(quota=2)
    first = nominate(session, "VN")
    nominate(session, "VN", state=TraineeState.NOT_SELECTED)  # a declined nomination still holds its place
    nominate(session, "TH")
    vn = CountryFactory(code="VN")
    arguments = {"actor": focal_point, "session": session, "country": vn, "gender": "male", "motivation": ""}
    with pytest.raises(ValidationError) as exc:
        services.trainee_nominate(person_data={"name_en": "Third"}, **arguments)
    message = errors(exc)["country"][0]
    assert "Viet Nam has used its quota of 2 places per country" in message
    assert not Person.objects.filter(name_en="Third").exists(), "a refused nomination adds nobody to the directory"
    services.trainee_withdraw(actor=focal_point, nomination=first)
    third = services.trainee_nominate(person_data={"name_en": "Third"}, **arguments)
    assert third.state == TraineeState.NOMINATED


def test_the_same_person_is_not_nominated_twice_for_a_session():
    session = make_session(quota=5)
    person = PersonFactory()
    nominate(session, "VN", person=person)
    with pytest.raises(ValidationError) as exc:
        nominate(session, "VN", person=person)
    assert "already nominated for this session (nominated)" in errors(exc)["person"][0]


def test_a_focal_point_nominates_for_their_own_country_only_and_other_roles_not_at_all(make_user):
    session = make_session()
    arguments = {"session": session, "person_data": {"name_en": "A"}, "gender": "male", "motivation": ""}
    with pytest.raises(ValidationError) as exc:
        services.trainee_nominate(
            actor=make_user(Role.FOCAL_POINT, country="TH"), country=CountryFactory(code="VN"), **arguments
        )
    assert "only the focal point of Viet Nam nominates" in errors(exc)["country"][0]
    for actor in (make_user(Role.EXPERT), make_user(Role.WG_MEMBER), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.trainee_nominate(actor=actor, country=CountryFactory(code="VN"), **arguments)
    assert not TraineeNomination.objects.exists()


def test_a_focal_point_cannot_nominate_for_a_session_they_may_not_see(make_user):
    session = make_session(visibility="secretariat")
    with pytest.raises(PermissionDenied):
        services.trainee_nominate(
            actor=make_user(Role.FOCAL_POINT, country="VN"),
            session=session,
            person_data={"name_en": "A"},
            country=CountryFactory(code="VN"),
            gender="male",
            motivation="",
        )


@pytest.mark.parametrize(
    ("call", "field", "phrase"),
    [
        ((5, 10), "call_opens_on", "opens on"),
        ((-10, -1), "call_closes_on", "Ask the secretariat to add a late nomination"),
    ],
)
def test_focal_points_nominate_only_while_the_call_is_open_the_secretariat_also_late(call, field, phrase, make_user):
    session = make_session(call=(today() + dt.timedelta(days=call[0]), today() + dt.timedelta(days=call[1])))
    arguments = {"session": session, "country": CountryFactory(code="VN"), "gender": "female", "motivation": ""}
    with pytest.raises(ValidationError) as exc:
        services.trainee_nominate(
            actor=make_user(Role.FOCAL_POINT, country="VN"), person_data={"name_en": "Early"}, **arguments
        )
    assert phrase in errors(exc)[field][0]
    late = services.trainee_nominate(actor=make_user(Role.SECRETARIAT), person_data={"name_en": "Late"}, **arguments)
    assert late.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person": "both"}, "person"),
        ({"person_data": None}, "person"),
        ({"gender": "unknown"}, "gender"),
        ({"person_data": {"name_en": " ", "name_ja": ""}}, "person_data.name_ja"),
        ({"person_data": {"name_en": "A", "user": 1}}, "person_data.user"),
    ],
)
def test_a_nomination_with_bad_input_is_refused_naming_the_field(change, field):
    session = make_session()
    arguments = {
        "actor": None,
        "session": session,
        "person_data": {"name_en": "A"},
        "country": CountryFactory(code="VN"),
        "gender": "female",
        "motivation": "",
    } | change
    if arguments.get("person") == "both":
        arguments["person"] = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        services.trainee_nominate(**arguments)
    assert field in errors(exc)


# --- selection ---------------------------------------------------------------------------------------


def test_the_secretariat_selects_waitlists_and_declines(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    session = make_session(quota=3)
    first, second, third = nominate(session), nominate(session), nominate(session)
    first = services.trainee_select(actor=secretariat, nomination=first)
    second = services.trainee_waitlist(actor=secretariat, nomination=second)
    third = services.trainee_decline(actor=secretariat, nomination=third)
    second = services.trainee_select(actor=secretariat, nomination=second)
    assert [n.state for n in (first, second, third)] == ["selected", "selected", "not_selected"]
    assert codes(second) == [
        "network.training.nomination.created",
        "network.training.nomination.waitlisted",
        "network.training.nomination.selected",
    ]
    assert second.version == 3


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_decides_on_nominations(role, make_user):
    user = make_user(role, country="VN") if role == Role.FOCAL_POINT else make_user(role)
    nomination = nominate(make_session(), "VN")
    for decide in (services.trainee_select, services.trainee_waitlist, services.trainee_decline):
        with pytest.raises(PermissionDenied):
            decide(actor=user, nomination=nomination)


def test_the_nominating_focal_point_withdraws_another_countrys_may_not(make_user):
    nomination = nominate(make_session(), "VN", state=TraineeState.SELECTED)
    with pytest.raises(PermissionDenied):
        services.trainee_withdraw(actor=make_user(Role.FOCAL_POINT, country="TH"), nomination=nomination)
    with pytest.raises(PermissionDenied):
        services.trainee_withdraw(actor=make_user(Role.EXPERT), nomination=nomination)
    withdrawn = services.trainee_withdraw(actor=make_user(Role.FOCAL_POINT, country="VN"), nomination=nomination)
    assert withdrawn.state == TraineeState.WITHDRAWN
    with pytest.raises(ValidationError) as exc:
        services.trainee_select(actor=None, nomination=withdrawn)
    assert "withdrawn cannot become selected" in errors(exc)["state"][0]


def test_a_trainee_holding_a_certificate_stays_selected():
    nomination = nominate(make_session(days=1), "VN", state=TraineeState.SELECTED)
    attend(nomination, "present")
    certificate = services.certificate_issue(actor=None, nomination=nomination)
    with pytest.raises(ValidationError) as exc:
        services.trainee_withdraw(actor=None, nomination=nomination)
    assert certificate.code in errors(exc)["state"][0]


# --- attendance ------------------------------------------------------------------------------------------


def test_attendance_is_recorded_per_day_for_a_trainee_without_an_account_and_corrected_in_place(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    session = make_session(days=3)
    nomination = nominate(session, "VN", state=TraineeState.SELECTED)
    assert nomination.person.user is None
    first = services.attendance_record(actor=secretariat, nomination=nomination, day=session.starts_on, status="late")
    again = services.attendance_record(
        actor=secretariat, nomination=nomination, day=session.starts_on, status="present"
    )
    services.attendance_record(actor=secretariat, nomination=nomination, day=session.ends_on, status="excused")
    assert again.pk == first.pk
    assert list(nomination.attendance.values_list("day", "status")) == [
        (session.starts_on, "present"),
        (session.ends_on, "excused"),
    ]
    assert codes(again) == ["network.training.attendance.recorded", "network.training.attendance.changed"]
    services.attendance_record(actor=secretariat, nomination=nomination, day=session.ends_on, status="excused")
    assert AttendanceRecord.objects.get(nomination=nomination, day=session.ends_on).version == 1, "no change, no row"


@pytest.mark.parametrize("offset", [-1, 3])
def test_attendance_for_a_day_outside_the_session_is_refused(offset):
    session = make_session(days=3)
    nomination = nominate(session, "VN", state=TraineeState.SELECTED)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            actor=None, nomination=nomination, day=session.starts_on + dt.timedelta(days=offset), status="present"
        )
    assert "is outside the session, which runs from" in errors(exc)["day"][0]
    assert not AttendanceRecord.objects.exists()


def test_attendance_is_refused_for_a_trainee_not_selected_a_bad_status_or_a_moment():
    session = make_session()
    waitlisted = nominate(session, "VN", state=TraineeState.WAITLISTED)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=None, nomination=waitlisted, day=session.starts_on, status="present")
    assert "selected trainees only" in errors(exc)["nomination"][0]
    selected = nominate(session, "VN", state=TraineeState.SELECTED)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=None, nomination=selected, day=session.starts_on, status="asleep")
    assert "status" in errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=None, nomination=selected, day=timezone.now(), status="present")
    assert "day" in errors(exc)


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_records_attendance_and_scores(role, make_user):
    user = make_user(role, country="VN") if role == Role.FOCAL_POINT else make_user(role)
    nomination = nominate(make_session(), "VN", state=TraineeState.SELECTED)
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=user, nomination=nomination, day=nomination.session.starts_on, status="present"
        )
    with pytest.raises(PermissionDenied):
        services.assessment_record(actor=user, nomination=nomination, kind="pre", score=50)


# --- test scores ------------------------------------------------------------------------------------


def test_pre_and_post_test_scores_are_recorded_once_each_and_corrected_in_place():
    nomination = nominate(make_session(), "VN", state=TraineeState.SELECTED)
    pre = services.assessment_record(actor=None, nomination=nomination, kind="pre", score="35.5", max_score=50)
    services.assessment_record(actor=None, nomination=nomination, kind="post", score=45, max_score=50)
    corrected = services.assessment_record(actor=None, nomination=nomination, kind="pre", score=30, max_score=50)
    assert corrected.pk == pre.pk
    assert sorted(AssessmentScore.objects.values_list("kind", "score", "max_score")) == [
        ("post", Decimal("45.00"), Decimal("50.00")),
        ("pre", Decimal("30.00"), Decimal("50.00")),
    ]
    assert codes(corrected) == ["network.training.assessment.recorded", "network.training.assessment.changed"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"score": 101}, "score"),
        ({"score": -1}, "score"),
        ({"score": "lots"}, "score"),
        ({"score": "NaN"}, "score"),
        ({"score": 0, "max_score": 0}, "max_score"),
        ({"kind": "mid"}, "kind"),
        ({"score": "12.345"}, "score"),
    ],
)
def test_a_score_with_bad_input_is_refused_naming_the_field(values, field):
    nomination = nominate(make_session(), "VN", state=TraineeState.SELECTED)
    arguments = {"kind": "pre", "score": 50} | values
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(actor=None, nomination=nomination, **arguments)
    assert field in errors(exc)


def test_scores_are_recorded_for_selected_trainees_only():
    nomination = nominate(make_session(), "VN")
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(actor=None, nomination=nomination, kind="pre", score=50)
    assert "selected trainees only" in errors(exc)["nomination"][0]
