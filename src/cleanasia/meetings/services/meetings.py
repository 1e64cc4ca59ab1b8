"""Every write of meeting series and meetings, and of the personal calendar-feed links.

Each function takes the acting user (`actor=None` is the system: the
reference loader, commands), checks the policy, validates (ValidationError
naming the field), writes in one transaction and marks the history row with
its action code (policies.meetings). Edits of existing records carry the
version the user started from and are refused when stale.

Nothing is deleted: a postponed or cancelled meeting keeps its record, with
a note saying why. Reminders of other areas are stored relative to the
meeting's start, so rescheduling moves them without touching them; the
agenda's time slots are moved here, by the same amount.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, can

from ..models import (
    DEFAULT_SYMBOL_SCHEME,
    AgendaItem,
    CalendarFeedToken,
    Meeting,
    MeetingFormat,
    MeetingSeries,
    MeetingStatus,
)
from ..models.calendar import new_feed_token
from ..policies.meetings import (
    AGENDA_ITEM_MOVED,
    MEETING_CREATED,
    MEETING_RESCHEDULED,
    MEETING_STATUS_SET,
    MEETING_UPDATED,
    SERIES_CREATED,
    SERIES_UPDATED,
)

SERIES_M2M = ("extra_countries", "observer_organisations", "follows_up", "audience_groups")
MEETING_M2M = ("invited_countries", "observer_organisations", "chair_people", "audience_groups")
SERIES_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")

# Where a meeting may go from each status. "Held" is final; a cancelled meeting may be reinstated.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset(
        {MeetingStatus.CONFIRMED, MeetingStatus.HELD, MeetingStatus.POSTPONED, MeetingStatus.CANCELLED}
    ),
    MeetingStatus.CONFIRMED: frozenset(
        {MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.POSTPONED, MeetingStatus.CANCELLED}
    ),
    MeetingStatus.POSTPONED: frozenset({MeetingStatus.PLANNED, MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED}),
    MeetingStatus.CANCELLED: frozenset({MeetingStatus.PLANNED}),
    MeetingStatus.HELD: frozenset(),
}
NOTE_NEEDED = (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED)


# --- helpers -------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    """Refuse what the policies do not allow; `None` is the system (loader, commands)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    """An IANA zone name this installation knows (e.g. Asia/Ho_Chi_Minh)."""
    return bool(name) and name in _known_zones()


def local_date(moment: dt.datetime, time_zone: str) -> dt.date:
    """The calendar day of `moment` where the meeting is (falls back to UTC for an unknown zone)."""
    zone = zoneinfo.ZoneInfo(time_zone) if is_time_zone(time_zone) else dt.UTC
    return moment.astimezone(zone).date()


def _require_title(values: dict[str, Any]) -> None:
    if not (values.get("title_ja") or "").strip() and not (values.get("title_en") or "").strip():
        raise ValidationError({"title_ja": _("Give the title in Japanese or in English.")})


def _require_aware(values: dict[str, Any], *names: str) -> None:
    for name in names:
        value = values.get(name)
        if value is not None and timezone.is_naive(value):
            raise ValidationError({name: _("Give the date and time with its time zone.")})


# --- series ----------------------------------------------------------------------------------------


def _check_series(values: dict[str, Any], *, series: MeetingSeries | None = None) -> None:
    code = values.get("code") or ""
    if not SERIES_CODE.match(code):
        raise ValidationError(
            {"code": _("Use capital letters, digits and hyphens only (it starts document symbols), e.g. EAS-EMM.")}
        )
    clash = MeetingSeries.objects.filter(code=code)
    if series is not None:
        clash = clash.exclude(pk=series.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another series already has this code; choose another.")})
    _require_title(values)
    scheme = values.get("symbol_scheme") or ""
    try:
        scheme.format(series="X", ordinal=1, prefix="P", number=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(
            {"symbol_scheme": _("Use only the placeholders {series}, {ordinal}, {prefix} and {number}.")}
        ) from exc
    if "{ordinal}" not in scheme or "{number}" not in scheme:
        raise ValidationError(
            {"symbol_scheme": _("Include {ordinal} and {number}, so that every document gets its own symbol.")}
        )


def series_create(
    *,
    actor: Any,
    code: str,
    level: str,
    title_ja: str = "",
    title_en: str = "",
    short_title_ja: str = "",
    short_title_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    membership_group: Any = None,
    extra_countries: Iterable[Any] = (),
    observer_organisations: Iterable[Any] = (),
    follows_up: Iterable[MeetingSeries] = (),
    symbol_scheme: str = DEFAULT_SYMBOL_SCHEME,
    retention_days: int = 3 * 365,
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    source: str = "",
    is_demo: bool = False,
    action_code: str = SERIES_CREATED,
) -> MeetingSeries:
    """Create a meeting series; its group's members (on each meeting's date) will be invited by default."""
    _require(actor, ADD, MeetingSeries, _("Only the secretariat creates meeting series."))
    values = {"code": code, "title_ja": title_ja, "title_en": title_en, "symbol_scheme": symbol_scheme}
    _check_series(values)
    with transaction.atomic():
        series = MeetingSeries(
            code=code,
            level=level,
            title_ja=title_ja,
            title_en=title_en,
            short_title_ja=short_title_ja,
            short_title_en=short_title_en,
            description_ja=description_ja,
            description_en=description_en,
            membership_group=membership_group,
            symbol_scheme=symbol_scheme,
            retention_days=retention_days,
            visibility=visibility,
            source=source,
            is_demo=is_demo,
        )
        series.full_clean()
        mark_action(series, action_code, actor=actor)
        series.save()
        series.extra_countries.set(list(extra_countries))
        series.observer_organisations.set(list(observer_organisations))
        series.follows_up.set(list(follows_up))
        series.audience_groups.set(list(audience_groups))
    return series


def series_update(
    *,
    actor: Any,
    series: MeetingSeries,
    expected_version: int,
    changes: dict[str, Any],
    action_code: str = SERIES_UPDATED,
) -> MeetingSeries:
    """Change a series (m2m keys allowed: extra_countries, observer_organisations, follows_up, audience_groups)."""
    _require(actor, CHANGE, series, _("Only the secretariat changes meeting series."))
    changes = dict(changes)
    m2m = {name: list(changes.pop(name)) for name in SERIES_M2M if name in changes}
    merged = {
        name: changes.get(name, getattr(series, name)) for name in ("code", "title_ja", "title_en", "symbol_scheme")
    }
    _check_series(merged, series=series)
    if "code" in changes and changes["code"] != series.code and series.meetings.exists():
        raise ValidationError(
            {"code": _("The code is part of the symbols of this series' documents; it cannot change any more.")}
        )
    if any(other.pk == series.pk for other in m2m.get("follows_up", [])):
        raise ValidationError({"follows_up": _("A series cannot follow itself up; choose another series.")})
    with transaction.atomic():
        if changes or m2m:
            # An m2m-only edit still makes a new version, so that history and concurrency see it.
            series = versioned_update(
                actor=actor,
                instance=series,
                expected_version=expected_version,
                changes=changes,
                action_code=action_code,
            )
        for name, values in m2m.items():
            getattr(series, name).set(values)
    return series


# --- meetings ---------------------------------------------------------------------------------------


def invited_countries_default(series: MeetingSeries, starts_at: dt.datetime, time_zone: str) -> list[Any]:
    """Members of the series' group on the meeting's (local) date, plus the series' other invited countries."""
    from cleanasia.directory.models import Country

    codes: set[str] = set()
    if series.membership_group_id:
        day = local_date(starts_at, time_zone)
        codes |= set(series.membership_group.members_on(day).values_list("code", flat=True))
    codes |= set(series.extra_countries.values_list("code", flat=True))
    return list(Country.objects.filter(code__in=codes).order_by("name_en"))


def _check_meeting(values: dict[str, Any], *, meeting: Meeting | None = None) -> None:
    _require_title(values)
    ordinal = values.get("ordinal")
    if not isinstance(ordinal, int) or ordinal < 1:
        raise ValidationError({"ordinal": _("Give the meeting's number in its series: 1 for the 1st meeting.")})
    clash = Meeting.objects.filter(series=values["series"], ordinal=ordinal)
    if meeting is not None:
        clash = clash.exclude(pk=meeting.pk)
    if clash.exists():
        raise ValidationError(
            {"ordinal": _("This series already has a meeting with this number; give the next free number.")}
        )
    for name in ("starts_at", "ends_at"):
        if values.get(name) is None:
            raise ValidationError({name: _("Give the date and time.")})
    _require_aware(values, "starts_at", "ends_at", "registration_deadline")
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationError({"ends_at": _("The meeting must end after it starts; check the end date and time.")})
    if not is_time_zone(values.get("time_zone") or ""):
        raise ValidationError(
            {"time_zone": _("Give the IANA name of the venue's time zone, for example Asia/Ho_Chi_Minh.")}
        )
    deadline = values.get("registration_deadline")
    if deadline is not None and deadline >= values["starts_at"]:
        raise ValidationError(
            {"registration_deadline": _("The registration deadline must come before the meeting starts.")}
        )


def _check_status(meeting_starts_at: dt.datetime, status: str, note: str, previous: str | None) -> None:
    if status not in MeetingStatus.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    if previous is not None and status != previous and status not in STATUS_TRANSITIONS[previous]:
        raise ValidationError(
            {
                "status": _("A meeting that is %(current)s cannot become %(new)s.")
                % {"current": MeetingStatus(previous).label, "new": MeetingStatus(status).label}
            }
        )
    if status in NOTE_NEEDED and not (note or "").strip():
        raise ValidationError({"status_note": _("Say why the meeting is postponed or cancelled.")})
    if status == MeetingStatus.HELD and meeting_starts_at > timezone.now():
        raise ValidationError({"status": _("A meeting can be marked as held only once it has started.")})


def meeting_create(
    *,
    actor: Any,
    series: MeetingSeries,
    ordinal: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str = "Asia/Tokyo",
    title_ja: str = "",
    title_en: str = "",
    venue_ja: str = "",
    venue_en: str = "",
    city_ja: str = "",
    city_en: str = "",
    host_country: Any = None,
    chairs_ja: str = "",
    chairs_en: str = "",
    chair_people: Iterable[Any] = (),
    format: str = MeetingFormat.IN_PERSON,
    status: str = MeetingStatus.PLANNED,
    status_note: str = "",
    registration_deadline: dt.datetime | None = None,
    invited_countries: Iterable[Any] | None = None,
    observer_organisations: Iterable[Any] | None = None,
    online_url: str = "",
    visibility: str | None = None,
    audience_groups: Iterable[Any] = (),
    source: str = "",
    is_demo: bool = False,
    action_code: str = MEETING_CREATED,
) -> Meeting:
    """Create a meeting of a series.

    Without `invited_countries`, the series' group members on the meeting's
    date and its other invited countries are invited; without
    `observer_organisations`, the series' observers; without `visibility`,
    the series' visibility.
    """
    _require(actor, ADD, Meeting, _("Only the secretariat creates meetings."))
    values = {
        "series": series,
        "ordinal": ordinal,
        "title_ja": title_ja,
        "title_en": title_en,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "time_zone": time_zone,
        "registration_deadline": registration_deadline,
    }
    _check_meeting(values)
    _check_status(starts_at, status, status_note, previous=None)
    with transaction.atomic():
        meeting = Meeting(
            **values,
            venue_ja=venue_ja,
            venue_en=venue_en,
            city_ja=city_ja,
            city_en=city_en,
            host_country=host_country,
            chairs_ja=chairs_ja,
            chairs_en=chairs_en,
            format=format,
            status=status,
            status_note=status_note,
            online_url=online_url,
            visibility=visibility or series.visibility,
            source=source,
            is_demo=is_demo,
        )
        meeting.full_clean()
        mark_action(meeting, action_code, actor=actor)
        meeting.save()
        if invited_countries is None:
            invited_countries = invited_countries_default(series, starts_at, time_zone)
        if observer_organisations is None:
            observer_organisations = series.observer_organisations.all()
        meeting.invited_countries.set(list(invited_countries))
        meeting.observer_organisations.set(list(observer_organisations))
        meeting.chair_people.set(list(chair_people))
        meeting.audience_groups.set(list(audience_groups))
    return meeting


def _move_agenda(meeting: Meeting, *, actor: Any, delta: dt.timedelta, starts_at: dt.datetime, ends_at: dt.datetime):
    """Move the agenda's time slots with the meeting; refuse if a slot would fall outside the new dates."""
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting=meeting)
        .exclude(starts_at__isnull=True, ends_at__isnull=True)
        .order_by("position", "number")
    )
    outside = []
    for item in items:
        item.starts_at = item.starts_at + delta if item.starts_at else None
        item.ends_at = item.ends_at + delta if item.ends_at else None
        moments = [moment for moment in (item.starts_at, item.ends_at) if moment is not None]
        if any(not (starts_at <= moment <= ends_at) for moment in moments):
            outside.append(item.number)
    if outside:
        raise ValidationError(
            {
                "ends_at": _(
                    "The time slots of agenda items %(numbers)s would fall outside the new dates; "
                    "lengthen the meeting or change those slots first."
                )
                % {"numbers": ", ".join(outside)}
            }
        )
    if not delta:
        return
    for item in items:
        item.version += 1
        mark_action(item, AGENDA_ITEM_MOVED, actor=actor)
        item.save(update_fields=["starts_at", "ends_at", "version", "updated_at"])


def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    expected_version: int,
    changes: dict[str, Any],
    action_code: str = MEETING_UPDATED,
) -> Meeting:
    """Change a meeting (m2m keys allowed: invited_countries, observer_organisations, chair_people,
    audience_groups). New dates move the agenda's time slots too; the status has its own service."""
    _require(actor, CHANGE, meeting, _("Only the secretariat changes meetings."))
    changes = dict(changes)
    for name in ("status", "status_note"):
        if name in changes and changes[name] != getattr(meeting, name):
            raise ValidationError({name: _("Change the status with the status form, which asks for a reason.")})
        changes.pop(name, None)
    if "series" in changes and changes["series"] != meeting.series:
        raise ValidationError(
            {"series": _("A meeting stays in its series (its documents carry the series' code); create a new one.")}
        )
    changes.pop("series", None)
    m2m = {name: list(changes.pop(name)) for name in MEETING_M2M if name in changes}
    merged = {
        name: changes.get(name, getattr(meeting, name))
        for name in (
            "series",
            "ordinal",
            "title_ja",
            "title_en",
            "starts_at",
            "ends_at",
            "time_zone",
            "registration_deadline",
        )
    }
    _check_meeting(merged, meeting=meeting)
    with transaction.atomic():
        _move_agenda(
            meeting,
            actor=actor,
            delta=merged["starts_at"] - meeting.starts_at,
            starts_at=merged["starts_at"],
            ends_at=merged["ends_at"],
        )
        if changes or m2m:
            meeting = versioned_update(
                actor=actor,
                instance=meeting,
                expected_version=expected_version,
                changes=changes,
                action_code=action_code,
            )
        for name, values in m2m.items():
            getattr(meeting, name).set(values)
    return meeting


def meeting_set_status(*, actor: Any, meeting: Meeting, expected_version: int, status: str, note: str = "") -> Meeting:
    """Plan, confirm, mark held, postpone or cancel a meeting; postponing and cancelling need a note."""
    _require(actor, CHANGE, meeting, _("Only the secretariat changes the status of meetings."))
    _check_status(meeting.starts_at, status, note, previous=meeting.status)
    return versioned_update(
        actor=actor,
        instance=meeting,
        expected_version=expected_version,
        changes={"status": status, "status_note": (note or "").strip()},
        action_code=MEETING_STATUS_SET,
    )


def meeting_reschedule(
    *,
    actor: Any,
    meeting: Meeting,
    expected_version: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    registration_deadline: dt.datetime | None = None,
) -> Meeting:
    """Move a meeting to new dates, with its agenda's time slots and (unless a new one is given) its
    registration deadline by the same amount. Reminders stored relative to the start follow by themselves."""
    _require(actor, CHANGE, meeting, _("Only the secretariat reschedules meetings."))
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(
            {"starts_at": _("This meeting was held; correct its dates in the edit form instead of rescheduling.")}
        )
    _require_aware({"starts_at": starts_at}, "starts_at")
    changes: dict[str, Any] = {"starts_at": starts_at, "ends_at": ends_at}
    if registration_deadline is not None:
        changes["registration_deadline"] = registration_deadline
    elif meeting.registration_deadline is not None:
        changes["registration_deadline"] = meeting.registration_deadline + (starts_at - meeting.starts_at)
    return meeting_update(
        actor=actor,
        meeting=meeting,
        expected_version=expected_version,
        changes=changes,
        action_code=MEETING_RESCHEDULED,
    )


# --- personal calendar feed ------------------------------------------------------------------------


def calendar_feed_token_get_or_create(*, actor: Any) -> CalendarFeedToken:
    """The signed-in user's personal feed token, made on first use."""
    _require(actor, ADD, CalendarFeedToken, _("Sign in to get a personal calendar link."))
    token, _created = CalendarFeedToken.objects.get_or_create(user=actor)
    return token


def calendar_feed_token_reset(*, actor: Any) -> CalendarFeedToken:
    """Give the user a new feed token: the old link stops working at once."""
    token = calendar_feed_token_get_or_create(actor=actor)
    _require(actor, CHANGE, token, _("Only you can reset your calendar link."))
    token.token = new_feed_token()
    token.save(update_fields=["token", "created_at"])
    return token
