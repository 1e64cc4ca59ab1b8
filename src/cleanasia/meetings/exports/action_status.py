"""The status of action items before a meeting as a PDF: the document the secretariat circulates and issues.

It states what the page states (selectors.followup.action_status_for): every
open item grouped by the outcome that decided it, with addressees, due date,
status, latest update and what changed since the previous meeting, then the
items closed since then. At twenty years of meetings it runs to about forty
landscape pages, hence ReportLab (core.pdf.tabular) rather than HTML layout.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cleanasia.core.pdf.tabular import Bold, Column, Section, tabular_pdf


def _day(value: Any) -> str:
    return value.isoformat() if value else "—"


def _meeting_title(meeting: Any, language: str) -> str:
    if language == "ja":
        return meeting.title_ja or meeting.title_en
    return meeting.title_en or meeting.title_ja


def _addressed(row: dict[str, Any]) -> str:
    text = row["addressee_label"]
    if row["addressees"]:
        text += ": " + ", ".join(row["addressees"])
    if row["lead"]:
        text += "\n" + _("Lead:") + " " + row["lead"]
    return text


def _latest(row: dict[str, Any]) -> str:
    update = row["latest_update"]
    if not update:
        return "—"
    country = f" ({update['country_id']})" if update["country_id"] else ""
    return f"{update['recorded_at'].date().isoformat()}{country}: {update['note']}"


def _since(row: dict[str, Any]) -> str:
    if row["new"]:
        return _("New")
    lines = []
    if row["new_updates"]:
        lines.append(ngettext("%(n)s new update", "%(n)s new updates", row["new_updates"]) % {"n": row["new_updates"]})
    if row["status_changed"]:
        lines.append(f"{row['status_before_label']} → {row['status_label']}")
    if row["redated"]:
        lines.append(_("Re-dated") + (f" ({_day(row['due_before'])})" if row["due_before"] else ""))
    return "\n".join(lines)


def _status(row: dict[str, Any]) -> Bold | str:
    return Bold(f"{row['status_label']}\n{_('Overdue')}") if row["overdue"] else row["status_label"]


def action_status_document(status: dict[str, Any], *, language: str) -> bytes:
    """The PDF of `status` (as returned by action_status_for) in `language`."""
    with translation.override(language):
        meeting = status["meeting"]
        code = f"{meeting.series.code}/{meeting.ordinal}"
        zone = zoneinfo.ZoneInfo(meeting.time_zone)
        intro = [
            _meeting_title(meeting, language),
            _("Open action items of %(series)s decided before this meeting; overdue means due before %(day)s.")
            % {"series": ", ".join(status["series"]), "day": status["as_of"].isoformat()},
        ]
        previous = status["previous"]
        if previous:
            intro.append(
                _("Changes are counted from the previous meeting (%(code)s/%(ordinal)s).")
                % {"code": previous.series.code, "ordinal": previous.ordinal}
            )
        intro.append(
            _("Generated %(when)s (%(zone)s).")
            % {"when": format_date(status["generated_at"].astimezone(zone), "Y-m-d H:i"), "zone": meeting.time_zone}
        )
        if not status["groups"]:
            intro.append(_("No open action item."))
        summary = status["summary"]
        facts = [f"{_('Open')}: {summary['open']}", f"{_('Overdue')}: {summary['overdue']}"]
        if previous:
            facts += [
                f"{_('New since the previous meeting')}: {summary['new']}",
                f"{_('Updated since the previous meeting')}: {summary['updated']}",
                f"{_('Closed since the previous meeting')}: {summary['closed_since']}",
            ]
        columns = (
            Column(_("Code"), 0.10, bold=True),
            Column(_("Item"), 0.24),
            Column(_("Addressed to / lead"), 0.13),
            Column(_("Due"), 0.07),
            Column(_("Status"), 0.10),
            Column(_("Latest update"), 0.25),
            Column(_("Since the previous meeting"), 0.11),
        )
        sections = [
            Section(
                f"{group['code']} {group['title']}",
                columns,
                [
                    [
                        row["code"],
                        row["text"],
                        _addressed(row),
                        _day(row["due_on"]),
                        _status(row),
                        _latest(row),
                        _since(row),
                    ]
                    for row in group["rows"]
                ],
            )
            for group in status["groups"]
        ]
        if status["closed"]:
            closed_columns = (
                Column(_("Code"), 0.10, bold=True),
                Column(_("Item"), 0.36),
                Column(_("Status"), 0.10),
                Column(_("Closed"), 0.08),
                Column(_("Note"), 0.36),
            )
            sections.append(
                Section(
                    _("Closed since the previous meeting"),
                    closed_columns,
                    [
                        [row["code"], row["text"], row["status_label"], _day(row["closed_on"]), row["status_note"]]
                        for row in status["closed"]
                    ],
                )
            )
        return tabular_pdf(
            title=f"{_('Status of action items')} — {code}",
            intro=intro,
            facts=facts,
            sections=sections,
            language=language,
        )
