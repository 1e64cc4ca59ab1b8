"""The Excel import of co-benefit projects: a template, full validation, a preview, then all-or-nothing.

The workbook has a sheet "Projects" (one row per project: its record, its years, GWP set and landfill convention)
and a sheet "Scenarios" (one row per activity of one side, baseline or project, of one project: the method and
up to ten parameters, each as three cells: parameter name, value, unit). The sheet "Methods" lists every
method's parameters and how to write them; "Example projects" and "Example scenarios" hold one worked example
per method in the same columns (they are never imported).

`check_workbook` reads the whole file (openpyxl, read only) and checks everything before anything is written:
every cell, the codes of countries, packages, working groups and measures, who may record projects of which
country (policies), and each project's request through the engine, whose `FieldError`s are mapped back to the
cell they came from. Every problem names its sheet, row, column letter and heading. Only a file without any
problem gives a `Plan`: the projects to create or update, each with its request and CO2e reduction.

`apply_plan` writes a plan in one transaction through project_services: each project created or updated (by
code; a re-import updates rather than duplicates) and one evaluation stored for it (none when the project's
latest evaluation already holds the same request with the same factor files). Any refusal rolls everything
back and is reported at its row. Plain functions: no request objects; the page (views/imports.py) is thin.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, can, visible
from cleanasia.directory.models import Country
from cleanasia.engines.cobenefits import (
    EvaluationError,
    FieldError,
    default_factors,
    evaluate,
    method_catalogue,
    request_schema,
)
from cleanasia.measures.models import Measure
from cleanasia.network.models import KnowHowPackage, WorkingGroup

from . import policies as policy
from . import project_services
from . import services as evaluate_services
from .models import CobenefitProject, Evaluation, ProjectStatus, Sector

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_PROJECTS = 500
MAX_ACTIVITY_ROWS = 5000
VALIDATION_ROWS = 2000  # rows of the template that carry drop-downs
PARAMETER_SLOTS = 10
SIDES = ("baseline", "project")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PROJECTS = "Projects"
SCENARIOS = "Scenarios"
SHEET_ORDER = (PROJECTS, SCENARIOS)


@dataclass(frozen=True)
class Column:
    key: str
    ja: str
    en: str
    required: bool = False
    kind: str = "text"  # text, integer, choice, codes
    choices: str = ""  # the list on the Lists sheet
    width: int = 16
    strict: bool = True  # a drop-down that refuses other values (False: warns only)


PROJECT_COLUMNS = (
    Column("code", "コード(小文字・数字・ハイフン)", "Code (small letters, digits, hyphens)", True, width=22),
    Column("title_ja", "名称(日本語)", "Title (Japanese)", width=36),
    Column("title_en", "名称(英語)", "Title (English)", width=36),
    Column("country", "国(ISO 2文字コード)", "Country (ISO two-letter code)", True, "choice", "countries", 10),
    Column("sector", "分野", "Sector", True, "choice", "sectors", 12),
    Column("status", "状況(空欄: planned)", "Status (blank: planned)", kind="choice", choices="statuses", width=12),
    Column(
        "visibility",
        "公開範囲(空欄: secretariat)",
        "Visibility (blank: secretariat)",
        kind="choice",
        choices="visibilities",
        width=14,
    ),
    Column("package", "技術・ノウハウパッケージのコード", "Know-how package code", width=18),
    Column("working_group", "作業部会のコード", "Working group code", width=18),
    Column("measures", "施策コード(カンマ区切り)", "Measure codes (separated by commas)", kind="codes", width=20),
    Column("start_year", "評価開始年", "First year evaluated", True, "integer", width=10),
    Column("end_year", "評価終了年", "Last year evaluated", True, "integer", width=10),
    Column("gwp", "GWP(空欄: AR5)", "GWP set (blank: AR5)", kind="choice", choices="gwp", width=8),
    Column(
        "fod_convention",
        "埋立の計算方式(空欄: ipcc2006)",
        "Landfill convention (blank: ipcc2006)",
        kind="choice",
        choices="fod",
        width=14,
    ),
    Column("note", "評価のメモ", "Note on the evaluation", width=30),
)
SCENARIO_COLUMNS = (
    Column("project_code", "プロジェクトのコード", "Project code (sheet Projects)", True, width=22),
    Column("side", "ベースライン/プロジェクト", "Side: baseline or project", True, "choice", "sides", 10),
    Column("method", "算定方法", "Method (sheet Methods)", True, "choice", "methods", 22),
    *(
        column
        for n in range(1, PARAMETER_SLOTS + 1)
        for column in (
            Column(f"parameter_{n}", f"パラメータ名 {n}", f"Parameter {n}: name", False, "choice", "parameters", 20),
            Column(f"value_{n}", f"値 {n}", f"Parameter {n}: value", width=14),
            Column(f"unit_{n}", f"単位 {n}", f"Parameter {n}: unit", False, "choice", "units", 9, strict=False),
        )
    ),
)
COLUMNS = {PROJECTS: PROJECT_COLUMNS, SCENARIOS: SCENARIO_COLUMNS}

UNITS = [
    "t", "kt", "kg", "TJ", "GJ", "MWh", "kWh", "m³", "%", "1",
    "t/MWh", "kg/TJ", "kg/t", "kg/m³", "TJ/t", "TJ/m³", "g/d", "m³/t", "kg/kg",
]  # fmt: skip
# For "key=number" entries of a keyed list: the field the number is.
KEYED_DEFAULT_FIELD = {"treatment": "share", "generation_mix": "share", "controls": "efficiency"}
FAMILY_HINTS = {
    "composition": "food=0.6; paper=0.15; plastics=0.1",
    "treatment": "anaerobic_reactor=1  /  septic_system=0.4; anaerobic_deep_lagoon=0.6",
    "controls": "fgd  /  fgd=0.95; low_nox_burner",
    "generation_mix": "other_bituminous_coal: share=0.6, efficiency=0.38; non_emitting: share=0.4",
}
TRUE_WORDS = {"yes", "true", "y", "1", "はい", "有", "あり"}
FALSE_WORDS = {"no", "false", "n", "0", "いいえ", "無", "なし"}

INSTRUCTIONS = [
    ("コベネフィット・プロジェクトの一括登録(記入方法)", "Co-benefit projects: how to fill in this workbook"),
    (
        "シート「Projects」に1行1プロジェクト、シート「Scenarios」に1行1活動(あるプロジェクトのベースラインまたは"
        "プロジェクト側の1つの活動)を2行目から記入してください。1行目の見出しは変更しないでください。",
        "Fill in one project per row of the sheet Projects and one activity per row of the sheet Scenarios (one "
        "activity of the baseline or of the project side of one project), from row 2. Do not change the headings "
        "in row 1.",
    ),
    (
        "* の付いた列は必須です。見出しのコメントに列の説明があります。",
        "Columns marked * are required; each heading's comment says what goes in it.",
    ),
    (
        "Scenarios の各行は「パラメータ名・値・単位」の組を最大10組持てます。使えるパラメータ名、単位、選択肢と"
        "書き方はシート「Methods」にあります。",
        "Each row of Scenarios takes up to ten parameters, each as three cells: name, value, unit. The sheet Methods "
        "lists each method's parameters, their units, allowed values and how to write them.",
    ),
    (
        "年ごとに異なる値は「100; 110; 120」のようにセミコロンで区切り、評価期間の年数だけ記入します。"
        "割合は 0.8 と単位 % のように書けます(0.8 %)。単位を空欄にすると Methods に示す単位とみなします。",
        "Values that differ by year are separated by semicolons (100; 110; 120), one per year of the evaluation. "
        "Fractions may be given with the unit % (0.8 with unit % is 0.8 %). A blank unit means the unit shown in "
        "Methods.",
    ),
    (
        "はい/いいえ のパラメータは yes または no と記入します。組成・処理方式などは「food=0.6; paper=0.15」の"
        "ように記入します(Methods の例を参照)。",
        "Yes/no parameters take yes or no. Compositions, treatment systems and the like are written as "
        "food=0.6; paper=0.15 (see the examples in Methods).",
    ),
    (
        "シート「Example projects」「Example scenarios」は算定方法ごとの記入例です(取り込まれません)。行を "
        "Projects / Scenarios にコピーして使えます。",
        "The sheets Example projects and Example scenarios show one worked example per method (they are not "
        "imported); copy rows from them into Projects and Scenarios.",
    ),
    (
        "既存のコードのプロジェクトは更新されます(重複しません)。ファイル全体を検証し、誤りが1件でもあれば何も"
        "登録されません。誤りはシート・行・列で示されます。誤りがなければ確認画面でCO2e削減量を確認してから登録します。",
        "A project whose code exists is updated, not duplicated. The whole file is checked first; if anything is "
        "wrong nothing is saved, and each problem is listed by sheet, row and column. A correct file is shown "
        "with each project's CO2e reduction for you to confirm before anything is saved.",
    ),
    (
        "国の担当者は自国のプロジェクトのみ登録・更新できます。事務局はすべての国のプロジェクトを登録できます。",
        "Country focal points import the projects of their own countries only; the secretariat imports any country's.",
    ),
]


# --- problems, plans and outcomes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportIssue:
    """One problem in the file at a sheet, row and column (letter and heading; "" for a whole row or sheet)."""

    sheet: str
    row: int
    column: str
    header: str
    message: str

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet}!{self.row}"

    def __str__(self) -> str:
        where = f"{self.cell} ({self.header})" if self.header else self.cell
        return f"{where}: {self.message}"


@dataclass
class ActivityCells:
    """Where one activity of a request came from: its Scenarios row and each parameter's value and unit cells."""

    side: str
    index: int
    row: int
    cells: dict[str, list[str]] = field(default_factory=dict)  # parameter -> [value letter, unit letter]


@dataclass
class ProjectPlan:
    """One project of a correct file: what is created or changed and the evaluation stored for it."""

    row: int
    code: str
    action: str  # "create" or "update"
    title: str
    country: str
    values: dict[str, Any]  # record fields by name; package, working group and measures as codes
    changes: list[str]  # names of the record fields an update changes
    request: dict[str, Any]
    note: str
    co2e: dict[str, float]  # baseline, project, reduction (t CO2e over the years)
    evaluate: bool  # False: the latest evaluation already holds this request with these factor files
    version: int | None  # the version the preview saw (updates)
    activities: list[ActivityCells] = field(default_factory=list)


@dataclass
class Plan:
    projects: list[ProjectPlan]
    letters: dict[str, dict[str, str]]  # sheet -> column key -> letter

    @property
    def creating(self) -> int:
        return sum(1 for p in self.projects if p.action == "create")

    @property
    def updating(self) -> int:
        return sum(1 for p in self.projects if p.action == "update")

    @property
    def evaluations(self) -> int:
        return sum(1 for p in self.projects if p.evaluate)

    @property
    def co2e_reduction(self) -> float:
        return sum(p.co2e["reduction"] for p in self.projects)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (kept in the session between the preview and the confirmation)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        projects = []
        for item in data["projects"]:
            item = dict(item)
            item["activities"] = [ActivityCells(**a) for a in item.get("activities", [])]
            projects.append(ProjectPlan(**item))
        return cls(projects=projects, letters=data["letters"])


@dataclass
class ImportCheck:
    plan: Plan | None = None
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.issues


@dataclass
class ImportOutcome:
    issues: list[ImportIssue] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    evaluations: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


# --- what the engine offers ---------------------------------------------------------------------------------


def _catalogue() -> dict[str, dict[str, Any]]:
    return {method["name"]: method for method in method_catalogue()}


def _keyed_lists() -> dict[str, dict[str, str]]:
    """Per method, the family parameters that are lists of objects, with their key field (from the schema)."""
    found: dict[str, dict[str, str]] = {}
    for activity in request_schema()["properties"]["baseline"]["properties"]["activities"]["items"]["oneOf"]:
        name = activity["properties"]["method"]["const"]
        found[name] = {
            key: schema["items"]["required"][0]
            for key, schema in activity["properties"].items()
            if isinstance(schema, dict) and schema.get("type") == "array"
        }
    return found


def _schema_choices(name: str) -> list[str]:
    return list(request_schema()["properties"][name]["enum"])


def _reference_values() -> dict[str, list[str]]:
    """Names the factor library knows, for the Methods sheet: fuels, waste types, controls, systems, industries."""
    factors = default_factors()
    ids = list(factors.factors)
    tables = factors.tables
    return {
        "fuel": [entry["id"] for entry in tables.get("combustion", {}).get("fuels", [])],
        "composition": list(tables.get("landfill", {}).get("waste_types", {})),
        "controls": sorted({i.split(".", 1)[1] for i in ids if i.startswith("control.")}),
        "treatment": sorted({i.rsplit(".", 1)[1] for i in ids if i.startswith("wastewater.mcf.")} - {"discharge"}),
        "industry": sorted({i.split(".")[2] for i in ids if i.startswith("wastewater.industry.")}),
    }


def _lists() -> dict[str, list[str]]:
    catalogue = _catalogue()
    parameters = sorted({p["name"] for method in catalogue.values() for p in method["parameters"]})
    return {
        "countries": list(Country.objects.order_by("code").values_list("code", flat=True)),
        "sectors": list(Sector.values),
        "statuses": list(ProjectStatus.values),
        "visibilities": list(Visibility.values),
        "gwp": _schema_choices("gwp"),
        "fod": _schema_choices("fod_convention"),
        "sides": list(SIDES),
        "methods": list(catalogue),
        "parameters": parameters,
        "units": UNITS,
    }


# --- the template -------------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")


def _example_rows() -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """One worked example per method: example projects, and their Scenarios rows (code, side, method, triples)."""
    projects = [
        {
            "code": "example-boiler-gas",
            "title_ja": "石炭ボイラーの天然ガスへの燃料転換",
            "title_en": "Coal boiler switched to natural gas",
            "country": "VN",
            "sector": "industry",
            "status": "planned",
            "visibility": "secretariat",
            "start_year": 2026,
            "end_year": 2030,
            "gwp": "AR5",
        },
        {
            "code": "example-grid-saving",
            "title_ja": "工場の省エネによる系統電力の削減",
            "title_en": "Grid electricity saved by factory efficiency",
            "country": "TH",
            "sector": "energy",
            "start_year": 2026,
            "end_year": 2030,
        },
        {
            "code": "example-food-waste",
            "title_ja": "食品廃棄物の埋立から堆肥化への転換",
            "title_en": "Food waste diverted from landfill to composting",
            "country": "VN",
            "sector": "waste",
            "start_year": 2026,
            "end_year": 2035,
            "fod_convention": "ipcc2006",
        },
        {
            "code": "example-sewage-reactor",
            "title_ja": "生活排水:嫌気性ラグーンからフレア付き反応槽へ",
            "title_en": "Sewage: anaerobic lagoon replaced by a reactor with flaring",
            "country": "VN",
            "sector": "wastewater",
            "start_year": 2026,
            "end_year": 2030,
        },
        {
            "code": "example-factory-effluent",
            "title_ja": "工場排水の嫌気性反応槽とメタン回収",
            "title_en": "Factory effluent: anaerobic reactor with methane capture",
            "country": "TH",
            "sector": "wastewater",
            "start_year": 2026,
            "end_year": 2030,
        },
    ]
    scenarios = [
        ["example-boiler-gas", "baseline", "stationary_combustion",
         "fuel", "other_bituminous_coal", None, "fuel_quantity", 50, "kt", "sulphur_content", 1, "%",
         "sector", "manufacturing", None, "controls", "fgd", None],
        ["example-boiler-gas", "project", "stationary_combustion",
         "fuel", "natural_gas", None, "fuel_quantity", 1200, "TJ", "sector", "manufacturing", None,
         "controls", "low_nox_burner", None],
        ["example-grid-saving", "baseline", "grid_electricity",
         "electricity", "5000; 5000; 5200; 5200; 5400", "MWh", "grid_factor", 0.55, "t/MWh"],
        ["example-food-waste", "baseline", "landfill_fod",
         "waste_deposited", 20000, "t", "composition", "food=0.6; paper=0.15; garden=0.1; plastics=0.1", None,
         "climate", "tropical_wet", None, "site", "managed_anaerobic", None],
        ["example-food-waste", "project", "landfill_fod",
         "waste_deposited", 8000, "t", "composition", "paper=0.375; garden=0.25; plastics=0.25", None,
         "climate", "tropical_wet", None, "site", "managed_anaerobic", None],
        ["example-food-waste", "project", "waste_treatment",
         "treatment", "composting", None, "waste_treated", 12000, "t"],
        ["example-sewage-reactor", "baseline", "wastewater_domestic",
         "population", 50000, "1", "country", "VN", None, "treatment", "anaerobic_deep_lagoon=1", None,
         "removal_efficiency", 70, "%"],
        ["example-sewage-reactor", "project", "wastewater_domestic",
         "population", 50000, "1", "country", "VN", None, "treatment", "anaerobic_reactor=1", None,
         "removal_efficiency", 85, "%", "methane_capture", 90, "%", "flare", "enclosed", None],
        ["example-factory-effluent", "baseline", "wastewater_industrial",
         "tow", 1000000, "kg", "treatment", "anaerobic_deep_lagoon=1", None],
        ["example-factory-effluent", "project", "wastewater_industrial",
         "tow", 1000000, "kg", "treatment", "anaerobic_reactor=1", None, "methane_capture", 0.9, "1",
         "flare", "enclosed", None],
    ]  # fmt: skip
    return projects, scenarios


def _header_row(ws: Any, columns: tuple[Column, ...]) -> None:
    for col, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=column.key + (" *" if column.required else ""))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.comment = Comment(f"{column.ja}\n{column.en}", "Clean Asia")
        ws.column_dimensions[get_column_letter(col)].width = max(column.width, len(column.key) + 4)
    ws.freeze_panes = "A2"


def _validations(ws: Any, columns: tuple[Column, ...], ranges: dict[str, str]) -> None:
    for col, column in enumerate(columns, start=1):
        letter = get_column_letter(col)
        if column.kind == "choice":
            dv = DataValidation(type="list", formula1=ranges[column.choices], allow_blank=True)
            if not column.strict:
                dv.errorStyle = "warning"
        elif column.kind == "integer":
            dv = DataValidation(type="whole", operator="between", formula1="1900", formula2="2200")
        else:
            continue
        dv.error = f"{column.ja} / {column.en}"
        dv.errorTitle = column.key
        dv.showErrorMessage = True
        dv.prompt = f"{column.ja} / {column.en}"
        dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")


def _allowed_text(parameter: dict[str, Any], reference: dict[str, list[str]]) -> str:
    name, kind = parameter["name"], parameter["kind"]
    if kind == "quantity":
        bounds = []
        if parameter.get("minimum") is not None:
            bounds.append(f"≥ {parameter['minimum']}")
        if parameter.get("maximum") is not None:
            bounds.append(f"≤ {parameter['maximum']}")
        per_year = "; one per year allowed (100; 110; …)" if parameter.get("per_year") else ""
        return f"number {' '.join(bounds)}{per_year}".strip()
    if kind == "flag":
        return "yes / no"
    if kind == "choice":
        choices = parameter.get("choices") or reference.get(name) or []
        return ", ".join(choices) if choices else "text"
    hint = FAMILY_HINTS.get(name, "name=number; name=number")
    names = reference.get(name)
    return f"e.g. {hint}" + (f"  (names: {', '.join(names)})" if names else "")


def _methods_sheet(ws: Any) -> None:
    titles = [
        "method",
        "title (ja)",
        "title (en)",
        "parameter",
        "required",
        "kind",
        "unit",
        "how to write",
        "description",
    ]
    widths = [22, 30, 36, 24, 9, 10, 16, 60, 60]
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    reference = _reference_values()
    row = 2
    for method in method_catalogue():
        for parameter in method["parameters"]:
            values = [
                method["name"],
                method["title_ja"],
                method["title_en"],
                parameter["name"],
                "yes" if parameter["required"] else "",
                parameter["kind"],
                parameter["unit"],
                _allowed_text(parameter, reference),
                parameter["description"],
            ]
            for col, value in enumerate(values, start=1):
                ws.cell(row=row, column=col, value=value).alignment = WRAP
            row += 1
    ws.freeze_panes = "A2"


def build_template() -> bytes:
    """The import workbook: Instructions, Projects, Scenarios, Methods, the examples and a hidden Lists sheet."""
    wb = Workbook()
    info = wb.active
    info.title = "Instructions"
    info.column_dimensions["A"].width = 80
    info.column_dimensions["B"].width = 80
    for row, (ja, en) in enumerate(INSTRUCTIONS, start=1):
        for col, text in enumerate((ja, en), start=1):
            cell = info.cell(row=row, column=col, value=text)
            cell.alignment = WRAP
            if row == 1:
                cell.font = Font(bold=True, size=13)
    row = len(INSTRUCTIONS) + 2
    info.cell(row=row, column=1, value="列の説明").font = Font(bold=True)
    info.cell(row=row, column=2, value="Columns").font = Font(bold=True)
    for sheet, columns in COLUMNS.items():
        for column in columns[: 6 if sheet == SCENARIOS else None]:
            row += 1
            mark = " *" if column.required else ""
            info.cell(row=row, column=1, value=f"{sheet} / {column.key}{mark}: {column.ja}").alignment = WRAP
            info.cell(row=row, column=2, value=f"{sheet} / {column.key}{mark}: {column.en}").alignment = WRAP

    lists = wb.create_sheet("Lists")
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(_lists().items(), start=1):
        letter = get_column_letter(col)
        lists.cell(row=1, column=col, value=name)
        for i, value in enumerate(values, start=2):
            lists.cell(row=i, column=col, value=value)
        ranges[name] = f"Lists!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    lists.sheet_state = "hidden"

    examples, example_scenarios = _example_rows()
    for sheet in (PROJECTS, SCENARIOS):
        ws = wb.create_sheet(sheet)
        _header_row(ws, COLUMNS[sheet])
        _validations(ws, COLUMNS[sheet], ranges)
    _methods_sheet(wb.create_sheet("Methods"))
    ws = wb.create_sheet("Example projects")
    _header_row(ws, PROJECT_COLUMNS)
    for row, example in enumerate(examples, start=2):
        for col, column in enumerate(PROJECT_COLUMNS, start=1):
            ws.cell(row=row, column=col, value=example.get(column.key)).fill = EXAMPLE_FILL
    ws = wb.create_sheet("Example scenarios")
    _header_row(ws, SCENARIO_COLUMNS)
    for row, values in enumerate(example_scenarios, start=2):
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).fill = EXAMPLE_FILL
    wb.move_sheet("Lists", offset=len(wb.sheetnames))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading cells ------------------------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    cells: dict[str, Any]
    letters: dict[str, str]

    def issue(self, key: str, message: str) -> ImportIssue:
        letter = self.letters.get(key, "")
        return ImportIssue(self.sheet, self.number, letter, key if letter else "", message)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_sheet(wb: Any, sheet: str, issues: list[ImportIssue], limit: int) -> tuple[list[Row], dict[str, str]]:
    columns = COLUMNS[sheet]
    if sheet not in wb.sheetnames:
        issues.append(ImportIssue(sheet, 1, "", "", _("The sheet is missing; use the import template.")))
        return [], {}
    rows = wb[sheet].iter_rows(values_only=True)
    header = next(rows, ()) or ()
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        key = _text(value).replace("*", "").strip()
        if key:
            positions.setdefault(key, index)
    missing = [
        c.key for c in columns if c.key not in positions and not c.key.startswith(("parameter_", "value_", "unit_"))
    ]
    for key in missing:
        issues.append(ImportIssue(sheet, 1, "", key, _("The column “%(column)s” is missing.") % {"column": key}))
    if missing:
        return [], {}
    letters = {key: get_column_letter(index + 1) for key, index in positions.items() if key in {c.key for c in columns}}
    parsed: list[Row] = []
    for number, values in enumerate(rows, start=2):
        cells = {key: values[index] if index < len(values) else None for key, index in positions.items()}
        if all(_blank(cells.get(c.key)) for c in columns):
            continue
        if len(parsed) >= limit:
            issues.append(
                ImportIssue(sheet, number, "", "", _("Too many rows: at most %(n)d; split the file.") % {"n": limit})
            )
            break
        parsed.append(Row(sheet, number, cells, letters))
    return parsed, letters


def _choice(row: Row, key: str, choices: list[str], issues: list[ImportIssue], *, default: str = "") -> str | None:
    value = _text(row.cells.get(key))
    if not value:
        return default or None
    if value not in choices:
        issues.append(
            row.issue(
                key, _("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": ", ".join(choices)}
            )
        )
        return None
    return value


def _year(row: Row, key: str, issues: list[ImportIssue]) -> int | None:
    raw = row.cells.get(key)
    if _blank(raw):
        issues.append(row.issue(key, _("A year is required.")))
        return None
    text = _text(raw)
    if isinstance(raw, bool) or not text.isdigit() or not 1900 <= int(text) <= 2200:
        issues.append(row.issue(key, _("“%(value)s” is not a year (e.g. 2026).") % {"value": raw}))
        return None
    return int(text)


_NUMBER_AND_UNIT = re.compile(r"^\s*([-+]?[0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*(.*?)\s*$")


def _number(text: str) -> float | None:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _quantity(raw: Any, unit: str) -> tuple[Any, str | None]:
    """A quantity cell (a number, "120 %", or "100; 110; 120") as the request takes it; or a message."""
    if isinstance(raw, bool):
        return None, _("“%(value)s” is not a number.") % {"value": raw}
    if isinstance(raw, int | float):
        number = float(raw)
        return ({"value": number, "unit": unit} if unit else number), None
    text = str(raw).strip()
    parts = [part.strip() for part in re.split(r"[;；\n]", text) if part.strip()]
    numbers: list[float] = []
    units: set[str] = set()
    for part in parts:
        match = _NUMBER_AND_UNIT.match(part)
        number = _number(match.group(1)) if match else None
        if number is None:
            return None, _("“%(value)s” is not a number (several years: 100; 110; 120).") % {"value": part}
        numbers.append(number)
        if match and match.group(2):
            units.add(match.group(2))
    if len(units) > 1 or (units and unit and units != {unit}):
        return None, _("Give one unit, in the unit column.")
    unit = unit or (units.pop() if units else "")
    if len(numbers) == 1:
        return ({"value": numbers[0], "unit": unit} if unit else numbers[0]), None
    return ({"values": numbers, "unit": unit} if unit else {"values": numbers}), None


def _family(raw: Any, name: str, key_field: str | None) -> tuple[Any, str | None]:
    """A family cell: "food=0.6; paper=0.15", "fgd=0.95; esp", "coal: share=0.6, efficiency=0.38" or JSON."""
    text = _text(raw)
    if text.startswith(("[", "{")):
        try:
            return json.loads(text), None
        except ValueError:
            return None, _("This is not readable JSON; check the brackets and quotes.")
    entries: list[tuple[str, dict[str, float]]] = []
    for part in (p.strip() for p in re.split(r"[;；\n]", text)):
        if not part:
            continue
        if ":" in part:
            key, _sep, rest = part.partition(":")
            fields: dict[str, float] = {}
            for item in (i.strip() for i in rest.split(",")):
                if not item:
                    continue
                sub, sep, value = item.partition("=")
                number = _number(value.strip()) if sep else None
                if number is None:
                    return None, _("Write “%(example)s”.") % {"example": FAMILY_HINTS.get(name, "name=number")}
                fields[sub.strip()] = number
        else:
            key, sep, value = part.partition("=")
            fields = {}
            if sep:
                number = _number(value.strip())
                if number is None:
                    return None, _("Write “%(example)s”.") % {"example": FAMILY_HINTS.get(name, "name=number")}
                fields[KEYED_DEFAULT_FIELD.get(name, "value")] = number
        key = key.strip()
        if not key:
            return None, _("Write “%(example)s”.") % {"example": FAMILY_HINTS.get(name, "name=number")}
        entries.append((key, fields))
    if not entries:
        return None, _("A value is required.")
    if key_field:
        return [{key_field: key, **fields} for key, fields in entries], None
    found: dict[str, float] = {}
    for key, fields in entries:
        if set(fields) != {"value"}:
            return None, _("Write “%(example)s”.") % {"example": FAMILY_HINTS.get(name, "name=number")}
        found[key] = fields["value"]
    return found, None


def _parameter_value(raw: Any, unit: str, parameter: dict[str, Any], key_field: str | None) -> tuple[Any, str | None]:
    kind = parameter["kind"]
    if kind == "quantity":
        return _quantity(raw, unit)
    if kind == "flag":
        if isinstance(raw, bool):
            return raw, None
        word = _text(raw).lower()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, _("Write yes or no.")
    if kind == "choice":
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            return int(raw), None
        return _text(raw), None
    return _family(raw, parameter["name"], key_field)


# --- checking -----------------------------------------------------------------------------------------------


def _engine_message(error: FieldError, parameter: str) -> str:
    from .views.calculator import ERROR_CODES  # the engine's codes in the reader's language, as the calculator

    label = ERROR_CODES.get(error.code)
    message = f"{label}: {error.message}" if label else error.message
    return f"{parameter}: {message}" if parameter and parameter not in error.message else message


_ACTIVITY_PATH = re.compile(r"^(baseline|project)\.activities\[(\d+)\](?:\.([A-Za-z0-9_]+))?(.*)$")
_TOP_LEVEL_COLUMNS = {"years": "start_year", "gwp": "gwp", "fod_convention": "fod_convention"}


def _engine_issue(error: FieldError, plan: ProjectPlan, letters: dict[str, dict[str, str]]) -> ImportIssue:
    """The cell an engine FieldError came from: the activity's parameter cell, or the project's row."""
    match = _ACTIVITY_PATH.match(error.path or "")
    if match:
        side, index, name, rest = match.group(1), int(match.group(2)), match.group(3) or "", match.group(4)
        for activity in plan.activities:
            if activity.side == side and activity.index == index:
                if name in activity.cells:
                    value_letter, unit_letter = activity.cells[name]
                    on_unit = rest.startswith(".unit") or error.code in ("unknown_unit", "wrong_dimension")
                    letter = unit_letter if on_unit else value_letter
                    header = _header_of(letters[SCENARIOS], letter)
                    return ImportIssue(SCENARIOS, activity.row, letter, header, _engine_message(error, name))
                letter = letters[SCENARIOS].get("method", "")
                return ImportIssue(SCENARIOS, activity.row, letter, "method", _engine_message(error, name))
    top = (error.path or "").split(".")[0].split("[")[0]
    key = _TOP_LEVEL_COLUMNS.get(top, "code")
    if error.path.startswith("years.end"):
        key = "end_year"
    return ImportIssue(PROJECTS, plan.row, letters[PROJECTS].get(key, ""), key, _engine_message(error, ""))


def _header_of(letters: dict[str, str], letter: str) -> str:
    return next((key for key, found in letters.items() if found == letter), "")


def _co2e(result: dict[str, Any]) -> dict[str, float]:
    total = result["co2e"]["total"]
    return {"baseline": total["baseline"], "project": total["project"], "reduction": total["reduction"]}


def _current_values(project: CobenefitProject, measures: list[str]) -> dict[str, Any]:
    return {
        "title_ja": project.title_ja or "",
        "title_en": project.title_en or "",
        "country": project.country_id,
        "sector": project.sector,
        "status": project.status,
        "visibility": project.visibility,
        "package": project.package.code if project.package_id else None,
        "working_group": project.working_group.code if project.working_group_id else None,
        "measures": sorted(measures),
    }


def check_workbook(data: bytes, *, actor: Any) -> ImportCheck:
    """Read and check the whole workbook; a Plan only when there is no problem at all. Writes nothing."""
    if len(data) > MAX_FILE_BYTES:
        return ImportCheck(issues=[ImportIssue("—", 1, "", "", _("The file is larger than 5 MB."))])
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        return ImportCheck(issues=[ImportIssue("—", 1, "", "", _("The file is not an Excel workbook (.xlsx)."))])
    issues: list[ImportIssue] = []
    try:
        projects, project_letters = _read_sheet(wb, PROJECTS, issues, MAX_PROJECTS)
        scenarios, scenario_letters = _read_sheet(wb, SCENARIOS, issues, MAX_ACTIVITY_ROWS)
    finally:
        wb.close()
    letters = {PROJECTS: project_letters, SCENARIOS: scenario_letters}
    if issues:
        return ImportCheck(issues=issues)
    plans = _check_projects(projects, actor, issues, letters)
    _check_scenarios(scenarios, plans, issues)
    _evaluate_all(plans, issues, letters)
    issues.sort(
        key=lambda i: (SHEET_ORDER.index(i.sheet) if i.sheet in SHEET_ORDER else 9, i.row, len(i.column), i.column)
    )
    if issues:
        return ImportCheck(issues=issues)
    return ImportCheck(plan=Plan(projects=[draft.plan for draft in plans.values()], letters=letters))


@dataclass
class _Draft:
    plan: ProjectPlan
    valid: bool = True  # False: the project row had a problem (its request is not evaluated)
    rows_valid: bool = True
    sides: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {side: [] for side in SIDES})
    years: tuple[int, int] | None = None
    gwp: str = "AR5"
    fod: str = "ipcc2006"
    previous: Evaluation | None = None  # the project's latest stored evaluation


def _check_projects(
    rows: list[Row], actor: Any, issues: list[ImportIssue], letters: dict[str, dict[str, str]]
) -> dict[str, _Draft]:
    lists = _lists()
    countries = set(lists["countries"])
    codes = {_text(r.cells.get("code")) for r in rows} - {""}
    existing = {
        p.code: p for p in CobenefitProject.objects.filter(code__in=codes).select_related("package", "working_group")
    }
    existing_measures = project_services.linked_measure_ids([p.pk for p in existing.values()])
    measure_codes_by_id = dict(
        Measure.objects.filter(pk__in={m for ids in existing_measures.values() for m in ids}).values_list("pk", "code")
    )
    wanted_packages = {_text(r.cells.get("package")) for r in rows} - {""}
    wanted_groups = {_text(r.cells.get("working_group")) for r in rows} - {""}
    wanted_measures = {c for r in rows for c in _codes(r.cells.get("measures"))}
    packages = set(
        visible(KnowHowPackage.objects.filter(code__in=wanted_packages), actor).values_list("code", flat=True)
    )
    groups = set(visible(WorkingGroup.objects.filter(code__in=wanted_groups), actor).values_list("code", flat=True))
    measures = set(visible(Measure.objects.filter(code__in=wanted_measures), actor).values_list("code", flat=True))
    latest = {
        e.project_id: e
        for e in Evaluation.objects.filter(project__in=list(existing.values())).order_by("project_id", "number")
    }

    drafts: dict[str, _Draft] = {}
    seen: dict[str, int] = {}
    for row in rows:
        before = len(issues)
        code = _text(row.cells.get("code"))
        if not code:
            issues.append(row.issue("code", _("A code is required.")))
        elif not re.match(project_services.CODE_PATTERN, code):
            issues.append(
                row.issue(
                    "code",
                    _("“%(code)s”: use small letters, digits and hyphens only, e.g. vn-boiler.") % {"code": code},
                )
            )
        elif code in seen:
            issues.append(
                row.issue(
                    "code", _("The code “%(code)s” is already in row %(row)d.") % {"code": code, "row": seen[code]}
                )
            )
            continue
        title_ja, title_en = _text(row.cells.get("title_ja")), _text(row.cells.get("title_en"))
        if not title_ja and not title_en:
            issues.append(row.issue("title_ja", _("Give the title in Japanese or in English.")))
        country = _text(row.cells.get("country")).upper()
        if not country:
            issues.append(row.issue("country", _("A country is required.")))
        elif country not in countries:
            issues.append(row.issue("country", _("Unknown country “%(code)s”.") % {"code": country}))
        elif not policy.may_manage_country(actor, country):
            issues.append(
                row.issue(
                    "country",
                    _("You may import projects of your own countries only, not of %(code)s.") % {"code": country},
                )
            )
        project = existing.get(code)
        if project is not None and not can(actor, CHANGE, project):
            issues.append(
                row.issue(
                    "code",
                    _("The project “%(code)s” exists and you may not change it (it is a project of %(country)s).")
                    % {"code": code, "country": project.country_id},
                )
            )
        sector = _choice(row, "sector", lists["sectors"], issues)
        if sector is None and _blank(row.cells.get("sector")):
            issues.append(row.issue("sector", _("A sector is required.")))
        status = _choice(
            row, "status", lists["statuses"], issues, default=project.status if project else ProjectStatus.PLANNED
        )
        visibility = _choice(
            row,
            "visibility",
            lists["visibilities"],
            issues,
            default=project.visibility if project else Visibility.SECRETARIAT,
        )
        package = _text(row.cells.get("package")) or None
        if package and package not in packages:
            issues.append(row.issue("package", _("Unknown know-how package “%(code)s”.") % {"code": package}))
        group = _text(row.cells.get("working_group")) or None
        if group and group not in groups:
            issues.append(row.issue("working_group", _("Unknown working group “%(code)s”.") % {"code": group}))
        measure_codes = _codes(row.cells.get("measures"))
        for measure in measure_codes:
            if measure not in measures:
                issues.append(row.issue("measures", _("Unknown measure “%(code)s”.") % {"code": measure}))
        start, end = _year(row, "start_year", issues), _year(row, "end_year", issues)
        if start is not None and end is not None and end < start:
            issues.append(row.issue("end_year", _("The last year is before the first.")))
        gwp = _choice(row, "gwp", lists["gwp"], issues, default="AR5")
        fod = _choice(row, "fod_convention", lists["fod"], issues, default="ipcc2006")
        if not code or code in seen:
            continue
        seen[code] = row.number
        values = {
            "title_ja": title_ja,
            "title_en": title_en,
            "country": country,
            "sector": sector,
            "status": status,
            "visibility": visibility,
            "package": package,
            "working_group": group,
            "measures": sorted(set(measure_codes)),
        }
        changes: list[str] = []
        evaluation = None
        if project is not None:
            linked = [measure_codes_by_id[pk] for pk in existing_measures.get(project.pk, [])]
            current = _current_values(project, linked)
            changes = [name for name, value in values.items() if current[name] != value]
            evaluation = latest.get(project.pk)
        draft = _Draft(
            plan=ProjectPlan(
                row=row.number,
                code=code,
                action="update" if project is not None else "create",
                title=title_ja or title_en,
                country=country,
                values=values,
                changes=changes,
                request={},
                note=_text(row.cells.get("note")),
                co2e={},
                evaluate=True,
                version=project.version if project is not None else None,
            ),
            valid=len(issues) == before,
            years=(start, end) if start is not None and end is not None else None,
            gwp=gwp or "AR5",
            fod=fod or "ipcc2006",
            previous=evaluation,
        )
        drafts[code] = draft
    return drafts


def _codes(raw: Any) -> list[str]:
    return [c.strip() for c in re.split(r"[,、;\s]+", _text(raw)) if c.strip()]


def _check_scenarios(rows: list[Row], drafts: dict[str, _Draft], issues: list[ImportIssue]) -> None:
    catalogue = _catalogue()
    keyed = _keyed_lists()
    for row in rows:
        before = len(issues)
        code = _text(row.cells.get("project_code"))
        draft = drafts.get(code)
        if not code:
            issues.append(row.issue("project_code", _("A project code is required.")))
        elif draft is None:
            issues.append(row.issue("project_code", _("No project “%(code)s” in the sheet Projects.") % {"code": code}))
        side = _choice(row, "side", list(SIDES), issues)
        if side is None and _blank(row.cells.get("side")):
            issues.append(row.issue("side", _("Write baseline or project.")))
        method_name = _choice(row, "method", list(catalogue), issues)
        if method_name is None and _blank(row.cells.get("method")):
            issues.append(row.issue("method", _("A method is required (see the sheet Methods).")))
        activity: dict[str, Any] = {"method": method_name}
        cells: dict[str, list[str]] = {}
        if method_name:
            parameters = {p["name"]: p for p in catalogue[method_name]["parameters"]}
            for n in range(1, PARAMETER_SLOTS + 1):
                name_key, value_key, unit_key = f"parameter_{n}", f"value_{n}", f"unit_{n}"
                name = _text(row.cells.get(name_key))
                raw, unit = row.cells.get(value_key), _text(row.cells.get(unit_key))
                if not name:
                    if not _blank(raw) or unit:
                        issues.append(row.issue(name_key, _("Name the parameter of this value.")))
                    continue
                parameter = parameters.get(name)
                if parameter is None:
                    issues.append(
                        row.issue(
                            name_key,
                            _("“%(name)s” is not a parameter of %(method)s (see the sheet Methods).")
                            % {"name": name, "method": method_name},
                        )
                    )
                    continue
                if name in cells:
                    issues.append(row.issue(name_key, _("“%(name)s” is given twice in this row.") % {"name": name}))
                    continue
                if _blank(raw):
                    issues.append(row.issue(value_key, _("A value is required for %(name)s.") % {"name": name}))
                    continue
                if unit and parameter["kind"] != "quantity":
                    issues.append(row.issue(unit_key, _("%(name)s takes no unit.") % {"name": name}))
                    continue
                value, problem = _parameter_value(raw, unit, parameter, keyed.get(method_name, {}).get(name))
                if problem:
                    issues.append(row.issue(value_key, f"{name}: {problem}"))
                    continue
                activity[name] = value
                cells[name] = [row.letters.get(value_key, ""), row.letters.get(unit_key, "")]
        if draft is None or side is None or method_name is None:
            continue
        if len(issues) != before:
            draft.rows_valid = False
            continue
        index = len(draft.sides[side])
        draft.sides[side].append(activity)
        draft.plan.activities.append(ActivityCells(side=side, index=index, row=row.number, cells=cells))


def _evaluate_all(drafts: dict[str, _Draft], issues: list[ImportIssue], letters: dict[str, dict[str, str]]) -> None:
    for draft in drafts.values():
        plan = draft.plan
        if not plan.activities and draft.rows_valid:
            issues.append(
                ImportIssue(
                    PROJECTS,
                    plan.row,
                    letters[PROJECTS].get("code", ""),
                    "code",
                    _("The project has no activity in the sheet Scenarios."),
                )
            )
            continue
        # Rows with a problem are left out: the others are still checked by the engine (their indices are
        # those of the activities sent, so each error still finds its row).
        if not (draft.valid and draft.years and plan.activities):
            continue
        start, end = draft.years
        size = len(plan.activities) * (end - start + 1)
        if size > evaluate_services.API_MAX_ACTIVITY_YEARS:
            issues.append(
                ImportIssue(
                    PROJECTS,
                    plan.row,
                    letters[PROJECTS].get("end_year", ""),
                    "end_year",
                    _("%(size)d activity-years (activities × years); at most %(max)d in one evaluation.")
                    % {"size": size, "max": evaluate_services.API_MAX_ACTIVITY_YEARS},
                )
            )
            continue
        request = {
            "label": plan.title,
            "years": {"start": start, "end": end},
            "gwp": draft.gwp,
            "fod_convention": draft.fod,
            "baseline": {"activities": draft.sides["baseline"]},
            "project": {"activities": draft.sides["project"]},
        }
        try:
            result = evaluate(request).to_dict()
        except EvaluationError as error:
            issues.extend(_engine_issue(e, plan, letters) for e in error.errors)
            continue
        plan.request = request
        plan.co2e = _co2e(result)
        previous = draft.previous
        plan.evaluate = not (
            previous is not None
            and previous.request == request
            and previous.factor_versions == result["factor_versions"]
        )


# --- writing ------------------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, issues: list[ImportIssue]):
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = issues


def _project_issue(plan: ProjectPlan, letters: dict[str, dict[str, str]], key: str, message: str) -> ImportIssue:
    key = key if key in letters[PROJECTS] else "code"
    return ImportIssue(PROJECTS, plan.row, letters[PROJECTS].get(key, ""), key, message)


def _refusal(plan: ProjectPlan, letters: dict[str, dict[str, str]], error: Exception) -> _Refused:
    if isinstance(error, project_services.EvaluationRefused):
        return _Refused([_engine_issue(e, plan, letters) for e in error.field_errors])
    if isinstance(error, StaleEditError):
        return _Refused([_project_issue(plan, letters, "code", _stale_message(plan))])
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return _Refused(
            [
                _project_issue(plan, letters, name, " ".join(str(m) for e in errors for m in e.messages))
                for name, errors in error.error_dict.items()
            ]
        )
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return _Refused([_project_issue(plan, letters, "code", " ".join(str(m) for m in messages))])


def _stale_message(plan: ProjectPlan) -> str:
    return _("The project “%(code)s” was changed by someone else after the preview; upload the file again.") % {
        "code": plan.code
    }


def _resolve(values: dict[str, Any], names: list[str] | None = None) -> dict[str, Any]:
    """Record fields as the services take them: codes turned into records."""
    names = list(values) if names is None else names
    resolved: dict[str, Any] = {}
    for name in names:
        value = values[name]
        if name == "country":
            value = Country.objects.get(pk=value)
        elif name == "package":
            value = KnowHowPackage.objects.get(code=value) if value else None
        elif name == "working_group":
            value = WorkingGroup.objects.get(code=value) if value else None
        elif name == "measures":
            value = list(Measure.objects.filter(code__in=value))
        resolved[name] = value
    return resolved


def _write(plan: Plan, actor: Any, outcome: ImportOutcome) -> None:
    for item in plan.projects:
        try:
            if item.action == "create":
                project = project_services.project_create(actor=actor, code=item.code, **_resolve(item.values))
                outcome.created.append(item.code)
            else:
                project = CobenefitProject.objects.filter(code=item.code).first()
                if project is None or project.version != item.version:
                    raise _Refused([_project_issue(item, plan.letters, "code", _stale_message(item))])
                if item.changes:
                    project = project_services.project_update(
                        actor=actor,
                        project=project,
                        expected_version=item.version or 0,
                        changes=_resolve(item.values, item.changes),
                    )
                outcome.updated.append(item.code)
            if item.evaluate:
                project_services.evaluation_create(actor=actor, project=project, request=item.request, note=item.note)
                outcome.evaluations += 1
        except (ValidationError, PermissionDenied, StaleEditError) as error:
            raise _refusal(item, plan.letters, error) from error


def apply_plan(plan: Plan, *, actor: Any) -> ImportOutcome:
    """Write a checked plan in one transaction: every project and its evaluation, or nothing at all."""
    outcome = ImportOutcome()
    try:
        with transaction.atomic():
            _write(plan, actor, outcome)
    except _Refused as refused:
        return ImportOutcome(issues=refused.issues)
    return outcome
