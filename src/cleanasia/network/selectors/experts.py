"""Reads of the expert directory for pages, the API and exports, always through the expert policy.

`expert_search` finds experts by a Japanese or English query through the
platform's search index (bigrams: 大気 finds 大気汚染), then filters by field,
country, language, exact keyword and state in SQL, one page at a time, in a
fixed number of queries whatever the page holds.

What a reader gets of an expert is decided per row (`expert_row`): everyone who
may see the expert gets the public fields; contact details (e-mail address,
telephone) and the record's administration (state, consent, nominator,
version) only the secretariat, the person and the focal points of the
expert's country (policy VIEW_CONTACT). Rows carry values, never the person
record, so a page cannot reach what the reader may not see.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Window
from django.utils import timezone, translation

from cleanasia.core import cache
from cleanasia.core import search as core_search
from cleanasia.core.permissions import access_fingerprint, can, get_visible_or_404, visible
from cleanasia.directory.models import Affiliation, Country, Person

from .. import search as _registrations  # noqa: F401  (the index knows the experts; also imported at start-up)
from ..apps import CACHE_NAMESPACE
from ..models import ExpertProfile, Field
from ..policies.experts import VIEW_CONTACT
from ..services.experts import keywords_normalise

PAGE_SIZE = 20


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "ja")[:2]


def _in_language(record: Any, name: str, language: str) -> str:
    """A translated field in `language`, else in the other language."""
    other = "en" if language == "ja" else "ja"
    return getattr(record, f"{name}_{language}", "") or getattr(record, f"{name}_{other}", "") or ""


def _code(value: Any) -> str:
    return str(getattr(value, "pk", value) or "").strip()


def keyword_q(keyword: str) -> Q:
    """Experts having `keyword` as one of their keywords (one a line), in any case."""
    wanted = keywords_normalise([keyword])
    return (
        Q(keywords__iexact=wanted)
        | Q(keywords__istartswith=f"{wanted}\n")
        | Q(keywords__iendswith=f"\n{wanted}")
        | Q(keywords__icontains=f"\n{wanted}\n")
    )


def index_matches(query: str) -> QuerySet:
    """The ids of the experts whose index entry contains `query` (a subquery).

    Not core.search.search(): that also filters the entries by their stored readers and the expert policy
    and picks one entry per language, which here would cost as much again (the selector applies the policy
    to the experts themselves, and an expert is one row whichever of their entries matched).
    """
    return core_search.matching_object_ids(query, ExpertProfile)


def _with_related(experts: QuerySet, *, history: bool) -> QuerySet:
    """What a row shows, in a fixed number of queries: the person and country joined, fields, affiliations
    (all of them for the detail, the current ones for a list) and, for the detail, publications."""
    affiliations = Affiliation.objects.select_related("organisation").order_by("-started_on", "pk")
    if not history:
        today = timezone.localdate()
        affiliations = affiliations.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    related = [
        Prefetch("fields", queryset=Field.objects.order_by("position", "code")),
        Prefetch("person__affiliations", queryset=affiliations, to_attr="shown_affiliations"),
    ]
    if history:
        related.append("publications")
    return experts.select_related("person__country", "nominated_by").prefetch_related(*related)


def expert_search_queryset(
    *,
    user: Any,
    query: str = "",
    field: Field | str | None = None,
    country: Country | str | None = None,
    language: str | None = None,
    keyword: str | None = None,
    state: str | None = None,
) -> QuerySet:
    """The experts `user` may see matching the query and filters, ordered by name (not yet fetched)."""
    experts = visible(ExpertProfile.objects.all(), user)
    query = (query or "").strip()
    if query:
        experts = experts.filter(pk__in=index_matches(query))
    # Field and country are tested per expert (EXISTS) rather than joined or listed (IN): planning without
    # statistics, SQLite would otherwise probe each of the country's people (or the field's experts) against
    # each expert the query matched, seconds at 20,000 experts, instead of reading the matches once.
    if _code(field):
        through = ExpertProfile.fields.through
        experts = experts.filter(
            Exists(through.objects.filter(expertprofile_id=OuterRef("pk"), field__code=_code(field)))
        )
    if _code(country):
        experts = experts.filter(
            Exists(Person.objects.filter(pk=OuterRef("person_id"), country_id=_code(country).upper()))
        )
    if language:
        # The languages are a JSON list: a quoted code matches one element as text, on SQLite and PostgreSQL.
        experts = experts.filter(languages__icontains=f'"{language.strip().lower()}"')
    if keyword and keyword.strip():
        experts = experts.filter(keyword_q(keyword))
    if state:
        experts = experts.filter(state=state)
    return experts.order_by("person__name_en", "person__name_ja", "pk")


def expert_search(
    *,
    user: Any,
    query: str = "",
    field: Field | str | None = None,
    country: Country | str | None = None,
    language: str | None = None,
    keyword: str | None = None,
    state: str | None = None,
    page: int | str | None = 1,
    page_size: int = PAGE_SIZE,
    reader_language: str | None = None,
) -> Page:
    """A page of experts for `user`: its `object_list` holds rows (`expert_row`), public fields only for
    readers who may not see the experts' contact details.

    `query`: Japanese or English, any part of a name, keyword, field or organisation; `field`, `country`:
    records or codes; `language`: an ISO 639-1 code; `keyword`: one of the expert's keywords, exactly (any
    case); `state`: nominated, accepted or declined (readers who see only accepted experts get nothing else).
    """
    number = _page_number(page)
    filters = {"query": query, "field": field, "country": country, "language": language, "keyword": keyword}
    ids, total = _page_ids(user, number, page_size, state=state, **filters)
    if not ids and number > 1:  # past the last page (an old link): the last page, as Paginator.get_page does
        number = max(1, -(-total // page_size))
        ids, total = _page_ids(user, number, page_size, state=state, **filters)
    by_id = _with_related(ExpertProfile.objects.filter(pk__in=ids), history=False).in_bulk()
    # An id cached before its expert was deleted by bulk work (which raises no generation) is skipped.
    found = [by_id[pk] for pk in ids if pk in by_id]
    paginator = Paginator([], page_size)
    paginator.count = total  # known from the page's own query
    rows = [expert_row(expert, user=user, language=reader_language) for expert in found]
    return Page(rows, number, paginator)


def _page_ids(user: Any, number: int, page_size: int, **filters: Any) -> tuple[list[int], int]:
    """The ids of page `number` and how many experts match in all, kept per data generation and reader.

    Finding the matches of a common word reads every expert's index entries (about 20 ms at 20,000 experts
    on SQLite, 30 on PostgreSQL) and ordering them by name joins every match to its person: the same search
    repeated — the directory's popular keywords, paging back and forth — is answered from the cache until an
    expert, a person, an affiliation, an organisation or a field changes (apps.py watches them all).
    """
    key = [
        "expert-search-page",
        access_fingerprint(user),
        *(_code(value) if name in {"field", "country"} else (value or "").strip() for name, value in filters.items()),
        number,
        page_size,
    ]

    def compute() -> tuple[list[int], int]:
        experts = expert_search_queryset(user=user, **filters)
        return _page_of(experts, number, page_size, searched=bool((filters.get("query") or "").strip()))

    return cache.cached_aggregate(CACHE_NAMESPACE, key, compute, timeout=300)


def _page_number(page: int | str | None) -> int:
    try:
        return max(1, int(page or 1))
    except (TypeError, ValueError):
        return 1


def _page_of(experts: QuerySet, number: int, page_size: int, *, searched: bool) -> tuple[list[int], int]:
    """The ids of page `number` and how many match in all.

    Without a text query, one narrow query orders the experts by name and counts them (a window count: the
    filters run once). With one, the matches' ids and names are read unordered and ordered here: ordered in
    SQL, PostgreSQL walked every person by name probing each one's index entries (130-200 ms for a common
    word at 20,000 experts), where read unordered the matches are hashed and joined once. Python orders by
    code point, as SQLite and PostgreSQL's C collation do.
    """
    start = (number - 1) * page_size
    if searched:
        matches = experts.order_by().values_list("pk", "person__name_en", "person__name_ja")
        ordered = sorted(matches, key=lambda row: (row[1] or "", row[2] or "", row[0]))
        return [pk for pk, _name_en, _name_ja in ordered[start : start + page_size]], len(ordered)
    counted = experts.annotate(matches=Window(Count("pk"))).values_list("pk", "matches")
    page = list(counted[start : start + page_size])
    if not page:
        return [], experts.count() if number > 1 else 0
    return [pk for pk, _matches in page], page[0][1]


def _affiliation_row(affiliation: Affiliation, language: str) -> dict[str, Any]:
    organisation = affiliation.organisation
    return {
        "organisation": organisation,
        "organisation_name": _in_language(organisation, "name", language) or organisation.acronym,
        "position": _in_language(affiliation, "position", language),
        "started_on": affiliation.started_on,
        "ended_on": affiliation.ended_on,
    }


def expert_row(expert: ExpertProfile, *, user: Any, language: str | None = None) -> dict[str, Any]:
    """What `user` may read of one expert (fetched with `_with_related`). Contact details and the record's
    administration are added only for the secretariat, the person and their country's focal points."""
    language = _language(language)
    person = expert.person
    personal = can(user, VIEW_CONTACT, expert)
    row: dict[str, Any] = {
        "id": expert.pk,
        "name": _in_language(person, "name", language),
        "name_ja": person.name_ja,
        "name_en": person.name_en,
        "honorific": person.honorific,
        "family_name": person.family_name,
        "given_name": person.given_name,
        "country": person.country,
        "fields": list(expert.fields.all()),
        "keywords": [k for k in expert.keywords.splitlines() if k.strip()],
        "languages": list(expert.languages),
        "orcid": expert.orcid or "",
        "orcid_url": f"https://orcid.org/{expert.orcid}" if expert.orcid else "",
        "biography": _in_language(expert, "biography", language),
        "affiliations": [_affiliation_row(a, language) for a in person.shown_affiliations],
        "personal": personal,
    }
    if personal:
        row.update(
            {
                "email": person.email,
                "phone": person.phone,
                "state": expert.state,
                "state_label": expert.get_state_display(),
                "listed_publicly": expert.listed_publicly,
                "listing_consent_on": expert.listing_consent_on,
                "nominated_by": str(expert.nominated_by) if expert.nominated_by_id else "",
                "decided_on": expert.decided_on,
                "visibility": expert.visibility,
                "version": expert.version,
            }
        )
    return row


def expert_get_for(*, user: Any, expert_id: int) -> ExpertProfile:
    """One expert `user` may see, with what its page shows (Http404 when hidden, as when it does not exist)."""
    return get_visible_or_404(_with_related(ExpertProfile.objects.all(), history=True), user, pk=expert_id)


def expert_detail_row(expert: ExpertProfile, *, user: Any, language: str | None = None) -> dict[str, Any]:
    """The row of an expert fetched by `expert_get_for`, with the whole affiliation history and the
    publications (newest first)."""
    row = expert_row(expert, user=user, language=language)
    row["publications"] = [
        {
            "id": p.pk,
            "title": p.title,
            "year": p.year,
            "doi": p.doi,
            "doi_url": p.doi_url,
            "url": p.url,
            "citation": p.citation,
            "version": p.version,
        }
        for p in sorted(expert.publications.all(), key=lambda p: (-(p.year or 0), p.title))
    ]
    return row


def expert_detail_for(*, user: Any, expert_id: int, language: str | None = None) -> dict[str, Any]:
    """One expert for `user` (Http404 when they may not see it, as when it does not exist): the row with the
    whole affiliation history and the publications."""
    expert = expert_get_for(user=user, expert_id=expert_id)
    return expert_detail_row(expert, user=user, language=language)


def field_choices() -> list[Field]:
    """The fields in use, in their order (for filters and forms)."""
    return list(Field.objects.filter(is_active=True).order_by("position", "code"))


def countries_with_experts(*, user: Any) -> list[Country]:
    """The countries of the experts `user` may see, by name, for the country filter: read across every expert
    (tens of milliseconds at 20,000), so kept per data generation and reader."""

    def compute() -> list[Country]:
        codes = visible(ExpertProfile.objects.all(), user).values("person__country_id")
        return list(Country.objects.filter(pk__in=codes).order_by("name_en"))

    return cache.cached_aggregate(
        CACHE_NAMESPACE, ("countries-with-experts", access_fingerprint(user)), compute, timeout=300
    )
