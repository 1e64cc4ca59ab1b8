"""core.pdf: Japanese text comes out in the embedded Noto Sans JP, not as tofu or a system font."""

from cleanasia.core.pdf import FONT_DIR, html_to_pdf

from .conftest import pdf_font_names, pdf_text

HTML = """<!DOCTYPE html><html lang="ja"><body>
<h1 style="font-weight:700">進行管理報告書</h1><p>クリーンアジア・イニシアティブ English text</p>
</body></html>"""


def test_japanese_text_is_set_in_the_embedded_noto_sans_jp_regular_and_bold():
    pdf = html_to_pdf(HTML)
    assert pdf.startswith(b"%PDF")
    fonts = pdf_font_names(pdf)
    assert {"Noto-Sans-JP", "Noto-Sans-JP-Bold"} <= fonts, fonts
    text = pdf_text(pdf)
    if text is not None:
        assert "進行管理報告書" in text
        assert "クリーンアジア・イニシアティブ" in text


def test_the_fonts_and_their_licence_ship_with_the_package():
    names = {p.name for p in FONT_DIR.iterdir()}
    assert {"NotoSansJP_400Regular.ttf", "NotoSansJP_700Bold.ttf", "OFL.txt"} <= names
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text()


def test_a_pdf_never_fetches_from_the_network():
    html = '<html><body><img src="http://example.invalid/x.png" alt="x"><p>本文</p></body></html>'
    pdf = html_to_pdf(html)  # the refused image is skipped; the document still renders
    text = pdf_text(pdf)
    if text is not None:
        assert "本文" in text
