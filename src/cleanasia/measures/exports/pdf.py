"""The PDF report of a period: cover, summary figures, bar charts drawn as inline SVG, a table per goal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cleanasia.core.pdf import render_pdf

from .data import PeriodProgress, format_number, period_label
from .labels import HEADINGS, bilingual, choice, heading

# Distinct fills; each bar also carries its label and number, so colour is never the only cue.
STATUS_FILLS = {
    "achieved": "#197a4b",
    "substantial": "#2e8b57",
    "moderate": "#b58900",
    "limited": "#c05a00",
    "deterioration": "#b00020",
    "not_available": "#8c8c8c",
}
DEFAULT_FILL = "#1f4e79"


@dataclass
class Bar:
    label: str
    value: int
    fill: str = DEFAULT_FILL


def bar_chart_svg(title: str, bars: list[Bar], *, width: int = 320, bar_height: int = 16) -> SafeString:
    """A horizontal bar chart as an SVG string: label left, bar, number at the bar's end."""
    label_w, gap, pad = int(width * 0.36), 5, 4
    height = pad * 2 + max(1, len(bars)) * (bar_height + gap)
    top = max([b.value for b in bars] + [1])
    scale = (width - label_w - 30) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{label_w}" y1="0" x2="{label_w}" y2="{height}" stroke="#555" stroke-width="1"/>',
    ]
    for i, bar in enumerate(bars):
        y = pad + i * (bar_height + gap)
        w = max(bar.value * scale, 0)
        text_y = y + bar_height * 0.72
        parts.append(
            f'<text x="{label_w - 6}" y="{text_y:.1f}" text-anchor="end" font-size="10" '
            f"font-family=\"'Noto Sans JP'\">{escape(bar.label)}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{bar.fill}"/>')
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{text_y:.1f}" font-size="10" font-weight="700" '
            f"font-family=\"'Noto Sans JP'\">{bar.value}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def report_context(progress: PeriodProgress, *, language: str) -> dict:
    summary = progress.summary()
    h = {key: heading(key, language) for key in HEADINGS}
    status_order = ["planned", "ongoing", "completed", "suspended", "cancelled"]
    progress_order = list(STATUS_FILLS)
    charts = [
        {
            "title": h["by_status"],
            "svg": bar_chart_svg(
                h["by_status"], [Bar(choice(s, language), summary["by_status"].get(s, 0)) for s in status_order]
            ),
            "rows": [(choice(s, language), summary["by_status"].get(s, 0)) for s in status_order],
        },
        {
            "title": h["by_progress"],
            "svg": bar_chart_svg(
                h["by_progress"],
                [Bar(choice(s, language), summary["by_progress"].get(s, 0), STATUS_FILLS[s]) for s in progress_order],
            ),
            "rows": [(choice(s, language), summary["by_progress"].get(s, 0)) for s in progress_order],
        },
    ]
    goals = []
    for section in progress.goals:
        rows = []
        for item in section.rows:
            m, report = item.measure, item.report
            rows.append(
                {
                    "code": m.code,
                    "title": bilingual(m, "title", language),
                    "responsible": " / ".join(
                        x
                        for x in (
                            bilingual(m.responsible_unit, "name", language) if m.responsible_unit else "",
                            m.owner.get_full_name() if m.owner else "",
                        )
                        if x
                    ),
                    "countries": ", ".join(sorted(c.code for c in m.partner_countries.all())),
                    "status": choice(m.status, language),
                    "report_state": choice(report.state, language) if report else h["not_reported"],
                    "rating": choice(report.rating, language) if report else "",
                    "milestones_late": item.milestones_late,
                    "indicators": [
                        {
                            "label": f"{i.indicator.code} {bilingual(i.indicator, 'title', language)}",
                            "unit": i.indicator.unit,
                            "baseline": format_number(i.baseline_value),
                            "baseline_year": i.baseline_year or "",
                            "target": format_number(i.target_value),
                            "target_year": i.target_year or "",
                            "latest": format_number(i.latest_value),
                            "latest_period": period_label(i.latest_period, language),
                            "status": choice(i.status, language),
                            "status_code": i.status,
                        }
                        for i in item.indicators
                    ],
                }
            )
        goals.append({"goal": section.goal, "title": bilingual(section.goal, "title", language), "rows": rows})
    return {
        "h": h,
        "period_label": period_label(progress.period, language),
        "generated_at": progress.generated_at,
        "summary": summary,
        "per_goal": [
            {**g, "title": bilingual(g["goal"], "title", language), "code": g["goal"].code} for g in summary["per_goal"]
        ],
        "charts": charts,
        "goals": goals,
        "language": language,
    }


def build_pdf(progress: PeriodProgress, *, language: str) -> bytes:
    return render_pdf("measures/pdf/report.html", report_context(progress, language=language), language=language)
