"""Tiny server-side SVG charts: bars and lines drawn from numbers, no JavaScript.

Each chart is a dict the template `core/includes/chart.html` renders as an
inline <svg role="img"> with a <title>, next to a <table> of the same data, so
no one depends on seeing the drawing (WCAG 1.1.1, 1.4.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT = 360, 200
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 40, 10, 36
# Fills distinguishable without colour too: each bar is also labelled with its value and category.
FILLS = ["#0017c1", "#197a4b", "#8a4b00", "#ce0000", "#5c10be", "#595959"]


@dataclass
class Chart:
    """Data for one chart: a title, category labels and one or more series of numbers."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    kind: str = "bar"  # "bar" or "line"
    unit: str = ""
    elements: list[dict[str, Any]] = field(default_factory=list)
    axis: list[dict[str, Any]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The table beside the chart: one row per label, one cell per series."""
        return [{"label": label, "values": [s[1][i] for s in self.series]} for i, label in enumerate(self.labels)]

    @property
    def is_empty(self) -> bool:
        return not self.labels or all(v is None for _, values in self.series for v in values)


def _scale(values: Sequence[float | None]) -> float:
    top = max((v for v in values if v is not None), default=0) or 0
    return float(top) if top > 0 else 1.0


LABEL_W, ROW_H = 130, 26


def _short(text: str, limit: int = 18) -> str:
    # CJK glyphs are about twice as wide as Latin ones at the same size.
    width, out = 0, ""
    for ch in text:
        width += 2 if ord(ch) > 0x2E80 else 1
        if width > limit:
            return out + "…"
        out += ch
    return out


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], unit: str = ""
) -> Chart:
    """Horizontal bars, one row per label (long category names stay readable), the value printed at the end."""
    series_l = [(name, [None if v is None else float(v) for v in values]) for name, values in series]
    rows = max(len(labels), 1)
    height = PAD_TOP + rows * ROW_H + 6
    chart = Chart(title=title, labels=[str(x) for x in labels], series=series_l, kind="bar", unit=unit, height=height)
    top = _scale([v for _, values in series_l for v in values])
    plot_w = WIDTH - LABEL_W - 64  # room for the value after the longest bar
    bar_h = (ROW_H - 8) / max(len(series_l), 1)
    for i, label in enumerate(chart.labels):
        y0 = PAD_TOP + i * ROW_H + 4
        chart.axis.append(
            {"x": LABEL_W - 6, "y": round(y0 + (ROW_H - 8) / 2 + 4, 1), "text": _short(label), "anchor": "end"}
        )
        for j, (name, values) in enumerate(series_l):
            value = values[i] or 0.0
            w = plot_w * value / top
            y = y0 + j * bar_h
            chart.elements.append(
                {
                    "shape": "rect",
                    "x": LABEL_W,
                    "y": round(y, 1),
                    "w": round(max(w, 0), 1),
                    "h": round(bar_h - 1, 1),
                    "fill": FILLS[j % len(FILLS)],
                    "tip": f"{label} — {name}: {_fmt(values[i])}",
                }
            )
            chart.axis.append(
                {
                    "x": round(LABEL_W + w + 4, 1),
                    "y": round(y + bar_h / 2 + 4, 1),
                    "text": _fmt(values[i]),
                    "anchor": "start",
                }
            )
    chart.elements.append({"shape": "line", "x1": LABEL_W, "y1": PAD_TOP, "x2": LABEL_W, "y2": height - 6})
    return chart


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    unit: str = "",
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    axis_labels: Sequence[str] | None = None,
) -> Chart:
    """One polyline per series over the labels (gaps where a value is missing), with point markers.

    `axis_labels` are shorter forms of the labels for the x axis (the data table and the tips keep the
    full ones); as many are shown as fit without overlapping.
    """
    series_l = [(name, [None if v is None else float(v) for v in values]) for name, values in series]
    chart = Chart(
        title=title,
        labels=[str(x) for x in labels],
        series=series_l,
        kind="line",
        unit=unit,
        width=width,
        height=height,
    )
    values_all = [v for _, values in series_l for v in values if v is not None]
    low = min(values_all, default=0.0)
    low = min(low, 0.0)
    high = max(values_all, default=1.0)
    span = (high - low) or 1.0
    pad_left = PAD_LEFT if width >= 300 else 6
    pad_bottom = PAD_BOTTOM if height >= 120 else 6
    plot_w = width - pad_left - PAD_RIGHT
    plot_h = height - PAD_TOP - pad_bottom
    n = len(labels)
    step = plot_w / (n - 1) if n > 1 else 0
    for j, (name, values) in enumerate(series_l):
        points = []
        for i, value in enumerate(values):
            if value is None:
                continue
            x = pad_left + (i * step if n > 1 else plot_w / 2)
            y = PAD_TOP + plot_h - plot_h * (value - low) / span
            points.append((round(x, 1), round(y, 1)))
            chart.elements.append(
                {
                    "shape": "circle",
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "fill": FILLS[j % len(FILLS)],
                    "tip": f"{chart.labels[i]} — {name}: {_fmt(value)}",
                }
            )
        if len(points) > 1:
            chart.elements.insert(
                0,
                {
                    "shape": "polyline",
                    "points": " ".join(f"{x},{y}" for x, y in points),
                    "stroke": FILLS[j % len(FILLS)],
                    # A dash pattern per series, so lines differ by more than colour.
                    "dash": "" if j == 0 else "6 3",
                },
            )
    if height >= 120:
        chart.elements.insert(
            0,
            {"shape": "line", "x1": pad_left, "y1": PAD_TOP + plot_h, "x2": width - PAD_RIGHT, "y2": PAD_TOP + plot_h},
        )
        ticks = [str(x) for x in axis_labels] if axis_labels is not None else chart.labels
        # About 6.5 px per character at the axis font size; East Asian characters count double.
        widest = max((sum(2 if ord(c) > 0x2E80 else 1 for c in t) for t in ticks), default=1) * 6.5 + 8
        every = max(1, -(-n * widest // plot_w)) if plot_w > 0 else n
        for i, label in enumerate(ticks):
            if i % int(every) == 0:
                x = pad_left + (i * step if n > 1 else plot_w / 2)
                chart.axis.append({"x": round(x, 1), "y": height - pad_bottom + 14, "text": label})
        chart.axis.append({"x": pad_left - 4, "y": PAD_TOP + 10, "text": _fmt(high), "anchor": "end"})
        chart.axis.append({"x": pad_left - 4, "y": PAD_TOP + plot_h, "text": _fmt(low), "anchor": "end"})
    return chart


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"
