"""Headings of the exported documents and of the import template, in Japanese and English.

The documents are written in the language the user asks for (a ministry report
in Japanese from an English session, for instance), and the import template
carries both languages at once, so the headings are kept here in both
languages rather than taken from the UI catalogue of the current request.
"""

from __future__ import annotations

HEADINGS: dict[str, tuple[str, str]] = {
    # key: (English, Japanese)
    "code": ("Code", "コード"),
    "measure": ("Measure", "施策"),
    "kind": ("Kind", "区分"),
    "goal": ("Goal", "目標"),
    "framework_node": ("Framework line", "政策体系"),
    "responsible": ("Responsible unit / officer", "担当部署・担当者"),
    "responsible_unit": ("Responsible unit", "担当部署"),
    "owner": ("Responsible officer", "担当者"),
    "partner_countries": ("Partner countries", "相手国"),
    "status": ("Status", "状況"),
    "report_state": ("Report", "報告書"),
    "rating": ("Rating", "評価"),
    "rating_reason": ("Reason for the rating", "評価の理由"),
    "indicator": ("Indicator", "指標"),
    "unit": ("Unit", "単位"),
    "baseline": ("Baseline (year)", "基準値（年）"),
    "target": ("Target (year)", "目標値（年）"),
    "latest": ("Latest actual (period)", "最新実績（期間）"),
    "progress": ("Progress", "進捗"),
    "milestones_late": ("Milestones late", "遅延マイルストーン"),
    "summary": ("Summary", "概要"),
    "by_goal": ("Progress by goal", "目標別の状況"),
    "measures": ("Measures", "施策数"),
    "indicators": ("Indicators", "指標数"),
    "reports_approved": ("Reports approved", "承認済み報告書"),
    "reports_missing": ("Reports missing", "未提出の報告書"),
    "period": ("Reporting period", "報告期間"),
    "generated": ("Generated", "作成日時"),
    "title": ("Progress of the Clean Asia Initiative measures", "クリーンアジア・イニシアティブ 施策の進行管理"),
    "not_reported": ("not reported", "未報告"),
    "by_status": ("Measures by status", "状況別の施策数"),
    "by_progress": ("Indicators by progress toward target", "目標に対する指標の進捗"),
    "by_rating": ("Reports by rating", "評価別の報告書数"),
    "count": ("Number", "件数"),
    "total": ("Total", "合計"),
    "none": ("None", "なし"),
    "contents": ("Contents", "目次"),
    "print_title": ("Progress report", "進行管理報告書"),
}

# Labels of the choice values in both languages (the model choices are translated
# through the UI catalogue; a document in the other language needs its own).
CHOICES: dict[str, tuple[str, str]] = {
    "planned": ("Planned", "計画中"),
    "ongoing": ("Ongoing", "実施中"),
    "completed": ("Completed", "完了"),
    "suspended": ("Suspended", "中断"),
    "cancelled": ("Cancelled", "中止"),
    "draft": ("Draft", "下書き"),
    "submitted": ("Submitted", "提出済み"),
    "returned": ("Returned with comments", "差戻し"),
    "approved": ("Approved", "承認済み"),
    "on_track": ("On track", "順調"),
    "at_risk": ("At risk", "懸念あり"),
    "off_track": ("Off track", "遅延"),
    "achieved": ("Target achieved", "目標達成"),
    "substantial": ("Substantial progress", "顕著な進捗"),
    "moderate": ("Moderate progress", "一定の進捗"),
    "limited": ("Limited progress", "限定的な進捗"),
    "deterioration": ("Deterioration", "悪化"),
    "not_available": ("Not available", "評価不能"),
    "measure": ("Measure", "施策"),
    "activity": ("Activity", "活動"),
    "increase": ("Higher is better", "増加が望ましい"),
    "decrease": ("Lower is better", "減少が望ましい"),
    "quantitative": ("Quantitative", "定量"),
    "qualitative": ("Qualitative", "定性"),
    "output": ("Output", "アウトプット"),
    "outcome": ("Outcome", "アウトカム"),
    "impact": ("Impact", "インパクト"),
}


def heading(key: str, language: str) -> str:
    en, ja = HEADINGS[key]
    return ja if language.startswith("ja") else en


def choice(value: str, language: str) -> str:
    """The label of a choice value ("" stays ""); an unknown value is shown as it is."""
    if not value:
        return ""
    en, ja = CHOICES.get(value, (value, value))
    return ja if language.startswith("ja") else en


def bilingual(obj, field: str, language: str) -> str:
    """A translated content field in `language`, else the other language (documents have no marker)."""
    first, second = ("ja", "en") if language.startswith("ja") else ("en", "ja")
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "") or ""
