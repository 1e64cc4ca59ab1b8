"""Reads of the follow-up of action items: the status document of a meeting, what changed, my country's items.

The status of action items before a meeting covers every open action item of
the meeting's series and of the series it follows up, decided at earlier
meetings: its latest update, what changed since the previous meeting of the
series (new updates, status changed, re-dated), and whether it is overdue on
the meeting's first day. Every part is a set-based query (window functions,
aggregates), so the number of queries is the same for ten items or twenty
thousand, and rows are plain dicts (no model instances per update).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from cleanasia.core.permissions import visible
from cleanasia.directory.models import Country, Organisation

from ..models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Addressee,
    Element,
    ElementUpdate,
    Meeting,
    MeetingSeries,
    Outcome,
    OutcomeStatus,
)
from ..policies.outcomes import addressed_to, user_countries
from ..services.outcomes import CLOSED_ACTION_STATUSES, meeting_start_date
from .outcomes import ACTION_ICONS, lang, pick

STATUS_LABELS = dict(ActionStatus.choices)
OPEN_VALUES = frozenset(status.value for status in OPEN_ACTION_STATUSES)
# The element's own columns only: what is shared by many rows (outcome, meeting, lead) is read once apart.
ROW_FIELDS = (
    "pk",
    "code",
    "text_ja",
    "text_en",
    "addressee",
    "addressed_group",
    "due_on",
    "status",
    "status_note_ja",
    "status_note_en",
    "closed_on",
    "outcome_id",
    "lead_country_id",
    "lead_organisation_id",
)


def _limit(qs: QuerySet, user: Any) -> QuerySet:
    """`visible(qs, user)`, except for the system (None), which states every item (issued documents)."""
    return qs if user is None else visible(qs, user)


def followed_up_series(series: MeetingSeries) -> list[int]:
    """The series whose items a meeting of `series` follows up: its own and those it follows up."""
    return [series.pk, *series.follows_up.values_list("pk", flat=True)]


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting of the same series before `meeting` (cancelled meetings skipped)."""
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
        .exclude(status="cancelled")
        .order_by("-starts_at")
        .first()
    )


def _items_before(meeting: Meeting, series_ids: list[int]) -> QuerySet[Element]:
    """Action items of adopted outcomes of these series' meetings before `meeting`."""
    return Element.objects.filter(
        is_action_item=True,
        outcome__meeting__series__in=series_ids,
        outcome__meeting__starts_at__lt=meeting.starts_at,
    ).exclude(outcome__status=OutcomeStatus.DRAFT)


def _filtered(qs: QuerySet[Element], filters: Mapping[str, Any], as_of: dt.date) -> QuerySet[Element]:
    if country := filters.get("country"):
        qs = qs.filter(addressed_to([getattr(country, "pk", country)]))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if filters.get("overdue"):
        qs = qs.filter(due_on__lt=as_of)
    return qs


def _names(rows: Iterable[tuple[int, str, str]], language: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for element_id, ja, en in rows:
        found[element_id].append(pick(ja, en, language))
    return found


def _latest_update_rows(ids_query: QuerySet, user: Any, labels: dict[str, str]) -> dict[int, dict[str, Any]]:
    """The latest update of each element in `ids_query` (one query).

    A correlated subquery per element rides the (element, -recorded_at)
    index; a window over all updates would read every one of them.
    """
    latest = ElementUpdate.objects.filter(element_id=OuterRef("pk")).order_by("-recorded_at", "-pk").values("pk")[:1]
    latest_ids = Element.objects.filter(pk__in=ids_query).annotate(latest=Subquery(latest)).values("latest")
    rows = _limit(ElementUpdate.objects.filter(pk__in=latest_ids), user).values_list(
        "element_id", "status", "note", "language", "country_id", "recorded_at", "new_due_on"
    )
    return {
        element_id: {
            "status": status,
            "status_label": labels.get(status, ""),
            "note": note,
            "language": language,
            "country_id": country_id,
            "recorded_at": recorded_at,
            "new_due_on": new_due_on,
        }
        for element_id, status, note, language, country_id, recorded_at, new_due_on in rows
    }


def _state_at(ids_query: QuerySet, when: dt.datetime) -> dict[int, dict[str, Any]]:
    """The status and due date at `when` of the elements in `ids_query` changed since then (two queries).

    Only elements with a change-history row after `when` can differ from now,
    so only their rows at `when` are read (a window over their history).
    """
    changed = Element.history.filter(id__in=ids_query, history_date__gt=when).values("id")
    newest_first = Window(
        RowNumber(), partition_by=F("id"), order_by=[F("history_date").desc(), F("history_id").desc()]
    )
    rows = (
        Element.history.filter(id__in=changed, history_date__lte=when)
        .annotate(recency=newest_first)
        .filter(recency=1)
        .values_list("id", "status", "due_on", "history_type")
    )
    return {
        pk: {"status": status, "due_on": due_on} for pk, status, due_on, history_type in rows if history_type != "-"
    }


def _rows(
    items: QuerySet[Element],
    *,
    user: Any,
    language: str,
    as_of: dt.date,
    since: dt.datetime | None,
) -> list[dict[str, Any]]:
    """The rows of the status document for `items` (nine queries whatever their number)."""
    ids_query = items.values("pk")
    # Labels translated once, not once per row (twenty thousand rows make it count).
    status_labels = {value: str(label) for value, label in ActionStatus.choices}
    addressee_labels = {value: str(label) for value, label in Addressee.choices}
    outcomes = {
        row["pk"]: row
        for row in Outcome.objects.filter(pk__in=items.values("outcome_id"))
        .rewrite(False)
        .values(
            "pk",
            "code",
            "title_ja",
            "title_en",
            "adopted_on",
            "meeting_id",
            "meeting__ordinal",
            "meeting__starts_at",
            "meeting__series__code",
        )
    }
    leads = {
        ("country", pk): pick(ja, en, language)
        for pk, ja, en in Country.objects.filter(pk__in=items.values("lead_country_id")).values_list(
            "pk", "name_ja", "name_en"
        )
    }
    leads.update(
        {
            ("organisation", pk): pick(ja, en, language)
            for pk, ja, en in Organisation.objects.filter(pk__in=items.values("lead_organisation_id")).values_list(
                "pk", "name_ja", "name_en"
            )
        }
    )
    # rewrite(False): plain values; the translation layer's fallback per row costs seconds at this size.
    elements = list(items.rewrite(False).values(*ROW_FIELDS))
    countries = _names(
        Element.addressed_countries.through.objects.filter(element_id__in=ids_query)
        .order_by("country__name_en")
        .values_list("element_id", "country__name_ja", "country__name_en"),
        language,
    )
    organisations = _names(
        Element.addressed_organisations.through.objects.filter(element_id__in=ids_query)
        .order_by("organisation__name_en")
        .values_list("element_id", "organisation__name_ja", "organisation__name_en"),
        language,
    )
    latest = _latest_update_rows(ids_query, user, status_labels)
    new_updates: dict[int, dict[str, int]] = {}
    before: dict[int, dict[str, Any]] = {}
    if since is not None:
        new_updates = {
            row["element_id"]: row
            for row in _limit(ElementUpdate.objects.filter(element__in=ids_query, recorded_at__gte=since), user)
            .order_by()
            .values("element_id")
            .annotate(n=Count("pk"), redated=Count("pk", filter=Q(new_due_on__isnull=False)))
        }
        before = _state_at(ids_query, since)
    rows = []
    for e in elements:
        pk = e["pk"]
        then = before.get(pk)
        outcome = outcomes[e["outcome_id"]]
        decided_since = since is not None and outcome["meeting__starts_at"] >= since
        counts = new_updates.get(pk, {"n": 0, "redated": 0})
        status_then = (then["status"] or ActionStatus.NOT_STARTED) if then else None
        due_then = then["due_on"] if then else None
        update = latest.get(pk)
        addressees = [*countries.get(pk, []), *organisations.get(pk, [])]
        if e["addressee"] == Addressee.WORKING_GROUP and e["addressed_group"]:
            addressees.append(e["addressed_group"])
        rows.append(
            {
                "id": pk,
                "code": e["code"],
                "text": pick(e["text_ja"], e["text_en"], language),
                "outcome_id": e["outcome_id"],
                "outcome_code": outcome["code"],
                "outcome_title": pick(outcome["title_ja"], outcome["title_en"], language),
                "meeting_id": outcome["meeting_id"],
                "decided_at": f"{outcome['meeting__series__code']}/{outcome['meeting__ordinal']}",
                "decided_on": outcome["adopted_on"],
                "addressee": e["addressee"],
                "addressee_label": addressee_labels.get(e["addressee"], ""),
                "addressees": addressees,
                "lead": leads.get(("country", e["lead_country_id"]))
                or leads.get(("organisation", e["lead_organisation_id"]), ""),
                "due_on": e["due_on"],
                "status": e["status"],
                "status_label": status_labels.get(e["status"], ""),
                "status_icon": ACTION_ICONS.get(e["status"], ""),
                "status_note": pick(e["status_note_ja"], e["status_note_en"], language),
                "closed_on": e["closed_on"],
                "overdue": e["status"] in OPEN_VALUES and e["due_on"] is not None and e["due_on"] < as_of,
                "latest_update": update,
                "new": decided_since,
                "new_updates": counts["n"],
                "status_changed": bool(not decided_since and then and status_then != e["status"]),
                "status_before": status_then,
                "status_before_label": status_labels.get(status_then or "", ""),
                "redated": bool(
                    not decided_since and (counts["redated"] or (then and due_then and due_then != e["due_on"]))
                ),
                "due_before": due_then,
            }
        )
    return rows


def _grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row["outcome_id"],
            {"outcome_id": row["outcome_id"], "code": row["outcome_code"], "title": row["outcome_title"], "rows": []},
        )
        group["rows"].append(row)
    return list(groups.values())


def action_status_for(
    *,
    user: Any,
    meeting: Meeting,
    language: str | None = None,
    filters: Mapping[str, Any] | None = None,
    page: int | None = None,
    per_page: int = 200,
) -> dict[str, Any]:
    """The status of action items before `meeting` (see the module docstring), as plain data.

    Keys: meeting, previous (meeting or None), since (its start: changes are
    counted from it), as_of (the meeting's first day: overdue means due before
    it), series (codes), summary (open, not_started, in_progress, overdue, new,
    updated, closed_since), groups (by outcome, each with rows), closed (items
    closed since the previous meeting), and pagination (page, pages, count)
    when `page` is given. `user=None` is the system (every item).
    Filters: country (ISO code: items addressed to it), status, overdue.
    """
    language = language or lang()
    filters = filters or {}
    series_ids = followed_up_series(meeting.series)
    previous = previous_meeting(meeting)
    since = previous.starts_at if previous else None
    as_of = meeting_start_date(meeting)
    scope = _filtered(_limit(_items_before(meeting, series_ids), user), filters, as_of)
    open_items = scope.filter(status__in=OPEN_ACTION_STATUSES)
    summary = open_items.aggregate(
        open=Count("pk"),
        not_started=Count("pk", filter=Q(status=ActionStatus.NOT_STARTED)),
        in_progress=Count("pk", filter=Q(status=ActionStatus.IN_PROGRESS)),
        overdue=Count("pk", filter=Q(due_on__lt=as_of)),
        new=Count("pk", filter=Q(outcome__meeting__starts_at__gte=since) if since else Q(pk__in=[])),
    )
    summary["updated"] = (
        _limit(ElementUpdate.objects.filter(element__in=open_items.values("pk"), recorded_at__gte=since), user)
        .values("element_id")
        .distinct()
        .count()
        if since
        else 0
    )
    ordered = open_items.order_by("outcome__meeting__starts_at", "outcome__kind", "outcome__number", "position")
    pagination = None
    if page is not None:
        pages = max(1, -(-summary["open"] // per_page))
        page = min(max(1, page), pages)
        pagination = {"page": page, "pages": pages, "count": summary["open"], "per_page": per_page}
        ordered = ordered[(page - 1) * per_page : page * per_page]
        # The rows' queries filter on the page's ids; a sliced queryset cannot be used as a subquery in every database.
        ordered = Element.objects.filter(pk__in=list(ordered.values_list("pk", flat=True))).order_by(
            "outcome__meeting__starts_at", "outcome__kind", "outcome__number", "position"
        )
    rows = _rows(ordered, user=user, language=language, as_of=as_of, since=since)
    closed_rows: list[dict[str, Any]] = []
    if since is not None:
        closed = scope.filter(status__in=CLOSED_ACTION_STATUSES, closed_on__gte=since.date()).order_by(
            "closed_on", "code"
        )
        closed_rows = [
            {
                "id": e["pk"],
                "code": e["code"],
                "text": pick(e["text_ja"], e["text_en"], language),
                "status": e["status"],
                "status_label": str(STATUS_LABELS.get(e["status"], "")),
                "status_icon": ACTION_ICONS.get(e["status"], ""),
                "status_note": pick(e["status_note_ja"], e["status_note_en"], language),
                "closed_on": e["closed_on"],
            }
            for e in closed.values(
                "pk", "code", "text_ja", "text_en", "status", "status_note_ja", "status_note_en", "closed_on"
            )
        ]
    summary["closed_since"] = len(closed_rows)
    return {
        "meeting": meeting,
        "previous": previous,
        "since": since,
        "as_of": as_of,
        "series": list(MeetingSeries.objects.filter(pk__in=series_ids).order_by("code").values_list("code", flat=True)),
        "summary": summary,
        "groups": _grouped(rows),
        "row_count": len(rows),
        "closed": closed_rows,
        "pagination": pagination,
        "language": language,
        "filters": dict(filters),
        "generated_at": timezone.now(),
    }


def followup_counts(*, user: Any, meeting: Meeting) -> dict[str, int]:
    """How many open action items (and overdue ones) the meeting follows up (one query)."""
    as_of = meeting_start_date(meeting)
    scope = _limit(_items_before(meeting, followed_up_series(meeting.series)), user)
    return scope.filter(status__in=OPEN_ACTION_STATUSES).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=as_of))
    )


# --- my country's items ---------------------------------------------------------------------------------------


def my_action_items_for(*, user: Any, country: str | None = None, include_closed: bool = False) -> dict[str, Any]:
    """Action items addressed to the focal point's countries (or one of them), with their latest update.

    Open items first by due date; closed ones after when asked. The secretariat
    sees every item (optionally of one country). Five queries plus one for the countries.
    """
    countries = sorted(user_countries(user))
    chosen = country if country and (country in countries or getattr(user, "is_secretariat", False)) else None
    scope = visible(Element.objects.filter(is_action_item=True), user).exclude(outcome__status=OutcomeStatus.DRAFT)
    if chosen:
        scope = scope.filter(addressed_to([chosen]))
    elif countries and not getattr(user, "is_secretariat", False):
        scope = scope.filter(addressed_to(countries))
    elif not getattr(user, "is_secretariat", False):
        scope = scope.none()
    if not include_closed:
        scope = scope.filter(status__in=OPEN_ACTION_STATUSES)
    today = timezone.localdate()
    items = scope.order_by(F("due_on").asc(nulls_last=True), "code")
    rows = _rows(items, user=user, language=lang(), as_of=today, since=None)
    return {
        "countries": countries,
        "country": chosen,
        "rows": rows,
        "overdue": sum(1 for row in rows if row["overdue"]),
        "today": today,
    }


# --- what changed between two meetings of a series ------------------------------------------------------------

ELEMENT_STATE_FIELDS = ("id", "code", "text_ja", "text_en", "is_action_item", "status", "due_on", "closed_on")


def _elements_at(scope_ids: QuerySet, when: dt.datetime, adopted_by: dt.date, adopted: dict[int, Any]) -> dict:
    """The elements as they stood at `when` (their latest history row), of outcomes adopted by then."""
    newest_first = Window(
        RowNumber(), partition_by=F("id"), order_by=[F("history_date").desc(), F("history_id").desc()]
    )
    rows = (
        Element.history.filter(outcome_id__in=scope_ids, history_date__lte=when)
        .annotate(recency=newest_first)
        .filter(recency=1)
        .values(*ELEMENT_STATE_FIELDS, "outcome_id", "history_type")
    )
    return {
        row["id"]: row
        for row in rows
        if row["history_type"] != "-" and adopted.get(row["outcome_id"]) and adopted[row["outcome_id"]] <= adopted_by
    }


def series_changes_for(
    *, user: Any, series: MeetingSeries, from_meeting: Meeting, to_meeting: Meeting
) -> dict[str, Any]:
    """What changed in the elements followed up by `series` between the ends of two of its meetings.

    From the change history: elements added (decided by outcomes adopted in
    between), action items closed, re-dated, or whose status changed. Each entry:
    the element's state at the later time with `before` (its state at the
    earlier one). Items of the series it follows up count too. Four queries.
    """
    if to_meeting.starts_at < from_meeting.starts_at:
        from_meeting, to_meeting = to_meeting, from_meeting
    language = lang()
    series_ids = followed_up_series(series)
    outcomes = visible(Outcome.objects.filter(meeting__series__in=series_ids, adopted_on__isnull=False), user)
    adopted = dict(outcomes.values_list("pk", "adopted_on"))
    scope_ids = outcomes.values("pk")
    start, end = from_meeting.ends_at, to_meeting.ends_at
    before = _elements_at(scope_ids, start, timezone.localtime(start).date(), adopted)
    after = _elements_at(scope_ids, end, timezone.localtime(end).date(), adopted)
    added, closed, redated, status_changed = [], [], [], []
    for pk, now in sorted(after.items(), key=lambda item: item[1]["code"]):
        then = before.get(pk)
        entry = {
            **now,
            "text": pick(now["text_ja"], now["text_en"], language),
            "status_label": str(STATUS_LABELS.get(now["status"], "")),
            "status_icon": ACTION_ICONS.get(now["status"], ""),
            "before": then and {**then, "status_label": str(STATUS_LABELS.get(then["status"], ""))},
        }
        if then is None:
            added.append(entry)
            continue
        if not now["is_action_item"] and not then["is_action_item"]:
            continue
        if now["status"] in CLOSED_ACTION_STATUSES and then["status"] not in CLOSED_ACTION_STATUSES:
            closed.append(entry)
        elif now["status"] != then["status"]:
            status_changed.append(entry)
        if now["due_on"] != then["due_on"] and then["due_on"] is not None:
            redated.append(entry)
    return {
        "series": series,
        "from": from_meeting,
        "to": to_meeting,
        "start": start,
        "end": end,
        "added": added,
        "added_action_items": [e for e in added if e["is_action_item"]],
        "closed": closed,
        "redated": redated,
        "status_changed": status_changed,
    }
