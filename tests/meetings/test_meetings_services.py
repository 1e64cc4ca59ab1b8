"""Services of series and meetings: invitations by dated membership, every validation rule, statuses,
rescheduling, versioned edits and the secretariat-only writes."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.permissions import can
from cleanasia.directory.models import GroupMembership
from cleanasia.meetings.models import AgendaItem, Meeting, MeetingSeries, ReminderAnchor, ReminderRule
from cleanasia.meetings.services import meetings as services

from ..conftest import ROLES
from ..factories import CountryFactory, OrganisationFactory
from .factories import make_group, make_meeting, make_series

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def at(year, month, day, hour=9, zone=HCM):
    return dt.datetime(year, month, day, hour, tzinfo=zone)


def field_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


@pytest.fixture
def staff(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def eas():
    """A group like the EAS: founders from 2005, the United States from 19 Nov 2011, one that left in 2009."""
    group = make_group("eas-test", members=("JP", "VN", "TH"), since=dt.date(2005, 12, 14))
    GroupMembership.objects.create(group=group, country=CountryFactory(code="US"), joined_on=dt.date(2011, 11, 19))
    GroupMembership.objects.create(
        group=group, country=CountryFactory(code="MN"), joined_on=dt.date(2005, 12, 14), left_on=dt.date(2009, 1, 1)
    )
    return group


def create(staff, series, **kwargs):
    values = {
        "series": series,
        "ordinal": 1,
        "title_ja": "第1回会合",
        "title_en": "1st meeting",
        "starts_at": at(2031, 10, 9, 14),
        "ends_at": at(2031, 10, 9, 18),
        "time_zone": "Asia/Ho_Chi_Minh",
        **kwargs,
    }
    return services.meeting_create(actor=staff, **values)


# --- invitations -------------------------------------------------------------------------------------


def test_invited_countries_are_the_groups_members_on_the_meetings_date(staff, eas):
    series = make_series("EMM", group=eas)
    series.extra_countries.add(CountryFactory(code="KR"))
    observer = OrganisationFactory()
    series.observer_organisations.add(observer)
    in_2008 = create(staff, series, ordinal=1, starts_at=at(2008, 10, 9, 14), ends_at=at(2008, 10, 9, 18))
    in_2014 = create(staff, series, ordinal=4, starts_at=at(2014, 10, 31), ends_at=at(2014, 10, 31, 17))
    assert set(in_2008.invited_countries.values_list("code", flat=True)) == {"JP", "VN", "TH", "MN", "KR"}
    assert set(in_2014.invited_countries.values_list("code", flat=True)) == {"JP", "VN", "TH", "US", "KR"}
    assert list(in_2014.observer_organisations.all()) == [observer]


def test_the_meetings_date_is_taken_where_the_meeting_is(staff, eas):
    """The US joined on 19 Nov 2011: a meeting at 00:30 that day in Tokyo is still the 18th in UTC."""
    series = make_series("EMM", group=eas)
    starts = dt.datetime(2011, 11, 19, 0, 30, tzinfo=TOKYO)
    meeting = create(staff, series, starts_at=starts, ends_at=starts + dt.timedelta(hours=3), time_zone="Asia/Tokyo")
    assert starts.astimezone(dt.UTC).date() == dt.date(2011, 11, 18)
    assert "US" in set(meeting.invited_countries.values_list("code", flat=True))


def test_explicit_invitations_and_visibility_override_the_series(staff, eas):
    series = make_series("EMM", group=eas, visibility="members")
    default = create(staff, series, ordinal=1)
    chosen = create(staff, series, ordinal=2, invited_countries=[CountryFactory(code="VN")], visibility="public")
    assert default.visibility == "members"
    assert list(chosen.invited_countries.values_list("code", flat=True)) == ["VN"]
    assert chosen.visibility == "public"


# --- validation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ordinal": 0}, "ordinal"),
        ({"ends_at": at(2031, 10, 9, 13)}, "ends_at"),
        ({"ends_at": at(2031, 10, 9, 14)}, "ends_at"),
        ({"time_zone": "Asia/Atlantis"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"registration_deadline": at(2031, 10, 9, 15)}, "registration_deadline"),
        ({"title_ja": "", "title_en": " "}, "title_ja"),
        ({"starts_at": dt.datetime(2031, 10, 9, 14)}, "starts_at"),
        ({"status": "postponed"}, "status_note"),
        ({"status": "held"}, "status"),
        ({"online_url": "not a link"}, "online_url"),
    ],
)
def test_bad_meeting_input_is_refused_naming_the_field(staff, changes, field):
    series = make_series()
    with pytest.raises(ValidationError) as excinfo:
        create(staff, series, **changes)
    assert field in field_of(excinfo)
    assert not Meeting.objects.exists()


def test_the_ordinal_is_unique_within_its_series_only(staff):
    series, other = make_series(), make_series()
    create(staff, series, ordinal=3)
    create(staff, other, ordinal=3)
    with pytest.raises(ValidationError) as excinfo:
        create(staff, series, ordinal=3)
    assert field_of(excinfo) == {"ordinal"}
    assert "already has a meeting with this number" in excinfo.value.message_dict["ordinal"][0]


def test_a_deadline_before_the_start_is_accepted(staff):
    meeting = create(staff, make_series(), registration_deadline=at(2031, 9, 1))
    assert meeting.registration_deadline == at(2031, 9, 1)


# --- who may write -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_creates_and_changes_meetings(role, make_user):
    actor = AnonymousUser() if role == "public" else make_user(role)
    allowed = role in (Role.SECRETARIAT, Role.ADMIN)
    series = make_series()
    meeting = make_meeting(series)
    writes = [
        lambda: create(actor, series, ordinal=9),
        lambda: services.meeting_update(
            actor=actor, meeting=meeting, expected_version=meeting.version, changes={"title_en": "x"}
        ),
        lambda: services.meeting_set_status(
            actor=actor, meeting=Meeting.objects.get(pk=meeting.pk), expected_version=2, status="confirmed"
        ),
        lambda: services.series_create(actor=actor, code=f"NEW-{role.upper()}", level="working", title_en="New"),
    ]
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    # Nothing is ever deleted, whoever asks.
    assert not can(actor, "delete", meeting)
    assert not can(actor, "delete", series)


# --- edits -------------------------------------------------------------------------------------------


def test_an_edit_makes_a_new_version_and_a_stale_one_is_refused(staff):
    meeting = create(staff, make_series())
    updated = services.meeting_update(
        actor=staff, meeting=meeting, expected_version=1, changes={"venue_en": "Sheraton Hanoi"}
    )
    assert updated.version == 2
    assert updated.history.first().action_code == "meetings.meeting.updated"
    assert updated.history.first().history_user == staff
    with pytest.raises(StaleEditError) as excinfo:
        services.meeting_update(actor=staff, meeting=meeting, expected_version=1, changes={"venue_en": "Other"})
    assert [c.field for c in excinfo.value.changes] == ["venue_en"]
    assert Meeting.objects.get(pk=meeting.pk).venue_en == "Sheraton Hanoi"


def test_invitations_change_through_an_edit_and_make_a_version(staff):
    meeting = create(staff, make_series())
    updated = services.meeting_update(
        actor=staff, meeting=meeting, expected_version=1, changes={"invited_countries": [CountryFactory(code="KH")]}
    )
    assert updated.version == 2
    assert list(updated.invited_countries.values_list("code", flat=True)) == ["KH"]


@pytest.mark.parametrize(("changes", "field"), [({"status": "held"}, "status"), ({"series": None}, "series")])
def test_an_edit_does_not_change_status_or_series(staff, changes, field):
    meeting = create(staff, make_series())
    if field == "series":
        changes = {"series": make_series()}
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_update(actor=staff, meeting=meeting, expected_version=1, changes=changes)
    assert field in field_of(excinfo)


def test_an_edit_checks_the_rules_against_the_merged_values(staff):
    meeting = create(staff, make_series(), registration_deadline=at(2031, 10, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_update(
            actor=staff, meeting=meeting, expected_version=1, changes={"starts_at": at(2031, 9, 30)}
        )
    assert "registration_deadline" in field_of(excinfo)


# --- status ------------------------------------------------------------------------------------------


def test_postponing_and_cancelling_need_a_note_and_keep_the_record(staff):
    meeting = create(staff, make_series())
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_set_status(actor=staff, meeting=meeting, expected_version=1, status="postponed", note=" ")
    assert field_of(excinfo) == {"status_note"}
    postponed = services.meeting_set_status(
        actor=staff, meeting=meeting, expected_version=1, status="postponed", note="Typhoon; new dates to follow."
    )
    assert (postponed.status, postponed.status_note, postponed.version) == (
        "postponed",
        "Typhoon; new dates to follow.",
        2,
    )
    cancelled = services.meeting_set_status(
        actor=staff, meeting=postponed, expected_version=2, status="cancelled", note="Merged with the next one."
    )
    assert Meeting.objects.filter(pk=meeting.pk, status="cancelled").exists()
    assert cancelled.history.first().action_code == "meetings.meeting.status_set"
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_set_status(actor=staff, meeting=cancelled, expected_version=3, status="confirmed")
    assert field_of(excinfo) == {"status"}
    reinstated = services.meeting_set_status(actor=staff, meeting=cancelled, expected_version=3, status="planned")
    assert (reinstated.status, reinstated.status_note) == ("planned", "")


def test_a_meeting_is_marked_held_only_once_started_and_held_is_final(staff):
    future = create(staff, make_series())
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_set_status(actor=staff, meeting=future, expected_version=1, status="held")
    assert field_of(excinfo) == {"status"}
    past = make_meeting(make_series(), starts_at=timezone.now() - dt.timedelta(days=3))
    held = services.meeting_set_status(actor=staff, meeting=past, expected_version=1, status="held")
    with pytest.raises(ValidationError):
        services.meeting_set_status(actor=staff, meeting=held, expected_version=2, status="cancelled", note="No")


def test_a_status_change_from_a_stale_version_is_refused(staff):
    meeting = create(staff, make_series())
    services.meeting_set_status(actor=staff, meeting=meeting, expected_version=1, status="confirmed")
    with pytest.raises(StaleEditError):
        services.meeting_set_status(actor=staff, meeting=meeting, expected_version=1, status="cancelled", note="x")


# --- rescheduling ------------------------------------------------------------------------------------


def test_rescheduling_moves_dates_deadline_and_agenda_slots_but_not_reminders(staff):
    meeting = create(staff, make_series(), registration_deadline=at(2031, 9, 25))
    item = AgendaItem.objects.create(
        meeting=meeting, number="1", title_en="Opening", starts_at=at(2031, 10, 9, 14), ends_at=at(2031, 10, 9, 15)
    )
    rule = ReminderRule.objects.create(meeting=meeting, anchor=ReminderAnchor.MEETING_START, offset=dt.timedelta(7))
    moved = services.meeting_reschedule(
        actor=staff, meeting=meeting, expected_version=1, starts_at=at(2031, 11, 2, 9), ends_at=at(2031, 11, 3, 17)
    )
    item.refresh_from_db()
    assert (moved.starts_at, moved.ends_at) == (at(2031, 11, 2, 9), at(2031, 11, 3, 17))
    assert moved.registration_deadline == at(2031, 9, 25) + (at(2031, 11, 2, 9) - at(2031, 10, 9, 14))
    assert (item.starts_at, item.ends_at) == (at(2031, 11, 2, 9), at(2031, 11, 2, 10))
    assert item.history.first().action_code == "meetings.agenda_item.moved"
    assert moved.history.first().action_code == "meetings.meeting.rescheduled"
    rule.refresh_from_db()
    assert rule.offset == dt.timedelta(7)


def test_rescheduling_refuses_dates_that_would_leave_agenda_slots_outside(staff):
    meeting = create(staff, make_series(), ends_at=at(2031, 10, 10, 18))
    AgendaItem.objects.create(
        meeting=meeting, number="7", title_en="Closing", starts_at=at(2031, 10, 10, 16), ends_at=at(2031, 10, 10, 17)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_reschedule(
            actor=staff, meeting=meeting, expected_version=1, starts_at=at(2031, 11, 2), ends_at=at(2031, 11, 2, 17)
        )
    assert "7" in excinfo.value.message_dict["ends_at"][0]
    assert Meeting.objects.get(pk=meeting.pk).starts_at == at(2031, 10, 9, 14)


def test_a_held_meeting_is_not_rescheduled(staff):
    past = make_meeting(make_series(), starts_at=timezone.now() - dt.timedelta(days=3), status="held")
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_reschedule(
            actor=staff, meeting=past, expected_version=1, starts_at=at(2030, 1, 1), ends_at=at(2030, 1, 2)
        )
    assert field_of(excinfo) == {"starts_at"}


# --- series ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"code": "eas emm"}, "code"),
        ({"code": "EAS/EMM"}, "code"),
        ({"code": "TAKEN"}, "code"),
        ({"title_ja": "", "title_en": ""}, "title_ja"),
        ({"symbol_scheme": "{series}/{prefix}.{number}"}, "symbol_scheme"),
        ({"symbol_scheme": "{series}/{ordinal}/{kind}.{number}"}, "symbol_scheme"),
        ({"level": "cosmic"}, "level"),
    ],
)
def test_bad_series_input_is_refused_naming_the_field(staff, kwargs, field):
    make_series("TAKEN")
    values = {"code": "EAS-EMM", "level": "ministerial", "title_en": "EAS EMM", **kwargs}
    with pytest.raises(ValidationError) as excinfo:
        services.series_create(actor=staff, **values)
    assert field in field_of(excinfo)


def test_series_edits_are_versioned_and_the_code_is_fixed_once_it_has_meetings(staff, eas):
    series = services.series_create(
        actor=staff, code="WL", level="working", title_en="Working level", membership_group=eas
    )
    parent = make_series("EMM")
    series = services.series_update(actor=staff, series=series, expected_version=1, changes={"follows_up": [parent]})
    assert series.version == 2
    assert list(series.follows_up.all()) == [parent]
    with pytest.raises(ValidationError) as excinfo:
        services.series_update(actor=staff, series=series, expected_version=2, changes={"follows_up": [series]})
    assert field_of(excinfo) == {"follows_up"}
    series = services.series_update(actor=staff, series=series, expected_version=2, changes={"code": "WL-2"})
    create(staff, series)
    with pytest.raises(ValidationError) as excinfo:
        services.series_update(actor=staff, series=series, expected_version=3, changes={"code": "WL-3"})
    assert field_of(excinfo) == {"code"}
    with pytest.raises(StaleEditError):
        services.series_update(actor=staff, series=series, expected_version=1, changes={"title_en": "Late"})
    assert MeetingSeries.objects.get(pk=series.pk).history.first().action_code == "meetings.series.updated"
