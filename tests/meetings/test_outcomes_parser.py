"""The pure parser that splits an outcome's text into paragraphs, items and sub-items."""

import pytest

from cleanasia.meetings.services.outcomes import OutcomeTextError, parse_outcome_text

from .test_outcomes_builders import TEXT_EN, TEXT_JA


def paths(text):
    return [(e.kind, ".".join(e.path)) for e in parse_outcome_text(text).elements]


def test_numbered_paragraphs_items_and_sub_items_get_their_codes():
    assert paths(TEXT_EN) == [
        ("paragraph", "01"),
        ("paragraph", "02"),
        ("item", "02.a"),
        ("item", "02.b"),
        ("sub_item", "02.b.i"),
        ("sub_item", "02.b.ii"),
        ("item", "02.c"),
        ("paragraph", "03"),
    ]


def test_japanese_full_width_numbering_is_read_the_same_way():
    assert paths(TEXT_JA) == paths(TEXT_EN)
    parsed = parse_outcome_text(TEXT_JA)
    assert parsed.elements[0].text == "作業部会の報告を歓迎した。"
    assert parsed.elements[4].text == "モニタリング網"


def test_text_before_the_first_paragraph_is_the_preamble_and_continuation_lines_join_their_element():
    parsed = parse_outcome_text("Preamble.\n5. The ministers\nwelcomed the plan.\n\n6. Next.")
    assert parsed.preamble == "Preamble."
    assert [e.path for e in parsed.elements] == [("05",), ("06",)]
    assert parsed.elements[0].text == "The ministers\nwelcomed the plan."
    assert parsed.elements[0].number == "05"


def test_item_i_after_h_is_an_item_unless_ii_follows():
    assert paths("1. List\n(g) g\n(h) h\n(i) i\n(j) j") == [
        ("paragraph", "01"),
        ("item", "01.g"),
        ("item", "01.h"),
        ("item", "01.i"),
        ("item", "01.j"),
    ]
    assert paths("1. List\n(h) h\n(i) first\n(ii) second") == [
        ("paragraph", "01"),
        ("item", "01.h"),
        ("sub_item", "01.h.i"),
        ("sub_item", "01.h.ii"),
    ]


def test_a_number_in_running_text_is_not_a_paragraph():
    assert paths("1. Emissions fell\n2.5 million tonnes were avoided.") == [("paragraph", "01")]


def test_a_repeated_number_is_refused_with_its_line():
    with pytest.raises(OutcomeTextError) as error:
        parse_outcome_text("1. One\n2. Two\n2. Two again")
    assert error.value.line == 3
    assert "02" in str(error.value)


def test_an_item_before_any_paragraph_is_refused():
    with pytest.raises(OutcomeTextError) as error:
        parse_outcome_text("(a) orphan item")
    assert error.value.line == 1


def test_items_after_z_continue_with_doubled_letters():
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = "1. Long list\n" + "\n".join(f"({c}) item {c}" for c in letters) + "\n(aa) one more"
    found = paths(text)
    assert found[-1] == ("item", "01.aa")
    assert ("item", "01.i") in found
    assert ("sub_item", "01.h.i") not in found


def test_an_empty_text_has_no_elements():
    parsed = parse_outcome_text("")
    assert parsed.elements == ()
    assert parsed.preamble == ""
