"""Loads the meeting series of the Clean Asia Initiative and the real meetings of its record (data/series.json).

Series are found by code, meetings by (series, ordinal). Loading never
clobbers the secretariat's edits: a missing record is created (history action
`meetings.*.loaded`); one that differs from the file is updated only while its
latest history row is the loader's own; one edited since is kept and
reported. The same holds for the lists (invited countries, observers, chairs,
followed-up series). A meeting's status is set when it is created only: later
it is the secretariat's (the status service asks for reasons). Nothing is deleted.

Run after the directory's loader (countries, groups, organisations, people);
`cleanasia load_reference` runs the apps in that order.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import models, transaction

from cleanasia.core.reference import Tally, last_action, sync_existing
from cleanasia.directory.models import Country, CountryGroup, Organisation, Person

from .models import Meeting, MeetingSeries
from .policies.meetings import MEETING_LOADED, SERIES_LOADED
from .services import meetings as services

DATA_FILE = Path(__file__).resolve().parent / "data" / "series.json"

SERIES_FIELDS = (
    "title_ja",
    "title_en",
    "short_title_ja",
    "short_title_en",
    "description_ja",
    "description_en",
    "level",
    "visibility",
    "source",
)
MEETING_FIELDS = (
    "title_ja",
    "title_en",
    "time_zone",
    "venue_ja",
    "venue_en",
    "city_ja",
    "city_en",
    "chairs_ja",
    "chairs_en",
    "format",
    "visibility",
    "source",
)


def reference_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def _local(value: str, time_zone: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=zoneinfo.ZoneInfo(time_zone))


def _sync(
    tally: Tally,
    instance: models.Model,
    wanted: dict[str, Any],
    lists: dict[str, list[models.Model]],
    *,
    loaded_code: str,
    update: Callable[..., models.Model],
    describe: str,
) -> models.Model:
    """sync_existing for the fields, then the same rule for the many-to-many lists, counted once per record."""
    before = (tally.updated, len(tally.kept))
    instance = sync_existing(tally, instance, wanted, loaded_code=loaded_code, update=update, describe=describe)
    differing = {
        name: objs
        for name, objs in lists.items()
        if {obj.pk for obj in objs} != set(getattr(instance, name).values_list("pk", flat=True))
    }
    if not differing:
        return instance
    reported = (tally.updated, len(tally.kept)) != before
    if last_action(instance) == loaded_code:
        instance = update(actor=None, expected_version=instance.version, changes=differing, action_code=loaded_code)
        if not reported:
            tally.unchanged -= 1
            tally.updated += 1
    elif not reported:
        tally.unchanged -= 1
        tally.kept.append(
            f"{describe}: {', '.join(sorted(differing))} differ from the reference file; edited since loading, kept"
        )
    return instance


def _named(model: type[models.Model], names: list[str], tally: Tally, describe: str) -> list[models.Model]:
    """Directory records by English name (real records only); a missing one is reported, not invented."""
    found = {obj.name_en: obj for obj in model._default_manager.filter(is_demo=False, name_en__in=names)}
    for name in names:
        if name not in found:
            tally.kept.append(f"{describe}: {name} is not in the directory; load the directory first")
    return [found[name] for name in names if name in found]


def load_series(rows: list[dict[str, Any]]) -> tuple[Tally, dict[str, MeetingSeries]]:
    tally = Tally("meeting series")
    groups = {g.code: g for g in CountryGroup.objects.all()}
    countries = {c.code: c for c in Country.objects.all()}
    by_code = {s.code: s for s in MeetingSeries.objects.filter(code__in=[row["code"] for row in rows])}
    pending: list[tuple[MeetingSeries, dict[str, Any]]] = []
    for row in rows:
        wanted = {name: row[name] for name in SERIES_FIELDS}
        wanted["membership_group"] = groups[row["membership_group"]] if row["membership_group"] else None
        lists = {
            "extra_countries": [countries[code] for code in row["extra_countries"]],
            "observer_organisations": _named(Organisation, row["observer_organisations"], tally, row["code"]),
        }
        series = by_code.get(row["code"])
        if series is None:
            series = services.series_create(actor=None, code=row["code"], action_code=SERIES_LOADED, **wanted, **lists)
            tally.created += 1
        else:
            series = _sync(
                tally,
                series,
                wanted,
                lists,
                loaded_code=SERIES_LOADED,
                update=lambda series=series, **kw: services.series_update(series=series, **kw),
                describe=f"meeting series {row['code']}",
            )
        by_code[row["code"]] = series
        pending.append((series, row))
    # Followed-up series may come later in the file: linked once all exist.
    for series, row in pending:
        wanted_links = [by_code[code] for code in row["follows_up"]]
        current = set(series.follows_up.values_list("pk", flat=True))
        if {s.pk for s in wanted_links} == current:
            continue
        if last_action(series) != SERIES_LOADED:
            tally.kept.append(f"meeting series {series.code}: follows_up differs from the reference file; kept")
            continue
        series = services.series_update(
            actor=None,
            series=series,
            expected_version=series.version,
            changes={"follows_up": wanted_links},
            action_code=SERIES_LOADED,
        )
        by_code[series.code] = series
    return tally, by_code


def load_meetings(rows: list[dict[str, Any]], series_by_code: dict[str, MeetingSeries]) -> Tally:
    tally = Tally("meetings")
    countries = {c.code: c for c in Country.objects.all()}
    for row in rows:
        series = series_by_code[row["series"]]
        describe = f"meeting {series.code}/{row['ordinal']}"
        wanted = {name: row[name] for name in MEETING_FIELDS}
        wanted["starts_at"] = _local(row["starts"], row["time_zone"])
        wanted["ends_at"] = _local(row["ends"], row["time_zone"])
        wanted["host_country"] = countries[row["host_country"]] if row["host_country"] else None
        lists = {
            "invited_countries": services.invited_countries_default(series, wanted["starts_at"], row["time_zone"]),
            "observer_organisations": list(series.observer_organisations.all()),
            "chair_people": _named(Person, row["chair_people"], tally, describe),
        }
        meeting = Meeting.objects.filter(series=series, ordinal=row["ordinal"]).first()
        if meeting is None:
            services.meeting_create(
                actor=None,
                series=series,
                ordinal=row["ordinal"],
                status=row["status"],
                action_code=MEETING_LOADED,
                **wanted,
                **lists,
            )
            tally.created += 1
            continue
        _sync(
            tally,
            meeting,
            wanted,
            lists,
            loaded_code=MEETING_LOADED,
            update=lambda meeting=meeting, **kw: services.meeting_update(meeting=meeting, **kw),
            describe=describe,
        )
    return tally


def load_reference() -> list[Tally]:
    """Entry point found by `cleanasia load_reference`: the series, then their meetings, in one transaction."""
    data = reference_data()
    with transaction.atomic():
        series_tally, by_code = load_series(data["series"])
        meetings_tally = load_meetings(data["meetings"], by_code)
    return [series_tally, meetings_tally]
