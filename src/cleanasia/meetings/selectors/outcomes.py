"""Reads of outcomes and their elements for a user, each with a fixed number of queries.

The decision page shows its elements and action items, the measures they
advance and those measures' indicators; the measure page shows, the other way
round, the decisions behind a measure (`decisions_for_measure`); the meeting
hub shows the meeting's outcomes with their counts (`meeting_section`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from cleanasia.core.permissions import ADD, CHANGE, VIEW_HISTORY, can, get_visible_or_404, visible
from cleanasia.core.views.history import build_entries
from cleanasia.measures.models import Measure, MeasureLink
from cleanasia.measures.selectors import measures_advanced_by

from ..models import OPEN_ACTION_STATUSES, Document, Element, ElementUpdate, Meeting, Outcome
from ..policies.outcomes import REPORT_UPDATE, user_countries

# Each status has a symbol and a word; colour only repeats what they say (WCAG 1.4.1).
ACTION_ICONS = {"not_started": "○", "in_progress": "◐", "completed": "✓", "dropped": "✕", "": "–"}


def lang() -> str:
    return "ja" if (get_language() or "ja").startswith("ja") else "en"


def pick(ja: str | None, en: str | None, language: str | None = None) -> str:
    """The text in `language` (default: the page's), else the other one."""
    language = language or lang()
    return ((ja or en) if language == "ja" else (en or ja)) or ""


def element_type() -> ContentType:
    return ContentType.objects.get_for_model(Element)


def is_overdue(element: Any, today: dt.date) -> bool:
    return bool(
        element.is_action_item
        and element.status in OPEN_ACTION_STATUSES
        and element.due_on is not None
        and element.due_on < today
    )


def latest_updates(element_ids: Iterable[int], user: Any) -> dict[int, ElementUpdate]:
    """The latest update the user may see of each element (one query: a window over the updates)."""
    newest_first = Window(RowNumber(), partition_by=F("element_id"), order_by=[F("recorded_at").desc(), F("pk").desc()])
    rows = (
        visible(ElementUpdate.objects.filter(element_id__in=list(element_ids)), user)
        .select_related("country")
        .annotate(recency=newest_first)
        .filter(recency=1)
    )
    return {row.element_id: row for row in rows}


def measures_for_elements(element_ids: Iterable[int], user: Any) -> dict[int, list[dict[str, Any]]]:
    """The measures (visible to the user) each element advances, with their visible indicators (two queries)."""
    return measures_advanced_by(element_type(), element_ids, user)


# --- outcomes ----------------------------------------------------------------------------------------


def outcome_list_for(*, user: Any, meeting: Meeting | None = None, series: Any = None) -> QuerySet[Outcome]:
    """Outcomes the user may see, with counts of elements, action items, open and overdue items."""
    today = timezone.localdate()
    qs = visible(Outcome.objects.all(), user)
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if series is not None:
        qs = qs.filter(meeting__series=series)
    open_items = Q(elements__is_action_item=True, elements__status__in=OPEN_ACTION_STATUSES)
    return (
        qs.select_related("meeting__series", "amends")
        .annotate(
            element_count=Count("elements"),
            action_item_count=Count("elements", filter=Q(elements__is_action_item=True)),
            open_count=Count("elements", filter=open_items),
            overdue_count=Count("elements", filter=open_items & Q(elements__due_on__lt=today)),
        )
        .order_by("meeting__starts_at", "kind", "number")
    )


def outcome_detail_for(*, user: Any, pk: int) -> dict[str, Any]:
    """An outcome (404 when not visible) with its elements in order, each with addressees, latest
    update, overdue flag and the measures it advances (with their indicators). Fixed number of queries."""
    outcome = get_visible_or_404(
        Outcome.objects.select_related("meeting__series", "amends", "document").prefetch_related(
            Prefetch("amended_by", queryset=visible(Outcome.objects.all(), user).order_by("adopted_on"))
        ),
        user,
        pk=pk,
    )
    elements = list(
        Element.objects.filter(outcome=outcome)
        .select_related("lead_country", "lead_organisation", "superseded_by", "implements")
        .prefetch_related(
            "addressed_countries",
            "addressed_organisations",
            Prefetch("evidence_documents", queryset=visible(Document.objects.all(), user).order_by("symbol")),
        )
        .order_by("position")
    )
    ids = [e.pk for e in elements]
    updates = latest_updates(ids, user)
    measures = measures_for_elements(ids, user)
    today = timezone.localdate()
    for element in elements:
        element.latest_update = updates.get(element.pk)
        element.measures = measures.get(element.pk, [])
        element.overdue = is_overdue(element, today)
        element.status_icon = ACTION_ICONS.get(element.status, "")
    action_items = [e for e in elements if e.is_action_item]
    return {
        "outcome": outcome,
        "text": pick(outcome.text_ja, outcome.text_en),
        "elements": elements,
        "action_items": action_items,
        "counts": {
            "elements": len(elements),
            "operational": sum(1 for e in elements if e.is_operational),
            "action_items": len(action_items),
            "open": sum(1 for e in action_items if e.status in OPEN_ACTION_STATUSES),
            "overdue": sum(1 for e in action_items if e.overdue),
        },
        "can_change": can(user, CHANGE, outcome),
        "measures": sorted(
            {m["measure"].pk: m["measure"] for rows in measures.values() for m in rows}.values(), key=lambda m: m.code
        ),
    }


def element_detail_for(*, user: Any, pk: int) -> dict[str, Any]:
    """One element (404 when not visible) with its whole history from its decision to now.

    Its updates, oldest first; the change history of the element itself (for
    those who may see it); what it supersedes, implements and is implemented by;
    its evidence; the measures it advances.
    """
    element = get_visible_or_404(
        Element.objects.select_related(
            "outcome__meeting__series",
            "parent",
            "lead_country",
            "lead_organisation",
            "superseded_by__outcome",
            "implements__outcome",
        ).prefetch_related("addressed_countries", "addressed_organisations"),
        user,
        pk=pk,
    )
    visible_elements = visible(Element.objects.all(), user)
    updates = list(
        visible(ElementUpdate.objects.filter(element=element), user)
        .select_related("meeting__series", "country", "author")
        .order_by("recorded_at", "pk")
    )
    may_see_history = can(user, VIEW_HISTORY, element)
    history = (
        build_entries(
            Element, list(element.history.select_related("history_user").order_by("-history_date", "-history_id"))
        )
        if may_see_history
        else []
    )
    today = timezone.localdate()
    element.overdue = is_overdue(element, today)
    element.status_icon = ACTION_ICONS.get(element.status, "")
    return {
        "element": element,
        "outcome": element.outcome,
        "children": list(element.children.order_by("position")),
        "updates": updates,
        "history": history,
        "may_see_history": may_see_history,
        "supersedes": list(visible_elements.filter(superseded_by=element).select_related("outcome")),
        "implemented_by": list(visible_elements.filter(implements=element).select_related("outcome")),
        "evidence": list(visible(element.evidence_documents.all(), user).order_by("symbol")),
        "measures": measures_for_elements([element.pk], user).get(element.pk, []),
        "may_update": can(user, REPORT_UPDATE, element) and element.outcome.status != "draft",
        "may_change": can(user, CHANGE, element),
    }


# --- the other way round: decisions behind a measure ------------------------------------------------------


def decisions_for_measure(*, measure: Measure, user: Any) -> list[dict[str, Any]]:
    """The adopted decisions whose elements advance `measure`, grouped by outcome (two queries).

    [{"outcome": Outcome, "elements": [Element with .relation_label and .overdue]}], oldest meeting first;
    only elements the user may see. For `meetings/outcomes/measure_decisions.html` (as `decisions`).
    """
    relations = dict(
        MeasureLink.objects.filter(measure=measure, target_type=element_type()).values_list("target_id", "relation")
    )
    if not relations:
        return []
    labels = dict(MeasureLink._meta.get_field("relation").flatchoices)
    today = timezone.localdate()
    grouped: dict[int, dict[str, Any]] = {}
    for element in (
        visible(Element.objects.filter(pk__in=list(relations)), user)
        .exclude(outcome__status="draft")
        .select_related("outcome__meeting__series")
        .order_by("outcome__meeting__starts_at", "outcome__code", "position")
    ):
        element.relation_label = labels.get(relations[element.pk], relations[element.pk])
        element.overdue = is_overdue(element, today)
        element.status_icon = ACTION_ICONS.get(element.status, "")
        grouped.setdefault(element.outcome_id, {"outcome": element.outcome, "elements": []})["elements"].append(element)
    return list(grouped.values())


# --- the meeting hub ----------------------------------------------------------------------------------------


def meeting_section(*, meeting: Meeting, user: Any) -> dict[str, Any] | None:
    """The outcomes part of a meeting's page: its outcomes with counts, and the follow-up of earlier items.

    None when there is nothing to show and nothing the user may add. Keys:
    meeting, outcomes (with element_count, action_item_count, open_count,
    overdue_count, url), can_add, add_url, followup ({open, overdue} items
    followed up at this meeting, signed-in users only), status_url,
    status_pdf_url and my_items_url (focal points: their country's items).
    """
    from .followup import followup_counts

    signed_in = bool(getattr(user, "is_authenticated", False))
    outcomes = list(outcome_list_for(user=user, meeting=meeting))
    for outcome in outcomes:
        outcome.url = (
            reverse("meetings:outcome-detail", args=[outcome.pk])
            if signed_in
            else reverse("meetings_public:outcome-public", args=[outcome.pk])
        )
    can_add = can(user, ADD, Outcome)
    followup = followup_counts(user=user, meeting=meeting) if signed_in else None
    if not outcomes and not can_add and not (followup and followup["open"]):
        return None
    return {
        "meeting": meeting,
        "outcomes": outcomes,
        "can_add": can_add,
        "add_url": reverse("meetings:outcome-create", args=[meeting.pk]) if can_add else "",
        "followup": followup,
        "status_url": reverse("meetings:action-status", args=[meeting.pk]) if signed_in else "",
        "status_pdf_url": reverse("meetings:action-status-pdf", args=[meeting.pk]) if signed_in else "",
        "my_items_url": reverse("meetings:my-action-items") if user_countries(user) else "",
    }
