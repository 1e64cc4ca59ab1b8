"""The Excel import of measures, indicators and targets: a template, full validation, then all-or-nothing.

The whole file is parsed and checked first (required values, numbers, dates,
codes duplicated in the file or already in the database, unknown countries,
framework lines, measures and indicators, a target's unit different from its
indicator's). Only a file without any issue is written, in one transaction,
through the services; if a service still refuses a row, everything is rolled
back and the refusal is reported at that row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cleanasia.core.models.visibility import Visibility
from cleanasia.directory.models import Country
from cleanasia.framework.models import FrameworkNode
from cleanasia.measures import services
from cleanasia.measures.models import (
    Direction,
    Indicator,
    IndicatorType,
    Measure,
    MeasureKind,
    MeasureStatus,
    Result,
    ResultLevel,
)

MAX_ROWS = 5000  # rows a template offers validation for, and the most a sheet may hold


@dataclass(frozen=True)
class Column:
    key: str
    ja: str
    en: str
    required: bool = False
    kind: str = "text"  # text, number, integer, date, choice, countries
    choices: str = ""  # name of the list on the Lists sheet
    width: int = 16


MEASURE_COLUMNS = (
    Column("code", "コード", "Code", True, width=14),
    Column("framework_node", "政策体系コード", "Framework line code", True, width=14),
    Column("kind", "区分", "Kind", kind="choice", choices="kinds", width=10),
    Column("parent_code", "親施策コード", "Parent measure code", width=14),
    Column("title_ja", "名称（日本語）", "Title (Japanese)", True, width=36),
    Column("title_en", "名称（英語）", "Title (English)", width=36),
    Column("description_ja", "説明（日本語）", "Description (Japanese)", width=36),
    Column("description_en", "説明（英語）", "Description (English)", width=36),
    Column("partner_countries", "相手国（ISOコード、カンマ区切り）", "Partner countries (ISO codes)", kind="countries"),
    Column("owner_email", "担当者メール", "Officer e-mail", width=24),
    Column("starts_on", "開始日", "Start", kind="date", width=12),
    Column("ends_on", "終了日", "End", kind="date", width=12),
    Column("status", "状況", "Status", kind="choice", choices="statuses", width=12),
    Column("weight", "重み", "Weight", kind="number", width=8),
    Column("visibility", "公開範囲", "Visibility", kind="choice", choices="visibilities", width=12),
)
INDICATOR_COLUMNS = (
    Column("measure_code", "施策コード", "Measure code", True, width=14),
    Column("result_level", "成果の段階", "Result level", True, kind="choice", choices="levels", width=12),
    Column("result_title_ja", "成果（日本語）", "Result (Japanese)", True, width=30),
    Column("code", "指標コード", "Indicator code", True, width=14),
    Column("title_ja", "指標名（日本語）", "Indicator (Japanese)", True, width=36),
    Column("title_en", "指標名（英語）", "Indicator (English)", width=36),
    Column("indicator_type", "種類", "Type", kind="choice", choices="types", width=12),
    Column("unit", "単位", "Unit", width=10),
    Column("direction", "望ましい方向", "Direction", kind="choice", choices="directions", width=12),
    Column("weight", "重み", "Weight", kind="number", width=8),
    Column("baseline_year", "基準年", "Base year", kind="integer", width=10),
    Column("baseline_value", "基準値", "Baseline value", kind="number", width=12),
)
TARGET_COLUMNS = (
    Column("indicator_code", "指標コード", "Indicator code", True, width=14),
    Column("year", "目標年", "Target year", True, kind="integer", width=10),
    Column("value", "目標値", "Target value", kind="number", width=12),
    Column("text_value", "目標（記述）", "Target (description)", width=30),
    Column("unit", "単位", "Unit", width=10),
    Column("comment", "備考", "Comment", width=30),
)
SHEETS = {"Measures": MEASURE_COLUMNS, "Indicators": INDICATOR_COLUMNS, "Targets": TARGET_COLUMNS}

LISTS = {
    "kinds": [c.value for c in MeasureKind],
    "statuses": [c.value for c in MeasureStatus],
    "visibilities": [c.value for c in Visibility],
    "levels": [c.value for c in ResultLevel],
    "types": [c.value for c in IndicatorType],
    "directions": [c.value for c in Direction],
}

INSTRUCTIONS = [
    ("記入方法", "How to fill in this workbook"),
    (
        "シート「Measures」「Indicators」「Targets」の2行目以降に1行ずつ記入してください。1行目の見出しは変更しないでください。",
        "Fill in one record per row from row 2 of the sheets Measures, Indicators and Targets. "
        "Do not change the headings in row 1.",
    ),
    ("* の付いた列は必須です。", "Columns marked * are required."),
    (
        "区分・状況・公開範囲・成果の段階・種類・方向は一覧から選択してください。"
        "相手国は ISO 3166-1 の2文字コード（例: VN, TH）をカンマで区切って記入します。",
        "Choose kinds, statuses, visibility, result levels, types and directions from the lists. "
        "Partner countries are ISO 3166-1 two-letter codes (e.g. VN, TH) separated by commas.",
    ),
    (
        "数値の列には数値のみを記入し、単位は書かないでください（単位は指標の「単位」列に記入）。"
        "日付は YYYY-MM-DD 形式です。",
        "Number columns take numbers only, without units (the unit goes in the indicator's Unit column). "
        "Dates are YYYY-MM-DD.",
    ),
    (
        "目標値は指標と同じ単位で記入してください。「単位」列を記入する場合は、指標の単位と一致する必要があります。",
        "Targets are in the indicator's unit; if you fill the Unit column it must match the indicator's unit.",
    ),
    (
        "コードは既存のものと重複できません。ファイル全体を検証し、誤りが1件でもあれば何も登録されません。誤りはシート・行・列で示されます。",
        "Codes must be new. The whole file is checked first; if there is any error, nothing is written. "
        "Errors are listed by sheet, row and column.",
    ),
]


@dataclass(frozen=True)
class ImportIssue:
    """One problem in the file, at a sheet, row and column (column "" for a whole row or sheet)."""

    sheet: str
    row: int
    column: str
    message: str

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet}!{self.row}"

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}"


@dataclass
class ImportOutcome:
    issues: list[ImportIssue] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues


# --- template ---------------------------------------------------------------


def build_template() -> bytes:
    """The import template: Instructions, Measures, Indicators, Targets, and a hidden Lists sheet."""
    wb = Workbook()
    info = wb.active
    info.title = "Instructions"
    info.column_dimensions["A"].width = 80
    info.column_dimensions["B"].width = 80
    for row, (ja, en) in enumerate(INSTRUCTIONS, start=1):
        for col, text in enumerate((ja, en), start=1):
            cell = info.cell(row=row, column=col, value=text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row == 1:
                cell.font = Font(bold=True, size=13)
    start = len(INSTRUCTIONS) + 2
    info.cell(row=start, column=1, value="列の説明").font = Font(bold=True)
    info.cell(row=start, column=2, value="Columns").font = Font(bold=True)
    row = start + 1
    for sheet, columns in SHEETS.items():
        for column in columns:
            mark = " *" if column.required else ""
            info.cell(row=row, column=1, value=f"{sheet} / {column.key}{mark}: {column.ja}")
            info.cell(row=row, column=2, value=f"{sheet} / {column.key}{mark}: {column.en}")
            row += 1

    lists = wb.create_sheet("Lists")
    countries = list(Country.objects.order_by("code").values_list("code", flat=True))
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate([*LISTS.items(), ("countries", countries)], start=1):
        letter = get_column_letter(col)
        lists.cell(row=1, column=col, value=name)
        for i, value in enumerate(values, start=2):
            lists.cell(row=i, column=col, value=value)
        ranges[name] = f"Lists!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    lists.sheet_state = "hidden"

    header_fill = PatternFill("solid", fgColor="1F4E79")
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        for col, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=col, value=column.key + (" *" if column.required else ""))
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = header_fill
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = max(column.width, len(column.key) + 4)
            ref = f"{letter}2:{letter}{MAX_ROWS}"
            if column.kind == "choice":
                dv = DataValidation(type="list", formula1=ranges[column.choices], allow_blank=not column.required)
                dv.error = f"{column.ja} / {column.en}"
                dv.errorTitle = column.key
            elif column.kind == "integer":
                dv = DataValidation(type="whole", operator="between", formula1="1900", formula2="2200")
                dv.error = "年（整数） / a year (whole number)"
            elif column.kind == "number":
                dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
                dv.error = "数値のみ（単位なし） / a number only (no unit)"
            elif column.kind == "countries":
                dv = DataValidation(type="list", formula1=ranges["countries"], allow_blank=True)
                # Several codes separated by commas are allowed: warn rather than stop.
                dv.errorStyle = "warning"
                dv.error = "ISO 3166-1 alpha-2, e.g. VN, TH"
            else:
                dv = None
            if dv is not None:
                dv.showErrorMessage = True
                dv.prompt = f"{column.ja} / {column.en}"
                dv.showInputMessage = True
                ws.add_data_validation(dv)
                dv.add(ref)
        ws.freeze_panes = "A2"
    wb.move_sheet("Lists", offset=len(wb.sheetnames))  # keep it last, out of the way
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- parsing ----------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]
    failed: set[str] = field(default_factory=set)  # columns whose cell could not be read

    def issue(self, key: str, message: str) -> ImportIssue:
        self.failed.add(key)
        return ImportIssue(self.sheet, self.number, self.letters.get(key, ""), message)


def _header_key(value: Any) -> str:
    return str(value or "").replace("*", "").strip()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _convert(row: Row, column: Column, raw: Any, issues: list[ImportIssue]) -> Any:
    """Turn a cell into the value the services take, or add an issue and return None."""
    if _is_blank(raw):
        if column.required:
            issues.append(row.issue(column.key, _("a value is required (%(column)s)") % {"column": column.key}))
        return None
    if column.kind == "number":
        if isinstance(raw, bool):
            raw = str(raw)
        if isinstance(raw, int | float):
            return float(raw)
        try:
            return float(str(raw).strip().replace(",", ""))
        except ValueError:
            issues.append(row.issue(column.key, _("'%(value)s' is not a number") % {"value": raw}))
            return None
    if column.kind == "integer":
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            return int(raw)
        text = str(raw).strip()
        if text.isdigit():
            return int(text)
        issues.append(row.issue(column.key, _("'%(value)s' is not a whole number") % {"value": raw}))
        return None
    if column.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            issues.append(row.issue(column.key, _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": raw}))
            return None
    text = str(raw).strip()
    if column.kind == "choice" and text not in LISTS[column.choices]:
        issues.append(
            row.issue(
                column.key,
                _("'%(value)s' is not one of: %(choices)s")
                % {"value": text, "choices": ", ".join(LISTS[column.choices])},
            )
        )
        return None
    if column.kind == "countries":
        return [c.strip().upper() for c in text.replace("、", ",").replace(";", ",").split(",") if c.strip()]
    return text


def _read_sheet(wb: Any, sheet: str, columns: Iterable[Column], issues: list[ImportIssue]) -> list[Row]:
    if sheet not in wb.sheetnames:
        issues.append(ImportIssue(sheet, 1, "", _("the sheet is missing; use the import template")))
        return []
    ws = wb[sheet]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, ())
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        key = _header_key(value)
        if key:
            positions.setdefault(key, index)
    columns = list(columns)
    missing = [c for c in columns if c.key not in positions]
    for column in missing:
        issues.append(ImportIssue(sheet, 1, "", _("the column '%(column)s' is missing") % {"column": column.key}))
    if missing:
        return []
    letters = {c.key: get_column_letter(positions[c.key] + 1) for c in columns}
    parsed: list[Row] = []
    for number, values in enumerate(rows, start=2):
        cells = {c.key: values[positions[c.key]] if positions[c.key] < len(values) else None for c in columns}
        if all(_is_blank(v) for v in cells.values()):
            continue
        if number > MAX_ROWS:
            issues.append(ImportIssue(sheet, number, "", _("too many rows; split the file")))
            break
        row = Row(sheet, number, {}, letters)
        for column in columns:
            row.values[column.key] = _convert(row, column, cells[column.key], issues)
        parsed.append(row)
    return parsed


# --- validation -------------------------------------------------------------


@dataclass
class Plan:
    measures: list[Row]
    indicators: list[Row]
    targets: list[Row]
    nodes: dict[str, FrameworkNode]
    owners: dict[str, Any]
    existing_measures: dict[str, Measure]
    existing_indicators: dict[str, Indicator]


def _duplicates(rows: list[Row], key: str, existing: set[str], issues: list[ImportIssue]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        code = row.values.get(key)
        if not code:
            continue
        if code in seen:
            issues.append(
                row.issue(
                    key,
                    _("the code '%(code)s' is already used in row %(row)d of this sheet")
                    % {"code": code, "row": seen[code]},
                )
            )
        elif code in existing:
            issues.append(row.issue(key, _("the code '%(code)s' already exists") % {"code": code}))
        seen.setdefault(code, row.number)


def validate(wb: Any) -> tuple[Plan | None, list[ImportIssue]]:
    """Check the whole workbook; a Plan only when there is no issue at all."""
    issues: list[ImportIssue] = []
    measures = _read_sheet(wb, "Measures", MEASURE_COLUMNS, issues)
    indicators = _read_sheet(wb, "Indicators", INDICATOR_COLUMNS, issues)
    targets = _read_sheet(wb, "Targets", TARGET_COLUMNS, issues)

    measure_codes = {r.values["code"] for r in measures if r.values.get("code")}
    indicator_codes = {r.values["code"] for r in indicators if r.values.get("code")}
    _duplicates(
        measures,
        "code",
        set(Measure.objects.filter(code__in=measure_codes).values_list("code", flat=True)),
        issues,
    )
    _duplicates(
        indicators,
        "code",
        set(Indicator.objects.filter(code__in=indicator_codes).values_list("code", flat=True)),
        issues,
    )

    nodes = {n.code: n for n in FrameworkNode.objects.all()}
    countries = set(Country.objects.values_list("code", flat=True))
    emails = {r.values["owner_email"].lower() for r in measures if r.values.get("owner_email")}
    # E-mail addresses compare without case (one query, whatever the number of officers).
    users = get_user_model().objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    owners = {u.email.lower(): u for u in users} if emails else {}
    referenced = {r.values["parent_code"] for r in measures if r.values.get("parent_code")}
    referenced |= {r.values["measure_code"] for r in indicators if r.values.get("measure_code")}
    existing_measures = {m.code: m for m in Measure.objects.filter(code__in=referenced)}
    new_measure_kinds = {r.values["code"]: r.values.get("kind") or "measure" for r in measures if r.values.get("code")}

    for row in measures:
        v = row.values
        if v.get("framework_node") and v["framework_node"] not in nodes:
            issues.append(
                row.issue("framework_node", _("unknown framework line '%(code)s'") % {"code": v["framework_node"]})
            )
        for code in v.get("partner_countries") or []:
            if code not in countries:
                issues.append(row.issue("partner_countries", _("unknown country '%(code)s'") % {"code": code}))
        if v.get("owner_email") and v["owner_email"].lower() not in owners:
            issues.append(
                row.issue("owner_email", _("no user with the e-mail '%(email)s'") % {"email": v["owner_email"]})
            )
        kind = v.get("kind") or MeasureKind.MEASURE
        parent = v.get("parent_code")
        if kind == MeasureKind.ACTIVITY and not parent:
            issues.append(row.issue("parent_code", _("an activity needs the code of its measure")))
        elif kind == MeasureKind.MEASURE and parent:
            issues.append(row.issue("parent_code", _("a measure has no parent; set the kind to activity")))
        elif parent:
            parent_kind = new_measure_kinds.get(parent) or (
                existing_measures[parent].kind if parent in existing_measures else None
            )
            if parent_kind is None:
                issues.append(row.issue("parent_code", _("unknown measure '%(code)s'") % {"code": parent}))
            elif parent_kind != MeasureKind.MEASURE:
                issues.append(
                    row.issue("parent_code", _("'%(code)s' is an activity, not a measure") % {"code": parent})
                )
        if v.get("starts_on") and v.get("ends_on") and v["ends_on"] < v["starts_on"]:
            issues.append(row.issue("ends_on", _("the end is before the start")))
        if v.get("weight") is not None and v["weight"] < 0:
            issues.append(row.issue("weight", _("the weight cannot be negative")))

    indicator_units: dict[str, tuple[str, str]] = {}  # code -> (unit, type)
    for row in indicators:
        v = row.values
        code = v.get("measure_code")
        if code and code not in measure_codes and code not in existing_measures:
            issues.append(row.issue("measure_code", _("unknown measure '%(code)s'") % {"code": code}))
        if (v.get("baseline_year") is None) != (v.get("baseline_value") is None):
            key = "baseline_value" if v.get("baseline_value") is None else "baseline_year"
            issues.append(row.issue(key, _("give both the base year and the baseline value, or neither")))
        if v.get("weight") is not None and v["weight"] < 0:
            issues.append(row.issue("weight", _("the weight cannot be negative")))
        if v.get("code"):
            indicator_units.setdefault(
                v["code"], (v.get("unit") or "", v.get("indicator_type") or IndicatorType.QUANTITATIVE)
            )

    target_codes = {r.values["indicator_code"] for r in targets if r.values.get("indicator_code")}
    existing_indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=target_codes - set(indicator_units)).select_related(
            "result__measure"
        )
    }
    for i in existing_indicators.values():
        indicator_units[i.code] = (i.unit, i.indicator_type)
    seen_targets: dict[tuple[str, int], int] = {}
    for row in targets:
        v = row.values
        code = v.get("indicator_code")
        if not code:
            continue
        if code not in indicator_units:
            issues.append(row.issue("indicator_code", _("unknown indicator '%(code)s'") % {"code": code}))
            continue
        unit, kind = indicator_units[code]
        if v.get("unit") is not None and v["unit"].strip() != unit.strip():
            issues.append(
                row.issue(
                    "unit",
                    _("the target is in '%(given)s' but the indicator '%(code)s' is in '%(unit)s'")
                    % {"given": v["unit"], "code": code, "unit": unit or _("(no unit)")},
                )
            )
        if kind == IndicatorType.QUANTITATIVE and v.get("value") is None and "value" not in row.failed:
            issues.append(row.issue("value", _("a quantitative indicator needs a number")))
        if kind == IndicatorType.QUALITATIVE and v.get("value") is None and not v.get("text_value"):
            issues.append(row.issue("text_value", _("describe the target of this qualitative indicator")))
        if v.get("year") is not None:
            key = (code, v["year"])
            if key in seen_targets:
                issues.append(
                    row.issue(
                        "year", _("a target for this year is already in row %(row)d") % {"row": seen_targets[key]}
                    )
                )
            seen_targets.setdefault(key, row.number)

    issues.sort(key=lambda i: (list(SHEETS).index(i.sheet) if i.sheet in SHEETS else 9, i.row, len(i.column), i.column))
    if issues:
        return None, issues
    return Plan(measures, indicators, targets, nodes, owners, existing_measures, existing_indicators), []


# --- writing ----------------------------------------------------------------


class _RowRefused(Exception):
    def __init__(self, issue: ImportIssue):
        super().__init__(str(issue))
        self.issue = issue


def _refused(row: Row, error: ValidationError) -> _RowRefused:
    if hasattr(error, "error_dict"):
        field_name, errors = next(iter(error.error_dict.items()))
        key = {"unit": "unit", "value": "value", "code": "code"}.get(field_name, field_name)
        return _RowRefused(
            row.issue(key, "; ".join(e.messages[0] if hasattr(e, "messages") else str(e) for e in errors))
        )
    return _RowRefused(row.issue("", "; ".join(error.messages)))


def _write(plan: Plan, actor: Any) -> dict[str, int]:
    created = {"measures": 0, "results": 0, "indicators": 0, "baselines": 0, "targets": 0}
    measures = dict(plan.existing_measures)
    countries = {c.code: c for c in Country.objects.all()}
    # Measures before their activities.
    ordered = sorted(plan.measures, key=lambda r: (r.values.get("kind") or "measure") == MeasureKind.ACTIVITY)
    for row in ordered:
        v = row.values
        try:
            measure = services.measure_create(
                actor=actor,
                framework_node=plan.nodes[v["framework_node"]],
                code=v["code"],
                title_ja=v["title_ja"],
                title_en=v.get("title_en") or "",
                kind=v.get("kind") or MeasureKind.MEASURE,
                parent=measures.get(v["parent_code"]) if v.get("parent_code") else None,
                description_ja=v.get("description_ja") or "",
                description_en=v.get("description_en") or "",
                owner=plan.owners.get((v.get("owner_email") or "").lower()),
                partner_countries=[countries[c] for c in v.get("partner_countries") or []],
                starts_on=v.get("starts_on"),
                ends_on=v.get("ends_on"),
                status=v.get("status") or MeasureStatus.PLANNED,
                weight=v["weight"] if v.get("weight") is not None else 1,
                visibility=v.get("visibility") or Visibility.SECRETARIAT,
            )
        except ValidationError as error:
            raise _refused(row, error) from error
        measures[measure.code] = measure
        created["measures"] += 1

    results: dict[tuple[int, str, str], Result] = {}
    indicators: dict[str, Indicator] = dict(plan.existing_indicators)
    for row in plan.indicators:
        v = row.values
        measure = measures[v["measure_code"]]
        key = (measure.pk, v["result_level"], v["result_title_ja"])
        try:
            result = (
                results.get(key)
                or Result.objects.filter(
                    measure=measure, level=v["result_level"], title_ja=v["result_title_ja"]
                ).first()
            )
            if result is None:
                result = services.result_create(
                    actor=actor, measure=measure, level=v["result_level"], title_ja=v["result_title_ja"]
                )
                created["results"] += 1
            results[key] = result
            indicator = services.indicator_create(
                actor=actor,
                result=result,
                code=v["code"],
                title_ja=v["title_ja"],
                title_en=v.get("title_en") or "",
                indicator_type=v.get("indicator_type") or IndicatorType.QUANTITATIVE,
                unit=v.get("unit") or "",
                direction=v.get("direction") or Direction.INCREASE,
                weight=v["weight"] if v.get("weight") is not None else 1,
            )
            created["indicators"] += 1
            if v.get("baseline_year") is not None:
                services.baseline_set(
                    actor=actor, indicator=indicator, year=v["baseline_year"], value=v["baseline_value"]
                )
                created["baselines"] += 1
        except ValidationError as error:
            raise _refused(row, error) from error
        indicators[indicator.code] = indicator

    for row in plan.targets:
        v = row.values
        try:
            services.target_set(
                actor=actor,
                indicator=indicators[v["indicator_code"]],
                year=v["year"],
                value=v.get("value"),
                text_value=v.get("text_value") or "",
                unit=v.get("unit"),
                comment=v.get("comment") or "",
            )
        except ValidationError as error:
            raise _refused(row, error) from error
        created["targets"] += 1
    return created


def import_workbook(data: bytes, *, actor: Any) -> ImportOutcome:
    """Validate the whole workbook, then write everything in one transaction, or nothing."""
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        return ImportOutcome(issues=[ImportIssue("—", 1, "", _("The file is not an Excel workbook (.xlsx)."))])
    try:
        plan, issues = validate(wb)
    finally:
        wb.close()
    if plan is None:
        return ImportOutcome(issues=issues)
    try:
        with transaction.atomic():
            created = _write(plan, actor)
    except _RowRefused as refused:
        return ImportOutcome(issues=[refused.issue])
    return ImportOutcome(created=created)
