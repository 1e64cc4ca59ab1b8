"""Reads of fields and working groups: the list, a group's workspace (for its members and the secretariat)
and its public page (what the group chooses to publish).

Everything goes through the policies (`visible`); each function runs a fixed
number of queries whatever the number of members, items or reports. Rows about
people are plain dicts holding the name, country, role and term, never the
person's contact details (only the secretariat gets the e-mail address).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.permissions import CHANGE, can, get_visible_or_404, is_secretariat, visible
from cleanasia.measures.models import Measure, MeasureLink, PeriodKind, ProgressReport, ReportState
from cleanasia.measures.permissions import REPORT
from cleanasia.meetings.models import Document, Meeting

from ..models import Field, GroupRole, WorkingGroup, WorkingGroupMember, WorkPlanItem
from ..policies.groups import LEADING_ROLES, VIEW_WORKSPACE, current_group_ids, is_current_member, term_covers

ROLE_LABELS = dict(GroupRole.choices)
ROLE_ORDER = {role: index for index, role in enumerate(GroupRole.values)}


def field_list_for(*, user: Any, active_only: bool = True) -> QuerySet[Field]:
    """The fields in their order (those in use, unless `active_only` is False), with their groups counted."""
    qs = visible(Field.objects.all(), user)
    if active_only:
        qs = qs.filter(is_active=True)
    groups = visible(WorkingGroup.objects.filter(field=OuterRef("pk")), user).order_by().values("field")
    return qs.annotate(
        group_count=Coalesce(
            Subquery(groups.annotate(n=Count("pk")).values("n")), Value(0), output_field=IntegerField()
        )
    ).order_by("position", "code")


def group_list_for(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[WorkingGroup]:
    """Groups the user may see, filtered, with their field (no extra query), `member_count` (current
    terms) and `is_member` (the user holds a current term).

    Filters: field (code or pk), status, mine (only the user's groups), q (text in code and names).
    """
    filters = filters or {}
    today = timezone.localdate()
    qs = visible(WorkingGroup.objects.select_related("field"), user)
    if field := filters.get("field"):
        value = getattr(field, "pk", field)
        qs = qs.filter(field_id=value) if str(value).isdigit() else qs.filter(field__code=value)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    mine = current_group_ids(user, day=today)
    if filters.get("mine"):
        qs = qs.filter(pk__in=mine)
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(Q(code__icontains=text) | Q(name_ja__icontains=text) | Q(name_en__icontains=text))
    current = (
        WorkingGroupMember.objects.filter(term_covers(today), group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        member_count=Coalesce(Subquery(current), Value(0), output_field=IntegerField()),
        is_member=Exists(mine.filter(group_id=OuterRef("pk"))),
    ).order_by("field__position", "code")


# --- rows ------------------------------------------------------------------------------------------


def _member_rows(members: QuerySet[WorkingGroupMember], today: dt.date, *, with_contact: bool) -> list[dict]:
    rows = []
    for member in members.select_related("person", "country"):
        row = {
            "pk": member.pk,
            "version": member.version,
            "person_id": member.person_id,
            "name": str(member.person),
            "country": member.country,
            "role": member.role,
            "role_label": ROLE_LABELS[member.role],
            "started_on": member.started_on,
            "ended_on": member.ended_on,
            "current": member.started_on <= today and (member.ended_on is None or member.ended_on >= today),
        }
        if with_contact:
            row["email"] = member.person.email
        rows.append(row)
    rows.sort(key=lambda r: (not r["current"], ROLE_ORDER[r["role"]], r["name"], r["started_on"]))
    return rows


def _work_plan_rows(items: QuerySet[WorkPlanItem], user: Any) -> list[WorkPlanItem]:
    """The items in order, each with `measure_links`: the links to the measures the user may see."""
    return attach_measure_links(list(items.order_by("position", "pk")), user)


def attach_measure_links(found: list[WorkPlanItem], user: Any) -> list[WorkPlanItem]:
    """Give each item `measure_links`: its links to the measures the user may see (one query for all)."""
    links: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if found:
        relation_labels = dict(MeasureLink._meta.get_field("relation").flatchoices)
        rows = (
            MeasureLink.objects.filter(
                target_type=ContentType.objects.get_for_model(WorkPlanItem),
                target_id__in=[item.pk for item in found],
                measure__in=visible(Measure.objects.all(), user).values("pk"),
            )
            .select_related("measure")
            .order_by("measure__code")
        )
        for link in rows:
            links[link.target_id].append(
                {"measure": link.measure, "relation": link.relation, "relation_label": relation_labels[link.relation]}
            )
    for item in found:
        item.measure_links = links.get(item.pk, [])
    return found


def _latest_reports(reports: QuerySet[ProgressReport]) -> list[ProgressReport]:
    """The latest version of each fiscal year's report, newest year first (one query)."""
    latest: dict[int, ProgressReport] = {}
    for report in (
        reports.filter(period__kind=PeriodKind.YEAR)
        .select_related("period")
        .order_by("-period__starts_on", "-report_version")
    ):
        latest.setdefault(report.period_id, report)
    return list(latest.values())


def _meetings(group: WorkingGroup, user: Any) -> list[Meeting]:
    if group.meeting_series_id is None:
        return []
    return list(visible(Meeting.objects.filter(series_id=group.meeting_series_id), user).order_by("-starts_at"))


WORKSPACE_DOCUMENTS = 50


def group_documents_for(*, user: Any, group: WorkingGroup) -> list[Document]:
    """The latest documents of the group's meetings (its series) that the user may see, with their meeting
    (one query; none without a series)."""
    if group.meeting_series_id is None:
        return []
    documents = visible(Document.objects.filter(meeting__series_id=group.meeting_series_id), user)
    return list(
        documents.select_related("meeting", "meeting__series").order_by("-meeting__starts_at", "symbol")[
            :WORKSPACE_DOCUMENTS
        ]
    )


def _header(group: WorkingGroup) -> dict[str, Any]:
    return {
        "group": group,
        "field": group.field,
        "chair_countries": list(group.chair_countries.order_by("name_en")),
        "co_chair_countries": list(group.co_chair_countries.order_by("name_en")),
    }


# --- pages -----------------------------------------------------------------------------------------


def group_workspace_for(*, user: Any, code: str) -> dict[str, Any]:
    """A group's workspace: members (current first, then past terms), the work plan with its links to
    measures, the annual reports (every state: the members follow their draft) and the group's meetings.

    404 when the user may not see the group at all; PermissionDenied when they see its public page only.
    """
    group = get_visible_or_404(
        WorkingGroup.objects.select_related("field", "meeting_series", "measure", "measure__owner"), user, code=code
    )
    if not can(user, VIEW_WORKSPACE, group):
        raise PermissionDenied(_("The workspace of a group is for its members and the secretariat."))
    today = timezone.localdate()
    secretariat = is_secretariat(user)
    members = visible(WorkingGroupMember.objects.filter(group=group), user)
    reports = _latest_reports(ProgressReport.objects.filter(measure_id=group.measure_id)) if group.measure_id else []
    measure = group.measure
    return {
        **_header(group),
        "members": _member_rows(members, today, with_contact=secretariat),
        "work_plan": _work_plan_rows(visible(WorkPlanItem.objects.filter(group=group), user), user),
        "reports": reports,
        "report_owner": measure.owner if measure is not None else None,
        "meetings": _meetings(group, user),
        "may_change": secretariat,
        "may_set_status": secretariat or is_current_member(user, group, roles=LEADING_ROLES),
        "may_report": measure is not None and can(user, REPORT, measure),
        "may_view_workspace": True,
    }


def group_public_page_for(*, user: Any, code: str) -> dict[str, Any]:
    """A group's public page: its description, chairs and what it publishes (current members by name,
    country and role; the work plan; approved annual reports), and the meetings the user may see.

    The page shows the same to everyone who may see the group, the secretariat included: what the group
    publishes. `may_view_workspace` says whether to offer the workspace.
    """
    group = get_visible_or_404(WorkingGroup.objects.select_related("field", "meeting_series"), user, code=code)
    today = timezone.localdate()
    members: list[dict] = []
    if group.publishes_members:
        current = visible(WorkingGroupMember.objects.filter(term_covers(today), group=group), user)
        members = _member_rows(current, today, with_contact=False)
    work_plan: list[WorkPlanItem] = []
    if group.publishes_work_plan:
        work_plan = _work_plan_rows(visible(WorkPlanItem.objects.filter(group=group), user), user)
    reports: list[ProgressReport] = []
    if group.publishes_reports and group.measure_id:
        reports = _latest_reports(
            ProgressReport.objects.filter(measure_id=group.measure_id, state=ReportState.APPROVED)
        )
    return {
        **_header(group),
        "members": members,
        "work_plan": work_plan,
        "reports": reports,
        "meetings": _meetings(group, user),
        "may_view_workspace": can(user, VIEW_WORKSPACE, group),
        "may_change": can(user, CHANGE, group),
    }
