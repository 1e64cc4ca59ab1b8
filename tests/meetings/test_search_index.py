"""The n-gram search index on the meetings records: Japanese substrings, English in any case, one result per
record, ranking, and an index kept current as records are saved and deleted.

The last test compares every query's results with a plain Python reading of the same records: the SQL
(grams, GROUP BY … HAVING, LIKE) must give exactly that on SQLite here and on PostgreSQL in CI.
"""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from cleanasia.core import search as core_search
from cleanasia.core.models import SearchEntry, SearchGram
from cleanasia.meetings import search as registrations
from cleanasia.meetings.models import Document, Element, Outcome

from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)


def titles(query, user, **kwargs):
    return [entry.title for entry in core_search.search(query, user=user, **kwargs)]


def make_document(meeting, *, title_en="Working paper", title_ja="作業文書", distribution="general", **kwargs):
    n = next(_seq)
    symbol = kwargs.pop("symbol", f"{meeting.series.code}/{meeting.ordinal}/WP.{n}")
    return Document.objects.create(
        meeting=meeting,
        symbol=symbol,
        base_symbol=symbol,
        doc_type="working_paper",
        title_en=title_en,
        title_ja=title_ja,
        distribution=distribution,
        **kwargs,
    )


def make_outcome(meeting, *, status="adopted", visibility="public", **kwargs):
    n = next(_seq)
    return Outcome.objects.create(
        meeting=meeting,
        kind="joint_statement",
        number=n,
        code=kwargs.pop("code", f"{meeting.series.code}/{meeting.ordinal}/JS{n}"),
        title_en=kwargs.pop("title_en", "Joint statement"),
        title_ja=kwargs.pop("title_ja", "共同声明"),
        status=status,
        visibility=visibility,
        **kwargs,
    )


def make_element(outcome, *, text_en, text_ja="", **kwargs):
    n = next(_seq)
    return Element.objects.create(
        outcome=outcome, code=f"{outcome.code}.{n:02d}", number=f"{n:02d}", text_en=text_en, text_ja=text_ja, **kwargs
    )


@pytest.fixture
def secretariat(make_user):
    return make_user("secretariat")


def test_a_japanese_query_finds_its_substring_inside_a_longer_word(secretariat):
    make_meeting(title_ja="東アジア首脳会議環境大臣会合", title_en="EAS Environment Ministers' Meeting")
    make_meeting(title_ja="日ASEAN環境対話", title_en="Japan–ASEAN Environment Dialogue")
    assert titles("環境大臣", secretariat) == ["東アジア首脳会議環境大臣会合"]
    assert titles("首脳会議環境", secretariat) == ["東アジア首脳会議環境大臣会合"]
    assert sorted(titles("環境", secretariat)) == ["日ASEAN環境対話", "東アジア首脳会議環境大臣会合"]
    assert titles("大臣環境", secretariat) == [], "the same grams in another order are not a match"


def test_english_is_found_in_any_case_and_width_inside_words(secretariat):
    make_meeting(title_en="Working Group on Air Quality", title_ja="")
    with_language = [(e.title, e.language) for e in core_search.search("AIR QUAL", user=secretariat, language="en")]
    assert with_language == [("Working Group on Air Quality", "en")]
    assert titles("ｑｕａｌｉｔｙ", secretariat) == ["Working Group on Air Quality"], "full-width letters (NFKC)"
    assert titles("uality", secretariat) == ["Working Group on Air Quality"]
    assert titles("air  quality", secretariat) == ["Working Group on Air Quality"], "runs of spaces are one"
    assert titles("airquality", secretariat) == []


def test_a_one_character_query_finds_the_character_anywhere_even_ending_a_word(secretariat):
    make_meeting(title_en="Session X", title_ja="")
    make_meeting(title_en="Session Q", title_ja="")
    assert titles("x", secretariat) == ["Session X"]
    assert titles("Ｑ", secretariat) == ["Session Q"]


def test_symbols_and_codes_are_found_in_either_language(secretariat):
    meeting = make_meeting(series=make_series(code="EAS-EMM"), ordinal=3)
    make_document(meeting, symbol="EAS-EMM/3/INF.2", title_en="Country reports", title_ja="各国報告")
    assert titles("emm/3/inf.2", secretariat, language="en") == ["EAS-EMM/3/INF.2 Country reports"]
    assert titles("emm/3/inf.2", secretariat, language="ja") == ["EAS-EMM/3/INF.2 各国報告"]
    assert titles("%", secretariat) == [], "LIKE wildcards are plain characters"
    assert titles("_", secretariat) == []


def test_one_result_per_record_in_the_readers_language_where_it_matches(secretariat):
    make_meeting(title_en="Dialogue on Chemicals", title_ja="化学物質に関する対話 Chemicals")
    make_meeting(title_en="Chemicals Workshop", title_ja="化学物質ワークショップ")
    found = [(e.title, e.language) for e in core_search.search("chemicals", user=secretariat, language="ja")]
    assert sorted(found) == [("Chemicals Workshop", "en"), ("化学物質に関する対話 Chemicals", "ja")]


def test_title_matches_rank_first_then_newer_records(secretariat):
    now = timezone.now()
    old = make_meeting(title_en="Old plastics meeting", title_ja="", starts_at=now - dt.timedelta(days=900))
    new = make_meeting(title_en="New plastics meeting", title_ja="", starts_at=now - dt.timedelta(days=30))
    elsewhere = make_meeting(title_en="Follow-up", title_ja="", venue_en="Plastics House", starts_at=now)
    assert titles("plastics", secretariat) == [new.title_en, old.title_en, elsewhere.title_en]


def test_the_index_follows_saves_and_deletes(secretariat):
    meeting = make_meeting(title_en="Marine litter meeting", title_ja="海洋ごみ会合")
    document = make_document(meeting, title_en="Draft roadmap", title_ja="ロードマップ案")
    assert titles("roadmap", secretariat)
    document.title_en = "Final plan"
    document.save()
    assert titles("roadmap", secretariat) == []
    assert titles("final plan", secretariat) == [f"{document.symbol} Final plan"]
    document.delete()
    assert titles("final plan", secretariat) == []
    assert not SearchEntry.objects.filter(object_id=document.pk, title__contains="Final").exists()
    assert SearchGram.objects.count() == sum(
        len(core_search.text_grams(text)) for text in SearchEntry.objects.values_list("text", flat=True)
    ), "no grams are left behind"


def test_changing_a_meetings_visibility_carries_to_its_documents_outcomes_and_elements(secretariat):
    meeting = make_meeting(title_en="Closed-door consultation", title_ja="非公開協議", visibility="public")
    make_document(meeting, title_en="Options paper", title_ja="選択肢文書")
    outcome = make_outcome(meeting, title_en="Summary of the consultation")
    make_element(outcome, text_en="The secretariat will circulate the options paper.")
    for query in ("consultation", "options paper", "circulate"):
        assert titles(query, None), query
    meeting.visibility = "secretariat"
    meeting.save()
    for query in ("consultation", "options paper", "circulate"):
        assert titles(query, None) == [], query
        assert titles(query, secretariat), query
    assert set(SearchEntry.objects.values_list("visibility", flat=True)) == {"secretariat"}


def test_the_search_runs_a_fixed_number_of_queries(secretariat, django_assert_max_num_queries):
    for n in range(30):
        make_meeting(title_en=f"Regional workshop {n}", title_ja=f"地域ワークショップ{n}")
    with django_assert_max_num_queries(1):
        assert len(list(core_search.search("ワーク", user=None))) == 30, "up to three grams: one query"
    with django_assert_max_num_queries(2):
        assert len(list(core_search.search("regional workshop", user=None))) == 30, "and one to pick the rarest"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_results_are_what_a_plain_reading_of_the_records_gives(secretariat, language):
    """The SQL must give exactly this (and the same order) on every database."""
    now = timezone.now()
    texts = [
        ("東アジア首脳会議環境大臣会合", "EAS Environment Ministers' Meeting"),
        ("日ASEAN環境大臣会合", "Japan–ASEAN Environment Ministers' Meeting"),
        ("大気環境作業部会", "Working Group on AIR quality"),
        ("ｅａｓ 高級実務者会合", "Senior Officials' Meeting (EAS)"),
        ("100%再生可能エネルギー", "100% renewables_target"),
        ("ストラーセ会合", "Straße meeting"),
        ("", "Untranslated ministers' session"),
    ]
    for n, (ja, en) in enumerate(texts):
        make_meeting(title_ja=ja, title_en=en, starts_at=now - dt.timedelta(days=n), venue_en=f"Hall {n}")
    queries = ["環境", "環境大臣", "大臣会合", "会", "eas", "EAS", "ministers", "s' m", "air q", "100%", "_t",
               "strasse", "ß", "hall 3", "e", "ＡＳＥＡＮ環境", "nothing here"]  # fmt: skip
    entries = list(SearchEntry.objects.all())
    for query in queries:
        q = core_search.normalise(query)
        matching = [e for e in entries if q in e.text]
        preferred = {(e.content_type_id, e.object_id) for e in matching if e.language == language}
        expected = [e for e in matching if e.language == language or (e.content_type_id, e.object_id) not in preferred]
        expected.sort(key=lambda e: (q not in e.title_text, -e.date.timestamp(), -e.object_id, e.language))
        found = list(core_search.search(query, user=secretariat, language=language))
        assert [e.pk for e in found] == [e.pk for e in expected], query


def test_the_meetings_registrations_cover_meetings_documents_outcomes_and_elements():
    assert {s.model for s in core_search.registered()} >= set(registrations.MODELS)
