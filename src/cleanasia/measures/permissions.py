"""Permission policies of the progress module (see core.permissions).

- Measure: the secretariat sees and changes all; the owner sees and reports on
  their own measures; a country focal point sees the measures whose partner
  countries include their country; everyone else by the visibility level.
- Indicator and its baselines/targets/actuals: visible when the measure is
  visible and the reader is signed in or the indicator is approved for
  publication.
- ProgressReport: the secretariat; the measure's owner; focal points of a
  partner country read approved ones.
- Actions: "report" (owner or secretariat), "approve", "change", "open_period"
  (secretariat).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from cleanasia.core.permissions import (
    VIEW,
    PermissionPolicy,
    is_secretariat,
    register_policy,
    visibility_filter,
)

from .models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    MeasureBudget,
    MeasureLink,
    Milestone,
    ProgressReport,
    ReportAttachment,
    ReportingPeriod,
    ReportState,
    Result,
    Target,
)

REPORT = "report"
APPROVE = "approve"
OPEN_PERIOD = "open_period"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _countries(user: Any) -> set[str]:
    return set(getattr(user, "focal_point_countries", set())) if _signed_in(user) else set()


def measure_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting measures (or rows under a measure, through `prefix`) to what `user` sees; None: all."""
    if is_secretariat(user):
        return None
    base = visibility_filter(user, Measure)
    assert base is not None
    if not _signed_in(user):
        condition = base
    else:
        condition = base | Q(owner=user)
        countries = _countries(user)
        if countries:
            in_countries = Measure.partner_countries.through.objects.filter(country_id__in=countries).values(
                "measure_id"
            )
            condition |= Q(pk__in=in_countries)
    if not prefix:
        return condition
    return Q(**{f"{prefix}__in": Measure.objects.filter(condition).values("pk")})


def is_owner(user: Any, measure: Measure) -> bool:
    return _signed_in(user) and measure.owner_id is not None and measure.owner_id == user.pk


class MeasurePolicy(PermissionPolicy):
    """Measures (and activities)."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = measure_filter(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return True
            return self.visible(Measure.objects.filter(pk=obj.pk), user).exists()
        if action == REPORT:
            return isinstance(obj, Measure) and is_owner(user, obj)
        return False


class UnderMeasurePolicy(PermissionPolicy):
    """Rows that belong to a measure (budgets, results, milestones, links): visible with the measure."""

    path = "measure"

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = measure_filter(user, self.path)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return True
            return self.visible(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()
        if action == "complete" and isinstance(obj, Milestone):
            # The milestone's owner or the measure's owner records its completion.
            return _signed_in(user) and (obj.owner_id == user.pk or is_owner(user, obj.measure))
        return False


class IndicatorPolicy(UnderMeasurePolicy):
    """Indicators: the measure visible AND (signed in, or approved for publication)."""

    path = "result__measure"
    public_flag = "public_approved"

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        qs = super().visible(qs, user)
        if not _signed_in(user):
            qs = qs.filter(**{self.public_flag: True})
        return qs


class IndicatorValuePolicy(IndicatorPolicy):
    """Baselines, targets and actuals follow their indicator."""

    path = "indicator__result__measure"
    public_flag = "indicator__public_approved"


class ProgressReportPolicy(PermissionPolicy):
    """Reports: the secretariat; the measure's owner; partner-country focal points read approved ones."""

    path = "measure"
    state_path = "state"

    def _condition(self, user: Any) -> Q | None:
        if is_secretariat(user):
            return None
        if not _signed_in(user):
            return Q(pk__in=[])
        p = self.path
        condition = Q(**{f"{p}__owner": user})
        countries = _countries(user)
        if countries:
            in_countries = Measure.partner_countries.through.objects.filter(country_id__in=countries).values(
                "measure_id"
            )
            condition |= Q(**{f"{p}__in": in_countries, self.state_path: ReportState.APPROVED})
        return condition

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = self._condition(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if is_secretariat(user):
            return True
        if action == VIEW:
            if obj is None:
                return _signed_in(user)
            return self.visible(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()
        if action in (REPORT, "change") and isinstance(obj, ProgressReport):
            return is_owner(user, obj.measure)
        return False


class AttachmentPolicy(ProgressReportPolicy):
    path = "report__measure"
    state_path = "report__state"


class ReportingPeriodPolicy(PermissionPolicy):
    """Periods are calendar facts: signed-in users read them; the secretariat opens and closes them."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs if _signed_in(user) else qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            return _signed_in(user)
        return is_secretariat(user)


register_policy(Measure, MeasurePolicy())
for _model in (MeasureBudget, Result, Milestone, MeasureLink):
    register_policy(_model, UnderMeasurePolicy())
register_policy(Indicator, IndicatorPolicy())
for _model in (Baseline, Target, Actual):
    register_policy(_model, IndicatorValuePolicy())
register_policy(ProgressReport, ProgressReportPolicy())
register_policy(ReportAttachment, AttachmentPolicy())
register_policy(ReportingPeriod, ReportingPeriodPolicy())
