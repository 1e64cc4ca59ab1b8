"""The secretariat's oversight of all working groups on one page.

For every group: the countries of its membership group (its meeting series'
country group on the day, plus the series' other invited countries) that no
current member represents; whether its annual report for the last fiscal
year whose reports are due is overdue (its measure's progress report for that
period not approved after the due date); its activity over the last twelve
months (work-plan items done, research projects and training sessions
started, meetings held). Across the network: trainees by country against the
places the sessions offer each country.

Every part is one aggregate query over all groups, so the page runs the same
number of queries for three groups or three hundred.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.permissions import is_secretariat, visible
from cleanasia.directory.models import Country, GroupMembership
from cleanasia.measures.models import PeriodKind, ProgressReport, ReportingPeriod, ReportState
from cleanasia.meetings.models import Meeting, MeetingSeries, MeetingStatus

from ..models import (
    GroupRole,
    GroupStatus,
    ProjectStatus,
    ResearchProject,
    TraineeNomination,
    TraineeState,
    TrainingSession,
    WorkingGroup,
    WorkingGroupMember,
    WorkPlanItem,
    WorkPlanStatus,
)
from ..policies.groups import term_covers

ACTIVITY_DAYS = 365
REPORT_STATE_LABELS = dict(ReportState.choices)


def _moment(day: dt.date) -> dt.datetime:
    """The start of `day` in the platform's time zone, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _pairs_to_sets(rows: Any) -> dict[Any, set[Any]]:
    found: dict[Any, set[Any]] = defaultdict(set)
    for key, value in rows:
        if value is not None:
            found[key].add(value)
    return found


def _membership(groups: list[WorkingGroup], today: dt.date) -> tuple[dict[int, set[str] | None], dict[int, set[str]]]:
    """Per group: the countries expected (None without a membership group) and those represented today."""
    series_ids = {g.meeting_series_id for g in groups if g.meeting_series_id}
    country_groups = {g.meeting_series.membership_group_id for g in groups if g.meeting_series_id} - {None}
    members_of = _pairs_to_sets(
        GroupMembership.objects.active_on(today).filter(group_id__in=country_groups).values_list("group_id", "country")
    )
    through = MeetingSeries.extra_countries.through
    extra_of = _pairs_to_sets(
        through.objects.filter(meetingseries_id__in=series_ids).values_list("meetingseries_id", "country_id")
    )
    expected: dict[int, set[str] | None] = {}
    for group in groups:
        series = group.meeting_series
        if series is None or (series.membership_group_id is None and not extra_of.get(series.pk)):
            expected[group.pk] = None
            continue
        expected[group.pk] = members_of.get(series.membership_group_id, set()) | extra_of.get(series.pk, set())
    # Observers take part without representing a country of the group.
    represented = _pairs_to_sets(
        WorkingGroupMember.objects.filter(term_covers(today), group_id__in=[g.pk for g in groups])
        .exclude(role=GroupRole.OBSERVER)
        .annotate(represents=Coalesce("country_id", "person__country_id"))
        .order_by()  # DISTINCT over the two columns only (PostgreSQL would add the ordering's)
        .values_list("group_id", "represents")
        .distinct()
    )
    return expected, represented


def _report_period(today: dt.date) -> ReportingPeriod | None:
    """The last fiscal year whose reports were due before today."""
    return ReportingPeriod.objects.filter(kind=PeriodKind.YEAR, due_on__lt=today).order_by("-fiscal_year").first()


def _reports(groups: list[WorkingGroup], period: ReportingPeriod | None, today: dt.date) -> dict[int, dict]:
    """Per group: the state of its annual report for `period` and whether it is overdue.

    A group owes the report when it existed before the fiscal year ended and is not closed; the report is
    overdue when its latest version is not approved (or there is none) once the due date has passed.
    """
    if period is None:
        return {}
    latest: dict[int, tuple[int, str]] = {}
    rows = ProgressReport.objects.filter(
        period=period, measure_id__in=[g.measure_id for g in groups if g.measure_id]
    ).values_list("measure_id", "report_version", "state")
    for measure_id, version, state in rows:
        if measure_id not in latest or version > latest[measure_id][0]:
            latest[measure_id] = (version, state)
    found = {}
    for group in groups:
        started = group.established_on or timezone.localdate(group.created_at)
        owes = group.status != GroupStatus.CLOSED and started <= period.ends_on
        state = latest.get(group.measure_id, (0, ""))[1] if group.measure_id else ""
        overdue = owes and state != ReportState.APPROVED
        found[group.pk] = {
            "period": period,
            "due_on": period.due_on,
            "owed": owes,
            "state": state or None,
            "state_label": REPORT_STATE_LABELS.get(state, _("Not started")),
            "overdue": overdue,
            "days_overdue": (today - period.due_on).days if overdue else 0,
        }
    return found


def _counts(qs: Any, key: str) -> dict[Any, int]:
    return {row[key]: row["n"] for row in qs.order_by().values(key).annotate(n=Count("pk", distinct=True))}


def _activity(groups: list[WorkingGroup], user: Any, start: dt.date, today: dt.date) -> dict[int, dict[str, int]]:
    """Per group, over [start, today]: work-plan items done, projects and sessions started, meetings held."""
    ids = [g.pk for g in groups]
    since, until = _moment(start), _moment(today + dt.timedelta(days=1))
    # An item is done since the first "done" row of its history with no later row of another status:
    # the model keeps no completion date, its history does.
    history = WorkPlanItem.history.model
    undone_later = history.objects.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date")).exclude(
        status=WorkPlanStatus.DONE
    )
    done_since = (
        history.objects.filter(id=OuterRef("pk"), status=WorkPlanStatus.DONE)
        .exclude(Exists(undone_later))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    done_in_window = WorkPlanItem.objects.filter(group_id__in=ids, status=WorkPlanStatus.DONE).alias(
        done_at=Subquery(done_since)
    )
    items = _counts(done_in_window.filter(done_at__gte=since, done_at__lt=until), "group_id")
    projects = _counts(
        visible(
            ResearchProject.objects.filter(working_group_id__in=ids, starts_on__range=(start, today)), user
        ).exclude(status=ProjectStatus.PROPOSED),
        "working_group_id",
    )
    sessions = _counts(
        visible(
            TrainingSession.objects.filter(programme__working_group_id__in=ids, starts_on__range=(start, today)), user
        ),
        "programme__working_group_id",
    )
    series_ids = [g.meeting_series_id for g in groups if g.meeting_series_id]
    meetings = _counts(
        visible(
            Meeting.objects.filter(
                series_id__in=series_ids, status=MeetingStatus.HELD, starts_at__gte=since, starts_at__lt=until
            ),
            user,
        ),
        "series_id",
    )
    return {
        g.pk: {
            "work_plan_done": items.get(g.pk, 0),
            "projects_started": projects.get(g.pk, 0),
            "sessions_started": sessions.get(g.pk, 0),
            "meetings_held": meetings.get(g.meeting_series_id, 0) if g.meeting_series_id else 0,
        }
        for g in groups
    }


def _no_trainees() -> dict[str, int]:
    return {"nominated": 0, "selected": 0, "sessions": 0, "over_quota": 0}


def _trainees(user: Any, start: dt.date) -> tuple[dict[str, dict[str, int]], int]:
    """Per nominating country, over the sessions starting on or after `start` (recent and coming ones):
    nominations (not withdrawn), trainees selected, sessions nominated to, and sessions where the country's
    nominations exceed its quota; and the places each country is offered (the quotas summed)."""
    sessions = visible(TrainingSession.objects.filter(starts_on__gte=start), user)
    places = sessions.aggregate(places=Coalesce(Sum("quota_per_country"), 0))["places"]
    cells = (
        TraineeNomination.objects.filter(session__in=sessions.values("pk"))
        .exclude(state=TraineeState.WITHDRAWN)
        .order_by()
        .values("session_id", "country_id", quota=F("session__quota_per_country"))
        .annotate(nominated=Count("pk"), selected=Count("pk", filter=Q(state=TraineeState.SELECTED)))
    )
    by_country: dict[str, dict[str, int]] = {}
    for cell in cells:
        row = by_country.setdefault(cell["country_id"], _no_trainees())
        row["nominated"] += cell["nominated"]
        row["selected"] += cell["selected"]
        row["sessions"] += 1
        row["over_quota"] += int(cell["nominated"] > cell["quota"])
    return by_country, places


def oversight_for(*, user: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The oversight page's data (secretariat only): a row per group (membership gaps, annual report,
    activity) and a row per country (trainees against quotas), with totals."""
    if not is_secretariat(user):
        raise PermissionDenied(_("The oversight of the working groups is for the secretariat."))
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=ACTIVITY_DAYS)
    groups = list(
        visible(WorkingGroup.objects.select_related("field", "meeting_series"), user).order_by(
            "field__position", "code"
        )
    )
    expected, represented = _membership(groups, today)
    period = _report_period(today)
    reports = _reports(groups, period, today)
    activity = _activity(groups, user, start, today)
    trainees, places = _trainees(user, start)

    codes = set(trainees)
    for group in groups:
        codes |= expected[group.pk] or set()
        codes |= represented.get(group.pk, set())
    countries = {country.code: country for country in Country.objects.filter(code__in=codes)}

    def named(found: set[str]) -> list[Country]:
        return sorted((countries[code] for code in found if code in countries), key=lambda c: c.name_en)

    group_rows = []
    for group in groups:
        wanted = expected[group.pk]
        present = represented.get(group.pk, set())
        group_rows.append(
            {
                "group": group,
                "field": group.field,
                "has_membership_group": wanted is not None,
                "expected": named(wanted or set()),
                "represented": named(present),
                "missing": named((wanted or set()) - present),
                "report": reports.get(group.pk),
                "activity": activity[group.pk],
            }
        )
    # Every country a group expects is listed, so a country that sends nobody shows as a gap too.
    for group_row in group_rows:
        for country in group_row["expected"]:
            trainees.setdefault(country.code, _no_trainees())
    trainee_rows = [
        {"country": countries[code], "places": places, **row} for code, row in trainees.items() if code in countries
    ]
    trainee_rows.sort(key=lambda r: r["country"].name_en)
    return {
        "as_of": today,
        "activity_since": start,
        "report_period": period,
        "groups": group_rows,
        "trainees": trainee_rows,
        "totals": {
            "groups": len(group_rows),
            "groups_with_gaps": sum(1 for r in group_rows if r["missing"]),
            "missing_seats": sum(len(r["missing"]) for r in group_rows),
            "overdue_reports": sum(1 for r in group_rows if r["report"] and r["report"]["overdue"]),
            "places_per_country": places,
            "selected": sum(r["selected"] for r in trainee_rows),
        },
    }
