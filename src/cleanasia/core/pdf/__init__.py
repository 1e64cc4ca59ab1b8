"""Render an HTML template to PDF with WeasyPrint, with Noto Sans JP embedded (any module may use it).

No CJK font is installed on a fresh machine and the deployment may be offline,
so the fonts ship with the package (fonts/, SIL Open Font License, see
fonts/OFL.txt) and the base stylesheet names them with file:// URLs. Templates
link nothing external: WeasyPrint's url fetcher refuses every URL that is not a
local file or a data: URL.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Noto Sans JP"
FONT_FILES = {400: "NotoSansJP_400Regular.ttf", 700: "NotoSansJP_700Bold.ttf"}


@functools.cache
def base_stylesheet_css() -> str:
    """The @font-face rules and A4 page defaults (page numbers at the foot of every page)."""
    faces = "\n".join(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; font-style: normal;"
        f" src: url('{(FONT_DIR / name).as_uri()}') format('truetype'); }}"
        for weight, name in FONT_FILES.items()
    )
    return (
        faces
        + f"""
@page {{
  size: A4;
  margin: 18mm 15mm 20mm 15mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-family: '{FONT_FAMILY}'; font-size: 8pt;
    color: #444; }}
}}
html {{ font-family: '{FONT_FAMILY}', sans-serif; font-size: 9.5pt; line-height: 1.45; color: #111; }}
"""
    )


def render_pdf(template_name: str, context: dict[str, Any], *, language: str) -> bytes:
    """Render `template_name` in `language` ("ja"/"en") and return the PDF bytes.

    The base stylesheet (fonts, A4, page numbers "n / N") is applied first, so a
    template's own <style> may override it. Template context gets `pdf_language`.
    """
    with translation.override(language):
        html = render_to_string(template_name, {**context, "pdf_language": language})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document, with the base stylesheet and the embedded fonts."""
    from weasyprint import CSS, HTML, URLFetcher
    from weasyprint.text.fonts import FontConfiguration

    # Only local files (fonts, static images) and data: URLs: a report never reaches the network.
    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    base_url = FONT_DIR.as_uri() + "/"
    # @font-face rules take effect only with a FontConfiguration given to both the CSS and write_pdf.
    font_config = FontConfiguration()
    stylesheet = CSS(string=base_stylesheet_css(), base_url=base_url, url_fetcher=fetcher, font_config=font_config)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
