"""Reads of the know-how catalogue and the register of country needs, and the matching of packages to a need.

Everything goes through the policies (`visible`); each function runs a fixed number of queries whatever the
number of rows. The matching itself is the pure engine `engines.matching`: `matches_for` only gathers the
facts it needs from the database (packages with their fields, the countries of their case studies and
those countries' regions, the co-benefit evidence flag) and turns the engine's reasons into sentences.

Regions are the country groups (ASEAN, EAS…) a country belongs to today.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cleanasia.core.permissions import CHANGE, VIEW, can, get_visible_or_404, visible
from cleanasia.directory.models import Country, GroupMembership, Organisation
from cleanasia.engines.matching import (
    CONDITION_PREFIX,
    CostFit,
    NeedFacts,
    PackageFacts,
    Reason,
    ReasonCode,
    Unknown,
    rank,
)

from ..models import CountryNeed, Field, KnowHowPackage, PackageCase
from ..policies.packages import SET_STATUS
from ..services.packages import NEED_TRANSITIONS


def _key(value: Any, attribute: str) -> Any:
    """A filter value given as a record or as its key (a code)."""
    return getattr(value, attribute) if hasattr(value, attribute) else value


# --- the catalogue -----------------------------------------------------------------------------------


def packages_for(
    *,
    user: Any,
    field: Field | str | None = None,
    kind: str | None = None,
    case_country: Country | str | None = None,
) -> QuerySet[KnowHowPackage]:
    """Packages the user may see, filtered by field (record or code), kind and the country of a case study
    (record or ISO code); each with its fields, providers and `case_count`. Three queries when evaluated."""
    qs = visible(KnowHowPackage.objects.all(), user)
    # Subqueries rather than joins, so that a package is never listed twice.
    if field:
        serving = KnowHowPackage.fields.through.objects.filter(field__code=_key(field, "code"))
        qs = qs.filter(pk__in=serving.values("knowhowpackage_id"))
    if kind:
        qs = qs.filter(kind=kind)
    if case_country:
        qs = qs.filter(pk__in=PackageCase.objects.filter(country_id=_key(case_country, "code")).values("package_id"))
    cases = PackageCase.objects.filter(package=OuterRef("pk")).order_by().values("package").annotate(n=Count("pk"))
    return (
        qs.prefetch_related(
            Prefetch("fields", queryset=Field.objects.order_by("position", "code")),
            Prefetch("providers", queryset=Organisation.objects.order_by("name_en")),
        )
        .annotate(case_count=Coalesce(Subquery(cases.values("n"), output_field=IntegerField()), 0))
        .order_by("code")
    )


def package_detail_for(*, user: Any, pk: int) -> dict[str, Any]:
    """A package (404 when not visible) with its fields, providers and case studies (latest first, with their
    country). Keys: package, cases, may_change. Fixed queries."""
    package = get_visible_or_404(
        KnowHowPackage.objects.prefetch_related(
            Prefetch("fields", queryset=Field.objects.order_by("position", "code")),
            Prefetch("providers", queryset=Organisation.objects.order_by("name_en")),
        ),
        user,
        pk=pk,
    )
    cases = list(
        PackageCase.objects.filter(package=package)
        .select_related("country")
        .order_by("-year", "country__name_en", "pk")
    )
    return {"package": package, "cases": cases, "may_change": can(user, CHANGE, package)}


# --- country needs -------------------------------------------------------------------------------------


def needs_for(
    *,
    user: Any,
    country: Country | str | None = None,
    field: Field | str | None = None,
    status: str | None = None,
) -> QuerySet[CountryNeed]:
    """Needs the user may see, filtered by country (record or ISO code), field (record or code) and status;
    each with its country, field and submitter. One query when evaluated."""
    qs = visible(CountryNeed.objects.all(), user)
    if country:
        qs = qs.filter(country_id=_key(country, "code"))
    if field:
        qs = qs.filter(field__code=_key(field, "code"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("country", "field", "submitted_by").order_by("country__name_en", "field__position", "pk")


def need_detail_for(*, user: Any, pk: int) -> dict[str, Any]:
    """A need (404 when not visible) and what the user may do with it.

    Keys: need, may_change, may_set_status, next_statuses.
    """
    need = get_visible_or_404(CountryNeed.objects.select_related("country", "field", "submitted_by"), user, pk=pk)
    may_set_status = can(user, SET_STATUS, need)
    return {
        "need": need,
        "may_change": can(user, CHANGE, need),
        "may_set_status": may_set_status,
        "next_statuses": sorted(NEED_TRANSITIONS[need.status]) if may_set_status else [],
    }


# --- matching --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageMatch:
    """A package ranked for a need: its score out of 100 and the engine's reasons, in the engine's order."""

    package: KnowHowPackage
    score: int
    reasons: tuple[Reason, ...]

    def explained(self) -> list[tuple[Reason, str]]:
        """Each reason with its sentence in the active language."""
        return [(reason, reason_text(reason)) for reason in self.reasons]


def _regions_by_country(codes: set[str]) -> dict[str, frozenset[str]]:
    """The codes of the country groups each country belongs to today (one query)."""
    found: dict[str, set[str]] = defaultdict(set)
    rows = (
        GroupMembership.objects.active_on(timezone.localdate())
        .filter(country_id__in=codes)
        .values_list("country_id", "group__code")
    )
    for country, group in rows:
        found[country].add(group)
    return {code: frozenset(found.get(code, ())) for code in codes}


def _has_text(*values: str | None) -> bool:
    return any((value or "").strip() for value in values)


def matches_for(*, user: Any, need: CountryNeed) -> list[PackageMatch]:
    """The packages the user may see that serve the need's field, ranked for the need, best first, with the
    reasons of each score (404 when the user may not see the need). At most six queries, whatever the catalogue."""
    if not can(user, VIEW, need):
        raise Http404
    packages = list(
        visible(KnowHowPackage.objects.all(), user)
        .filter(pk__in=KnowHowPackage.fields.through.objects.filter(field_id=need.field_id).values("knowhowpackage_id"))
        .prefetch_related("fields")
    )
    case_countries: dict[int, set[str]] = defaultdict(set)
    for package_id, country in (
        PackageCase.objects.filter(package__in=[p.pk for p in packages])
        .values_list("package_id", "country_id")
        .distinct()
    ):
        case_countries[package_id].add(country)
    regions = _regions_by_country({need.country_id}.union(*case_countries.values()))
    facts = NeedFacts(
        country=need.country_id,
        field=need.field.code,
        conditions=need.conditions or {},
        budget_max=need.budget_max,
        currency=need.budget_currency,
        regions=regions[need.country_id],
    )
    by_code = {package.code: package for package in packages}
    ranked = rank(
        facts,
        (
            PackageFacts(
                code=package.code,
                fields=frozenset(f.code for f in package.fields.all()),
                kind=package.kind,
                conditions=package.conditions or {},
                cost_min=package.cost_min,
                cost_max=package.cost_max,
                currency=package.cost_currency,
                case_countries=frozenset(case_countries[package.pk]),
                case_regions=frozenset().union(*(regions[c] for c in case_countries[package.pk])),
                has_cobenefit_evidence=_has_text(package.cobenefit_evidence_ja, package.cobenefit_evidence_en),
            )
            for package in packages
        ),
    )
    return [PackageMatch(package=by_code[m.package], score=m.score, reasons=m.reasons) for m in ranked]


# --- the reasons in words -----------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _wanted(params: dict[str, Any]) -> str:
    """What a package's condition asks for, in words."""
    kind = params.get("kind")
    if kind == "range":
        low, high = params.get("min"), params.get("max")
        if low is not None and high is not None:
            return _("%(low)s to %(high)s") % {"low": _shown(low), "high": _shown(high)}
        if low is not None:
            return _("at least %(low)s") % {"low": _shown(low)}
        return _("at most %(high)s") % {"high": _shown(high)}
    if kind == "set":
        return _("one of %(values)s") % {"values": ", ".join(_shown(v) for v in params.get("accepted", ()))}
    return _shown(params.get("expected"))


def _condition_text(reason: Reason) -> str:
    params = dict(reason.params)
    name = params.get("name", reason.code.removeprefix(CONDITION_PREFIX))
    unknown = params.get("unknown")
    if unknown == Unknown.INVALID_CONDITION:
        return _("%(name)s: the package's condition cannot be read; the secretariat should correct it.") % {
            "name": name
        }
    if unknown == Unknown.NOT_STATED:
        return _("%(name)s: the package asks for %(wanted)s; the need does not say.") % {
            "name": name,
            "wanted": _wanted(params),
        }
    values = {"name": name, "wanted": _wanted(params), "value": _shown(params.get("value"))}
    if unknown == Unknown.INCOMPARABLE:
        return _("%(name)s: the package asks for %(wanted)s; the need's %(value)s cannot be compared.") % values
    if reason.met:
        return _("%(name)s: the need's %(value)s fits (the package asks for %(wanted)s).") % values
    return _("%(name)s: the need's %(value)s does not fit (the package asks for %(wanted)s).") % values


def _cost_text(reason: Reason) -> str:
    params = dict(reason.params)
    unknown = params.get("unknown")
    if unknown == Unknown.NO_BUDGET:
        return _("Cost: the need gives no budget.")
    if unknown == Unknown.NO_COST:
        return _("Cost: the package gives no cost.")
    if unknown == Unknown.CURRENCY_MISMATCH:
        return _("Cost: the package is costed in %(package)s and the budget is in %(need)s; not compared.") % {
            "package": params.get("package_currency") or "?",
            "need": params.get("need_currency") or "?",
        }
    values = {"budget": _shown(params.get("budget_max")), "currency": params.get("currency", "")}
    fit = params.get("fit")
    if fit == CostFit.WITHIN:
        return _("Cost: within the budget of %(budget)s %(currency)s.") % values
    if fit == CostFit.PARTLY:
        return _("Cost: only the cheaper variants fit the budget of %(budget)s %(currency)s.") % values
    return _("Cost: above the budget of %(budget)s %(currency)s.") % values


def reason_text(reason: Reason) -> str:
    """One sentence saying what a reason of the matching found, in the active language."""
    params = dict(reason.params)
    if reason.code.startswith(CONDITION_PREFIX):
        return _condition_text(reason)
    if reason.code == ReasonCode.FIELD:
        return _("Serves the need's field.") if reason.met else _("Does not serve the need's field.")
    if reason.code == ReasonCode.CONDITIONS_UNSTATED:
        return _("The package states no conditions where it fits.")
    if reason.code == ReasonCode.COST:
        return _cost_text(reason)
    if reason.code == ReasonCode.CASE_SAME_COUNTRY:
        if reason.met:
            return _("A case study in the need's country.")
        return _("No case study in the need's country.")
    if reason.code == ReasonCode.CASE_SAME_REGION:
        if params.get("unknown") == Unknown.NO_REGION:
            return _("The need's country belongs to no region the catalogue knows.")
        if reason.met:
            return _("A case study in the same region.")
        return _("No case study in the same region.")
    if reason.code == ReasonCode.COBENEFIT_EVIDENCE:
        return _("Co-benefit evidence is documented.") if reason.met else _("No co-benefit evidence is documented.")
    return reason.code
