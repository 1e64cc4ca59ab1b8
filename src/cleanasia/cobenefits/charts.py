"""A server-drawn scatter chart for the co-benefits portfolio, following core/charts.py's conventions.

The chart is a plain object the template `cobenefits/portfolio/includes/scatter.html` renders as an inline
<svg role="img"> with a <title>, next to a <table> of the same points, so no one depends on seeing the
drawing (WCAG 1.1.1, 1.4.1). No JavaScript: each point's name and values are in its <title> tooltip too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cleanasia.core.charts import FILLS, _fmt

WIDTH, HEIGHT = 400, 300
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 16, 12, 44


@dataclass
class ScatterChart:
    """Data for one scatter chart: a title, the two axes' names and one (label, x, y) per point."""

    title: str
    x_label: str
    y_label: str
    points: list[tuple[str, float, float]]
    elements: list[dict[str, Any]] = field(default_factory=list)
    axis: list[dict[str, Any]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    kind: str = "scatter"

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The table beside the chart: one row per point."""
        return [{"label": label, "x": x, "y": y} for label, x, y in self.points]

    @property
    def is_empty(self) -> bool:
        return not self.points


def _span(values: Sequence[float]) -> tuple[float, float]:
    """The axis range: the values and zero (so that gains and losses read against it), never empty."""
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + 1.0
    return low, high


def scatter_chart(
    title: str,
    points: Sequence[tuple[str, float | None, float | None]],
    *,
    x_label: str,
    y_label: str,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> ScatterChart:
    """One circle per (label, x, y) point (a point missing either value is left out), axes through zero when
    the values cross it, the range's ends and zero printed on each axis, and the axes' names."""
    kept = [(str(label), float(x), float(y)) for label, x, y in points if x is not None and y is not None]
    chart = ScatterChart(title=title, x_label=x_label, y_label=y_label, points=kept, width=width, height=height)
    if not kept:
        return chart
    x_low, x_high = _span([x for _, x, _ in kept])
    y_low, y_high = _span([y for _, _, y in kept])
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM

    def px(x: float) -> float:
        return round(PAD_LEFT + plot_w * (x - x_low) / (x_high - x_low), 1)

    def py(y: float) -> float:
        return round(PAD_TOP + plot_h - plot_h * (y - y_low) / (y_high - y_low), 1)

    bottom, left = PAD_TOP + plot_h, PAD_LEFT
    # The frame's left and bottom edges, and the zero lines when zero lies inside the range.
    chart.elements.append({"shape": "line", "x1": left, "y1": PAD_TOP, "x2": left, "y2": bottom})
    chart.elements.append({"shape": "line", "x1": left, "y1": bottom, "x2": width - PAD_RIGHT, "y2": bottom})
    if x_low < 0 < x_high:
        chart.elements.append({"shape": "line", "x1": px(0), "y1": PAD_TOP, "x2": px(0), "y2": bottom})
    if y_low < 0 < y_high:
        chart.elements.append({"shape": "line", "x1": left, "y1": py(0), "x2": width - PAD_RIGHT, "y2": py(0)})
    for label, x, y in kept:
        chart.elements.append(
            {
                "shape": "circle",
                "x": px(x),
                "y": py(y),
                "fill": FILLS[0],
                "tip": f"{label} — {x_label}: {_fmt(x)}; {y_label}: {_fmt(y)}",
            }
        )
    for value in sorted({x_low, 0.0, x_high}):
        chart.axis.append({"x": px(value), "y": bottom + 14, "text": _fmt(round(value, 2)), "anchor": "middle"})
    for value in sorted({y_low, 0.0, y_high}):
        chart.axis.append({"x": left - 4, "y": round(py(value) + 4, 1), "text": _fmt(round(value, 2)), "anchor": "end"})
    chart.axis.append({"x": round(left + plot_w / 2, 1), "y": height - 6, "text": x_label, "anchor": "middle"})
    chart.axis.append(
        {"x": 12, "y": round(PAD_TOP + plot_h / 2, 1), "text": y_label, "anchor": "middle", "rotate": True}
    )
    return chart
