"""API of stored co-benefit projects and their evaluations.

Reads go through the policies' `visible()`; writes call cobenefits.project_services, whose refusals
(ValidationError naming the field) become 400 problems and stale edits 409 problems. The country's focal
points and the secretariat create, edit and delete projects and evaluate them; a stored evaluation is never
changed: recomputing makes a new one, and `difference` says what moved between two.

An evaluation request the engine refuses is a 400 validation problem whose `errors` name each field as
`request.<path>` (dotted: `request.baseline.activities.0.sulphur_content`); nothing is stored.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import (
    VERSION_HELP,
    RejectUnknownFieldsMixin,
    VersionedEditSerializer,
    pop_version,
    visible_or_400,
)
from cleanasia.api.viewsets import PolicyViewSet
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, VIEW, get_visible_or_404
from cleanasia.directory.models import Country
from cleanasia.measures.models import Measure
from cleanasia.network.models import KnowHowPackage, WorkingGroup

from .. import project_services as services
from ..models import CobenefitProject, Evaluation, ProjectStatus, Sector
from ..selectors import measures_for_projects, with_evaluation_counts

REQUEST_HELP = _(
    "One evaluation request, as POST /api/v1/cobenefits/evaluate/ takes it "
    "(its JSON Schema: GET /api/v1/cobenefits/request-schema/)."
)

# --- representations ---------------------------------------------------------------------------------------------


class CobenefitProjectSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    package = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    working_group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    measures = serializers.SerializerMethodField(help_text=_("Codes of the measures it advances (that you see)."))
    evaluation_count = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = CobenefitProject
        fields = [
            "id",
            "code",
            "title_ja",
            "title_en",
            "country",
            "sector",
            "package",
            "working_group",
            "measures",
            "status",
            "visibility",
            "evaluation_count",
            "created_at",
            "updated_at",
            "version",
        ]

    def get_measures(self, project: CobenefitProject) -> list[str]:
        measures = self.context.get("measures") or {}
        return [m["measure"].code for m in measures.get(project.pk, [])]


class EvaluationSummarySerializer(serializers.ModelSerializer):
    totals = serializers.JSONField(
        read_only=True,
        help_text=_("Sums over the years in tonnes, per species and for co2e: baseline, project, reduction."),
    )
    factor_versions = serializers.JSONField(read_only=True, help_text=_("Version of each factor file used."))

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project",
            "number",
            "created_at",
            "recomputed_from",
            "gwp",
            "fod_convention",
            "factor_versions",
            "totals",
            "co2e_reduction",
            "note",
        ]


class EvaluationSerializer(EvaluationSummarySerializer):
    request = serializers.JSONField(read_only=True, help_text=REQUEST_HELP)
    overrides = serializers.JSONField(read_only=True, help_text=_("The factor overrides applied."))
    result = serializers.JSONField(
        read_only=True, help_text=_("The result document, as POST /api/v1/cobenefits/evaluate/ answers it.")
    )

    class Meta(EvaluationSummarySerializer.Meta):
        fields = [*EvaluationSummarySerializer.Meta.fields, "request", "overrides", "result"]


# --- bodies ----------------------------------------------------------------------------------------------------------


class _ProjectBody(RejectUnknownFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), help_text=_("ISO code; a focal point's own country.")
    )
    sector = serializers.ChoiceField(choices=Sector.choices)
    package = serializers.SlugRelatedField(
        slug_field="code", queryset=KnowHowPackage.objects.all(), allow_null=True, default=None
    )
    working_group = serializers.SlugRelatedField(
        slug_field="code", queryset=WorkingGroup.objects.all(), allow_null=True, default=None
    )
    measures = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Measure.objects.all(),
        many=True,
        default=list,
        help_text=_("Codes of the measures the project advances."),
    )
    status = serializers.ChoiceField(choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)


class CobenefitProjectCreateSerializer(_ProjectBody):
    pass


class CobenefitProjectUpdateSerializer(VersionedEditSerializer, _ProjectBody):
    """Only what changes, and the version the edit starts from."""


class EvaluationCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    project = serializers.IntegerField(help_text=_("Id of the project evaluated."))
    request = serializers.JSONField(help_text=REQUEST_HELP)
    note = serializers.CharField(allow_blank=True, default="")


class EvaluationRecomputeSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    note = serializers.CharField(allow_blank=True, default="")


# --- filters --------------------------------------------------------------------------------------------------


class CobenefitProjectFilterSet(django_filters.FilterSet):
    country = django_filters.CharFilter(method="filter_country", label=_("ISO code of the country."))
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    package = django_filters.CharFilter(field_name="package__code", label=_("Code of the know-how package."))
    working_group = django_filters.CharFilter(field_name="working_group__code", label=_("Code of the working group."))

    class Meta:
        model = CobenefitProject
        fields = ["country", "sector", "status", "package", "working_group"]

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country_id=value.upper())


class EvaluationFilterSet(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", label=_("Id of the project."))

    class Meta:
        model = Evaluation
        fields = ["project"]


# --- endpoints ---------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List co-benefit projects",
        description="The projects you may see (the public: public ones; a focal point: also their country's). "
        "Filters: country, sector, status, package, working_group.",
    ),
    retrieve=extend_schema(summary="One co-benefit project"),
)
class CobenefitProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Projects: country, sector, know-how package, measures advanced, working group, status, visibility."""

    queryset = CobenefitProject.objects.all()
    serializer_class = CobenefitProjectSerializer
    filterset_class = CobenefitProjectFilterSet
    search_fields = ["code", "title_ja", "title_en"]
    ordering_fields = ["code", "id"]
    ordering = ["code"]

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return with_evaluation_counts(queryset).select_related("country", "package", "working_group")

    def _context_for(self, projects: list[CobenefitProject]) -> dict[str, Any]:
        return {
            **self.get_serializer_context(),
            "measures": measures_for_projects([p.pk for p in projects], self.request.user),
        }

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = self.serializer_class(rows, many=True, context=self._context_for(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        project = self.get_object()
        return Response(self.serializer_class(project, context=self._context_for([project])).data)

    def respond(self, instance: CobenefitProject, status: int = 200) -> Response:
        fresh = self.optimise(CobenefitProject.objects.filter(pk=instance.pk)).get()
        return Response(self.serializer_class(fresh, context=self._context_for([fresh])).data, status=status)

    @extend_schema(
        summary="Record a co-benefit project (a focal point for their country, or the secretariat)",
        request=CobenefitProjectCreateSerializer,
        responses={201: CobenefitProjectSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = CobenefitProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data.get("package") is not None:
            data["package"] = visible_or_400(KnowHowPackage.objects.all(), request.user, "package", data["package"])
        project = services.project_create(actor=request.user, **data)
        return self.respond(project, status=201)

    @extend_schema(
        summary="Edit a co-benefit project (its country's focal points, the secretariat)",
        description="Send the `version` read; 409 if the project changed meanwhile.",
        request=CobenefitProjectUpdateSerializer,
        responses={200: CobenefitProjectSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        project = self.get_object()
        body = CobenefitProjectUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        if changes.get("package") is not None:
            changes["package"] = visible_or_400(
                KnowHowPackage.objects.all(), request.user, "package", changes["package"]
            )
        updated = services.project_update(
            actor=request.user, project=project, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Delete a co-benefit project with its stored evaluations (its country's focal points, the secretariat)",
        description="Send the `version` read as a query parameter; 409 if the project changed meanwhile.",
        parameters=[
            OpenApiParameter(
                "version", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description=str(VERSION_HELP)
            )
        ],
        responses={204: None, **problem_responses(400, 401, 403, 404, 409)},
    )
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        project = self.get_object()
        raw = request.query_params.get("version", "")
        if not raw.isdigit():
            raise serializers.ValidationError({"version": [_("Send the version you read.")]})
        services.project_delete(actor=request.user, project=project, expected_version=int(raw))
        return Response(status=204)


DIFFERENCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "before": {"type": "integer", "description": "Id of the evaluation compared from."},
        "after": {"type": "integer", "description": "Id of the evaluation compared to."},
        "totals": {
            "type": "object",
            "description": "Per species and co2e, for baseline, project and reduction: before, after, change (t).",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "before": {"type": "number", "nullable": True},
                        "after": {"type": "number", "nullable": True},
                        "change": {"type": "number", "nullable": True},
                    },
                },
            },
        },
        "factor_versions": {
            "type": "array",
            "description": "The factor files whose version changed.",
            "items": {
                "type": "object",
                "properties": {
                    "file": {"type": "string"},
                    "before": {"type": "string", "nullable": True},
                    "after": {"type": "string", "nullable": True},
                },
            },
        },
        "factors": {
            "type": "array",
            "description": "The library factors whose value or unit (as published) changed; null where not used.",
            "items": {
                "type": "object",
                "properties": {
                    "factor_id": {"type": "string"},
                    "before": {"type": "object", "nullable": True, "additionalProperties": {}},
                    "after": {"type": "object", "nullable": True, "additionalProperties": {}},
                },
            },
        },
        "request_changed": {"type": "boolean"},
        "overrides_changed": {"type": "boolean"},
    },
}


@extend_schema_view(
    list=extend_schema(
        summary="List stored co-benefit evaluations",
        description="The evaluations of the projects you may see, without request and result. Filter: project.",
    ),
    retrieve=extend_schema(summary="One stored evaluation, with its request and whole result"),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Stored evaluations: the full request, the factor versions, the overrides, the result and its totals."""

    queryset = Evaluation.objects.all()
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering_fields = ["id", "number", "created_at", "co2e_reduction"]
    ordering = ["project__code", "number"]
    policy_actions = {"recompute": ADD, "difference": VIEW}

    def get_serializer_class(self):
        return EvaluationSummarySerializer if self.action == "list" else EvaluationSerializer

    def optimise(self, queryset: QuerySet) -> QuerySet:
        if getattr(self, "action", None) == "list":
            return queryset.defer("request", "result", "overrides")
        return queryset

    @extend_schema(
        summary="Evaluate a project and store the evaluation (who may edit the project)",
        description="Runs the engine on `request`. A request the engine refuses is a 400 problem naming each "
        "field as `request.<path>`; nothing is stored.",
        request=EvaluationCreateSerializer,
        responses={201: EvaluationSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = EvaluationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = visible_or_400(CobenefitProject.objects.all(), request.user, "project", data["project"])
        evaluation = services.evaluation_create(
            actor=request.user, project=project, request=data["request"], note=data["note"]
        )
        return Response(EvaluationSerializer(evaluation).data, status=201)

    @extend_schema(
        summary="Recompute with the current factor files (a new evaluation; the stored one stays)",
        request=EvaluationRecomputeSerializer,
        responses={201: EvaluationSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def recompute(self, request: Request, pk: Any = None) -> Response:
        evaluation = self.get_object()
        body = EvaluationRecomputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.evaluation_recompute(actor=request.user, evaluation=evaluation, note=body.validated_data["note"])
        return Response(EvaluationSerializer(new).data, status=201)

    @extend_schema(
        summary="What changed from this evaluation to another",
        description="Per species and CO2e the totals before, after and the change; the factor files whose "
        "version changed and the factors whose value changed.",
        parameters=[
            OpenApiParameter(
                "other",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description="Id of the later evaluation.",
            )
        ],
        responses={
            200: OpenApiResponse(response=DIFFERENCE_SCHEMA, description="The difference."),
            **problem_responses(400, 401, 404),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def difference(self, request: Request, pk: Any = None) -> Response:
        before = self.get_object()
        raw = request.query_params.get("other", "")
        if not raw.isdigit():
            raise serializers.ValidationError({"other": [_("Give the id of the evaluation to compare with.")]})
        after = get_visible_or_404(Evaluation.objects.all(), request.user, pk=int(raw))
        return Response(services.evaluation_difference(before, after))


def register(router) -> None:
    router.register("cobenefit-projects", CobenefitProjectViewSet, basename="cobenefit-project")
    router.register("cobenefit-evaluations", EvaluationViewSet, basename="cobenefit-evaluation")
