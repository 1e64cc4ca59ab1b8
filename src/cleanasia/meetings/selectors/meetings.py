"""Reads of series, meetings and agendas for pages, the API and the calendar feeds.

Everything goes through the policies (`visible`); each function runs a fixed
number of queries whatever the number of rows (related rows come with
select_related / prefetch_related, counts are aggregated in SQL).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import zoneinfo
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from cleanasia.core.models import Visibility
from cleanasia.core.permissions import get_visible_or_404, is_secretariat, visible

from ..models import (
    AgendaItem,
    DelegationState,
    Distribution,
    Document,
    DocumentType,
    Meeting,
    MeetingSeries,
    Participant,
)
from ..services.meetings import is_time_zone

# Areas whose selectors contribute a section to the meeting page, in the order shown.
HUB_AREAS = ("delegations", "documents", "outcomes")


# --- times in the meeting's zone ------------------------------------------------------------------


def zone_of(meeting: Meeting) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(meeting.time_zone) if is_time_zone(meeting.time_zone) else dt.UTC


def with_local_times(meeting: Meeting) -> Meeting:
    """Set `local_starts`, `local_ends` (in the meeting's zone), `same_day` and `local_deadline`."""
    zone = zone_of(meeting)
    meeting.local_starts = meeting.starts_at.astimezone(zone)
    meeting.local_ends = meeting.ends_at.astimezone(zone)
    meeting.same_day = meeting.local_starts.date() == meeting.local_ends.date()
    meeting.local_deadline = meeting.registration_deadline.astimezone(zone) if meeting.registration_deadline else None
    return meeting


def _public_documents(qs: QuerySet) -> QuerySet:
    """General-distribution documents out of embargo: all a public page ever lists, whatever the policy says."""
    now = timezone.now()
    return qs.filter(distribution=Distribution.GENERAL).filter(
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    )


# --- series ------------------------------------------------------------------------------------------


def _visible_meeting_count(user: Any) -> Subquery:
    counted = (
        visible(Meeting.objects.filter(series=OuterRef("pk")), user)
        .order_by()
        .values("series")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def public_series() -> QuerySet:
    """Series that have a public meeting: the choices of the public list's filter."""
    return MeetingSeries.objects.filter(
        pk__in=Meeting.objects.filter(visibility=Visibility.PUBLIC).values("series_id")
    ).order_by("code")


def series_list_for(*, user: Any) -> QuerySet:
    """Series the user may see, with the number of their meetings the user may see."""
    return (
        visible(MeetingSeries.objects.all(), user)
        .select_related("membership_group")
        .annotate(meeting_count=_visible_meeting_count(user))
        .order_by("code")
    )


def series_get_for(*, user: Any, pk: int) -> MeetingSeries:
    """One series (404 when not visible) with its invited countries, observers and followed-up series."""
    series = get_visible_or_404(
        MeetingSeries.objects.select_related("membership_group").prefetch_related(
            "extra_countries",
            "observer_organisations",
            Prefetch("follows_up", queryset=visible(MeetingSeries.objects.all(), user)),
            Prefetch("followed_up_by", queryset=visible(MeetingSeries.objects.all(), user)),
        ),
        user,
        pk=pk,
    )
    series.visible_meetings = [
        with_local_times(m)
        for m in visible(series.meetings.select_related("host_country"), user).order_by("-starts_at", "-ordinal")
    ]
    return series


# --- meeting lists -----------------------------------------------------------------------------------


def upcoming_first(qs: QuerySet) -> QuerySet:
    """Meetings not yet over, soonest first; then past meetings, latest first."""
    now = timezone.now()
    return qs.annotate(
        is_past=Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
        upcoming_start=Case(When(ends_at__gte=now, then=F("starts_at")), default=None, output_field=DateTimeField()),
    ).order_by("is_past", F("upcoming_start").asc(nulls_last=True), "-starts_at", "pk")


def filter_meetings(qs: QuerySet, filters: dict[str, Any]) -> QuerySet:
    """The URL's filters: series (code), year (of the start), status."""
    if series := filters.get("series"):
        qs = qs.filter(series__code=series)
    if year := filters.get("year"):
        qs = qs.filter(starts_at__year=year)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    return qs


def meeting_list_for(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet:
    """Meetings the user may see, filtered, upcoming first, with their series, host and invited count."""
    qs = visible(Meeting.objects.all(), user).select_related("series", "host_country")
    qs = filter_meetings(qs, filters or {}).annotate(invited_count=Count("invited_countries", distinct=True))
    return upcoming_first(qs)


def public_meeting_list(*, filters: dict[str, Any] | None = None) -> QuerySet:
    """Public meetings, whoever asks (the public pages show what the public sees: a public meeting is
    public whatever its series' level, as the policy says)."""
    qs = Meeting.objects.filter(visibility=Visibility.PUBLIC)
    qs = filter_meetings(qs.select_related("series", "host_country"), filters or {})
    return upcoming_first(qs)


# --- one meeting -------------------------------------------------------------------------------------


def meeting_get_for(*, user: Any, pk: int) -> Meeting:
    """One meeting (404 when not visible) with what its page header shows."""
    meeting = get_visible_or_404(
        Meeting.objects.select_related("series", "series__membership_group", "host_country").prefetch_related(
            "invited_countries", "observer_organisations", "chair_people"
        ),
        user,
        pk=pk,
    )
    return with_local_times(meeting)


def public_meeting_get(*, pk: int) -> Meeting:
    """One public meeting (404 otherwise), whoever asks."""
    meeting = get_visible_or_404(
        Meeting.objects.filter(visibility=Visibility.PUBLIC)
        .select_related("series", "host_country")
        .prefetch_related("invited_countries", "observer_organisations"),
        None,
        pk=pk,
    )
    return with_local_times(meeting)


def agenda_for(*, user: Any, meeting: Meeting, public: bool = False) -> list[AgendaItem]:
    """The meeting's main items in order, each with `children` (its sub-items), local times and the
    linked documents and minutes the reader may see (three queries)."""
    documents = visible(Document.objects.all(), user)
    if public:
        documents = _public_documents(documents)
    documents = documents.order_by("symbol")
    items = list(
        visible(AgendaItem.objects.filter(meeting=meeting), user)
        .prefetch_related(
            Prefetch("documents", queryset=documents, to_attr="visible_documents"),
            Prefetch("adopts_minutes", queryset=documents.select_related("meeting__series")),
        )
        .order_by("position", "number", "pk")
    )
    zone = zone_of(meeting)
    by_parent: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        item.local_starts = item.starts_at.astimezone(zone) if item.starts_at else None
        item.local_ends = item.ends_at.astimezone(zone) if item.ends_at else None
        by_parent.setdefault(item.parent_id, []).append(item)
    main = by_parent.get(None, [])
    for item in main:
        item.children = by_parent.get(item.pk, [])
    return main


def minutes_to_adopt_choices(*, meeting: Meeting) -> QuerySet:
    """Minutes of the series' earlier meetings, which the "adoption of the minutes" item may point to."""
    return (
        Document.objects.filter(
            doc_type=DocumentType.MINUTES, meeting__series=meeting.series_id, meeting__starts_at__lt=meeting.starts_at
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at", "symbol")
    )


def meeting_sections(*, meeting: Meeting, user: Any) -> list[dict[str, Any]]:
    """The other areas' sections of the meeting page: for each area whose selector module offers
    `meeting_section(meeting=, user=)` and ships its template; areas not yet present are skipped."""
    sections = []
    for area in HUB_AREAS:
        module_name = f"{__package__}.{area}"
        if importlib.util.find_spec(module_name) is None:
            continue
        provider = getattr(importlib.import_module(module_name), "meeting_section", None)
        if provider is None:
            continue
        template = f"meetings/{area}/meeting_section.html"
        try:
            get_template(template)
        except TemplateDoesNotExist:
            continue
        section = provider(meeting=meeting, user=user)
        if section is not None:
            sections.append({"area": area, "template": template, "section": section})
    return sections


# --- calendar feeds ----------------------------------------------------------------------------------


def calendar_meetings_public() -> QuerySet:
    """Every public meeting, cancelled ones included (calendars then strike them out)."""
    return (
        Meeting.objects.filter(visibility=Visibility.PUBLIC)
        .select_related("series", "host_country")
        .order_by("starts_at", "pk")
    )


def calendar_meetings_for(user: Any) -> QuerySet:
    """The meetings `user` takes part in: through a delegation, as focal point of an invited country,
    or all of them for the secretariat."""
    qs = Meeting.objects.select_related("series", "host_country").order_by("starts_at", "pk")
    if is_secretariat(user):
        return qs
    condition = Q(
        pk__in=Participant.objects.filter(user=user)
        .exclude(delegation__state=DelegationState.WITHDRAWN)
        .values("delegation__meeting_id")
    )
    countries = set(getattr(user, "focal_point_countries", set()))
    if countries:
        condition |= Q(
            pk__in=Meeting.invited_countries.through.objects.filter(country_id__in=countries).values("meeting_id")
        )
    return qs.filter(condition)
