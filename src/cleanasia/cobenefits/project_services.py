"""Every write of stored co-benefit projects and their evaluations, and the difference of two evaluations.

Each function takes the acting user (`actor=None` is the system: loaders, commands), checks the policy,
validates (ValidationError naming the field), writes in one transaction and marks the history row with its
action code (policies). Edits and deletions of a project carry the version the user started from and are
refused when stale (StaleEditError, a 409 in the API).

An evaluation runs the engine on the request and stores the request, the factor versions, the overrides, the
whole result and its totals. A request the engine refuses stores nothing: `EvaluationRefused` (a
ValidationError) names each field as `request.<path>` (dotted, as the API names fields) and keeps the engine's
`FieldError`s. A stored evaluation is never changed; `evaluation_recompute` makes a new one from the same
request with the current factor files, and `evaluation_difference` says what moved and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import StaleEditError, changes_since, versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, DELETE, VIEW, can
from cleanasia.engines.cobenefits import EvaluationError, FactorSet, FieldError, evaluate
from cleanasia.measures.models import Measure, MeasureLink, MeasureLinkRelation

from . import policies as policy
from . import services
from .models import CobenefitProject, Evaluation, ProjectStatus, Sector

PROJECT_M2M = ("audience_groups", "measures")
PROJECT_EDITABLE = frozenset(
    {
        "code",
        "title_ja",
        "title_en",
        "country",
        "sector",
        "package",
        "working_group",
        "status",
        "visibility",
        *PROJECT_M2M,
    }
)
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SIDES = ("baseline", "project", "reduction")


class EvaluationRefused(ValidationError):
    """The engine refused the request: every problem, named `request.<dotted path>`; nothing was stored."""

    def __init__(self, errors: Iterable[FieldError]):
        self.field_errors = list(errors)
        by_field: dict[str, list[str]] = {}
        for error in self.field_errors:
            name = f"request.{services.dotted(error.path)}" if error.path else "request"
            by_field.setdefault(name, []).append(error.message)
        super().__init__(by_field)


# --- helpers -------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    """Refuse what the policies do not allow; `None` is the system (loaders, commands)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def project_type() -> ContentType:
    return ContentType.objects.get_for_model(CobenefitProject)


def _check_project(values: dict[str, Any], *, project: CobenefitProject | None, actor: Any) -> None:
    """The rules of a project's record, each refusal naming its field."""
    code = values.get("code") or ""
    if not re.match(CODE_PATTERN, code):
        raise ValidationError(
            {"code": _("Use small letters, digits and hyphens only, starting with a letter or digit, e.g. vn-boiler.")}
        )
    clash = CobenefitProject.objects.filter(code=code)
    if project is not None:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another project already has this code; choose another.")})
    if not (values.get("title_ja") or "").strip() and not (values.get("title_en") or "").strip():
        raise ValidationError({"title_ja": _("Give the title in Japanese or in English.")})
    country = values.get("country")
    if country is None:
        raise ValidationError({"country": _("Choose the country of the project.")})
    if actor is not None and not policy.may_manage_country(actor, country.pk):
        raise PermissionDenied(_("A focal point records the projects of their own country only."))
    if values.get("sector") not in Sector.values:
        raise ValidationError(
            {"sector": _("Choose the sector: energy, industry, transport, waste, wastewater or other.")}
        )
    if values.get("status") not in ProjectStatus.values:
        raise ValidationError({"status": _("Choose planned, ongoing or completed.")})
    package = values.get("package")
    if package is not None and actor is not None and not can(actor, VIEW, package):
        raise ValidationError({"package": _("No such know-how package.")})
    if values.get("visibility") not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who may see the project.")})


def _check_measures(actor: Any, measures: Iterable[Measure]) -> list[Measure]:
    chosen = list(measures)
    if actor is not None and any(not can(actor, VIEW, measure) for measure in chosen):
        raise ValidationError({"measures": _("No such measure.")})
    return chosen


def _set_measures(project: CobenefitProject, measures: list[Measure]) -> None:
    """The project advances exactly these measures (MeasureLink, relation "advances")."""
    links = MeasureLink.objects.filter(
        target_type=project_type(), target_id=project.pk, relation=MeasureLinkRelation.ADVANCES
    )
    wanted = {measure.pk for measure in measures}
    links.exclude(measure_id__in=wanted).delete()
    present = set(links.values_list("measure_id", flat=True))
    MeasureLink.objects.bulk_create(
        MeasureLink(
            measure_id=pk, relation=MeasureLinkRelation.ADVANCES, target_type=project_type(), target_id=project.pk
        )
        for pk in sorted(wanted - present)
    )


def linked_measure_ids(project_ids: Iterable[int]) -> dict[int, list[int]]:
    """Ids of the measures each project advances (one query; not filtered by visibility)."""
    found: dict[int, list[int]] = {}
    for target_id, measure_id in (
        MeasureLink.objects.filter(
            target_type=project_type(), target_id__in=list(project_ids), relation=MeasureLinkRelation.ADVANCES
        )
        .order_by("measure_id")
        .values_list("target_id", "measure_id")
    ):
        found.setdefault(target_id, []).append(measure_id)
    return found


# --- projects ------------------------------------------------------------------------------------


def project_create(
    *,
    actor: Any,
    code: str,
    country: Any,
    sector: str,
    title_ja: str = "",
    title_en: str = "",
    package: Any = None,
    working_group: Any = None,
    measures: Iterable[Measure] = (),
    status: str = ProjectStatus.PLANNED,
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    is_demo: bool = False,
) -> CobenefitProject:
    """Record a co-benefit project (a focal point for their own country, or the secretariat)."""
    _require(actor, ADD, CobenefitProject, _("Only country focal points and the secretariat record projects."))
    values = {
        "code": (code or "").strip(),
        "title_ja": (title_ja or "").strip(),
        "title_en": (title_en or "").strip(),
        "country": country,
        "sector": sector,
        "package": package,
        "working_group": working_group,
        "status": status,
        "visibility": visibility,
    }
    _check_project(values, project=None, actor=actor)
    chosen = _check_measures(actor, measures)
    with transaction.atomic():
        project = CobenefitProject(**values, is_demo=is_demo)
        project.full_clean()
        mark_action(project, policy.PROJECT_CREATED, actor=actor)
        project.save()
        project.audience_groups.set(list(audience_groups))
        _set_measures(project, chosen)
    return project


def project_update(
    *, actor: Any, project: CobenefitProject, expected_version: int, changes: dict[str, Any]
) -> CobenefitProject:
    """Change a project (m2m keys allowed: audience_groups, measures); refused when stale."""
    _require(actor, CHANGE, project, _("Only the country's focal points and the secretariat change this project."))
    changes = dict(changes)
    unknown = sorted(set(changes) - PROJECT_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name in ("code", "title_ja", "title_en"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    m2m = {name: list(changes.pop(name)) for name in PROJECT_M2M if name in changes}
    merged = {
        name: changes.get(name, getattr(project, name))
        for name in (
            "code",
            "title_ja",
            "title_en",
            "country",
            "sector",
            "package",
            "working_group",
            "status",
            "visibility",
        )
    }
    if "package" not in changes:
        merged["package"] = None  # an unchanged package is not checked again
    _check_project(merged, project=project, actor=actor)
    if "measures" in m2m:
        m2m["measures"] = _check_measures(actor, m2m["measures"])
    with transaction.atomic():
        # An m2m-only edit still makes a new version, so that history and concurrency see it.
        updated = versioned_update(
            actor=actor,
            instance=project,
            expected_version=expected_version,
            changes=changes,
            action_code=policy.PROJECT_UPDATED,
        )
        if "audience_groups" in m2m:
            updated.audience_groups.set(m2m["audience_groups"])
        if "measures" in m2m:
            _set_measures(updated, m2m["measures"])
    return updated


def project_delete(*, actor: Any, project: CobenefitProject, expected_version: int) -> None:
    """Delete a project with its stored evaluations and measure links; refused when stale."""
    _require(actor, DELETE, project, _("Only the country's focal points and the secretariat delete this project."))
    with transaction.atomic():
        current = CobenefitProject.objects.select_for_update().get(pk=project.pk)
        if current.version != expected_version:
            found, by = changes_since(current, expected_version)
            raise StaleEditError(current, found, by)
        MeasureLink.objects.filter(target_type=project_type(), target_id=current.pk).delete()
        mark_action(current, policy.PROJECT_DELETED, actor=actor)
        current.delete()


# --- evaluations ---------------------------------------------------------------------------------


def _run(request: Any, factors: FactorSet | None) -> dict[str, Any]:
    """The engine's result document; EvaluationRefused lists every problem of the request."""
    if not isinstance(request, Mapping):
        raise EvaluationRefused([FieldError("", "wrong_type", "must be a JSON object (one evaluation request)")])
    size = services._activity_years(request)
    if size > services.API_MAX_ACTIVITY_YEARS:
        raise EvaluationRefused(
            [
                FieldError(
                    "",
                    "too_large",
                    f"{size} activity-years (activities × years); at most {services.API_MAX_ACTIVITY_YEARS} "
                    "in one stored evaluation",
                )
            ]
        )
    try:
        return evaluate(request, factors=factors).to_dict()
    except EvaluationError as exc:
        raise EvaluationRefused(exc.errors) from exc


def totals_of(result: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Sums over the years per species, and for "co2e": {side: t} for baseline, project, reduction."""
    totals = {name: dict(row["total"]) for name, row in result.get("species", {}).items()}
    totals["co2e"] = dict(result["co2e"]["total"])
    return totals


def _store(
    *,
    actor: Any,
    project: CobenefitProject,
    request: Mapping[str, Any],
    note: str,
    factors: FactorSet | None,
    recomputed_from: Evaluation | None = None,
) -> Evaluation:
    result = _run(request, factors)
    totals = totals_of(result)
    with transaction.atomic():
        locked = CobenefitProject.objects.select_for_update().get(pk=project.pk)
        last = Evaluation.objects.filter(project=locked).aggregate(n=Max("number"))["n"] or 0
        return Evaluation.objects.create(
            project=locked,
            number=last + 1,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            recomputed_from=recomputed_from,
            request=dict(request),
            gwp=result["gwp"]["set"],
            fod_convention=result["fod_convention"],
            factor_versions=result["factor_versions"],
            overrides=result.get("overrides") or [],
            result=result,
            totals=totals,
            co2e_reduction=totals["co2e"]["reduction"],
            note=(note or "").strip(),
            is_demo=project.is_demo,
        )


def evaluation_create(
    *, actor: Any, project: CobenefitProject, request: Any, note: str = "", factors: FactorSet | None = None
) -> Evaluation:
    """Evaluate `request` for the project and store it (numbered after the project's last evaluation).

    `factors`: the factor library (default: the shipped files). Nothing is stored when the engine refuses.
    """
    _require(actor, CHANGE, project, _("Only the country's focal points and the secretariat evaluate this project."))
    return _store(actor=actor, project=project, request=request, note=note, factors=factors)


def evaluation_recompute(
    *, actor: Any, evaluation: Evaluation, note: str = "", factors: FactorSet | None = None
) -> Evaluation:
    """A new evaluation of the same request with the current factor files (or `factors`); the stored one stays."""
    project = evaluation.project
    _require(actor, CHANGE, project, _("Only the country's focal points and the secretariat evaluate this project."))
    return _store(
        actor=actor, project=project, request=evaluation.request, note=note, factors=factors, recomputed_from=evaluation
    )


def _factor_values(result: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each library factor the working used, as published: {factor id: {value, unit}}."""
    found: dict[str, dict[str, Any]] = {}
    for line in result.get("lines", []):
        for parameter in line.get("parameters", []):
            factor_id = parameter.get("factor_id")
            if factor_id:
                found[factor_id] = {"value": parameter.get("factor_value"), "unit": parameter.get("factor_unit", "")}
    return found


def evaluation_difference(before: Evaluation, after: Evaluation) -> dict[str, Any]:
    """What changed from `before` to `after`: per species and CO2e, for baseline, project and reduction, the
    totals before, after and the change; the factor files whose version changed; the factors whose value or
    unit changed; whether the request or the overrides differ."""
    totals: dict[str, dict[str, dict[str, float | None]]] = {}
    names = list(before.totals) + [name for name in after.totals if name not in before.totals]
    for name in names:
        old, new = before.totals.get(name, {}), after.totals.get(name, {})
        totals[name] = {}
        for side in SIDES:
            a, b = old.get(side), new.get(side)
            change = None if a is None or b is None else b - a
            totals[name][side] = {"before": a, "after": b, "change": change}
    files = sorted(set(before.factor_versions) | set(after.factor_versions))
    versions = [
        {"file": name, "before": before.factor_versions.get(name), "after": after.factor_versions.get(name)}
        for name in files
        if before.factor_versions.get(name) != after.factor_versions.get(name)
    ]
    old_factors, new_factors = _factor_values(before.result), _factor_values(after.result)
    factors = [
        {"factor_id": factor_id, "before": old_factors.get(factor_id), "after": new_factors.get(factor_id)}
        for factor_id in sorted(set(old_factors) | set(new_factors))
        if old_factors.get(factor_id) != new_factors.get(factor_id)
    ]
    return {
        "before": before.pk,
        "after": after.pk,
        "totals": totals,
        "factor_versions": versions,
        "factors": factors,
        "request_changed": before.request != after.request,
        "overrides_changed": before.overrides != after.overrides,
    }
