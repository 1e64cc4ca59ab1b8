"""The list of participants as Excel and PDF (in protocol order), and name cards.

The rows come from selectors.delegations.participant_rows, which already
decided what the reader may see: the secretariat's list carries contact
details and needs; the public variant only the consenting people's names and
organisations. Headings are in the language asked for (a Japanese list from
an English session, for instance), so they are kept here in both languages.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cleanasia.core.pdf import render_pdf

from ..models import Meeting

HEADINGS: dict[str, tuple[str, str]] = {
    # key: (English, Japanese)
    "title": ("List of participants", "参加者名簿"),
    "title_public": ("List of participants (public)", "参加者名簿（公開版）"),
    "number": ("No.", "番号"),
    "delegation": ("Country / organisation", "国・機関"),
    "role": ("Role", "役割"),
    "name": ("Name", "氏名"),
    "job_title": ("Title", "役職"),
    "organisation": ("Organisation", "所属"),
    "email": ("E-mail", "電子メール"),
    "phone": ("Telephone", "電話"),
    "dietary_needs": ("Dietary needs", "食事の配慮"),
    "access_needs": ("Access needs", "アクセシビリティの配慮"),
    "consent_public_listing": ("Listed publicly", "公開名簿への掲載"),
    "dates": ("Dates", "日程"),
    "venue": ("Venue", "会場"),
    "generated": ("Generated", "作成日時"),
    "observers": ("Observers", "オブザーバー"),
    "none": ("No participants to list.", "掲載する参加者はいません。"),
    "yes": ("Yes", "可"),
    "no": ("No", "否"),
    "purged": ("(personal data removed)", "（個人情報は削除済み）"),
    "confidential": (
        "Contains personal data: for the secretariat's use only.",
        "個人情報を含みます。事務局内でのみ使用してください。",
    ),
}

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "head": ("Head of delegation", "代表"),
    "alternate": ("Alternate head of delegation", "代表代理"),
    "delegate": ("Delegate", "代表団員"),
    "adviser": ("Adviser", "顧問"),
    "observer": ("Observer", "オブザーバー"),
}

FULL_COLUMNS = [
    ("number", 6),
    ("delegation", 18),
    ("role", 18),
    ("name", 26),
    ("job_title", 26),
    ("organisation", 28),
    ("email", 28),
    ("phone", 16),
    ("dietary_needs", 18),
    ("access_needs", 18),
    ("consent_public_listing", 10),
]
PUBLIC_COLUMNS = [("number", 6), ("delegation", 22), ("name", 34), ("organisation", 44)]

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
GROUP_FILL = PatternFill("solid", fgColor="DCE6F0")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ROW = 4  # 1: title, 2: meeting, 3: dates and venue (or the confidentiality note)


def heading(key: str, language: str) -> str:
    english, japanese = HEADINGS[key]
    return japanese if language == "ja" else english


def role_label(role: str, language: str) -> str:
    english, japanese = ROLE_LABELS.get(role, (role, role))
    return japanese if language == "ja" else english


def _in_language(obj: Any, name: str, language: str) -> str:
    other = "en" if language == "ja" else "ja"
    return getattr(obj, f"{name}_{language}", "") or getattr(obj, f"{name}_{other}", "") or ""


def meeting_facts(meeting: Meeting, language: str) -> dict[str, str]:
    zone = ZoneInfo(meeting.time_zone)
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    dates = f"{starts:%Y-%m-%d}" if starts.date() == ends.date() else f"{starts:%Y-%m-%d} – {ends:%Y-%m-%d}"
    venue = ", ".join(
        p for p in (_in_language(meeting, "venue", language), _in_language(meeting, "city", language)) if p
    )
    return {
        "title": _in_language(meeting, "title", language),
        "symbol": f"{meeting.series.code}/{meeting.ordinal}",
        "dates": dates,
        "venue": venue,
    }


def _cell_value(row: dict[str, Any], key: str, language: str, number: int) -> Any:
    if key == "number":
        return number
    if key == "delegation":
        return row["delegation_label"]
    if key == "role":
        return role_label(row["role"], language)
    if key == "name":
        return heading("purged", language) if row["purged"] else row["name"]
    if key == "consent_public_listing":
        return heading("yes" if row.get(key) else "no", language)
    return row.get(key, "") or ""


def participants_xlsx(*, meeting: Meeting, rows: list[dict[str, Any]], language: str, public: bool) -> bytes:
    """One sheet, A4 landscape, headings repeated on every printed page, a band per delegation."""
    columns = PUBLIC_COLUMNS if public else FULL_COLUMNS
    facts = meeting_facts(meeting, language)
    wb = Workbook()
    ws = wb.active
    ws.title = heading("title", language)[:31]
    ws.cell(row=1, column=1, value=heading("title_public" if public else "title", language)).font = Font(
        bold=True, size=14
    )
    ws.cell(row=2, column=1, value=f"{facts['symbol']} {facts['title']}").font = Font(bold=True)
    third = f"{heading('dates', language)}: {facts['dates']}"
    if facts["venue"]:
        third += f"    {heading('venue', language)}: {facts['venue']}"
    if not public:
        third += f"    {heading('confidential', language)}"
    ws.cell(row=3, column=1, value=third)
    for col, (key, width) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=heading(key, language))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 30
    current_row = HEADER_ROW
    previous_delegation = None
    for number, row in enumerate(rows, start=1):
        current_row += 1
        new_delegation = row["delegation"].pk != previous_delegation
        previous_delegation = row["delegation"].pk
        for col, (key, _width) in enumerate(columns, start=1):
            cell = ws.cell(row=current_row, column=col, value=_cell_value(row, key, language, number))
            cell.alignment = WRAP
            cell.border = BORDER
            if new_delegation:
                cell.fill = GROUP_FILL
    if not rows:
        ws.cell(row=HEADER_ROW + 1, column=1, value=heading("none", language))
    ws.page_setup.orientation = "portrait" if public else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(current_row, HEADER_ROW)}"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _groups(rows: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Rows grouped by delegation for the PDF, numbered through."""
    groups: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        if not groups or groups[-1]["delegation"].pk != row["delegation"].pk:
            groups.append({"delegation": row["delegation"], "label": row["delegation_label"], "rows": []})
        groups[-1]["rows"].append(
            {
                **row,
                "number": number,
                "role_label": role_label(row["role"], language),
                "name": heading("purged", language) if row["purged"] else row["name"],
                "consent": heading("yes" if row.get("consent_public_listing") else "no", language),
            }
        )
    return groups


def participants_pdf(*, meeting: Meeting, rows: list[dict[str, Any]], language: str, public: bool) -> bytes:
    columns = PUBLIC_COLUMNS if public else FULL_COLUMNS
    context = {
        "meeting": meeting,
        "facts": meeting_facts(meeting, language),
        "groups": _groups(rows, language),
        "public": public,
        "h": {key: heading(key, language) for key in HEADINGS},
        "columns": [key for key, _width in columns],
        "generated_at": timezone.localtime(timezone.now(), ZoneInfo(meeting.time_zone)),
        "language": language,
    }
    return render_pdf("meetings/delegations/pdf/participants.html", context, language=language)


def name_cards_pdf(*, meeting: Meeting, rows: list[dict[str, Any]], language: str) -> bytes:
    """A4 landscape, one card per page, folded along the middle: the name reads on both faces."""
    cards = [
        {
            "name": row["name"],
            "family_name": row["family_name"],
            "delegation": row["delegation_label"],
            "role": role_label(row["role"], language),
        }
        for row in rows
        if not row["purged"]
    ]
    context = {"meeting": meeting, "facts": meeting_facts(meeting, language), "cards": cards, "language": language}
    return render_pdf("meetings/delegations/pdf/name_cards.html", context, language=language)
