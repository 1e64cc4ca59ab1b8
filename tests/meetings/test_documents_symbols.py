"""Document symbols: parsing (pure), numbering from the series' scheme, given symbols, UN suffixes, bad input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Document, MinutesState, SuffixKind
from cleanasia.meetings.services.documents import document_create, document_update, parse_symbol

from .factories import make_meeting, make_series

# --- parsing: a pure function -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symbol", "parent", "base", "kind", "number"),
    [
        ("EAS-EMM/3/INF.2", "EAS-EMM/3/INF.2", "EAS-EMM/3/INF.2", SuffixKind.NONE, None),
        ("EAS-EMM/3/INF.2/Add.1", "EAS-EMM/3/INF.2", "EAS-EMM/3/INF.2", SuffixKind.ADDENDUM, 1),
        ("EAS-EMM/3/INF.2/Corr.12", "EAS-EMM/3/INF.2", "EAS-EMM/3/INF.2", SuffixKind.CORRIGENDUM, 12),
        ("EAS-EMM/3/INF.2/Rev.2", "EAS-EMM/3/INF.2", "EAS-EMM/3/INF.2", SuffixKind.REVISION, 2),
        ("EAS-EMM/3/WP.1/Rev.1/Corr.1", "EAS-EMM/3/WP.1/Rev.1", "EAS-EMM/3/WP.1", SuffixKind.CORRIGENDUM, 1),
        ("JA-EMM/10/MIN.1/Add.2/Corr.1", "JA-EMM/10/MIN.1/Add.2", "JA-EMM/10/MIN.1", SuffixKind.CORRIGENDUM, 1),
        # "Rev" as a plain part of a symbol (no number) is not a suffix.
        ("EAS-EMM/3/Rev", "EAS-EMM/3/Rev", "EAS-EMM/3/Rev", SuffixKind.NONE, None),
        ("EAS-EMM/3/INF.2/Add.0", "EAS-EMM/3/INF.2/Add.0", "EAS-EMM/3/INF.2/Add.0", SuffixKind.NONE, None),
    ],
)
def test_a_symbol_splits_into_what_it_attaches_to_and_its_suffix(symbol, parent, base, kind, number):
    parsed = parse_symbol(symbol)
    assert (parsed.parent, parsed.base, parsed.kind, parsed.number) == (parent, base, kind, number)


def test_suffixes_are_read_in_any_case_and_spelt_canonically():
    parsed = parse_symbol("EAS-EMM/3/INF.2/rev.1")
    assert parsed.kind == SuffixKind.REVISION
    assert parsed.symbol == "EAS-EMM/3/INF.2/Rev.1"


@pytest.mark.parametrize("bad", ["", "EAS EMM/3", "EAS-EMM//3", "/EAS-EMM/3", "EAS-EMM/3/", "EAS-EMM/3/INF;2"])
def test_what_is_not_a_symbol_is_refused(bad):
    with pytest.raises(ValueError, match="not a document symbol"):
        parse_symbol(bad)


# --- numbering from the series' scheme ------------------------------------------------------------------------


def issue(meeting, **kwargs):
    kwargs.setdefault("title_en", "A document")
    kwargs.setdefault("doc_type", "information_paper" if not kwargs.get("concerns") else "")
    return document_create(actor=None, meeting=meeting, **kwargs)


@pytest.mark.django_db
def test_originals_are_numbered_per_meeting_and_prefix_from_the_scheme():
    series = make_series("EAS-EMM")
    meeting = make_meeting(series, ordinal=3)
    first = issue(meeting)
    second = issue(meeting)
    working = issue(meeting, doc_type="working_paper")
    other_meeting = issue(make_meeting(series, ordinal=4))
    assert [first.symbol, second.symbol, working.symbol] == ["EAS-EMM/3/INF.1", "EAS-EMM/3/INF.2", "EAS-EMM/3/WP.1"]
    assert other_meeting.symbol == "EAS-EMM/4/INF.1"
    assert first.base_symbol == first.symbol
    assert first.suffix_kind == SuffixKind.NONE


@pytest.mark.django_db
def test_both_agendas_share_the_agenda_prefix_and_its_numbers():
    meeting = make_meeting(make_series("JA-EMM"), ordinal=10)
    provisional = issue(meeting, doc_type="provisional_agenda")
    annotated = issue(meeting, doc_type="annotated_agenda")
    assert (provisional.symbol, annotated.symbol) == ("JA-EMM/10/AGENDA.1", "JA-EMM/10/AGENDA.2")


@pytest.mark.django_db
def test_the_series_scheme_decides_the_symbol_and_numbering_continues_after_given_symbols():
    series = make_series("EAS-SOM", symbol_scheme="{series}({ordinal})/{prefix}/{number:02d}")
    meeting = make_meeting(series, ordinal=5)
    assert issue(meeting).symbol == "EAS-SOM(5)/INF/01"
    issue(meeting, symbol="EAS-SOM(5)/INF/07")
    assert issue(meeting).symbol == "EAS-SOM(5)/INF/08"


@pytest.mark.django_db
def test_a_scheme_without_a_number_cannot_number_documents_and_says_to_give_the_symbol():
    series = make_series("FIXED")
    series.symbol_scheme = "{series}/{ordinal}/{prefix}"
    series.save()
    with pytest.raises(ValidationError) as caught:
        issue(make_meeting(series))
    assert "give the symbol yourself" in caught.value.message_dict["symbol"][0]
    assert issue(make_meeting(series), symbol="FIXED/2/INF").symbol == "FIXED/2/INF"


@pytest.mark.django_db
def test_a_symbol_that_exists_is_refused_on_the_symbol_field():
    meeting = make_meeting()
    taken = issue(meeting, symbol="EAS/1/SPECIAL.1")
    with pytest.raises(ValidationError) as caught:
        issue(meeting, symbol=taken.symbol)
    assert "EAS/1/SPECIAL.1 is already used" in caught.value.message_dict["symbol"][0]
    assert Document.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("with space/1", "without spaces"),
        ("EAS/1/INF.9/Rev.1", "symbol of a supplement"),
        ("X" * 81, "too long"),
    ],
)
def test_a_bad_given_symbol_is_refused_on_the_symbol_field(symbol, expected):
    with pytest.raises(ValidationError) as caught:
        issue(make_meeting(), symbol=symbol)
    assert expected in caught.value.message_dict["symbol"][0]


# --- suffixes: addendum, corrigendum, revision --------------------------------------------------------------------


@pytest.fixture
def original(db):
    return issue(make_meeting(make_series("EAS-EMM"), ordinal=3), symbol="EAS-EMM/3/INF.2", title_en="Original")


def test_an_addendum_supplements_and_the_original_stays_valid(original):
    first = issue(original.meeting, suffix_kind="add", concerns=original)
    second = issue(original.meeting, suffix_kind="add", concerns=original)
    original.refresh_from_db()
    assert (first.symbol, second.symbol) == ("EAS-EMM/3/INF.2/Add.1", "EAS-EMM/3/INF.2/Add.2")
    assert first.base_symbol == "EAS-EMM/3/INF.2"
    assert first.suffix_number == 1
    assert first.doc_type == original.doc_type
    assert original.replaced_by is None


def test_a_corrigendum_may_concern_some_languages_only(original):
    corrigendum = issue(original.meeting, suffix_kind="corr", concerns=original, corrected_languages=["ja"])
    assert corrigendum.symbol == "EAS-EMM/3/INF.2/Corr.1"
    assert corrigendum.corrected_languages == ["ja"]
    original.refresh_from_db()
    assert original.replaced_by is None


def test_a_corrigendum_of_an_addendum_attaches_to_the_addendum(original):
    addendum = issue(original.meeting, suffix_kind="add", concerns=original)
    corrigendum = issue(original.meeting, suffix_kind="corr", concerns=addendum)
    assert corrigendum.symbol == "EAS-EMM/3/INF.2/Add.1/Corr.1"
    assert corrigendum.base_symbol == "EAS-EMM/3/INF.2"


def test_a_revision_replaces_and_revisions_number_on_the_original(original):
    first = issue(original.meeting, suffix_kind="rev", concerns=original, title_en="Revised")
    second = issue(original.meeting, suffix_kind="rev", concerns=first, title_en="Revised again")
    original.refresh_from_db()
    first.refresh_from_db()
    assert (first.symbol, second.symbol) == ("EAS-EMM/3/INF.2/Rev.1", "EAS-EMM/3/INF.2/Rev.2")
    assert original.replaced_by == first
    assert first.replaced_by == second
    assert second.replaced_by is None
    assert {first.base_symbol, second.base_symbol} == {"EAS-EMM/3/INF.2"}
    assert original.history.first().action_code == "meetings.document.replaced"


def test_a_given_supplement_symbol_must_match_what_it_concerns(original):
    assert issue(original.meeting, suffix_kind="add", concerns=original, symbol="EAS-EMM/3/INF.2/add.4").symbol == (
        "EAS-EMM/3/INF.2/Add.4"
    )
    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, suffix_kind="rev", concerns=original, symbol="EAS-EMM/3/INF.3/Rev.1")
    assert "must be EAS-EMM/3/INF.2/Rev.n" in caught.value.message_dict["symbol"][0]


@pytest.mark.parametrize(
    ("kwargs", "field", "expected"),
    [
        ({"suffix_kind": "add"}, "concerns", "Choose the document"),
        ({"suffix_kind": "wat"}, "suffix_kind", "Choose original"),
        ({"doc_type": "nonsense"}, "doc_type", "Choose the type"),
        ({"title_en": "", "title_ja": ""}, "title_en", "Give the title"),
        ({"original_language": "fr"}, "original_language", "Choose the language"),
        ({"distribution": "secret"}, "distribution", "Choose general"),
        ({"corrected_languages": ["en"]}, "corrected_languages", "Only a corrigendum"),
    ],
)
def test_bad_input_is_refused_by_field(original, kwargs, field, expected):
    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, **kwargs)
    assert expected in caught.value.message_dict[field][0]


def test_an_original_concerns_nothing_and_a_supplement_keeps_the_type(original):
    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, concerns=original, doc_type="information_paper")
    assert "An original concerns no other document" in caught.value.message_dict["concerns"][0]
    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, suffix_kind="add", concerns=original, doc_type="working_paper")
    assert "type of the document it concerns" in caught.value.message_dict["doc_type"][0]


def test_a_naive_embargo_and_a_corrigendum_in_an_unknown_language_are_refused(original):
    import datetime as dt

    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, embargo_until=dt.datetime(2030, 1, 1, 9, 0))
    assert "time zone" in caught.value.message_dict["embargo_until"][0]
    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, suffix_kind="corr", concerns=original, corrected_languages=["fr"])
    assert "Japanese and English" in caught.value.message_dict["corrected_languages"][0]


def test_a_supplement_concerns_a_current_document_of_the_same_meeting(original):
    revision = issue(original.meeting, suffix_kind="rev", concerns=original)
    original.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, suffix_kind="add", concerns=original)
    assert f"replaced by {revision.symbol}" in caught.value.message_dict["concerns"][0]
    with pytest.raises(ValidationError) as caught:
        issue(make_meeting(original.meeting.series), suffix_kind="add", concerns=revision)
    assert "same meeting" in caught.value.message_dict["concerns"][0]
    corrigendum = issue(original.meeting, suffix_kind="corr", concerns=revision)
    with pytest.raises(ValidationError) as caught:
        issue(original.meeting, suffix_kind="rev", concerns=corrigendum)
    assert "cannot concern" in caught.value.message_dict["concerns"][0]


def test_only_the_secretariat_issues_and_edits(original, make_user):
    for role in (Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT):
        user = make_user(role)
        with pytest.raises(PermissionDenied):
            document_create(actor=user, meeting=original.meeting, doc_type="other", title_en="x")
        with pytest.raises(PermissionDenied):
            document_update(actor=user, document=original, expected_version=original.version, changes={})
    secretariat = make_user(Role.SECRETARIAT)
    made = document_create(actor=secretariat, meeting=original.meeting, doc_type="other", title_en="x")
    assert made.history.first().history_user == secretariat


def test_edits_carry_their_version_and_cannot_change_the_symbol(original):
    from cleanasia.core.concurrency import StaleEditError

    edited = document_update(
        actor=None,
        document=original,
        expected_version=original.version,
        changes={"title_ja": "原文", "distribution": "general"},
    )
    assert (edited.title_ja, edited.distribution, edited.version) == ("原文", "general", original.version + 1)
    with pytest.raises(StaleEditError):
        document_update(actor=None, document=original, expected_version=original.version, changes={"title_en": "Old"})
    with pytest.raises(ValidationError) as caught:
        document_update(actor=None, document=edited, expected_version=edited.version, changes={"symbol": "X/1"})
    assert "cannot be changed" in caught.value.message_dict["symbol"][0]


def test_the_type_of_an_original_may_change_until_it_has_supplements(original):
    as_minutes = document_update(
        actor=None, document=original, expected_version=original.version, changes={"doc_type": "minutes"}
    )
    assert as_minutes.minutes_state == MinutesState.DRAFT
    issue(original.meeting, suffix_kind="add", concerns=as_minutes)
    with pytest.raises(ValidationError) as caught:
        document_update(
            actor=None, document=as_minutes, expected_version=as_minutes.version, changes={"doc_type": "other"}
        )
    assert "cannot change" in caught.value.message_dict["doc_type"][0]


def test_a_supplement_is_distributed_like_what_it_concerns_unless_told_otherwise(original):
    assert original.distribution == "limited"
    public = issue(original.meeting, symbol="EAS-EMM/3/INF.5", distribution="general")
    assert issue(original.meeting, suffix_kind="rev", concerns=public).distribution == "general"
    assert issue(original.meeting, suffix_kind="add", concerns=original).distribution == "limited"
    corrigendum = issue(original.meeting, suffix_kind="corr", concerns=original, distribution="restricted")
    assert corrigendum.distribution == "restricted"
