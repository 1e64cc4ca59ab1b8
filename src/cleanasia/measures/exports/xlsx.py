"""The Excel workbook of a period's progress: a summary sheet and one sheet per goal, formatted for printing."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .data import PeriodProgress, format_number, period_label
from .labels import bilingual, choice, heading

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

# (heading key, column width in characters)
COLUMNS = [
    ("code", 12),
    ("measure", 40),
    ("responsible", 26),
    ("partner_countries", 18),
    ("status", 12),
    ("report_state", 14),
    ("rating", 12),
    ("indicator", 40),
    ("unit", 10),
    ("baseline", 14),
    ("target", 14),
    ("latest", 20),
    ("progress", 16),
    ("milestones_late", 12),
]
HEADER_ROW = 3  # row 1: title, row 2: period; row 3: column headings


def _sheet_title(code: str, used: set[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\ and unique.
    base = "".join(c for c in code if c not in "[]:*?/\\")[:28] or "Goal"
    name, n = base, 2
    while name in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name)
    return name


def _print_setup(ws: Worksheet, *, header_row: int, last_col: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(last_col)}{max(ws.max_row, header_row)}"


def _header(ws: Worksheet, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BORDER
    ws.row_dimensions[row].height = 32


def _value_year(value: float | None, year: int | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{format_number(value)} ({year})" if year else format_number(value)


def _goal_sheet(ws: Worksheet, section, progress: PeriodProgress, language: str) -> None:
    ws.cell(
        row=1, column=1, value=f"{section.goal.code} {bilingual(section.goal, 'title', language)}"
    ).font = TITLE_FONT
    ws.cell(row=2, column=1, value=f"{heading('period', language)}: {period_label(progress.period, language)}")
    _header(ws, HEADER_ROW, [heading(key, language) for key, _ in COLUMNS])
    for col, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    row = HEADER_ROW + 1
    for item in section.rows:
        m = item.measure
        responsible = " / ".join(
            x
            for x in (
                bilingual(m.responsible_unit, "name", language) if m.responsible_unit else "",
                m.owner.get_full_name() if m.owner else "",
            )
            if x
        )
        countries = ", ".join(sorted(c.code for c in m.partner_countries.all()))
        report = item.report
        measure_cells = [
            m.code,
            bilingual(m, "title", language),
            responsible,
            countries,
            choice(m.status, language),
            choice(report.state, language) if report else heading("not_reported", language),
            choice(report.rating, language) if report else "",
        ]
        indicators = item.indicators or [None]
        first = row
        for ind in indicators:
            values = list(measure_cells) if ind is indicators[0] else [""] * len(measure_cells)
            if ind is None:
                values += ["", "", "", "", "", "", item.milestones_late]
            else:
                i = ind.indicator
                values += [
                    f"{i.code} {bilingual(i, 'title', language)}",
                    i.unit,
                    _value_year(ind.baseline_value, ind.baseline_year, i.unit),
                    _value_year(ind.target_value, ind.target_year, i.unit),
                    (
                        f"{format_number(ind.latest_value)} ({period_label(ind.latest_period, language)})"
                        if ind.latest_value is not None
                        else ""
                    ),
                    choice(ind.status, language),
                    item.milestones_late if ind is indicators[0] else "",
                ]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.alignment = WRAP
                cell.border = BORDER
            row += 1
        # Keep the measure's cells readable as one block when it has several indicators.
        if row - first > 1:
            for col in range(1, len(measure_cells) + 1):
                ws.merge_cells(start_row=first, start_column=col, end_row=row - 1, end_column=col)
    _print_setup(ws, header_row=HEADER_ROW, last_col=len(COLUMNS))


def _summary_sheet(ws: Worksheet, progress: PeriodProgress, language: str) -> None:
    summary = progress.summary()
    ws.cell(row=1, column=1, value=heading("title", language)).font = TITLE_FONT
    ws.cell(row=2, column=1, value=f"{heading('period', language)}: {period_label(progress.period, language)}")
    titles = [
        heading(k, language)
        for k in ("goal", "measures", "indicators", "reports_approved", "reports_missing", "milestones_late")
    ]
    _header(ws, HEADER_ROW, titles)
    row = HEADER_ROW + 1
    for g in summary["per_goal"]:
        values = [
            f"{g['goal'].code} {bilingual(g['goal'], 'title', language)}",
            g["measures"],
            g["indicators"],
            g["approved"],
            g["missing"],
            g["milestones_late"],
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.alignment = WRAP
            cell.border = BORDER
        row += 1
    total = [heading("total", language), summary["measures"], summary["indicators"]]
    total += [sum(g[k] for g in summary["per_goal"]) for k in ("approved", "missing", "milestones_late")]
    for col, value in enumerate(total, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = Font(bold=True)
        cell.border = BORDER
    row += 2
    for key, counts in (("by_status", summary["by_status"]), ("by_progress", summary["by_progress"])):
        ws.cell(row=row, column=1, value=heading(key, language)).font = Font(bold=True)
        row += 1
        for value, n in sorted(counts.items()):
            ws.cell(row=row, column=1, value=choice(value, language))
            ws.cell(row=row, column=2, value=n)
            row += 1
        row += 1
    ws.column_dimensions["A"].width = 48
    for col in "BCDEF":
        ws.column_dimensions[col].width = 14
    _print_setup(ws, header_row=HEADER_ROW, last_col=len(titles))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)


def build_workbook(progress: PeriodProgress, *, language: str) -> bytes:
    """The workbook as bytes: "Summary" first, then a sheet per goal named by its code."""
    wb = Workbook()
    summary = wb.active
    summary.title = heading("summary", language)
    used = {summary.title}
    _summary_sheet(summary, progress, language)
    for section in progress.goals:
        ws = wb.create_sheet(_sheet_title(section.goal.code, used))
        _goal_sheet(ws, section, progress, language)
    wb.properties.title = heading("title", language)
    wb.properties.creator = "Clean Asia Platform"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
