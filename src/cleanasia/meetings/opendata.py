"""Open data: the adopted, public outcomes of meetings with their elements, as a harvestable JSON feed.

GET /feeds/outcomes.json lists outcomes by `modified` (the later of the
outcome's and its elements' last change), oldest first, in pages of
PAGE_SIZE with a `next` link. A harvester keeps the largest `modified` it saw
and asks again with `?since=<that timestamp>` for what changed after it.
Identifiers (`id`) and codes (EAS-EMM/2/JS.05.b) are stable; texts are given
in Japanese and English. Only what the public may see is in it (the same
policy as the public pages), whoever asks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, Max, Prefetch
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date, urlencode
from django.views.decorators.http import require_GET

from cleanasia.core.permissions import visible
from cleanasia.measures.models import Measure, MeasureLink

from .models import Distribution, Document, Element, Outcome

PAGE_SIZE = 100
FEED_VERSION = 1


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _pair(obj: Any, field: str) -> dict[str, str]:
    return {"ja": getattr(obj, f"{field}_ja") or "", "en": getattr(obj, f"{field}_en") or ""}


def parse_since(value: str) -> dt.datetime | None:
    """An ISO 8601 timestamp (a date means its start, UTC); None when it is not one."""
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            return None
        parsed = dt.datetime.combine(day, dt.time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def public_outcomes():
    """Adopted outcomes the public may see, each with `modified`."""
    return visible(Outcome.objects.all(), AnonymousUser()).annotate(
        modified=Greatest(
            "updated_at", Coalesce(Max("elements__updated_at"), "updated_at"), output_field=DateTimeField()
        )
    )


def _element_record(element: Element, measures: dict[int, list[dict[str, str]]]) -> dict[str, Any]:
    return {
        "id": element.pk,
        "code": element.code,
        "kind": element.kind,
        "number": element.number,
        "parent": element.parent.code if element.parent_id else None,
        "position": element.position,
        "text": _pair(element, "text"),
        "operational": element.is_operational,
        "action_item": element.is_action_item,
        "addressee": element.addressee or None,
        "addressed_countries": [c.code for c in element.addressed_countries.all()],
        "addressed_organisations": [
            {"id": o.pk, "name": _pair(o, "name")} for o in element.addressed_organisations.all()
        ],
        "addressed_group": element.addressed_group or None,
        "lead": (
            {"country": element.lead_country_id}
            if element.lead_country_id
            else {
                "organisation": {"id": element.lead_organisation_id, "name": _pair(element.lead_organisation, "name")}
            }
            if element.lead_organisation_id
            else None
        ),
        "due_on": _iso(element.due_on),
        "status": element.status or None,
        "status_note": _pair(element, "status_note"),
        "closed_on": _iso(element.closed_on),
        "superseded_by": element.superseded_by.code if element.superseded_by_id else None,
        "implements": element.implements.code if element.implements_id else None,
        "evidence": [d.symbol for d in element.evidence_documents.all()],
        "measures": measures.get(element.pk, []),
        "modified": _iso(element.updated_at),
    }


def outcome_records(outcomes: list[Outcome], request: HttpRequest) -> list[dict[str, Any]]:
    """The feed's records of `outcomes` with their elements (a fixed number of queries)."""
    ids = [o.pk for o in outcomes]
    anonymous = AnonymousUser()
    elements: dict[int, list[Element]] = defaultdict(list)
    element_ids: list[int] = []
    public_documents = visible(Document.objects.filter(distribution=Distribution.GENERAL), anonymous)
    for element in (
        Element.objects.filter(outcome_id__in=ids)
        .select_related("parent", "lead_organisation", "superseded_by", "implements")
        .prefetch_related(
            "addressed_countries",
            "addressed_organisations",
            Prefetch("evidence_documents", queryset=public_documents.order_by("symbol")),
        )
        .order_by("position")
    ):
        elements[element.outcome_id].append(element)
        element_ids.append(element.pk)
    measures: dict[int, list[dict[str, str]]] = defaultdict(list)
    for target_id, code, relation in (
        MeasureLink.objects.filter(
            target_type=ContentType.objects.get_for_model(Element),
            target_id__in=element_ids,
            measure__in=visible(Measure.objects.all(), anonymous).values("pk"),
        )
        .order_by("measure__code")
        .values_list("target_id", "measure__code", "relation")
    ):
        measures[target_id].append({"code": code, "relation": relation})
    records = []
    for outcome in outcomes:
        meeting = outcome.meeting
        records.append(
            {
                "id": outcome.pk,
                "code": outcome.code,
                "kind": outcome.kind,
                "number": outcome.number,
                "title": _pair(outcome, "title"),
                "text": _pair(outcome, "text"),
                "status": outcome.status,
                "adopted_on": _iso(outcome.adopted_on),
                "amends": outcome.amends.code if outcome.amends_id else None,
                "document": outcome.document.symbol if outcome.document_id else None,
                "meeting": {
                    "id": meeting.pk,
                    "series": meeting.series.code,
                    "ordinal": meeting.ordinal,
                    "title": _pair(meeting, "title"),
                    "starts_at": _iso(meeting.starts_at),
                    "ends_at": _iso(meeting.ends_at),
                    "time_zone": meeting.time_zone,
                },
                "url": request.build_absolute_uri(reverse("meetings_public:outcome-public", args=[outcome.pk])),
                "modified": _iso(outcome.modified),
                "elements": [_element_record(e, measures) for e in elements.get(outcome.pk, [])],
            }
        )
    return records


def _problem(detail: str, field: str) -> JsonResponse:
    return JsonResponse(
        {"title": "Invalid request", "status": 400, "detail": detail, "errors": [{"field": field, "detail": detail}]},
        status=400,
        content_type="application/problem+json",
    )


@require_GET
def outcomes_feed(request: HttpRequest) -> JsonResponse:
    """The outcomes feed (see the module docstring): ?since=<ISO 8601>&page=<n>."""
    qs = public_outcomes()
    since_text = request.GET.get("since", "").strip()
    since = None
    if since_text:
        since = parse_since(since_text)
        if since is None:
            return _problem("since: give an ISO 8601 timestamp, e.g. 2026-01-31T00:00:00Z.", "since")
        qs = qs.filter(modified__gt=since)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        return _problem("page: give a page number from 1.", "page")
    count = qs.count()
    outcomes = list(
        qs.select_related("meeting__series", "amends", "document").order_by("modified", "pk")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    has_next = page * PAGE_SIZE < count
    params = {"page": page + 1, **({"since": since_text} if since_text else {})}
    next_url = request.build_absolute_uri(f"{request.path}?{urlencode(params)}") if has_next else None
    latest = max((o.modified for o in outcomes), default=None)
    response = JsonResponse(
        {
            "feed": "cleanasia-meeting-outcomes",
            "version": FEED_VERSION,
            "generated_at": _iso(timezone.now()),
            "since": _iso(since),
            "count": count,
            "page": page,
            "page_size": PAGE_SIZE,
            "next": next_url,
            "results": outcome_records(outcomes, request),
        },
        json_dumps_params={"ensure_ascii": False},
    )
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response
