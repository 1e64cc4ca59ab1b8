"""Every write of the know-how catalogue (packages and their case studies) and of the register of country needs.

Each function takes the acting user (`actor=None` is the system: loaders, commands), checks the policy,
validates (ValidationError naming the field), writes in one transaction and marks the history row with its
action code (policies.packages). Edits of existing records carry the version the user started from and are
refused when stale.

Conditions are checked with the matching engine's own reader (`engines.matching.condition_problems`), so
that what is stored is what the matching understands; each problem is phrased for the user.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, can
from cleanasia.engines.matching import ConditionProblem, condition_problems

from ..models import CountryNeed, KnowHowPackage, NeedStatus, PackageCase, PackageKind
from ..policies import packages as policy

PACKAGE_M2M = ("fields", "providers", "audience_groups")
PACKAGE_EDITABLE = frozenset(
    {
        "code",
        "title_ja",
        "title_en",
        "kind",
        "problem_ja",
        "problem_en",
        "fits_where_ja",
        "fits_where_en",
        "conditions",
        "cost_min",
        "cost_max",
        "cost_currency",
        "cobenefit_evidence_ja",
        "cobenefit_evidence_en",
        "visibility",
        *PACKAGE_M2M,
    }
)
CASE_EDITABLE = frozenset({"country", "title_ja", "title_en", "summary_ja", "summary_en", "year", "source"})
NEED_EDITABLE = frozenset(
    {
        "field",
        "title_ja",
        "title_en",
        "description_ja",
        "description_en",
        "conditions",
        "budget_max",
        "budget_currency",
        "visibility",
        "audience_groups",
    }
)

# Where a need may go from each status. Nothing goes back to "submitted"; a closed need may be reopened.
NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    NeedStatus.SUBMITTED: frozenset({NeedStatus.ACKNOWLEDGED, NeedStatus.MATCHED, NeedStatus.CLOSED}),
    NeedStatus.ACKNOWLEDGED: frozenset({NeedStatus.MATCHED, NeedStatus.CLOSED}),
    NeedStatus.MATCHED: frozenset({NeedStatus.ACKNOWLEDGED, NeedStatus.CLOSED}),
    NeedStatus.CLOSED: frozenset({NeedStatus.ACKNOWLEDGED}),
}

CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
# Providers are Japanese organisations (or international ones without a country).
PROVIDER_COUNTRY = "JP"
# Case studies older than this are not evidence of a package as it is offered now.
EARLIEST_CASE_YEAR = 1950


# --- helpers -------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    """Refuse what the policies do not allow; `None` is the system (loaders, commands)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _require_text(values: dict[str, Any], base: str, message: Any) -> None:
    if not (values.get(f"{base}_ja") or "").strip() and not (values.get(f"{base}_en") or "").strip():
        raise ValidationError({f"{base}_ja": message})


def _stripped(changes: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {name: (value or "").strip() if name in names else value for name, value in changes.items()}


def _check_code(model: type, code: str, instance: Any = None) -> None:
    if not CODE.match(code or ""):
        raise ValidationError(
            {"code": _("Use small letters, digits and hyphens only, starting with a letter or digit, e.g. eco-town.")}
        )
    clash = model.objects.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another package already has this code; choose another.")})


def _amount(values: dict[str, Any], name: str) -> Decimal | None:
    """A non-negative amount, or None; refused (naming the field) when not a number or negative."""
    value = values.get(name)
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({name: _("Give the amount as a number.")}) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError({name: _("The amount cannot be negative.")})
    return amount


def _check_currency(values: dict[str, Any], name: str) -> None:
    if not CURRENCY.match(values.get(name) or ""):
        raise ValidationError({name: _("Give the currency as its three-letter code, e.g. JPY or USD.")})


def _check_visibility(values: dict[str, Any]) -> None:
    if values.get("visibility") not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who may see the record.")})


def _check_field_in_use(field: Any, current_field_id: int | None = None) -> None:
    if field is None:
        raise ValidationError({"field": _("Choose the field.")})
    if not field.is_active and field.pk != current_field_id:
        raise ValidationError({"field": _("This field is no longer in use; choose another.")})


def _problem_text(name: str, problem: ConditionProblem, side: str) -> str:
    messages = {
        ConditionProblem.NOT_A_NUMBER: _("%(name)s: give a number."),
        ConditionProblem.MIN_ABOVE_MAX: _("%(name)s: the minimum is above the maximum."),
        ConditionProblem.EMPTY_LIST: _("%(name)s: list at least one accepted value."),
        ConditionProblem.BAD_LIST_VALUE: _("%(name)s: accepted values are words or numbers."),
        ConditionProblem.NAME_CONFLICT: _(
            "%(name)s: give either accepted values or a range (%(name)s_min, %(name)s_max), not both."
        ),
        ConditionProblem.BAD_NAME: _("every condition needs a name."),
        ConditionProblem.UNSUPPORTED_VALUE: (
            _("%(name)s: give a range (%(name)s_min, %(name)s_max), a list of accepted values, or yes/no.")
            if side == "package"
            else _("%(name)s: give one word, one number or yes/no.")
        ),
    }
    return str(messages[problem] % {"name": name})


def clean_conditions(conditions: Any, *, side: str) -> dict[str, Any]:
    """The conditions as a plain JSON dict the matching engine reads; refused, naming `conditions`, otherwise.

    Decimals (from forms) become numbers; every problem the engine finds is listed in one message.
    """
    if conditions is None:
        return {}
    if not isinstance(conditions, Mapping):
        raise ValidationError({"conditions": _('Give the conditions as named values, e.g. {"coastal": true}.')})
    try:
        plain = json.loads(json.dumps(dict(conditions), default=_json_number, allow_nan=False))
    except ValueError as exc:  # NaN or infinity: JSON has no such numbers
        raise ValidationError({"conditions": _("Conditions hold finite numbers only.")}) from exc
    problems = condition_problems(plain, side=side)  # type: ignore[arg-type]
    if problems:
        raise ValidationError(
            {
                "conditions": _("Some conditions cannot be read: %(problems)s")
                % {"problems": "; ".join(_problem_text(name, problem, side) for name, problem in problems)}
            }
        )
    return plain


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise ValidationError({"conditions": _("Conditions hold words, numbers, yes/no and lists of these only.")})


# --- packages --------------------------------------------------------------------------------------


def _check_package(values: dict[str, Any], m2m: dict[str, list[Any]], *, package: KnowHowPackage | None) -> None:
    """The rules of a package's record, each refusal naming its field."""
    _check_code(KnowHowPackage, values.get("code") or "", package)
    _require_text(values, "title", _("Give the title in Japanese or in English."))
    if values.get("kind") not in PackageKind.values:
        raise ValidationError(
            {"kind": _("Choose the kind: technology, institutional system, organisational model or combination.")}
        )
    _require_text(values, "problem", _("Say what problem the package solves, in Japanese or in English."))
    if "fields" in m2m or package is None:
        fields = m2m.get("fields", [])
        if not fields:
            raise ValidationError({"fields": _("Choose at least one field the package serves.")})
        current = set(package.fields.values_list("pk", flat=True)) if package is not None else set()
        retired = [str(f) for f in fields if not f.is_active and f.pk not in current]
        if retired:
            raise ValidationError(
                {"fields": _("These fields are no longer in use: %(names)s.") % {"names": ", ".join(retired)}}
            )
    foreign = [str(o) for o in m2m.get("providers", []) if o.country_id not in (None, PROVIDER_COUNTRY)]
    if foreign:
        raise ValidationError(
            {
                "providers": _("Providers are Japanese organisations; these are not: %(names)s.")
                % {"names": ", ".join(foreign)}
            }
        )
    cost_min, cost_max = _amount(values, "cost_min"), _amount(values, "cost_max")
    if cost_min is not None and cost_max is not None and cost_max < cost_min:
        raise ValidationError({"cost_max": _("The upper cost cannot be below the lower one.")})
    _check_currency(values, "cost_currency")
    _check_visibility(values)


def package_create(
    *,
    actor: Any,
    code: str,
    kind: str,
    fields: Iterable[Any],
    title_ja: str = "",
    title_en: str = "",
    problem_ja: str = "",
    problem_en: str = "",
    fits_where_ja: str = "",
    fits_where_en: str = "",
    conditions: Mapping[str, Any] | None = None,
    cost_min: Decimal | int | None = None,
    cost_max: Decimal | int | None = None,
    cost_currency: str = "JPY",
    cobenefit_evidence_ja: str = "",
    cobenefit_evidence_en: str = "",
    providers: Iterable[Any] = (),
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    is_demo: bool = False,
) -> KnowHowPackage:
    """Add a package to the catalogue: what it is, the problem it solves, where it fits, cost, evidence, providers."""
    _require(actor, ADD, KnowHowPackage, _("Only the secretariat edits the catalogue of know-how packages."))
    m2m = {"fields": list(fields), "providers": list(providers)}
    values: dict[str, Any] = {
        "code": (code or "").strip(),
        "kind": kind,
        "title_ja": (title_ja or "").strip(),
        "title_en": (title_en or "").strip(),
        "problem_ja": (problem_ja or "").strip(),
        "problem_en": (problem_en or "").strip(),
        "cost_min": cost_min,
        "cost_max": cost_max,
        "cost_currency": (cost_currency or "").strip().upper(),
        "visibility": visibility,
    }
    _check_package(values, m2m, package=None)
    values["cost_min"], values["cost_max"] = _amount(values, "cost_min"), _amount(values, "cost_max")
    values["conditions"] = clean_conditions(conditions, side="package")
    with transaction.atomic():
        package = KnowHowPackage(
            **values,
            fits_where_ja=fits_where_ja or "",
            fits_where_en=fits_where_en or "",
            cobenefit_evidence_ja=cobenefit_evidence_ja or "",
            cobenefit_evidence_en=cobenefit_evidence_en or "",
            is_demo=is_demo,
        )
        package.full_clean()
        mark_action(package, policy.PACKAGE_CREATED, actor=actor)
        package.save()
        package.fields.set(m2m["fields"])
        package.providers.set(m2m["providers"])
        package.audience_groups.set(list(audience_groups))
    return package


def package_update(
    *, actor: Any, package: KnowHowPackage, expected_version: int, changes: dict[str, Any]
) -> KnowHowPackage:
    """Change a package (m2m keys allowed: fields, providers, audience_groups)."""
    _require(actor, CHANGE, package, _("Only the secretariat edits the catalogue of know-how packages."))
    unknown = sorted(set(changes) - PACKAGE_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = _stripped(dict(changes), {"code", "title_ja", "title_en", "problem_ja", "problem_en"})
    if "cost_currency" in changes:
        changes["cost_currency"] = (changes["cost_currency"] or "").strip().upper()
    m2m = {name: list(changes.pop(name)) for name in PACKAGE_M2M if name in changes}
    merged = {name: changes.get(name, getattr(package, name)) for name in PACKAGE_EDITABLE - set(PACKAGE_M2M)}
    _check_package(merged, m2m, package=package)
    for name in ("cost_min", "cost_max"):
        if name in changes:
            changes[name] = _amount(changes, name)
    if "conditions" in changes:
        changes["conditions"] = clean_conditions(changes["conditions"], side="package")
    with transaction.atomic():
        # An m2m-only edit still makes a new version, so that history and concurrency see it.
        updated = versioned_update(
            actor=actor,
            instance=package,
            expected_version=expected_version,
            changes=changes,
            action_code=policy.PACKAGE_UPDATED,
        )
        for name, items in m2m.items():
            getattr(updated, name).set(items)
    return updated


# --- case studies ----------------------------------------------------------------------------------


def _check_case(values: dict[str, Any]) -> None:
    if values.get("country") is None:
        raise ValidationError({"country": _("Choose the country where the case took place.")})
    _require_text(values, "title", _("Give the title in Japanese or in English."))
    year = values.get("year")
    if year is not None:
        if not isinstance(year, int) or isinstance(year, bool):
            raise ValidationError({"year": _("Give the year as four digits, e.g. 2019.")})
        this_year = timezone.localdate().year
        if not EARLIEST_CASE_YEAR <= year <= this_year:
            raise ValidationError(
                {
                    "year": _("Give a year between %(first)d and %(last)d.")
                    % {"first": EARLIEST_CASE_YEAR, "last": this_year}
                }
            )


def case_add(
    *,
    actor: Any,
    package: KnowHowPackage,
    country: Any,
    title_ja: str = "",
    title_en: str = "",
    summary_ja: str = "",
    summary_en: str = "",
    year: int | None = None,
    source: str = "",
    is_demo: bool = False,
) -> PackageCase:
    """Add a case study of the package: where and when it was applied, what it achieved, its source."""
    _require(actor, CHANGE, package, _("Only the secretariat edits the catalogue of know-how packages."))
    values = {
        "country": country,
        "title_ja": (title_ja or "").strip(),
        "title_en": (title_en or "").strip(),
        "year": year,
    }
    _check_case(values)
    with transaction.atomic():
        case = PackageCase(
            package=package,
            **values,
            summary_ja=summary_ja or "",
            summary_en=summary_en or "",
            source=(source or "").strip(),
            is_demo=is_demo,
        )
        case.full_clean()
        mark_action(case, policy.CASE_ADDED, actor=actor)
        case.save()
    return case


def case_update(*, actor: Any, case: PackageCase, expected_version: int, changes: dict[str, Any]) -> PackageCase:
    """Change a case study (country, title, summary, year, source)."""
    _require(actor, CHANGE, case, _("Only the secretariat edits the catalogue of know-how packages."))
    unknown = sorted(set(changes) - CASE_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = _stripped(dict(changes), {"title_ja", "title_en", "source"})
    _check_case({name: changes.get(name, getattr(case, name)) for name in CASE_EDITABLE})
    return versioned_update(
        actor=actor, instance=case, expected_version=expected_version, changes=changes, action_code=policy.CASE_UPDATED
    )


# --- country needs -----------------------------------------------------------------------------------


def _check_need(values: dict[str, Any], *, need: CountryNeed | None = None) -> None:
    _check_field_in_use(values.get("field"), need.field_id if need is not None else None)
    _require_text(values, "title", _("Give the title in Japanese or in English."))
    _amount(values, "budget_max")
    _check_currency(values, "budget_currency")
    _check_visibility(values)


def need_submit(
    *,
    actor: Any,
    country: Any,
    field: Any,
    title_ja: str = "",
    title_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    conditions: Mapping[str, Any] | None = None,
    budget_max: Decimal | int | None = None,
    budget_currency: str = "USD",
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    is_demo: bool = False,
) -> CountryNeed:
    """Register a need of `country` in a field, with the country's conditions and budget.

    By a focal point of that country or the secretariat. Seen by the secretariat and the country's focal
    points; by others only as `visibility` says (secretariat-only unless given).
    """
    _require(actor, ADD, CountryNeed, _("Only country focal points and the secretariat register needs."))
    if country is None:
        raise ValidationError({"country": _("Choose the country whose need it is.")})
    if actor is not None and not policy.may_submit_for(actor, country.pk):
        raise PermissionDenied(_("A focal point registers the needs of their own country only."))
    values: dict[str, Any] = {
        "field": field,
        "title_ja": (title_ja or "").strip(),
        "title_en": (title_en or "").strip(),
        "budget_max": budget_max,
        "budget_currency": (budget_currency or "").strip().upper(),
        "visibility": visibility,
    }
    _check_need(values)
    values["budget_max"] = _amount(values, "budget_max")
    values["conditions"] = clean_conditions(conditions, side="need")
    with transaction.atomic():
        need = CountryNeed(
            country=country,
            **values,
            description_ja=description_ja or "",
            description_en=description_en or "",
            status=NeedStatus.SUBMITTED,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_demo=is_demo,
        )
        need.full_clean()
        mark_action(need, policy.NEED_SUBMITTED, actor=actor)
        need.save()
        need.audience_groups.set(list(audience_groups))
    return need


def need_update(*, actor: Any, need: CountryNeed, expected_version: int, changes: dict[str, Any]) -> CountryNeed:
    """Change a need (m2m key allowed: audience_groups). Its country's focal points may until it is matched
    or closed; the secretariat always. The country stays; the status has its own service."""
    _require(
        actor,
        CHANGE,
        need,
        _("A need is changed by its country's focal points until it is matched or closed, and by the secretariat."),
    )
    changes = dict(changes)
    for name in ("country", "status"):
        if name in changes and changes[name] != getattr(need, name):
            message = {
                "country": _("A need stays with its country; register a new need for another country."),
                "status": _("The secretariat changes the status with the status action."),
            }[name]
            raise ValidationError({name: message})
        changes.pop(name, None)
    unknown = sorted(set(changes) - NEED_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = _stripped(changes, {"title_ja", "title_en"})
    if "budget_currency" in changes:
        changes["budget_currency"] = (changes["budget_currency"] or "").strip().upper()
    groups = list(changes.pop("audience_groups")) if "audience_groups" in changes else None
    merged = {name: changes.get(name, getattr(need, name)) for name in NEED_EDITABLE - {"audience_groups"}}
    _check_need(merged, need=need)
    if "budget_max" in changes:
        changes["budget_max"] = _amount(changes, "budget_max")
    if "conditions" in changes:
        changes["conditions"] = clean_conditions(changes["conditions"], side="need")
    with transaction.atomic():
        updated = versioned_update(
            actor=actor,
            instance=need,
            expected_version=expected_version,
            changes=changes,
            action_code=policy.NEED_UPDATED,
        )
        if groups is not None:
            updated.audience_groups.set(groups)
    return updated


def need_set_status(*, actor: Any, need: CountryNeed, expected_version: int, status: str) -> CountryNeed:
    """Acknowledge, mark as matched, close or reopen a need (the secretariat). Nothing goes back to submitted."""
    _require(actor, policy.SET_STATUS, need, _("Only the secretariat changes the status of country needs."))
    if status not in NeedStatus.values:
        raise ValidationError({"status": _("Choose submitted, acknowledged, matched or closed.")})
    if status == need.status:
        return need
    if status not in NEED_TRANSITIONS[need.status]:
        raise ValidationError(
            {
                "status": _("A need that is %(current)s cannot become %(new)s.")
                % {"current": NeedStatus(need.status).label, "new": NeedStatus(status).label}
            }
        )
    return versioned_update(
        actor=actor,
        instance=need,
        expected_version=expected_version,
        changes={"status": status},
        action_code=policy.NEED_STATUS_SET,
    )
