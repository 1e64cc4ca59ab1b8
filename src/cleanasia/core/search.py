"""Search in Japanese and English: a portable n-gram index of the records modules register.

Japanese is written without spaces, so a word index would find nothing inside
「東アジア首脳会議環境大臣会合」. Instead each record's text is normalised (NFKC,
casefolded, whitespace collapsed) and every pair of adjacent characters within
a word is indexed (SearchGram), plus the last character of each word on its
own. A query is normalised the same way and split into its bigrams; the
candidates are the entries that have all of them (its three rarest, see
`_rarest`)

    SELECT entry_id FROM core_searchgram WHERE gram IN (…) GROUP BY entry_id
    HAVING COUNT(DISTINCT gram) = n

and a substring test on the normalised text confirms them (bigrams in another
order would otherwise match). A one-character query matches the grams that
start with it. Plain SQL, so SQLite and PostgreSQL give the same results; the
results are then one per record (in the reader's language where it matches),
title matches first, newer first.

Modules register their models with `register_searchable` in their app's
`search.py`; saving or deleting a registered record re-indexes it (signals),
and `cleanasia rebuild_search_index` rebuilds everything in bulk (bulk
inserts send no signals: code that writes in bulk calls `index_queryset`).

Who may read an entry is stored with it (`Access`: the most restrictive of the
record's own level and its parents', e.g. an element's outcome and meeting),
so results are filtered in SQL; the page's records are then fetched through
`core.permissions.visible`, which has the last word.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from .history import translated_base_fields
from .models import SearchEntry, SearchGram, Visibility, VisibilityControlled
from .permissions import is_secretariat, visible

MAX_QUERY_LENGTH = 100
BATCH = 1000
# From this many records, a bulk load drops the grams' lookup index and builds it again at the end:
# sorting once is much faster than inserting millions of grams into it one by one.
BULK_RECORDS = 5000
# From this many records indexed at once, PostgreSQL's statistics of the index tables are refreshed: planned
# from stale counts (a table analysed while nearly empty), a search of the new entries nested a scan of the
# postings inside a scan of the entries — minutes at a thousand experts.
ANALYZE_RECORDS = 200
# A query's candidates come from its MAX_GRAMS rarest grams, counted up to COUNT_CAP postings each.
MAX_GRAMS = 3
COUNT_CAP = 5000
# Searching one model's entries, a query whose every gram has this many postings reads the model's entries
# directly: the substring test over them (tens of milliseconds at 40,000 entries) costs less than grouping
# tens of thousands of postings, and it is bounded by the model's size, not by how common the words are.
SCAN_FROM = 2000
SNIPPET_WIDTH = 160
# Separates fields in the normalised text: queries never contain it, so no match spans two fields.
FIELD_SEPARATOR = "\n"

_RANK = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.GROUPS: 2, Visibility.SECRETARIAT: 3}


# --- text ----------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC, casefolded, runs of whitespace made one space: the form both texts and queries are compared in."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text or "").casefold())
    return " ".join(folded.split())


def text_grams(text: str) -> set[str]:
    """The grams indexed for a normalised text: each word's bigrams and its last character.

    The last character lets a one-character query, which matches grams by
    their first character, find a character that ends a word.
    """
    found: set[str] = set()
    for word in text.split():
        found.update(word[i : i + 2] for i in range(len(word) - 1))
        found.add(word[-1])
    return found


def query_grams(query: str) -> set[str]:
    """The bigrams every matching entry has (empty when no word of the query has two characters)."""
    return {word[i : i + 2] for word in query.split() for i in range(len(word) - 1)}


# --- who may read ------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """Who may read an entry: a visibility level, its named groups, and the end of an embargo."""

    visibility: str = Visibility.PUBLIC
    groups: frozenset[int] = frozenset()
    available_from: dt.datetime | None = None

    @classmethod
    def of(cls, record: models.Model) -> Access:
        """A VisibilityControlled record's own level (its named groups read through any prefetch)."""
        if not isinstance(record, VisibilityControlled):
            return cls()
        groups = frozenset()
        if record.visibility == Visibility.GROUPS:
            groups = frozenset(group.pk for group in record.audience_groups.all())
        return cls(visibility=record.visibility, groups=groups)

    def __and__(self, other: Access) -> Access:
        """Readers of both: the stricter level; for named groups, groups named by both.

        "In a group of A and in a group of B" cannot be stored as one list of
        groups; the groups common to both is stricter, never wider.
        """
        level = max(self.visibility, other.visibility, key=lambda v: _RANK[Visibility(v)])
        groups: frozenset[int] = frozenset()
        if level == Visibility.GROUPS:
            named = [a.groups for a in (self, other) if a.visibility == Visibility.GROUPS]
            groups = frozenset.intersection(*named)
            if not groups:
                level = Visibility.SECRETARIAT
        ends = [a.available_from for a in (self, other) if a.available_from is not None]
        return Access(visibility=level, groups=groups, available_from=max(ends) if ends else None)


def readable_by(user: Any) -> Q | None:
    """The Q limiting entries to those `user` may read; None: all (the secretariat)."""
    if is_secretariat(user):
        return None
    available = Q(available_from__isnull=True) | Q(available_from__lte=timezone.now())
    if not getattr(user, "is_authenticated", False):
        return Q(visibility=Visibility.PUBLIC) & available
    through = SearchEntry.audience_groups.through
    in_groups = through.objects.filter(group__in=user.groups.values("pk")).values("searchentry_id")
    levels = Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]) | Q(
        visibility=Visibility.GROUPS, pk__in=in_groups
    )
    return levels & available


# --- registry ----------------------------------------------------------------------


Links = list[tuple[str, list[Any]]]


@dataclass(frozen=True)
class Searchable:
    """How one model is indexed (see `register_searchable`)."""

    model: type[models.Model]
    title: tuple[str, ...]
    text_fields: tuple[str, ...]
    url: Callable[[Any], Links]
    access: Callable[[Any], Access]
    date: Callable[[Any], dt.date | dt.datetime | None]
    label: Callable[[Any], str] | None
    select_related: tuple[str, ...]
    prefetch_related: tuple[str, ...]
    dependants: Callable[[Any], Iterable[QuerySet]] | None
    filter_by_policy: bool = False
    translated: frozenset[str] = field(default_factory=frozenset)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.title, *self.text_fields)))

    def values(self, record: Any, names: Sequence[str], language: str, *, fallback: bool = False) -> list[str]:
        """The fields' values in `language` (language-neutral fields as they are)."""
        found = []
        for name in names:
            if name in self.translated:
                value = getattr(record, f"{name}_{language}", "") or ""
                if not value and fallback:
                    others = (getattr(record, f"{name}_{lang}", "") for lang in _languages() if lang != language)
                    value = next((v for v in others if v), "")
            else:
                value = getattr(record, name, "")
            found.append(str(value or ""))
        return found

    def languages(self, record: Any, languages: list[str]) -> list[str]:
        """Of `languages`, those the record has text in (the default language when it has no translated text)."""
        found = [lang for lang in languages if any(getattr(record, f"{name}_{lang}", "") for name in self.translated)]
        return found or [settings.LANGUAGE_CODE]

    def label_of(self, record: Any) -> str:
        return self.label(record) if self.label else capfirst(str(self.model._meta.verbose_name))

    def queryset(self) -> QuerySet:
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


_REGISTRY: dict[type[models.Model], Searchable] = {}
_suspended: ContextVar[bool] = ContextVar("cleanasia_search_suspended", default=False)
_lookup_dropped: ContextVar[bool] = ContextVar("cleanasia_search_lookup_dropped", default=False)


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def register_searchable(
    model: type[models.Model],
    *,
    text_fields: Sequence[str],
    title: str | Sequence[str],
    url: Callable[[Any], Links | tuple[str, list[Any]]],
    access: Callable[[Any], Access] | None = None,
    date: Callable[[Any], dt.date | dt.datetime | None] | None = None,
    label: Callable[[Any], str] | None = None,
    select_related: Sequence[str] = (),
    prefetch_related: Sequence[str] = (),
    dependants: Callable[[Any], Iterable[QuerySet]] | None = None,
    filter_by_policy: bool = False,
) -> None:
    """Index `model`'s records and keep them indexed as they are saved and deleted.

    - `title`: the field(s) shown as the result's title (joined by a space), indexed first;
      a title match ranks above a match elsewhere.
    - `text_fields`: the other fields searched. A field translated with modeltranslation
      ("title" → title_ja, title_en) is indexed once per language; other fields (symbols,
      codes) in every language.
    - `url(record)`: `(url name, args)` or a list of them, tried in order: the search page
      links the first name its URL namespace has.
    - `access(record)`: who may read it (default: the record's own visibility level). It must
      only read the record and the relations named in `select_related`/`prefetch_related`.
    - `date(record)`: newer records rank first among equal matches.
    - `dependants(record)`: querysets of registered records whose access derives from this
      one (a meeting's documents); they are re-checked when its access changes.
    - `filter_by_policy`: also filter this model's results in SQL through its permission
      policy, for readers who are not the secretariat. For rules no stored level can say
      (a document for the participants of its meeting), so that counts and pages stay exact.
    """
    titles = (title,) if isinstance(title, str) else tuple(title)

    def links(record: Any) -> Links:
        found = url(record)
        return [found] if isinstance(found, tuple) else list(found)  # type: ignore[list-item]

    searchable = Searchable(
        model=model,
        title=titles,
        text_fields=tuple(text_fields),
        url=links,
        access=access or Access.of,
        date=date or (lambda record: None),
        label=label,
        select_related=tuple(select_related),
        prefetch_related=tuple(prefetch_related),
        dependants=dependants,
        filter_by_policy=filter_by_policy,
        translated=frozenset(translated_base_fields(model) & {*titles, *text_fields}),
    )
    _REGISTRY[model] = searchable
    uid = f"core.search:{model._meta.label}"
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=uid + ":delete")
    if issubclass(model, VisibilityControlled):
        through = model._meta.get_field("audience_groups").remote_field.through
        m2m_changed.connect(_groups_changed, sender=through, weak=False, dispatch_uid=uid + ":groups")


def registered() -> list[Searchable]:
    return list(_REGISTRY.values())


def searchable_for(model: type[models.Model]) -> Searchable | None:
    return _REGISTRY.get(model._meta.concrete_model)


def autodiscover() -> list[Searchable]:
    """Import every installed app's `search` module (where registrations live)."""
    autodiscover_modules("search")
    return registered()


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Saves and deletes in the block leave the index alone (the caller re-indexes or removes in bulk)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


# --- writing the index -------------------------------------------------------------


def _as_datetime(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


@dataclass
class _Built:
    """An entry to insert (its column values by attname), its grams and named groups; `pk` once inserted."""

    values: dict[str, Any]
    grams: set[str]
    groups: frozenset[int]
    pk: int | None = None


def _build(searchable: Searchable, record: Any, content_type_id: int, languages: list[str]) -> list[_Built]:
    access = searchable.access(record)
    links = [[name, list(args)] for name, args in searchable.url(record)]
    date = _as_datetime(searchable.date(record))
    built = []
    for language in searchable.languages(record, languages):
        title_text = normalise(" ".join(searchable.values(record, searchable.title, language)))
        body = [normalise(v) for v in searchable.values(record, searchable.text_fields, language)]
        text = FIELD_SEPARATOR.join(part for part in (title_text, *body) if part)
        display = " ".join(v for v in searchable.values(record, searchable.title, language, fallback=True) if v)
        values = {
            "content_type_id": content_type_id,
            "object_id": record.pk,
            "language": language,
            "title": display or str(record),
            "title_text": title_text,
            "text": text,
            "links": links,
            "visibility": str(access.visibility),
            "available_from": access.available_from,
            "date": date,
        }
        built.append(_Built(values, text_grams(text), access.groups))
    return built


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows of values, already in the database's form, into `model`'s `columns` (field names or attnames).

    For millions of rows (grams, demonstration data): COPY on PostgreSQL, where
    even a pipelined executemany spends tens of microseconds a row; executemany
    on SQLite. No signals, no model instances, no ids returned.
    """
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 (from _meta)
        for start in range(0, len(rows), 50 * BATCH):
            cursor.executemany(sql, rows[start : start + 50 * BATCH])


def _insert(built: list[_Built]) -> int:
    """Insert entries, their grams and groups; return the number of grams.

    Plain executemany rather than bulk_create: a rebuild inserts millions of
    rows, and preparing each value of each row through the ORM would cost more
    than inserting it. The entries' ids are read back in one query per type.
    """
    if not built:
        return 0
    fields = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
    # Values needing the backend's form (JSON, datetimes) go through their field; the rest as they are.
    prepare = [f if f.attname in ("links", "available_from", "date") else None for f in fields]
    rows = []
    for b in built:
        row = []
        for f, preparer in zip(fields, prepare, strict=True):
            value = b.values[f.attname]
            row.append(value if preparer is None or value is None else preparer.get_db_prep_save(value, connection))
        rows.append(tuple(row))
    insert_rows(SearchEntry, [f.attname for f in fields], rows)
    by_type: dict[int, list[_Built]] = defaultdict(list)
    for b in built:
        by_type[b.values["content_type_id"]].append(b)
    for content_type_id, group in by_type.items():
        inserted = SearchEntry.objects.filter(
            content_type_id=content_type_id, object_id__in={b.values["object_id"] for b in group}
        ).values_list("object_id", "language", "pk")
        ids = {(object_id, language): pk for object_id, language, pk in inserted}
        for b in group:
            b.pk = ids[(b.values["object_id"], b.values["language"])]
    # In primary-key order (entry, gram): the inserts append to the table's key.
    insert_rows(SearchGram, ["gram", "entry"], [(gram, b.pk) for b in built for gram in sorted(b.grams)])
    through = SearchEntry.audience_groups.through
    through.objects.bulk_create(
        [through(searchentry_id=b.pk, group_id=group) for b in built for group in sorted(b.groups)],
        batch_size=BATCH,
    )
    return sum(len(b.grams) for b in built)


def _delete_entries(entries: QuerySet) -> int:
    """Delete the entries with their grams and groups; return how many.

    By lists of ids rather than subqueries: in a bulk load, the planner's idea
    of a table just filled in the same transaction can be far off, and a
    grams-against-subquery plan gone wrong costs minutes.
    """
    ids = list(entries.values_list("pk", flat=True))
    through = SearchEntry.audience_groups.through
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        SearchGram.objects.filter(entry_id__in=chunk).delete()
        through.objects.filter(searchentry_id__in=chunk).delete()
        SearchEntry.objects.filter(pk__in=chunk).only("pk").delete()
    return len(ids)


def _stored_access(content_type: ContentType, object_ids: Iterable[int]) -> dict[int, Access]:
    """The access stored for each record (of its first entry: all its entries carry the same)."""
    entries = SearchEntry.objects.filter(content_type=content_type, object_id__in=list(object_ids))
    groups: dict[int, set[int]] = defaultdict(set)
    through = SearchEntry.audience_groups.through
    for entry_id, group_id in through.objects.filter(searchentry__in=entries.values("pk")).values_list(
        "searchentry_id", "group_id"
    ):
        groups[entry_id].add(group_id)
    found: dict[int, Access] = {}
    for pk, object_id, visibility, available_from in entries.order_by("pk").values_list(
        "pk", "object_id", "visibility", "available_from"
    ):
        found.setdefault(object_id, Access(visibility, frozenset(groups[pk]), available_from))
    return found


def index_object(record: models.Model) -> None:
    """(Re-)index one registered record; re-check its dependants when who may read it changed."""
    searchable = searchable_for(record.__class__)
    if searchable is None:
        return
    content_type = ContentType.objects.get_for_model(searchable.model)
    with transaction.atomic():
        before = _stored_access(content_type, [record.pk]).get(record.pk)
        _delete_entries(SearchEntry.objects.filter(content_type=content_type, object_id=record.pk))
        built = _build(searchable, record, content_type.pk, _languages())
        _insert(built)
        if before is None or not searchable.dependants:
            return
        values = built[0].values
        if before != Access(values["visibility"], built[0].groups, values["available_from"]):
            for qs in searchable.dependants(record):
                refresh_access(qs)


def remove_object(record: models.Model) -> None:
    """Remove a record from the index."""
    searchable = searchable_for(record.__class__)
    if searchable is None:
        return
    content_type = ContentType.objects.get_for_model(searchable.model)
    _delete_entries(SearchEntry.objects.filter(content_type=content_type, object_id=record.pk))


def remove_queryset(qs: QuerySet) -> int:
    """Remove the records of `qs` from the index in bulk (before deleting them with the index suspended)."""
    searchable = searchable_for(qs.model)
    if searchable is None:
        return 0
    content_type = ContentType.objects.get_for_model(searchable.model)
    return _delete_entries(SearchEntry.objects.filter(content_type=content_type, object_id__in=qs.values("pk")))


@dataclass
class IndexTally:
    records: int = 0
    entries: int = 0
    grams: int = 0
    seconds: float = 0.0


@contextlib.contextmanager
def bulk_load() -> Iterator[None]:
    """One transaction in which the grams' lookup index is dropped, and built again at the end.

    Searches in other sessions wait for the end of the transaction (PostgreSQL)
    or see the index as it was (SQLite): for the rebuild command and demonstration data.
    """
    if _lookup_dropped.get():
        yield
        return
    (index,) = SearchGram._meta.indexes
    quote = connection.ops.quote_name
    columns = ", ".join(quote(SearchGram._meta.get_field(name).column) for name in index.fields)
    with transaction.atomic():
        with connection.cursor() as cursor:
            _settle_deferred_checks(cursor)
            cursor.execute(f"DROP INDEX {quote(index.name)}")
        token = _lookup_dropped.set(True)
        try:
            yield
        finally:
            _lookup_dropped.reset(token)
        with connection.cursor() as cursor:
            _settle_deferred_checks(cursor)
            cursor.execute(f"CREATE INDEX {quote(index.name)} ON {quote(SearchGram._meta.db_table)} ({columns})")
        analyse_index_tables()


def analyse_index_tables() -> None:
    """On PostgreSQL, ANALYZE the index tables, so that the next searches are planned for the tables as they
    are now, not as last analysed (inside a transaction, autovacuum sees none of its new rows)."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {quote(SearchEntry._meta.db_table)}, {quote(SearchGram._meta.db_table)}")


def _settle_deferred_checks(cursor: Any) -> None:
    """PostgreSQL refuses to change a table's indexes while its deferred foreign-key checks are pending: run them."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def index_queryset(qs: QuerySet, *, stdout: TextIO | None = None, batch_size: int = BATCH) -> IndexTally:
    """(Re-)index the records of `qs` in bulk, `batch_size` records at a time, printing progress to `stdout`."""
    tallies = index_querysets([qs], stdout=stdout, batch_size=batch_size)
    return tallies[0] if tallies else IndexTally()


def index_querysets(
    querysets: Sequence[QuerySet], *, stdout: TextIO | None = None, batch_size: int = BATCH
) -> list[IndexTally]:
    """`index_queryset` for each; from BULK_RECORDS records in all, as one `bulk_load`."""
    work = [
        (searchable, list(qs.order_by("pk").values_list("pk", flat=True)))
        for qs in querysets
        if (searchable := searchable_for(qs.model)) is not None
    ]
    records = sum(len(ids) for _s, ids in work)
    loading = bulk_load() if records >= BULK_RECORDS else contextlib.nullcontext()
    with loading:
        tallies = [_index_ids(searchable, ids, stdout=stdout, batch_size=batch_size) for searchable, ids in work]
    if ANALYZE_RECORDS <= records < BULK_RECORDS:  # a bulk load analyses them itself
        analyse_index_tables()
    return tallies


def _index_ids(searchable: Searchable, ids: list[int], *, stdout: TextIO | None, batch_size: int) -> IndexTally:
    tally = IndexTally()
    started = time.perf_counter()
    content_type = ContentType.objects.get_for_model(searchable.model)
    languages = _languages()
    base = searchable.queryset()
    label = searchable.model._meta.label
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            _delete_entries(SearchEntry.objects.filter(content_type=content_type, object_id__in=chunk))
            records = base.filter(pk__in=chunk).order_by("pk")
            built = [b for record in records for b in _build(searchable, record, content_type.pk, languages)]
            tally.grams += _insert(built)
        tally.records += len(chunk)
        tally.entries += len(built)
        if stdout is not None and len(ids) > batch_size:
            stdout.write(f"  {label}: {tally.records:,} / {len(ids):,} records\n")
    tally.seconds = time.perf_counter() - started
    return tally


def refresh_access(qs: QuerySet) -> int:
    """Store again who may read the records of `qs` where it changed (and so on down their dependants)."""
    searchable = searchable_for(qs.model)
    if searchable is None:
        return 0
    content_type = ContentType.objects.get_for_model(searchable.model)
    records = list(
        qs.select_related(*searchable.select_related).prefetch_related(*searchable.prefetch_related).order_by("pk")
    )
    stored = _stored_access(content_type, [r.pk for r in records])
    changed: dict[Access, list[Any]] = defaultdict(list)
    for record in records:
        now = searchable.access(record)
        if record.pk in stored and stored[record.pk] != now:
            changed[now].append(record)
    through = SearchEntry.audience_groups.through
    for access, group in changed.items():
        entries = SearchEntry.objects.filter(content_type=content_type, object_id__in=[r.pk for r in group])
        entries.update(visibility=access.visibility, available_from=access.available_from)
        through.objects.filter(searchentry__in=entries.values("pk")).delete()
        through.objects.bulk_create(
            [
                through(searchentry_id=pk, group_id=g)
                for pk in entries.values_list("pk", flat=True)
                for g in access.groups
            ],
            batch_size=BATCH,
        )
        if searchable.dependants:
            for record in group:
                for dependant in searchable.dependants(record):
                    refresh_access(dependant)
    return sum(len(group) for group in changed.values())


def _saved(sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or _suspended.get():
        return
    index_object(instance)


def _deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    if _suspended.get():
        return
    remove_object(instance)


def _groups_changed(sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kw: Any) -> None:
    if _suspended.get() or not action.startswith("post_"):
        return
    if not reverse:
        index_object(instance)
        return
    # Changed from the group's side: `model` is the registered model, `pk_set` its records (None: cleared).
    qs = model._default_manager.all()
    refresh_access(qs.filter(pk__in=pk_set) if pk_set is not None else qs.filter(visibility=Visibility.GROUPS))


# --- querying --------------------------------------------------------------------


def search(
    query: str, *, user: Any, only: Sequence[type[models.Model]] | None = None, language: str | None = None
) -> QuerySet:
    """Entries matching `query` that `user` may read, one per record (in `language` where it matches), best first.

    Title matches come first, then newer records. An empty query gives nothing.
    """
    q = normalise(query)[:MAX_QUERY_LENGTH].strip()
    if not q:
        return SearchEntry.objects.none()
    matching = SearchEntry.objects.filter(pk__in=_candidates(q), text__contains=q)
    condition = readable_by(user)
    if condition is not None:
        matching = matching.filter(condition)
    chosen = [s for s in registered() if only is None or s.model in only]
    types = ContentType.objects.get_for_models(*[s.model for s in chosen])
    if only is not None:
        matching = matching.filter(content_type__in=[t.pk for t in types.values()])
    if not is_secretariat(user):
        for searchable in chosen:
            if searchable.filter_by_policy:
                allowed = visible(searchable.model._default_manager.all(), user).values("pk")
                content_type = types[searchable.model]
                matching = matching.filter(~Q(content_type=content_type) | Q(object_id__in=allowed))
    language = language or settings.LANGUAGE_CODE
    # The record's entry in the reader's language, if it matches too (all its entries have the same readers).
    in_language = SearchEntry.objects.filter(
        content_type=OuterRef("content_type"), object_id=OuterRef("object_id"), language=language, text__contains=q
    )
    return (
        matching.filter(Q(language=language) | ~Exists(in_language))
        .annotate(title_rank=Case(When(title_text__contains=q, then=Value(0)), default=Value(1)))
        .order_by("title_rank", F("date").desc(nulls_last=True), "-object_id", "content_type_id", "language")
    )


def _candidates(q: str, counts: dict[str, int] | None = None) -> QuerySet:
    """The ids of the entries that may contain the normalised query `q` (a subquery): those having its rarest
    grams (by `counts` when the caller has them), or, for one character, a gram starting with it. The
    substring test on the text confirms them."""
    grams = _rarest(query_grams(q), counts)
    if grams:
        # COUNT(DISTINCT gram) is COUNT(*) here: the primary key makes each (entry, gram) pair unique.
        return (
            SearchGram.objects.filter(gram__in=grams)
            .values("entry_id")
            .annotate(found=Count("*"))
            .filter(found=len(grams))
            .values("entry_id")
        )
    return SearchGram.objects.filter(_starting_with(q[0])).values("entry_id")


def matching_object_ids(query: str, model: type[models.Model]) -> QuerySet:
    """The ids of the records of `model` whose index entries (any language) contain `query`, as a subquery
    (`object_id` values; empty for an empty query).

    Found as search() finds entries, without its reader filter, language choice
    and ranking: for a caller that applies its own policy to the records (a
    selector filtering `visible()` records by these ids), those would cost as
    much again for nothing. A query made only of common grams (see SCAN_FROM),
    or of one character, tests the model's entries directly.
    """
    q = normalise(query)[:MAX_QUERY_LENGTH].strip()
    if not q:
        return SearchEntry.objects.none().values("object_id")
    entries = SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), text__contains=q)
    counts = _posting_counts(query_grams(q))
    if counts and min(counts.values()) < SCAN_FROM:
        entries = entries.filter(pk__in=_candidates(q, counts))
    return entries.values("object_id")


def _rarest(grams: set[str], counts: dict[str, int] | None = None) -> list[str]:
    """The query's MAX_GRAMS rarest grams (all of them if it has no more).

    Entries with these grams are a superset of those with all of them, and the
    substring test keeps the exact matches, so fewer grams change the work, not
    the results: grouping the postings of common grams ("th", "会議") would cost
    more than testing the few extra candidates.
    """
    ordered = sorted(grams)
    if len(ordered) <= MAX_GRAMS:
        return ordered
    counts = counts or _posting_counts(grams)
    return sorted(sorted(ordered, key=lambda gram: (counts[gram], gram))[:MAX_GRAMS])


def _posting_counts(grams: set[str]) -> dict[str, int]:
    """How many entries have each gram, counted up to COUNT_CAP, in one statement that reads only the lookup
    index (empty for no grams)."""
    ordered = sorted(grams)
    if not ordered:
        return {}
    table = connection.ops.quote_name(SearchGram._meta.db_table)
    column = connection.ops.quote_name(SearchGram._meta.get_field("gram").column)
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {column} = %s LIMIT {COUNT_CAP}) AS g{i})"  # noqa: S608
        for i in range(len(ordered))
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", ordered)
        found = cursor.fetchone()
    return dict(zip(ordered, found, strict=True))


def _starting_with(char: str) -> Q:
    """Grams starting with `char` (a one-character query).

    SQLite's LIKE ignores case for ASCII and so cannot use the index; its
    BINARY collation orders by code point, so the range is exactly the grams
    starting with `char` (at most one character follows). PostgreSQL's LIKE
    uses the index under the C collation and stays exact under any other.
    """
    if connection.vendor == "sqlite":
        return Q(gram__gte=char, gram__lte=char + "\U0010ffff")
    return Q(gram__startswith=char)


@dataclass
class Hit:
    """One result as shown: its record (fetched through the permission policy), type, title, snippet and link."""

    entry: SearchEntry
    record: models.Model
    label: str
    title: SafeString
    snippet: SafeString
    url: str | None


def hits(entries: Iterable[SearchEntry], *, user: Any, query: str, namespace: str) -> list[Hit]:
    """The page's entries as results; records the user's permission policy does not show are left out.

    One query per type of record on the page.
    """
    entries = list(entries)
    by_type: dict[int, list[int]] = defaultdict(list)
    for entry in entries:
        by_type[entry.content_type_id].append(entry.object_id)
    records: dict[tuple[int, int], models.Model] = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        searchable = searchable_for(model) if model is not None else None
        if searchable is None:
            continue
        # The record's own fields are all a result shows (the link and title are stored with the entry).
        for record in visible(searchable.model._default_manager.filter(pk__in=ids), user):
            records[(content_type_id, record.pk)] = record
    q = normalise(query)[:MAX_QUERY_LENGTH].strip()
    found = []
    for entry in entries:
        record = records.get((entry.content_type_id, entry.object_id))
        if record is None:
            continue
        searchable = searchable_for(record.__class__)
        assert searchable is not None
        body_fields = [name for name in searchable.text_fields if name not in searchable.title]
        body = " · ".join(v for v in searchable.values(record, body_fields, entry.language) if v.strip())
        found.append(
            Hit(
                entry=entry,
                record=record,
                label=searchable.label_of(record),
                title=highlight(entry.title, q, width=None),
                snippet=highlight(body, q),
                url=_first_url(entry.links, namespace),
            )
        )
    return found


def _first_url(links: list, namespace: str) -> str | None:
    for name, args in links:
        try:
            return reverse(f"{namespace}:{name}", args=args)
        except NoReverseMatch:
            continue
    return None


def highlight(text: str, query: str, *, width: int | None = SNIPPET_WIDTH) -> SafeString:
    """`text` (cut to about `width` characters around the first match) with the matches of `query` in <mark>.

    `query` is normalised; the text is matched in normalised form, character by
    character, so the marks fall on the original characters (full-width letters,
    capitals) the reader sees.
    """
    text = " ".join((text or "").split())
    normalised: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in normalise(char) or " ":
            normalised.append(folded)
            origin.append(index)
    flat = "".join(normalised)
    spans: list[tuple[int, int]] = []
    if query:
        start = flat.find(query)
        while start != -1:
            end = start + len(query)
            spans.append((origin[start], origin[end - 1] + 1))
            start = flat.find(query, end)
    first, last = 0, len(text)
    if width is not None and len(text) > width:
        centre = spans[0][0] if spans else 0
        first = max(0, min(centre - width // 3, len(text) - width))
        last = first + width
        # A match the cut would split is shown whole.
        last = max([last, *(end for start, end in spans if start < last < end)])
    pieces = ["…" if first > 0 else ""]
    cursor = first
    for span_start, span_end in spans:
        if span_end <= first or span_start >= last:
            continue
        span_start, span_end = max(span_start, first), min(span_end, last)
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:last]))
    if last < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece is escaped above)


# --- rebuilding --------------------------------------------------------------------


def rebuild(only: Sequence[type[models.Model]] | None = None, *, stdout: TextIO | None = None) -> dict[str, IndexTally]:
    """Rebuild the index of the given registered models (all of them by default, removing stale entries)."""
    everything = autodiscover()
    chosen = [s for s in everything if only is None or s.model in only]
    tallies: dict[str, IndexTally] = {}
    with bulk_load():
        _rebuild(everything, chosen, tallies, full=only is None, stdout=stdout)
    return tallies


def _rebuild(
    everything: list[Searchable], chosen: list[Searchable], tallies: dict, *, full: bool, stdout: TextIO | None
) -> None:
    if full:
        kept = ContentType.objects.get_for_models(*[s.model for s in everything]).values() if everything else []
        stale = SearchEntry.objects.exclude(content_type__in=[t.pk for t in kept])
        if stale.exists():
            _delete_entries(stale)
    for searchable in chosen:
        content_type = ContentType.objects.get_for_model(searchable.model)
        label = searchable.model._meta.label
        # Entries of records deleted while signals were off go too.
        _delete_entries(SearchEntry.objects.filter(content_type=content_type))
        tally = index_queryset(searchable.model._default_manager.all(), stdout=stdout)
        tallies[label] = tally
        if stdout is not None:
            stdout.write(
                f"{label}: {tally.records:,} records, {tally.entries:,} entries, {tally.grams:,} grams "
                f"in {tally.seconds:.1f} s\n"
            )
