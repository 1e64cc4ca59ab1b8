"""Endpoints of the progress module: thin views over the measures policies, selectors and services.

Every write calls a service of `cleanasia.measures.services`; every read goes
through `visible()`; who may do what is asked of the policies with `can()`.
Service refusals (django ValidationError naming the field) become 400
problems listing that field; stale edits 409 problems (api.problems).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.permissions import PolicyPermission
from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import visible_or_400
from cleanasia.core import cache
from cleanasia.core.permissions import CHANGE, VIEW, can, visible
from cleanasia.measures import iati, services
from cleanasia.measures.apps import CACHE_NAMESPACE
from cleanasia.measures.models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    MeasureBudget,
    ProgressReport,
    ReportingPeriod,
    Target,
)
from cleanasia.measures.permissions import APPROVE, OPEN_PERIOD, REPORT

from .filters import (
    ActualFilterSet,
    IndicatorFilterSet,
    MeasureFilterSet,
    ProgressReportFilterSet,
    ReportingPeriodFilterSet,
)
from .serializers import (
    ActualCreateSerializer,
    ActualSerializer,
    EmptySerializer,
    IndicatorSerializer,
    MeasureCreateSerializer,
    MeasureSerializer,
    MeasureUpdateSerializer,
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReportingPeriodCreateSerializer,
    ReportingPeriodSerializer,
    ReportReturnSerializer,
    ValueBodySerializer,
)


class ObjectPolicyPermission(PolicyPermission):
    """PolicyPermission, except that the view's `object_actions` are decided on the object alone.

    The owner of a measure may submit *that* report, which a question about reports in
    general (`can(user, "report", ProgressReport)`) cannot answer: for those actions the
    request only needs a signed-in user, and the object check decides.
    """

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) in getattr(view, "object_actions", ()):
            return bool(getattr(request.user, "is_authenticated", False))
        return super().has_permission(request, view)


LIST_ACTUALS = 4


class PlatformViewSet(viewsets.GenericViewSet):
    """Rows the user may see (policy `visible`), then the subclass's `optimise`."""

    permission_classes = [ObjectPolicyPermission]
    object_actions: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet:
        return self.optimise(visible(super().get_queryset(), self.request.user))

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def fresh(self, instance):
        """The instance read again as the list/detail shows it (prefetches applied)."""
        return self.optimise(type(instance)._default_manager.filter(pk=instance.pk)).get()

    def respond(self, instance, status: int = 200) -> Response:
        serializer = self.serializer_class(self.fresh(instance), context=self.get_serializer_context())
        return Response(serializer.data, status=status)


def _require(user, action_name: str, obj) -> None:
    if not can(user, action_name, obj):
        raise exceptions.PermissionDenied()


# --- open data renderers -----------------------------------------------------------------


class PassthroughRenderer(BaseRenderer):
    """Bytes built by the view (the IATI XML or the CSV), sent as they are."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class IatiXMLRenderer(PassthroughRenderer):
    media_type = "application/xml"
    format = "xml"


class OpenDataCSVRenderer(PassthroughRenderer):
    media_type = "text/csv"
    format = "csv"


# --- measures -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List measures",
        description="Measures and activities the user may see: the secretariat all; the responsible officer "
        "their own; a country focal point those with their country as a partner; others by visibility "
        "(the public: public measures only).",
    ),
    retrieve=extend_schema(summary="One measure, with its budgets by fiscal year"),
)
class MeasureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """Measures (施策) of the initiative and their activities, under the lines of the policy framework."""

    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet
    search_fields: list[str] = []
    ordering_fields = ["code", "starts_on", "ends_on", "status", "id"]
    ordering = ["code"]
    lookup_value_regex = r"\d+"

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("framework_node").prefetch_related(
            "partner_countries",
            "partner_organisations",
            Prefetch("budgets", queryset=MeasureBudget.objects.order_by("fiscal_year")),
        )

    @extend_schema(
        summary="Create a measure (secretariat)",
        request=MeasureCreateSerializer,
        responses={201: MeasureSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = MeasureCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        measure = services.measure_create(actor=request.user, **data)
        return self.respond(measure, status=201)

    @extend_schema(
        summary="Edit a measure (secretariat)",
        description="Send the `version` read from the API with the fields to change. If the measure changed "
        "since that version the edit is refused with 409 and the fields changed meanwhile.",
        request=MeasureUpdateSerializer,
        responses={200: MeasureSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        measure = self.get_object()
        body = MeasureUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.measure_update(
            actor=request.user, measure=measure, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Public measures as IATI 2.03 activity XML (or CSV)",
        description="Open data: every PUBLIC measure as an `iati-activity` of an IATI 2.03 `iati-activities` "
        "document, with its budgets per Japanese fiscal year (JPY), its partner countries and its results; only "
        "indicators approved for publication appear. The same for every reader (it never shows more to the "
        "signed-in). `?format=csv` (or `Accept: text/csv`) gives one row per published indicator instead. "
        "The reporting organisation identifier is provisional and the sector is the default DAC 41010.",
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=["xml", "csv"], description="xml (default) or csv.")
        ],
        filters=False,
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.STR, description="IATI 2.03 activity XML."),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per published indicator."),
        },
        auth=[],
    )
    @action(
        detail=False,
        url_path="iati",
        pagination_class=None,
        filter_backends=[],
        permission_classes=[AllowAny],
        renderer_classes=[IatiXMLRenderer, OpenDataCSVRenderer],
    )
    def iati(self, request: Request, format: str | None = None) -> HttpResponseBase:
        # Built once per change of the data and kept on disk: tens of megabytes at full scale.
        if request.accepted_renderer.format == "csv":
            path, etag = cache.cached_file(CACHE_NAMESPACE, "open-data.csv", iati.open_data_csv)
            content_type, filename = "text/csv; charset=utf-8", "cleanasia-measures.csv"
        else:
            path, etag = cache.cached_file(CACHE_NAMESPACE, "iati-activities.xml", iati.iati_activities_xml)
            content_type, filename = "application/xml; charset=utf-8", None
        etag = f'"{etag}"'
        if request.headers.get("If-None-Match") == etag:
            return HttpResponseNotModified(headers={"ETag": etag})
        response = HttpResponse(path.read_bytes(), content_type=content_type)
        response["ETag"] = etag
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# --- indicators --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List indicators",
        description="Indicators of the measures the user may see, with baselines, targets and actuals; the public "
        "sees only indicators approved for publication. `effective_status` is the justified override, else the "
        "status computed from base year, target and latest actual (compound annual growth method). In the list, "
        "`actuals` holds the latest four values (newest first); the detail holds them all.",
    ),
    retrieve=extend_schema(summary="One indicator with all its values (actuals newest first)"),
)
class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """Indicators of the results framework (IATI semantics)."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    search_fields = ["code", "title_ja", "title_en"]
    ordering_fields = ["code", "id", "computed_score"]
    ordering = ["code"]
    lookup_value_regex = r"\d+"
    policy_actions = {"baselines": CHANGE, "targets": CHANGE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        actuals = Actual.objects.select_related("period").order_by("-period__starts_on", "dimension_key", "id")
        if self.action == "list":
            # A page of 50 indicators with ten years of quarters would be 2,000 nested rows: the list
            # shows the latest LIST_ACTUALS; the detail and /actuals/?indicator= give them all.
            actuals = actuals[:LIST_ACTUALS]
        return queryset.select_related("result").prefetch_related(
            Prefetch("baselines", queryset=Baseline.objects.order_by("year", "dimension_key")),
            Prefetch("targets", queryset=Target.objects.order_by("year", "dimension_key")),
            # to_attr: a sliced prefetch cannot be bound to the related manager.
            Prefetch("actuals", queryset=actuals, to_attr="shown_actuals"),
        )

    def _value(self, request: Request, service) -> Response:
        indicator = self.get_object()
        body = ValueBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service(actor=request.user, indicator=indicator, **body.validated_data)
        return self.respond(indicator, status=201)

    @extend_schema(
        summary="Set a baseline (secretariat)",
        description="A value in another unit than the indicator's is refused (400 naming `unit`).",
        request=ValueBodySerializer,
        responses={201: IndicatorSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def baselines(self, request: Request, pk=None) -> Response:
        return self._value(request, services.baseline_set)

    @extend_schema(
        summary="Set a target (secretariat)",
        description="A target in another unit than the indicator's is refused (400 naming `unit`).",
        request=ValueBodySerializer,
        responses={201: IndicatorSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def targets(self, request: Request, pk=None) -> Response:
        return self._value(request, services.target_set)


# --- actuals ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List actuals", description="Actuals of the indicators the user may see."),
    retrieve=extend_schema(summary="One actual"),
)
class ActualViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """Values indicators reached in reporting periods."""

    queryset = Actual.objects.all()
    serializer_class = ActualSerializer
    filterset_class = ActualFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "period__starts_on"]
    ordering = ["indicator_id", "period__starts_on", "id"]
    lookup_value_regex = r"\d+"
    # Anyone signed in may try; whether they may report on this measure is asked below.
    policy_actions = {"create": VIEW}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("period")

    @extend_schema(
        summary="Record an actual (the measure's owner or the secretariat)",
        description="Only for a period that is open (else 400 naming `period`), never into an approved report.",
        request=ActualCreateSerializer,
        responses={201: ActualSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        body = ActualCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = request.user
        indicator = visible_or_400(
            Indicator.objects.select_related("result__measure"), user, "indicator", data.pop("indicator")
        )
        _require(user, REPORT, indicator.result.measure)
        report = data.pop("report")
        if report is not None:
            report = visible_or_400(ProgressReport.objects.all(), user, "report", report)
        actual = services.actual_record(actor=user, indicator=indicator, report=report, **data)
        return self.respond(actual, status=201)


# --- reporting periods ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List reporting periods", description="Signed-in users only."),
    retrieve=extend_schema(summary="One reporting period"),
)
class ReportingPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """Periods of the Japanese fiscal year (April–March) for which owners report; the secretariat opens them."""

    queryset = ReportingPeriod.objects.all()
    serializer_class = ReportingPeriodSerializer
    filterset_class = ReportingPeriodFilterSet
    search_fields: list[str] = []
    ordering_fields = ["starts_on", "fiscal_year", "id"]
    ordering = ["-starts_on", "kind"]
    lookup_value_regex = r"\d+"
    policy_actions = {"create": OPEN_PERIOD, "open": OPEN_PERIOD, "close": OPEN_PERIOD}

    @extend_schema(
        summary="Create a reporting period (secretariat)",
        description="Dates follow from the kind, fiscal year and number (Q1 = April–June).",
        request=ReportingPeriodCreateSerializer,
        responses={201: ReportingPeriodSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = ReportingPeriodCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        period = services.period_create(actor=request.user, **body.validated_data)
        return self.respond(period, status=201)

    @extend_schema(
        summary="Open the period for reporting (secretariat)",
        request=EmptySerializer,
        responses={200: ReportingPeriodSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        return self.respond(services.period_open(actor=request.user, period=period))

    @extend_schema(
        summary="Close the period (secretariat)",
        request=EmptySerializer,
        responses={200: ReportingPeriodSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        return self.respond(services.period_close(actor=request.user, period=period))


# --- progress reports ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List progress reports",
        description="The secretariat sees all; a measure's owner the reports of their measures; focal points "
        "of a partner country the approved ones.",
    ),
    retrieve=extend_schema(summary="One progress report"),
)
class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """Progress reports: draft → submitted → returned with comments / approved. Approved reports are immutable."""

    queryset = ProgressReport.objects.all()
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "period__starts_on", "report_version"]
    ordering = ["-period__starts_on", "measure__code", "-report_version"]
    lookup_value_regex = r"\d+"
    policy_actions = {
        "create": VIEW,  # whether the user reports on that measure is asked of the measure below
        "partial_update": CHANGE,
        "submit": REPORT,
        "return_": APPROVE,
        "approve": APPROVE,
        "correct": REPORT,
    }
    object_actions = ("partial_update", "submit", "correct")

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("measure", "period")

    @extend_schema(
        summary="Start (or fetch) the draft report of a measure for a period (owner or secretariat)",
        request=ProgressReportCreateSerializer,
        responses={201: ProgressReportSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        body = ProgressReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request.user
        measure = visible_or_400(Measure.objects.all(), user, "measure", body.validated_data["measure"])
        _require(user, REPORT, measure)
        period = body.validated_data["period"]
        report = services.report_get_or_create_draft(actor=user, measure=measure, period=period)
        return self.respond(report, status=201)

    @extend_schema(
        summary="Edit a draft or returned report (owner or secretariat)",
        description="Send the `version` read. An approved report cannot be edited (400 naming `state`; make a "
        "correction instead); a report changed since that version gives 409.",
        request=ProgressReportUpdateSerializer,
        responses={200: ProgressReportSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        report = self.get_object()
        body = ProgressReportUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.report_update(actor=request.user, report=report, expected_version=version, changes=changes)
        return self.respond(updated)

    @extend_schema(
        summary="Submit the report to the secretariat (owner)",
        request=EmptySerializer,
        responses={200: ProgressReportSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        return self.respond(services.report_submit(actor=request.user, report=report))

    @extend_schema(
        summary="Return the report to its owner with comments (secretariat)",
        request=ReportReturnSerializer,
        responses={200: ProgressReportSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        body = ReportReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.respond(
            services.report_return(actor=request.user, report=report, comment=body.validated_data["comment"])
        )

    @extend_schema(
        summary="Approve the report (secretariat); it is immutable afterwards",
        request=EmptySerializer,
        responses={200: ProgressReportSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        return self.respond(services.report_approve(actor=request.user, report=report))

    @extend_schema(
        summary="Correct an approved report: a new draft version superseding it",
        request=EmptySerializer,
        responses={201: ProgressReportSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        return self.respond(services.report_correct(actor=request.user, report=report), status=201)
