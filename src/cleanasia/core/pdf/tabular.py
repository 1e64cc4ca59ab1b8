"""Long tabular documents with ReportLab: hundreds of rows in a second or two, Japanese font embedded.

`render_pdf` (WeasyPrint, HTML and CSS) lays out about four pages a second:
right for reports of a few pages with charts, too slow for a document that
lists every open action item of twenty years of meetings (sixty pages and
more). ReportLab's flowables lay out tables an order of magnitude faster. The
same Noto Sans JP files are embedded (subset), the pages are numbered "n / N"
and the text stays extractable (pdftotext finds every code and word).

A document is a title, a few lines of introduction, facts ("Open: 467") and
sections, each a heading and a table whose header repeats on every page.
Cells are plain text, wrapped here to their column, or `Bold(text)`.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import escape

from . import FONT_DIR, FONT_FILES

CELL_SIZE = 7.5
CELL_LEADING = 9.5
REGULAR = "NotoSansJP"
BOLD = "NotoSansJP-Bold"
HEADER_BLUE = "#1f4e79"


class Bold(NamedTuple):
    """A cell drawn in the bold weight (an item's code, an overdue status)."""

    text: str


Cell = str | Bold


@dataclass(frozen=True)
class Column:
    heading: str
    width: float  # share of the frame's width; the shares of a table add up to 1
    bold: bool = False  # every cell of the column in the bold weight


@dataclass
class Section:
    heading: str
    columns: Sequence[Column]
    rows: list[list[Cell]] = field(default_factory=list)


@functools.cache
def _register_fonts() -> None:
    """Register the embedded Japanese font once per process (reading 5 MB of TrueType takes a fifth of a second)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / FONT_FILES[400])))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / FONT_FILES[700])))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


# Line breaking for table cells, done here rather than by ReportLab's paragraphs: its Japanese wrapping
# measures the line again after every character and took five seconds for the status document.
# A break may fall after any Japanese character and at spaces between Latin words; closing punctuation
# (、。）」 …) never starts a line (kinsoku), it stays with the character before it.
_WIDE = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_NO_LINE_START = "、。，．・：；？！ー）」』】〕〉》’”゛゜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ々,.:;!?)]}%"
_TOKEN = re.compile(
    f"[{_WIDE}][{re.escape(_NO_LINE_START)}]*"  # one Japanese character and the closing marks after it
    f"|[^\\s{_WIDE}]+[{re.escape(_NO_LINE_START)}]*\\s*"  # a Latin word, its punctuation and spaces after it
    "|\\s+"
)
_widths: dict[str, dict[str, float]] = {}


def _width(text: str, font: str) -> float:
    """Width of `text` at 1 pt in `font`, from a per-character cache."""
    known = _widths.setdefault(font, {})
    total = 0.0
    for char in text:
        width = known.get(char)
        if width is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            width = known[char] = stringWidth(char, font, 1)
        total += width
    return total


def wrap(text: str, width: float, *, font: str = REGULAR, size: float = 7.5) -> str:
    """`text` with line breaks so that no line is wider than `width` points at `size` in `font`.

    Each token is measured once; `used` is the line's width with its trailing
    spaces, which take no room when the line breaks there.
    """
    limit = width / size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for token in _TOKEN.findall(paragraph):
            word = token.rstrip()
            if not word:  # spaces: kept inside a line, dropped at its start
                if line:
                    line, used = line + token, used + _width(token, font)
                continue
            word_width = _width(word, font)
            if line and used + word_width > limit:
                lines.append(line.rstrip())
                line, used = "", 0.0
            trailing = _width(token[len(word) :], font)
            line, used = line + token, used + word_width + trailing
            if used - trailing <= limit:
                continue
            while len(line.rstrip()) > 1 and _width(line.rstrip(), font) > limit:  # wider than the column: cut
                cut = len(line.rstrip()) - 1
                while cut > 1 and _width(line[:cut], font) > limit:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
                used = _width(line, font)
        lines.append(line.rstrip())
    return "\n".join(lines)


def tabular_pdf(
    *,
    title: str,
    intro: Sequence[str] = (),
    facts: Sequence[str] = (),
    sections: Sequence[Section] = (),
    landscape: bool = True,
    language: str = "ja",
) -> bytes:
    """The PDF of a title, introduction lines, facts and table sections (A4, landscape by default)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turned
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    _register_fonts()
    # CJK wrapping breaks between any two Japanese characters and at spaces in English.
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12.5, wordWrap="CJK", spaceAfter=3)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3
    )
    headline = ParagraphStyle(
        "headline", parent=body, fontName=BOLD, fontSize=15, leading=19, textColor=colors.HexColor("#1f3b5a")
    )
    head_cell = ParagraphStyle("head", fontName=BOLD, fontSize=7.5, leading=9.5, wordWrap="CJK", textColor=colors.white)
    padding = 3

    page_size = turned(A4) if landscape else A4
    margin = 12 * mm
    frame_width = page_size[0] - 2 * margin
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=title,
        lang=language,
        creator="Clean Asia Platform",
    )

    story: list[object] = [Paragraph(_markup(title), headline)]
    story += [Paragraph(_markup(line), body) for line in intro if line]
    if facts:
        story.append(Paragraph("　/　".join(_markup(fact) for fact in facts), body))
    base_style = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BLUE)),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for section in sections:
        story.append(Paragraph(_markup(section.heading), heading))
        widths = [column.width * frame_width for column in section.columns]
        header = [Paragraph(_markup(column.heading), head_cell) for column in section.columns]
        style = list(base_style)
        style += [
            ("FONTNAME", (index, 1), (index, -1), BOLD) for index, column in enumerate(section.columns) if column.bold
        ]
        rows = []
        for number, row in enumerate(section.rows, start=1):
            cells = []
            for index, (value, column, width) in enumerate(zip(row, section.columns, widths, strict=True)):
                bold = column.bold or isinstance(value, Bold)
                if isinstance(value, Bold):
                    style.append(("FONTNAME", (index, number), (index, number), BOLD))
                    value = value.text
                cells.append(wrap(value, width - 2 * padding - 1, font=BOLD if bold else REGULAR, size=CELL_SIZE))
            rows.append(cells)
        table = LongTable([header, *rows], colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(style))
        story += [table, Spacer(1, 3 * mm)]
    document.build(story, canvasmaker=_numbered_canvas(title))
    return buffer.getvalue()


def _numbered_canvas(title: str) -> type:
    """A canvas that holds its pages until the end, to print "n / N" (and the title) at the foot of each."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(REGULAR, 7.5)
                self.setFillColorRGB(0.27, 0.27, 0.27)
                self.drawCentredString(width / 2, 16, f"{number} / {total}")
                self.drawString(34, 16, title[:120])
                super().showPage()
            super().save()

    return NumberedCanvas
