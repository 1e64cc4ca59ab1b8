"""Reads of meeting documents for pages, the API and the meeting hub: listings, one document, the minutes.

Everything goes through the policies (`visible`); each function runs a fixed
number of queries whatever the number of documents. Listings put each
document's current version first (the original, or its latest revision),
then its addenda and corrigenda, then the versions a revision replaced,
marked as such.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from cleanasia.core.permissions import get_visible_or_404, is_secretariat, visible

from ..models import (
    AgendaItem,
    Document,
    DocumentFile,
    DocumentType,
    DownloadLog,
    Meeting,
    MeetingSeries,
    MinutesState,
    SuffixKind,
)
from ..policies.documents import public_document_filter
from ..services.documents import FALLBACK_LANGUAGE, choose_language_version

TYPE_ORDER = {value: index for index, value in enumerate(DocumentType.values)}
FILE_FIELDS = (
    "id",
    "document_id",
    "language",
    "file",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "uploaded_at",
    "scan_status",
)
DOWNLOADS_SHOWN = 50
_DIGITS = re.compile(r"(\d+)")


def natural_key(symbol: str) -> tuple:
    """INF.2 before INF.10: digit runs compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(symbol))


def meeting_zone(meeting: Meeting) -> dt.tzinfo:
    """The meeting's time zone (UTC when its name is unknown here), for showing and entering times."""
    try:
        return zoneinfo.ZoneInfo(meeting.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def page_language() -> str:
    return (get_language() or FALLBACK_LANGUAGE)[:2]


def _files() -> Prefetch:
    return Prefetch("files", queryset=DocumentFile.objects.only(*FILE_FIELDS).order_by("language"))


def documents_qs(user: Any, *, public: bool = False) -> QuerySet:
    """Documents `user` may see (on public pages: only what the public sees), with what listings show."""
    qs = Document.objects.filter(public_document_filter()) if public else visible(Document.objects.all(), user)
    return qs.select_related("meeting", "meeting__series", "replaced_by", "concerns").prefetch_related(_files())


def decorate(document: Document, language: str) -> Document:
    """Set what listings show from prefetched rows: languages, the version served for `language`, replacement."""
    files = list(document.files.all())
    document.file_list = files
    document.languages = [f.language for f in files]
    served, fell_back = choose_language_version(files, language, document.original_language)
    document.served_language = served.language if served else ""
    document.falls_back = fell_back
    document.is_replaced = document.replaced_by_id is not None
    document.embargoed = document.embargo_until is not None and document.embargo_until > timezone.now()
    return document


def listing_rank(document: Document) -> tuple:
    """Where a document goes within its family (same original): current version, supplements, replaced ones."""
    main = document.suffix_kind in (SuffixKind.NONE, SuffixKind.REVISION)
    newest_first = -(document.suffix_number or 0)
    if main and not document.is_replaced:
        return (0, 0, ())
    concerned = document.concerns if document.concerns_id else None
    if not main and not (concerned is not None and concerned.replaced_by_id):
        return (1, 0, natural_key(document.symbol))
    if main:
        return (2, newest_first, ())
    return (3, 0, natural_key(document.symbol))


def sort_documents(documents: Iterable[Document]) -> list[Document]:
    return sorted(
        documents, key=lambda d: (TYPE_ORDER.get(d.doc_type, 99), natural_key(d.base_symbol), listing_rank(d))
    )


def group_by_type(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """[{"type", "label", "documents"}] in the order of DocumentType, each family current version first."""
    groups: dict[str, dict[str, Any]] = {}
    for document in sort_documents(documents):
        group = groups.setdefault(
            document.doc_type,
            {"type": document.doc_type, "label": DocumentType(document.doc_type).label, "documents": []},
        )
        group["documents"].append(document)
    return list(groups.values())


def _adoption_items(user: Any) -> QuerySet:
    return visible(AgendaItem.objects.all(), user).select_related("meeting", "meeting__series")


def minutes_adopted_at_meeting(*, user: Any, meeting: Meeting) -> list[AgendaItem]:
    """This meeting's agenda items that adopt earlier minutes, with the minutes (only those the user sees)."""
    minutes = visible(Document.objects.all(), user).select_related("meeting", "meeting__series")
    return [
        item
        for item in visible(AgendaItem.objects.filter(meeting=meeting, adopts_minutes__isnull=False), user)
        .prefetch_related(Prefetch("adopts_minutes", queryset=minutes))
        .order_by("position", "number")
        if item.adopts_minutes is not None
    ]


def meeting_documents_for(*, user: Any, meeting: Meeting, public: bool = False) -> dict[str, Any]:
    """The documents of a meeting the reader sees, grouped by type, and the minutes adopted at this meeting.

    Keys: groups, count, language (the page's), adopts (agenda items adopting earlier minutes).
    Four queries whatever the number of documents.
    """
    language = page_language()
    documents = [
        decorate(d, language)
        for d in documents_qs(user, public=public)
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("adopted_at_items", queryset=_adoption_items(user).order_by("meeting__starts_at")))
    ]
    adopts = [] if public else minutes_adopted_at_meeting(user=user, meeting=meeting)
    return {"groups": group_by_type(documents), "count": len(documents), "language": language, "adopts": adopts}


def document_list_for(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet:
    """Documents the user may see, filtered by meeting, type and symbol (the symbol's family), for the API."""
    qs = documents_qs(user)
    filters = filters or {}
    if meeting := filters.get("meeting"):
        qs = qs.filter(meeting=meeting)
    if doc_type := filters.get("doc_type"):
        qs = qs.filter(doc_type=doc_type)
    if symbol := filters.get("symbol"):
        qs = qs.filter(Q(symbol__iexact=symbol) | Q(base_symbol__iexact=symbol))
    return qs.order_by("meeting__starts_at", "base_symbol", "symbol")


def document_get_for(*, user: Any, pk: int) -> Document:
    """One document (404 when not visible), with its family, adoption links and, for the secretariat, downloads.

    Attributes set: file_list, languages, served_language, falls_back,
    family (visible documents sharing the original, current version first),
    supplements (those concerning this one), revisions (original and /Rev.
    versions), adopted_at (agenda items adopting these minutes), adopts
    (for an agenda: the minutes its meeting adopts), download_counts and
    downloads (the secretariat only). Seven queries at most.
    """
    language = page_language()
    document = get_visible_or_404(
        documents_qs(user).prefetch_related(
            Prefetch("adopted_at_items", queryset=_adoption_items(user).order_by("meeting__starts_at"))
        ),
        user,
        pk=pk,
    )
    decorate(document, language)
    family = [
        decorate(d, language)
        for d in visible(Document.objects.filter(base_symbol=document.base_symbol), user)
        .select_related("replaced_by", "concerns")
        .prefetch_related(_files())
    ]
    document.family = sort_documents(family)
    document.supplements_shown = [d for d in document.family if d.concerns_id == document.pk]
    document.revisions = sorted(
        (d for d in document.family if d.suffix_kind in (SuffixKind.NONE, SuffixKind.REVISION)),
        key=lambda d: d.suffix_number or 0,
    )
    document.adopted_at = list(document.adopted_at_items.all())
    is_agenda = document.doc_type in (DocumentType.PROVISIONAL_AGENDA, DocumentType.ANNOTATED_AGENDA)
    document.adopts = minutes_adopted_at_meeting(user=user, meeting=document.meeting) if is_agenda else []
    document.download_counts = {}
    document.downloads = []
    if is_secretariat(user):
        document.download_counts = download_counts(document=document)
        document.downloads = list(download_log_for(user=user, document=document)[:DOWNLOADS_SHOWN])
    for version in document.file_list:
        version.download_count = document.download_counts.get(version.language, 0)
    return document


def download_counts(*, document: Document) -> dict[str, int]:
    """Downloads of each language version of `document` ({"en": 12, "ja": 3}), counted in SQL."""
    return dict(
        DownloadLog.objects.filter(document_file__document=document)
        .order_by()
        .values_list("document_file__language")
        .annotate(n=Count("pk"))
        .values_list("document_file__language", "n")
    )


def download_log_for(*, user: Any, document: Document) -> QuerySet:
    """Who downloaded which language version of `document` when, newest first (the secretariat only)."""
    return (
        visible(DownloadLog.objects.filter(document_file__document=document), user)
        .select_related("user", "document_file")
        .order_by("-at", "-pk")
    )


def public_meeting_documents(*, meeting_pk: int) -> tuple[Meeting, dict[str, Any]]:
    """A public meeting (404 otherwise) and its general documents out of embargo, whoever asks."""
    from cleanasia.core.models import Visibility

    meeting = get_visible_or_404(
        Meeting.objects.filter(visibility=Visibility.PUBLIC, series__visibility=Visibility.PUBLIC).select_related(
            "series"
        ),
        None,
        pk=meeting_pk,
    )
    return meeting, meeting_documents_for(user=None, meeting=meeting, public=True)


# --- minutes of a series -----------------------------------------------------------------------------------


def adopted_minutes_for(*, user: Any, series: MeetingSeries) -> list[Document]:
    """The series' adopted minutes in meeting order, each in its valid version, with where they were adopted.

    A version replaced by an adopted revision gives way to it; one whose
    revision is still a draft stays the valid text. Three queries.
    """
    language = page_language()
    documents = (
        visible(Document.objects.filter(meeting__series=series, doc_type=DocumentType.MINUTES), user)
        .filter(minutes_state=MinutesState.ADOPTED)
        .exclude(replaced_by__minutes_state=MinutesState.ADOPTED)
        .select_related("meeting", "meeting__series")
        .prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.order_by("language")),
            Prefetch("adopted_at_items", queryset=_adoption_items(user).order_by("meeting__starts_at")),
        )
        .order_by("meeting__starts_at", "meeting__ordinal")
    )
    result = sorted(
        (decorate(d, language) for d in documents),
        key=lambda d: (d.meeting.starts_at, d.meeting.ordinal, natural_key(d.base_symbol)),
    )
    for document in result:
        document.adopted_at = list(document.adopted_at_items.all())
        document.text = _plain_text(document, language)
    return result


def _plain_text(document: Document, language: str) -> str:
    """The text of the plain-text version served for `language`, if that version is plain text ("" otherwise)."""
    served = next((f for f in document.file_list if f.language == document.served_language), None)
    if served is None or not served.content_type.startswith("text/plain"):
        return ""
    with served.file.open("rb") as handle:
        return handle.read().decode("utf-8-sig", errors="replace")


def series_for_minutes(*, user: Any, pk: int) -> MeetingSeries:
    return get_visible_or_404(MeetingSeries.objects.all(), user, pk=pk)


# --- the meeting hub ---------------------------------------------------------------------------------------


def meeting_section(*, meeting: Meeting, user: Any) -> dict[str, Any] | None:
    """The documents part of a meeting's page: the documents the user sees, grouped by type.

    None when there is nothing to show and the user may add nothing. Keys:
    meeting, groups (documents with languages, served_language, falls_back,
    is_replaced, embargoed, url), count, adopts, language, signed_in,
    public, zone, may_add, list_url, add_url. Five queries whatever the number of documents.
    """
    from cleanasia.core.permissions import ADD, can

    signed_in = bool(getattr(user, "is_authenticated", False))
    listing = meeting_documents_for(user=user, meeting=meeting, public=not signed_in)
    may_add = can(user, ADD, Document)
    if not listing["count"] and not may_add and not listing["adopts"]:
        return None
    for group in listing["groups"]:
        for document in group["documents"]:
            document.url = (
                reverse("meetings:doc-detail", args=[document.pk])
                if signed_in
                else reverse("meetings_public:doc-download", args=[document.pk, listing["language"]])
            )
    return {
        "meeting": meeting,
        **listing,
        "signed_in": signed_in,
        "public": not signed_in,
        "zone": meeting_zone(meeting),
        "may_add": may_add,
        "list_url": (
            reverse("meetings:doc-list", args=[meeting.pk])
            if signed_in
            else reverse("meetings_public:doc-list", args=[meeting.pk])
        ),
        "add_url": reverse("meetings:doc-create", args=[meeting.pk]) if may_add else "",
    }
