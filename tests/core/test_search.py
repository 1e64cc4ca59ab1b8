"""core.search: normalising, grams, who may read (Access), highlighting, and the rebuild command.

The index needs registered models; the meetings module's registrations serve here.
"""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from cleanasia.core import search
from cleanasia.core.models import SearchEntry, SearchGram, Visibility
from cleanasia.core.search import Access, highlight, normalise, query_grams, text_grams
from cleanasia.meetings import search as registrations  # noqa: F401  (registers the meetings models)
from cleanasia.meetings.models import Meeting

from ..meetings.factories import make_meeting, make_series


def test_normalising_folds_width_case_and_spaces():
    assert normalise("  ＥＡＳ　Environment\tMINISTERS\n") == "eas environment ministers"
    assert normalise("Straße") == "strasse"
    assert normalise("ｶﾞｲﾄﾞﾗｲﾝ") == "ガイドライン", "half-width katakana with its voiced mark"
    assert normalise("") == ""


def test_grams_are_the_bigrams_of_each_word_and_its_last_character():
    assert text_grams("環境大臣") == {"環境", "境大", "大臣", "臣"}
    assert text_grams("air q") == {"ai", "ir", "r", "q"}
    assert text_grams("a\nbc") == {"a", "bc", "c"}, "no gram spans two fields"
    assert query_grams("air q") == {"ai", "ir"}
    assert query_grams("q") == set()


def test_access_combines_to_the_stricter_readers():
    public, members = Access(Visibility.PUBLIC), Access(Visibility.MEMBERS)
    secretariat = Access(Visibility.SECRETARIAT)
    assert (public & members) == members
    assert (members & secretariat) == secretariat
    one, two = Access(Visibility.GROUPS, frozenset({1, 2})), Access(Visibility.GROUPS, frozenset({2, 3}))
    assert (one & two) == Access(Visibility.GROUPS, frozenset({2}))
    assert (one & members) == one
    assert (one & Access(Visibility.GROUPS, frozenset({9}))) == secretariat, "no group in common: nobody but staff"
    later, earlier = timezone.now() + dt.timedelta(days=2), timezone.now() + dt.timedelta(days=1)
    embargoed = Access(available_from=earlier) & Access(available_from=later) & public
    assert embargoed.available_from == later


def test_highlight_marks_the_original_characters_and_escapes():
    assert (
        highlight("EAS Ｅｎｖｉｒｏｎｍｅｎｔ <b>", "environment")
        == "EAS <mark>Ｅｎｖｉｒｏｎｍｅｎｔ</mark> &lt;b&gt;"
    )
    assert highlight("Air air AIR", "air") == "<mark>Air</mark> <mark>air</mark> <mark>AIR</mark>"
    assert highlight("no match here", "zzz") == "no match here"


def test_highlight_cuts_long_text_around_the_first_match_without_splitting_a_match():
    text = "x" * 300 + " target " + "y" * 300
    shown = highlight(text, "target", width=60)
    assert shown.startswith("…")
    assert shown.endswith("…")
    assert "<mark>target</mark>" in shown
    assert len(shown) < 100
    assert highlight("abcdef" * 5 + "needle", "needle", width=33).endswith("<mark>needle</mark>")


@pytest.mark.django_db
def test_an_empty_query_finds_nothing():
    make_meeting(title_en="Anything")
    assert list(search.search("   ", user=None)) == []


@pytest.mark.django_db
def test_bulk_writes_are_indexed_by_the_rebuild_command():
    series = make_series(code="BULK")
    start = timezone.now()
    Meeting.objects.bulk_create(
        [
            Meeting(
                series=series,
                ordinal=n,
                title_en=f"Bulk-loaded meeting {n}",
                title_ja=f"一括登録会合{n}",
                starts_at=start,
                ends_at=start,
                visibility=Visibility.PUBLIC,
            )
            for n in range(1, 4)
        ]
    )
    assert list(search.search("bulk-loaded", user=AnonymousUser())) == [], "bulk inserts send no signals"
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert len(list(search.search("bulk-loaded", user=AnonymousUser()))) == 3
    assert len(list(search.search("一括登録", user=AnonymousUser()))) == 3
    output = out.getvalue()
    assert "meetings.Meeting: 3 records, 6 entries" in output
    assert "Search index rebuilt:" in output
    counts = (SearchEntry.objects.count(), SearchGram.objects.count())
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert (SearchEntry.objects.count(), SearchGram.objects.count()) == counts, "running again changes nothing"


@pytest.mark.django_db
def test_the_rebuild_removes_entries_of_records_deleted_without_signals():
    gone = make_meeting(title_en="Soon deleted")
    kept = make_meeting(title_en="Kept")
    gone_pk = gone.pk
    with search.suspended():
        gone.delete()
    assert SearchEntry.objects.filter(object_id=gone_pk).exists()
    call_command("rebuild_search_index", "--model", "meetings.Meeting", stdout=io.StringIO())
    assert not SearchEntry.objects.filter(object_id=gone_pk).exists()
    assert SearchEntry.objects.filter(object_id=kept.pk).exists()


@pytest.mark.django_db
def test_the_rebuild_refuses_models_it_cannot_index():
    with pytest.raises(CommandError, match="not searchable"):
        call_command("rebuild_search_index", "--model", "directory.Country", stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"app_label\.Model"):
        call_command("rebuild_search_index", "--model", "nothing", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_large_load_drops_and_rebuilds_the_lookup_index(monkeypatch):
    monkeypatch.setattr(search, "BULK_RECORDS", 2)
    for n in range(3):
        make_meeting(title_en=f"Indexed meeting {n}")
    tally = search.index_queryset(Meeting.objects.all())
    assert tally.records == 3
    assert len(list(search.search("indexed", user=AnonymousUser()))) == 3
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, SearchGram._meta.db_table)
    assert constraints["core_searchgram_lookup"]["columns"] == ["gram", "entry_id"], "the lookup index is back"
