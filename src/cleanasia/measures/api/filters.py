"""Query parameters of the progress module's endpoints."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import Visibility
from cleanasia.directory.api.filters import text_search
from cleanasia.measures.models import (
    Actual,
    Indicator,
    IndicatorType,
    Measure,
    MeasureKind,
    MeasureStatus,
    PeriodKind,
    PeriodState,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ResultLevel,
)


class MeasureFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Words found in the code or a title."))
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices)
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices)
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)
    framework_node = django_filters.NumberFilter(field_name="framework_node_id", label=_("Id of the framework line."))
    goal = django_filters.CharFilter(
        method="filter_goal", label=_("Code of a framework node (e.g. G1): measures under it or its lines.")
    )
    country = django_filters.CharFilter(method="filter_country", label=_("ISO 3166-1 alpha-2 code of a partner."))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Id of the measure (its activities)."))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("Id of the responsible officer."))
    is_demo = django_filters.BooleanFilter()

    class Meta:
        model = Measure
        fields = ["search", "kind", "status", "visibility", "framework_node", "goal", "country", "parent", "owner"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return text_search(queryset, value, ["code", "title_ja", "title_en"])

    def filter_goal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(framework_node__code=value) | Q(framework_node__parent__code=value))

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = Measure.partner_countries.through.objects.filter(country_id=value.upper())
        return queryset.filter(pk__in=through.values("measure_id"))


class IndicatorFilterSet(django_filters.FilterSet):
    measure = django_filters.NumberFilter(field_name="result__measure_id", label=_("Id of the measure."))
    result = django_filters.NumberFilter(field_name="result_id")
    level = django_filters.ChoiceFilter(field_name="result__level", choices=ResultLevel.choices)
    indicator_type = django_filters.ChoiceFilter(choices=IndicatorType.choices)
    status = django_filters.ChoiceFilter(
        choices=ProgressStatus.choices, method="filter_status", label=_("Effective status (override, else computed).")
    )
    public_approved = django_filters.BooleanFilter()

    class Meta:
        model = Indicator
        fields = ["measure", "result", "level", "indicator_type", "status", "public_approved"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(status_override=value) | Q(status_override="", computed_status=value))


class ReportingPeriodFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)
    state = django_filters.ChoiceFilter(choices=PeriodState.choices)
    fiscal_year = django_filters.NumberFilter()

    class Meta:
        model = ReportingPeriod
        fields = ["kind", "state", "fiscal_year"]


class ProgressReportFilterSet(django_filters.FilterSet):
    measure = django_filters.NumberFilter(field_name="measure_id")
    period = django_filters.NumberFilter(field_name="period_id")
    state = django_filters.ChoiceFilter(choices=ReportState.choices)

    class Meta:
        model = ProgressReport
        fields = ["measure", "period", "state"]


class ActualFilterSet(django_filters.FilterSet):
    indicator = django_filters.NumberFilter(field_name="indicator_id")
    period = django_filters.NumberFilter(field_name="period_id")
    measure = django_filters.NumberFilter(field_name="indicator__result__measure_id")

    class Meta:
        model = Actual
        fields = ["indicator", "period", "measure"]
