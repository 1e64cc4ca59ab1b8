"""Every write of joint research: projects with their partners and countries, status, outputs, milestones,
and the links from projects to the measures (and so the indicators) they advance.

Each function takes the acting user (`actor=None` is the system: loaders, commands), checks the policy,
validates (ValidationError naming the field), writes in one transaction and marks the history row with its
action code (policies.research). Edits of existing records carry the version the user started from and are
refused when stale. Nothing is deleted: a stopped project is suspended or completed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, VIEW, can
from cleanasia.measures.models import Measure, MeasureLink, MeasureLinkRelation

from ..models import OutputKind, ProjectStatus, ResearchMilestone, ResearchOutput, ResearchProject
from ..policies import research as policy

PROJECT_M2M = ("partner_organisations", "countries", "audience_groups")
PROJECT_EDITABLE = frozenset(
    {
        "code",
        "title_ja",
        "title_en",
        "summary_ja",
        "summary_en",
        "field",
        "working_group",
        "lead_organisation",
        "starts_on",
        "ends_on",
        "funder",
        "funding_amount",
        "funding_currency",
        "visibility",
        *PROJECT_M2M,
    }
)
OUTPUT_EDITABLE = frozenset({"kind", "title", "doi", "url", "published_on"})
MILESTONE_EDITABLE = frozenset({"title_ja", "title_en", "due_on"})

# Where a project may go from each status. Completed is final; a suspended project may resume.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    ProjectStatus.PROPOSED: frozenset({ProjectStatus.ONGOING}),
    ProjectStatus.ONGOING: frozenset({ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED}),
    ProjectStatus.SUSPENDED: frozenset({ProjectStatus.ONGOING}),
    ProjectStatus.COMPLETED: frozenset(),
}
# A project advances a measure, or its findings are evidence of the measure's progress.
LINK_RELATIONS = (MeasureLinkRelation.ADVANCES, MeasureLinkRelation.EVIDENCE)

PROJECT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
# A DOI is "10." + a registrant code (digits, optionally subdivided by dots) + "/" + a suffix without spaces.
DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
# The forms a DOI is commonly pasted in; the stored form is the bare DOI.
DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|info:doi/)", re.IGNORECASE)


# --- helpers -------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    """Refuse what the policies do not allow; `None` is the system (loaders, commands)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _require_title(values: dict[str, Any]) -> None:
    if not (values.get("title_ja") or "").strip() and not (values.get("title_en") or "").strip():
        raise ValidationError({"title_ja": _("Give the title in Japanese or in English.")})


def normalise_doi(raw: str) -> str:
    """The bare DOI (10.1234/abc) from what was pasted: a bare DOI, doi:…, or a https://doi.org/… address.

    "" stays "" (no DOI). Anything else that is not a DOI is refused, naming the field.
    """
    value = (raw or "").strip()
    if not value:
        return ""
    value = DOI_PREFIXES.sub("", value)
    # doi.org addresses percent-encode some characters of the suffix (%2F for "/", %3C for "<").
    value = unquote(value).strip()
    if not DOI.match(value):
        raise ValidationError(
            {
                "doi": _(
                    "This is not a DOI. A DOI looks like 10.1234/abc-5678 (or https://doi.org/10.1234/abc-5678); "
                    "check it or leave the field empty."
                )
            }
        )
    return value


def is_overdue(milestone: ResearchMilestone, today: dt.date) -> bool:
    """A milestone not done by its due date."""
    return milestone.done_on is None and milestone.due_on < today


# --- projects ------------------------------------------------------------------------------------


def _check_project(
    values: dict[str, Any], m2m: dict[str, list[Any]], *, project: ResearchProject | None = None
) -> None:
    """The rules of a project's record, each refusal naming its field."""
    code = values.get("code") or ""
    if not PROJECT_CODE.match(code):
        raise ValidationError(
            {
                "code": _(
                    "Use small letters, digits and hyphens only, starting with a letter or digit, e.g. wg-air-2026."
                )
            }
        )
    clash = ResearchProject.objects.filter(code=code)
    if project is not None:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another project already has this code; choose another.")})
    _require_title(values)
    field = values.get("field")
    if field is None:
        raise ValidationError({"field": _("Choose the field of the project.")})
    if not field.is_active and (project is None or field.pk != project.field_id):
        raise ValidationError({"field": _("This field is no longer in use; choose another.")})
    group = values.get("working_group")
    if group is not None and group.field_id != field.pk:
        raise ValidationError(
            {"working_group": _("This working group works on another field; choose a group of the project's field.")}
        )
    lead = values.get("lead_organisation")
    if lead is None:
        raise ValidationError({"lead_organisation": _("Name the lead institution.")})
    partners = m2m.get("partner_organisations")
    if partners is None and project is not None:
        partners = list(project.partner_organisations.all())
    if any(partner.pk == lead.pk for partner in partners or ()):
        raise ValidationError(
            {"partner_organisations": _("The lead institution is not also a partner; remove it from the partners.")}
        )
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is None:
        raise ValidationError({"starts_on": _("Give the day the project starts.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A project cannot end before it starts; check the end date.")})
    amount = values.get("funding_amount")
    if amount is not None:
        try:
            negative = Decimal(str(amount)) < 0
        except InvalidOperation as exc:
            raise ValidationError({"funding_amount": _("Give the funding as a number.")}) from exc
        if negative:
            raise ValidationError({"funding_amount": _("The funding cannot be negative.")})
    if not CURRENCY.match(values.get("funding_currency") or ""):
        raise ValidationError({"funding_currency": _("Give the currency as its three-letter code, e.g. JPY or USD.")})
    if values.get("visibility") not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who may see the project.")})


def _check_milestones_within(project: ResearchProject, starts_on: dt.date, ends_on: dt.date | None) -> None:
    """A new period must keep the project's milestones inside it."""
    outside = ResearchMilestone.objects.filter(project=project, due_on__lt=starts_on)
    name = "starts_on"
    if not outside.exists() and ends_on is not None:
        outside, name = ResearchMilestone.objects.filter(project=project, due_on__gt=ends_on), "ends_on"
    titles = [str(m) for m in outside.order_by("due_on")]
    if titles:
        raise ValidationError(
            {
                name: _(
                    "These milestones would fall outside the project's new period: %(titles)s. "
                    "Move their due dates first."
                )
                % {"titles": ", ".join(titles)}
            }
        )


def _participating_countries(lead: Any, partners: Iterable[Any]) -> list[Any]:
    """The countries of the lead and partner institutions, once each."""
    found: dict[str, Any] = {}
    for organisation in (lead, *partners):
        if organisation.country_id and organisation.country_id not in found:
            found[organisation.country_id] = organisation.country
    return list(found.values())


def project_create(
    *,
    actor: Any,
    code: str,
    field: Any,
    lead_organisation: Any,
    starts_on: dt.date,
    title_ja: str = "",
    title_en: str = "",
    summary_ja: str = "",
    summary_en: str = "",
    working_group: Any = None,
    partner_organisations: Iterable[Any] = (),
    countries: Iterable[Any] | None = None,
    ends_on: dt.date | None = None,
    funder: str = "",
    funding_amount: Decimal | int | None = None,
    funding_currency: str = "JPY",
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    is_demo: bool = False,
) -> ResearchProject:
    """Propose a joint research project. Without `countries`, those of the lead and partner institutions."""
    _require(actor, ADD, ResearchProject, _("Only the secretariat records research projects."))
    partners = list(partner_organisations)
    values = {
        "code": (code or "").strip(),
        "title_ja": (title_ja or "").strip(),
        "title_en": (title_en or "").strip(),
        "field": field,
        "working_group": working_group,
        "lead_organisation": lead_organisation,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "funding_amount": funding_amount,
        "funding_currency": (funding_currency or "").strip().upper(),
        "visibility": visibility,
    }
    _check_project(values, {"partner_organisations": partners})
    with transaction.atomic():
        project = ResearchProject(
            **values,
            summary_ja=summary_ja or "",
            summary_en=summary_en or "",
            funder=(funder or "").strip(),
            status=ProjectStatus.PROPOSED,
            is_demo=is_demo,
        )
        project.full_clean()
        mark_action(project, policy.PROJECT_CREATED, actor=actor)
        project.save()
        project.partner_organisations.set(partners)
        if countries is None:
            countries = _participating_countries(lead_organisation, partners)
        project.countries.set(list(countries))
        project.audience_groups.set(list(audience_groups))
    return project


def project_update(
    *, actor: Any, project: ResearchProject, expected_version: int, changes: dict[str, Any]
) -> ResearchProject:
    """Change a project (m2m keys allowed: partner_organisations, countries, audience_groups).

    The status has its own service. A new period must keep the milestones inside it.
    """
    _require(actor, CHANGE, project, _("Only the secretariat changes research projects."))
    changes = dict(changes)
    if "status" in changes and changes["status"] != project.status:
        raise ValidationError({"status": _("Change the status with the status action, which checks the step.")})
    changes.pop("status", None)
    unknown = sorted(set(changes) - PROJECT_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name in ("code", "title_ja", "title_en", "funder"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    if "funding_currency" in changes:
        changes["funding_currency"] = (changes["funding_currency"] or "").strip().upper()
    m2m = {name: list(changes.pop(name)) for name in PROJECT_M2M if name in changes}
    merged = {
        name: changes.get(name, getattr(project, name))
        for name in (
            "code",
            "title_ja",
            "title_en",
            "field",
            "working_group",
            "lead_organisation",
            "starts_on",
            "ends_on",
            "funding_amount",
            "funding_currency",
            "visibility",
        )
    }
    _check_project(merged, m2m, project=project)
    with transaction.atomic():
        _check_milestones_within(project, merged["starts_on"], merged["ends_on"])
        # An m2m-only edit still makes a new version, so that history and concurrency see it.
        updated = versioned_update(
            actor=actor,
            instance=project,
            expected_version=expected_version,
            changes=changes,
            action_code=policy.PROJECT_UPDATED,
        )
        for name, items in m2m.items():
            getattr(updated, name).set(items)
    return updated


def project_set_status(*, actor: Any, project: ResearchProject, expected_version: int, status: str) -> ResearchProject:
    """Move a project on: proposed → ongoing → completed or suspended; a suspended project may resume.

    Completed is final. Setting the status it already has changes nothing.
    """
    _require(actor, policy.SET_STATUS, project, _("Only the secretariat changes the status of research projects."))
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("Choose proposed, ongoing, completed or suspended.")})
    if status == project.status:
        return project
    if status not in STATUS_TRANSITIONS[project.status]:
        raise ValidationError(
            {
                "status": _("A project that is %(current)s cannot become %(new)s.")
                % {"current": ProjectStatus(project.status).label, "new": ProjectStatus(status).label}
            }
        )
    if status == ProjectStatus.COMPLETED and project.starts_on > timezone.localdate():
        raise ValidationError(
            {
                "status": _("A project cannot be completed before it starts (%(day)s).")
                % {"day": project.starts_on.isoformat()}
            }
        )
    return versioned_update(
        actor=actor,
        instance=project,
        expected_version=expected_version,
        changes={"status": status},
        action_code=policy.PROJECT_STATUS_SET,
    )


# --- links to measures (and through them, their indicators) --------------------------------------


def project_link_measure(
    *,
    actor: Any,
    project: ResearchProject,
    measure: Measure,
    relation: str = MeasureLinkRelation.ADVANCES,
    note: str = "",
) -> MeasureLink:
    """Record that a project advances a measure, or is evidence of its progress; idempotent.

    The measure's indicators are the project's indicators: pages show them through the link.
    """
    _require(actor, CHANGE, project, _("Only the secretariat links research projects to measures."))
    if actor is not None and not can(actor, VIEW, measure):
        raise ValidationError({"measure": _("No such measure.")})
    if relation not in LINK_RELATIONS:
        raise ValidationError(
            {"relation": _("A project advances a measure or is evidence of its progress; choose one of the two.")}
        )
    link, _created = MeasureLink.objects.get_or_create(
        measure=measure,
        relation=relation,
        target_type=ContentType.objects.get_for_model(ResearchProject),
        target_id=project.pk,
        defaults={"note": (note or "").strip()[:300]},
    )
    return link


def project_unlink_measure(*, actor: Any, project: ResearchProject, measure: Measure) -> int:
    """Remove the project's links to a measure; returns how many were removed."""
    _require(actor, CHANGE, project, _("Only the secretariat links research projects to measures."))
    deleted, _by_model = MeasureLink.objects.filter(
        measure=measure, target_type=ContentType.objects.get_for_model(ResearchProject), target_id=project.pk
    ).delete()
    return deleted


# --- outputs -------------------------------------------------------------------------------------------


def _check_output(values: dict[str, Any], project: ResearchProject, *, output: ResearchOutput | None = None) -> None:
    if values.get("kind") not in OutputKind.values:
        raise ValidationError({"kind": _("Choose the kind of output: publication, dataset, policy brief or other.")})
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": _("Give the title of the output.")})
    doi = values.get("doi") or ""
    if doi:
        twins = ResearchOutput.objects.filter(project=project, doi__iexact=doi)
        if output is not None:
            twins = twins.exclude(pk=output.pk)
        if twins.exists():
            raise ValidationError({"doi": _("This project already lists an output with this DOI.")})


def output_add(
    *,
    actor: Any,
    project: ResearchProject,
    kind: str,
    title: str,
    doi: str = "",
    url: str = "",
    published_on: dt.date | None = None,
    is_demo: bool = False,
) -> ResearchOutput:
    """Add a publication, dataset, policy brief or other output; a DOI is stored bare (10.1234/abc)."""
    _require(actor, CHANGE, project, _("Only the secretariat records the outputs of research projects."))
    values = {
        "kind": kind,
        "title": (title or "").strip(),
        "doi": normalise_doi(doi),
        "url": (url or "").strip(),
        "published_on": published_on,
    }
    _check_output(values, project)
    with transaction.atomic():
        output = ResearchOutput(project=project, is_demo=is_demo, **values)
        output.full_clean()
        mark_action(output, policy.OUTPUT_ADDED, actor=actor)
        output.save()
    return output


def output_update(
    *, actor: Any, output: ResearchOutput, expected_version: int, changes: dict[str, Any]
) -> ResearchOutput:
    """Change an output (kind, title, DOI, address, publication date)."""
    _require(actor, CHANGE, output, _("Only the secretariat records the outputs of research projects."))
    unknown = sorted(set(changes) - OUTPUT_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = dict(changes)
    if "doi" in changes:
        changes["doi"] = normalise_doi(changes["doi"])
    for name in ("title", "url"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    merged = {name: changes.get(name, getattr(output, name)) for name in OUTPUT_EDITABLE}
    _check_output(merged, output.project, output=output)
    return versioned_update(
        actor=actor,
        instance=output,
        expected_version=expected_version,
        changes=changes,
        action_code=policy.OUTPUT_UPDATED,
    )


# --- milestones ----------------------------------------------------------------------------------------


def _check_due(project: ResearchProject, due_on: dt.date | None) -> None:
    if due_on is None:
        raise ValidationError({"due_on": _("Give the due date of the milestone.")})
    if due_on < project.starts_on:
        raise ValidationError(
            {
                "due_on": _("A milestone cannot be due before the project starts (%(day)s).")
                % {"day": project.starts_on.isoformat()}
            }
        )
    if project.ends_on is not None and due_on > project.ends_on:
        raise ValidationError(
            {
                "due_on": _("A milestone cannot be due after the project ends (%(day)s); extend the project first.")
                % {"day": project.ends_on.isoformat()}
            }
        )


def milestone_add(
    *,
    actor: Any,
    project: ResearchProject,
    due_on: dt.date,
    title_ja: str = "",
    title_en: str = "",
    is_demo: bool = False,
) -> ResearchMilestone:
    """Add a milestone due within the project's period."""
    _require(actor, CHANGE, project, _("Only the secretariat sets the milestones of research projects."))
    values = {"title_ja": (title_ja or "").strip(), "title_en": (title_en or "").strip()}
    _require_title(values)
    _check_due(project, due_on)
    with transaction.atomic():
        milestone = ResearchMilestone(project=project, due_on=due_on, is_demo=is_demo, **values)
        milestone.full_clean()
        mark_action(milestone, policy.MILESTONE_ADDED, actor=actor)
        milestone.save()
    return milestone


def milestone_update(
    *, actor: Any, milestone: ResearchMilestone, expected_version: int, changes: dict[str, Any]
) -> ResearchMilestone:
    """Change a milestone's title or due date (marking it done has its own service)."""
    _require(actor, CHANGE, milestone, _("Only the secretariat sets the milestones of research projects."))
    unknown = sorted(set(changes) - MILESTONE_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = {name: (value or "").strip() if name.startswith("title") else value for name, value in changes.items()}
    merged = {name: changes.get(name, getattr(milestone, name)) for name in MILESTONE_EDITABLE}
    _require_title(merged)
    if "due_on" in changes:
        _check_due(milestone.project, merged["due_on"])
    return versioned_update(
        actor=actor,
        instance=milestone,
        expected_version=expected_version,
        changes=changes,
        action_code=policy.MILESTONE_UPDATED,
    )


def milestone_mark_done(
    *, actor: Any, milestone: ResearchMilestone, expected_version: int, done_on: dt.date | None = None
) -> ResearchMilestone:
    """Record the day a milestone was reached (today unless given): not in the future, not before the project."""
    _require(actor, CHANGE, milestone, _("Only the secretariat sets the milestones of research projects."))
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError(
            {"done_on": _("A milestone cannot be reached in the future; give today or an earlier day.")}
        )
    if done_on < milestone.project.starts_on:
        raise ValidationError(
            {
                "done_on": _("A milestone cannot be reached before the project starts (%(day)s).")
                % {"day": milestone.project.starts_on.isoformat()}
            }
        )
    return versioned_update(
        actor=actor,
        instance=milestone,
        expected_version=expected_version,
        changes={"done_on": done_on},
        action_code=policy.MILESTONE_DONE,
    )
