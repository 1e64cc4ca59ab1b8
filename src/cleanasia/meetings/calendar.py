"""iCalendar (RFC 5545) feeds of meetings, built with the `icalendar` package.

Each meeting is one VEVENT whose UID (`meeting-<pk>@cleanasia`) never
changes, so a calendar application moves the event when the meeting is
rescheduled instead of adding a second one; SEQUENCE is the record's version,
which every change raises. Times are written in the meeting's own zone
(DTSTART;TZID=Asia/Ho_Chi_Minh) with a VTIMEZONE for each zone used. A
cancelled meeting stays in the feed with STATUS:CANCELLED, which makes
calendars strike it out; a postponed one says so in its summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Meeting, MeetingStatus
from .selectors.meetings import zone_of

PRODID = "-//Clean Asia Platform//Intergovernmental meetings//EN"
UID_DOMAIN = "cleanasia"
ICAL_STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting: Meeting) -> str:
    """The event's identity across every version of the feed (never depends on the dates)."""
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _text(obj: Any, field: str, language: str) -> str:
    other = "en" if language == "ja" else "ja"
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_{other}", "") or ""


def _summary(meeting: Meeting, language: str) -> str:
    title = _text(meeting, "title", language)
    if meeting.status == MeetingStatus.POSTPONED:
        return _("Postponed: %(title)s") % {"title": title}
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": title}
    return title


def _location(meeting: Meeting, language: str) -> str:
    parts = [_text(meeting, "venue", language), _text(meeting, "city", language)]
    if meeting.host_country_id:
        parts.append(_text(meeting.host_country, "name", language) or meeting.host_country_id)
    return ", ".join(part for part in parts if part)


def _description(meeting: Meeting, language: str, url: str) -> str:
    lines = [f"{meeting.series.code} — {_text(meeting.series, 'title', language)}"]
    lines.append(_("Status: %(status)s") % {"status": meeting.get_status_display()})
    if meeting.status_note:
        lines.append(meeting.status_note)
    if url:
        lines.append(url)
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, language: str, url: str = "") -> Event:
    """The VEVENT of one meeting (texts in `language`, falling back to the other language)."""
    zone = zone_of(meeting)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("sequence", meeting.version)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", _summary(meeting, language))
    event.add("status", ICAL_STATUS[MeetingStatus(meeting.status)])
    event.add("transp", "TRANSPARENT" if meeting.status == MeetingStatus.CANCELLED else "OPAQUE")
    if location := _location(meeting, language):
        event.add("location", location)
    event.add("description", _description(meeting, language, url))
    if url:
        event.add("url", url)
    event.add("categories", [meeting.series.code])
    return event


def meetings_calendar(
    meetings: Iterable[Meeting], *, name: str, language: str, url_for: Callable[[Meeting], str] | None = None
) -> bytes:
    """The iCalendar file of `meetings` (with their series and host country loaded), as bytes."""
    meetings = list(meetings)
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        for meeting in meetings:
            calendar.add_component(meeting_event(meeting, language=language, url=url_for(meeting) if url_for else ""))
        calendar.add_missing_timezones(**_zone_span(meetings))
        return calendar.to_ical()


def _zone_span(meetings: list[Meeting]) -> dict[str, dt.date]:
    """The years the VTIMEZONE rules must cover: every meeting of the feed, with a year to spare."""
    if not meetings:
        return {}
    first = min(m.starts_at for m in meetings).date()
    last = max(m.ends_at for m in meetings).date()
    return {
        "first_date": first.replace(year=first.year - 1, day=1),
        "last_date": last.replace(year=last.year + 1, day=1),
    }
