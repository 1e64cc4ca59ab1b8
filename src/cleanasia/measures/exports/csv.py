"""CSV of every table of the progress module, streamed, UTF-8 with a BOM so that Excel reads Japanese.

Rows come from the database in chunks (`iterator`) and leave as they are
written, so 400,000 actuals never sit in memory. Only rows the user may see.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cleanasia.core.permissions import visible
from cleanasia.measures.models import Actual, Baseline, Indicator, Measure, Milestone, ProgressReport, Target

BOM = "\ufeff"
CHUNK = 2000


@dataclass(frozen=True)
class Table:
    """A table to export: its rows for a user, and (header, value path) columns read with values_list."""

    queryset: Callable[[Any], QuerySet]
    columns: tuple[tuple[str, str], ...]


def _values(model, user: Any) -> QuerySet:
    return visible(model.objects.all(), user)


TABLES: dict[str, Table] = {
    "measures": Table(
        lambda user: _values(Measure, user).order_by("code"),
        (
            ("code", "code"),
            ("kind", "kind"),
            ("parent_code", "parent__code"),
            ("framework_node", "framework_node__code"),
            ("title_ja", "title_ja"),
            ("title_en", "title_en"),
            ("responsible_unit", "responsible_unit__name_en"),
            ("owner", "owner__email"),
            ("starts_on", "starts_on"),
            ("ends_on", "ends_on"),
            ("status", "status"),
            ("weight", "weight"),
            ("visibility", "visibility"),
        ),
    ),
    "indicators": Table(
        lambda user: _values(Indicator, user).order_by("code"),
        (
            ("code", "code"),
            ("measure_code", "result__measure__code"),
            ("result_level", "result__level"),
            ("result_title_ja", "result__title_ja"),
            ("title_ja", "title_ja"),
            ("title_en", "title_en"),
            ("indicator_type", "indicator_type"),
            ("unit", "unit"),
            ("direction", "direction"),
            ("weight", "weight"),
            ("computed_status", "computed_status"),
            ("status_override", "status_override"),
            ("latest_value", "latest_value"),
            ("public_approved", "public_approved"),
        ),
    ),
    "baselines": Table(
        lambda user: _values(Baseline, user).order_by("indicator__code", "year", "dimension_key"),
        (
            ("indicator_code", "indicator__code"),
            ("year", "year"),
            ("dimensions", "dimension_key"),
            ("value", "value"),
            ("text_value", "text_value"),
            ("unit", "indicator__unit"),
            ("comment", "comment"),
        ),
    ),
    "targets": Table(
        lambda user: _values(Target, user).order_by("indicator__code", "year", "dimension_key"),
        (
            ("indicator_code", "indicator__code"),
            ("year", "year"),
            ("dimensions", "dimension_key"),
            ("value", "value"),
            ("text_value", "text_value"),
            ("unit", "indicator__unit"),
            ("comment", "comment"),
        ),
    ),
    "actuals": Table(
        lambda user: _values(Actual, user).order_by("indicator_id", "period__starts_on", "dimension_key"),
        (
            ("indicator_code", "indicator__code"),
            ("period_kind", "period__kind"),
            ("fiscal_year", "period__fiscal_year"),
            ("period_number", "period__number"),
            ("dimensions", "dimension_key"),
            ("value", "value"),
            ("text_value", "text_value"),
            ("unit", "indicator__unit"),
            ("comment", "comment"),
        ),
    ),
    "milestones": Table(
        lambda user: _values(Milestone, user).order_by("measure__code", "due_on", "pk"),
        (
            ("measure_code", "measure__code"),
            ("title_ja", "title_ja"),
            ("title_en", "title_en"),
            ("due_on", "due_on"),
            ("completed_on", "completed_on"),
            ("owner", "owner__email"),
        ),
    ),
    "reports": Table(
        lambda user: _values(ProgressReport, user).order_by("measure__code", "period__starts_on", "report_version"),
        (
            ("measure_code", "measure__code"),
            ("period_kind", "period__kind"),
            ("fiscal_year", "period__fiscal_year"),
            ("period_number", "period__number"),
            ("report_version", "report_version"),
            ("state", "state"),
            ("rating", "rating"),
            ("rating_reason", "rating_reason"),
            ("narrative_ja", "narrative_ja"),
            ("narrative_en", "narrative_en"),
            ("submitted_at", "submitted_at"),
            ("decided_at", "decided_at"),
        ),
    ),
}


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds the stream."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        # A text starting like a formula is prefixed, so a spreadsheet never runs it (CSV injection).
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def csv_rows(table: str, user: Any) -> Iterator[str]:
    """The CSV text of `table` for `user`, line by line, BOM first."""
    spec = TABLES[table]
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([header for header, _ in spec.columns])
    paths = [path for _, path in spec.columns]
    for row in spec.queryset(user).values_list(*paths).iterator(chunk_size=CHUNK):
        yield writer.writerow([_cell(v) for v in row])
