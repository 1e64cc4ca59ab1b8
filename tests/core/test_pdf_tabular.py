"""Long tabular PDFs (core.pdf.tabular): line breaking of Japanese and English cells, numbered pages, real text."""

import shutil
import subprocess

import pytest

from cleanasia.core.pdf.tabular import REGULAR, Bold, Column, Section, _register_fonts, _width, tabular_pdf, wrap

JAPANESE = "参加国は、2009年1月までに、メコン地域における化学物質管理について進捗報告書を作成する。"
ENGLISH = "Participating countries share monitoring data on water quality with the secretariat every year."


@pytest.fixture(autouse=True)
def fonts():
    _register_fonts()


@pytest.mark.parametrize("text", [JAPANESE, ENGLISH, JAPANESE + " " + ENGLISH])
@pytest.mark.parametrize("width", [40, 90, 200])
def test_no_line_is_wider_than_the_column(text, width):
    lines = wrap(text, width, size=7.5).split("\n")
    assert len(lines) > 1
    assert all(_width(line, REGULAR) * 7.5 <= width + 0.01 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", ""), "nothing lost but the spaces at breaks"


def test_closing_punctuation_never_starts_a_line():
    for width in range(25, 120, 3):
        for line in wrap(JAPANESE, width).split("\n")[1:]:
            assert line[0] not in "、。）」", (width, line)


def test_english_breaks_between_words_and_cuts_only_a_word_wider_than_the_column():
    lines = wrap(ENGLISH, 90).split("\n")
    words = set(ENGLISH.replace(".", "").split())
    assert all(set(line.replace(".", "").split()) <= words for line in lines)
    long_code = "EAS-EMM/12/JS.05.b.iv-annex-with-no-space"
    cut = wrap(long_code, 30).split("\n")
    assert len(cut) > 1
    assert "".join(cut) == long_code


def test_explicit_line_breaks_are_kept():
    assert wrap("first\nsecond", 200) == "first\nsecond"


def test_a_long_table_has_numbered_pages_and_extractable_japanese_text():
    columns = (Column("コード", 0.15, bold=True), Column("項目", 0.6), Column("状態", 0.25))
    rows = [[f"JS.{n:03d}", f"{JAPANESE}（{n}）", Bold("期限超過") if n % 2 else "実施中"] for n in range(300)]
    pdf = tabular_pdf(
        title="行動項目の進捗状況 — EAS-EMM/3",
        intro=["前回会合以降の件数です。"],
        facts=["未了: 300"],
        sections=[Section("EAS-EMM/2/JS 共同声明", columns, rows)],
        language="ja",
    )
    assert pdf.startswith(b"%PDF")
    assert b"+NotoSansJP-Regular" in pdf, "embedded as a subset"
    assert b"+NotoSansJP-Bold" in pdf
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([shutil.which("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
    out = text.stdout.decode()
    pages = out.count("\f")
    assert pages > 3
    squeezed = out.replace(" ", "")  # pdftotext may drop the spaces around the slash
    assert f"1/{pages}" in squeezed
    assert f"{pages}/{pages}" in squeezed
    assert "JS.299" in out
    assert "メコン地域における化学物質管理" in out.replace("\n", "")
    assert out.count("コード") == pages, "the header row repeats on every page"
