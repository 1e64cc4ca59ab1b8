"""API of joint research: projects, their outputs and milestones.

Reads go through the policies' `visible()` (the public sees public projects and their outputs and milestones);
writes call network.services.research, whose refusals (ValidationError naming the field) become 400 problems
and stale edits 409 problems. Only the secretariat writes. No personal data is held on these records.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import VERSION_HELP, RejectUnknownFieldsMixin, VersionedEditSerializer, visible_or_400
from cleanasia.api.viewsets import PolicyViewSet
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE
from cleanasia.directory.models import Country, Organisation

from ..models import (
    Field,
    OutputKind,
    ProjectStatus,
    ResearchMilestone,
    ResearchOutput,
    ResearchProject,
    WorkingGroup,
)
from ..selectors.research import measures_for_projects, with_counts
from ..services import research as services

# --- representations ---------------------------------------------------------------------------------------------


class ResearchProjectSerializer(serializers.ModelSerializer):
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    working_group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    partner_organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    countries = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("ISO 3166-1 alpha-2 codes.")
    )
    output_count = serializers.IntegerField(read_only=True)
    overdue_milestone_count = serializers.IntegerField(source="overdue_count", read_only=True)
    measures = serializers.SerializerMethodField(help_text=_("Codes of the measures it is linked to (that you see)."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = ResearchProject
        fields = [
            "id",
            "code",
            "title_ja",
            "title_en",
            "summary_ja",
            "summary_en",
            "field",
            "working_group",
            "lead_organisation",
            "partner_organisations",
            "countries",
            "starts_on",
            "ends_on",
            "funder",
            "funding_amount",
            "funding_currency",
            "status",
            "visibility",
            "output_count",
            "overdue_milestone_count",
            "measures",
            "version",
            "updated_at",
        ]

    def get_measures(self, project: ResearchProject) -> list[str]:
        measures = self.context.get("measures") or {}
        return [m["measure"].code for m in measures.get(project.pk, [])]


class ResearchOutputSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    doi_url = serializers.SerializerMethodField(help_text=_("The DOI as an address (https://doi.org/…), if any."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = ResearchOutput
        fields = ["id", "project", "project_code", "kind", "title", "doi", "doi_url", "url", "published_on", "version"]

    def get_doi_url(self, output: ResearchOutput) -> str | None:
        return output.doi_url or None


class ResearchMilestoneSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("Not done by its due date."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = ResearchMilestone
        fields = ["id", "project", "project_code", "title_ja", "title_en", "due_on", "done_on", "overdue", "version"]

    def get_overdue(self, milestone: ResearchMilestone) -> bool:
        return services.is_overdue(milestone, self.context.get("today") or timezone.localdate())


# --- bodies of writes -----------------------------------------------------------------------------------------------


class _ProjectBody(RejectUnknownFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title_ja = serializers.CharField(max_length=400, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=400, allow_blank=True, default="")
    summary_ja = serializers.CharField(allow_blank=True, default="")
    summary_en = serializers.CharField(allow_blank=True, default="")
    field = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all())
    working_group = serializers.SlugRelatedField(
        slug_field="code", queryset=WorkingGroup.objects.all(), allow_null=True, default=None
    )
    lead_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    partner_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, default=list
    )
    countries = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Country.objects.all(),
        many=True,
        required=False,
        help_text=_("ISO codes; without them, the countries of the lead and partner institutions."),
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True, default=None)
    funder = serializers.CharField(max_length=300, allow_blank=True, default="")
    funding_amount = serializers.DecimalField(max_digits=14, decimal_places=0, allow_null=True, default=None)
    funding_currency = serializers.CharField(max_length=3, default="JPY")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)


class ProjectCreateSerializer(_ProjectBody):
    pass


class ProjectUpdateSerializer(VersionedEditSerializer, _ProjectBody):
    """Only what changes, and the version the edit starts from."""


class StatusSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    version = serializers.IntegerField(min_value=1)


class OutputCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    project = serializers.IntegerField(help_text=_("Id of the project."))
    kind = serializers.ChoiceField(choices=OutputKind.choices)
    title = serializers.CharField(max_length=500)
    doi = serializers.CharField(max_length=200, allow_blank=True, default="")
    url = serializers.URLField(allow_blank=True, default="")
    published_on = serializers.DateField(allow_null=True, default=None)


class OutputUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=OutputKind.choices, required=False)
    title = serializers.CharField(max_length=500, required=False)
    doi = serializers.CharField(max_length=200, allow_blank=True, required=False)
    url = serializers.URLField(allow_blank=True, required=False)
    published_on = serializers.DateField(allow_null=True, required=False)


class MilestoneCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    project = serializers.IntegerField(help_text=_("Id of the project."))
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    due_on = serializers.DateField()


class MilestoneUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    title_ja = serializers.CharField(max_length=300, allow_blank=True, required=False)
    title_en = serializers.CharField(max_length=300, allow_blank=True, required=False)
    due_on = serializers.DateField(required=False)


class MilestoneDoneSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    done_on = serializers.DateField(allow_null=True, default=None, help_text=_("Today when omitted."))


# --- filters -------------------------------------------------------------------------------------------------------


class ProjectFilterSet(django_filters.FilterSet):
    field = django_filters.CharFilter(field_name="field__code", label=_("Code of the field."))
    country = django_filters.CharFilter(method="filter_country", label=_("ISO code of a country taking part."))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    group = django_filters.CharFilter(field_name="working_group__code", label=_("Code of the working group."))

    class Meta:
        model = ResearchProject
        fields = ["field", "country", "status", "group"]

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        taking_part = ResearchProject.countries.through.objects.filter(country_id=value.upper())
        return queryset.filter(pk__in=taking_part.values("researchproject_id"))


class UnderProjectFilterSet(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")


class OutputFilterSet(UnderProjectFilterSet):
    kind = django_filters.ChoiceFilter(choices=OutputKind.choices)

    class Meta:
        model = ResearchOutput
        fields = ["project", "kind"]


class MilestoneFilterSet(UnderProjectFilterSet):
    class Meta:
        model = ResearchMilestone
        fields = ["project"]


# --- endpoints -----------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List research projects",
        description="Joint research projects you may see (the public: public ones). "
        "Filters: field, country, status, group (codes).",
    ),
    retrieve=extend_schema(summary="One research project"),
)
class ResearchProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Projects with lead and partner institutions, countries, timeline, funding, working group and status."""

    queryset = ResearchProject.objects.all()
    serializer_class = ResearchProjectSerializer
    filterset_class = ProjectFilterSet
    search_fields = ["code", "title_ja", "title_en"]
    ordering_fields = ["code", "starts_on", "id"]
    ordering = ["-starts_on", "code"]
    policy_actions = {"set_status": CHANGE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return (
            with_counts(queryset)
            .prefetch_related("partner_organisations", Prefetch("countries", queryset=Country.objects.order_by("code")))
            .select_related("field", "working_group")
        )

    def _context_for(self, projects: list[ResearchProject]) -> dict:
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

    def respond(self, instance, status: int = 200) -> Response:
        fresh = self.optimise(ResearchProject.objects.filter(pk=instance.pk)).get()
        return Response(self.serializer_class(fresh, context=self._context_for([fresh])).data, status=status)

    @extend_schema(
        summary="Record a research project (secretariat)",
        request=ProjectCreateSerializer,
        responses={201: ResearchProjectSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = ProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project = services.project_create(actor=request.user, **data)
        return self.respond(project, status=201)

    @extend_schema(
        summary="Edit a research project (secretariat)",
        description="Send the `version` read; 409 if the project changed meanwhile. The status has its own action.",
        request=ProjectUpdateSerializer,
        responses={200: ResearchProjectSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        project = self.get_object()
        body = ProjectUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.project_update(
            actor=request.user, project=project, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Move the project on (secretariat): proposed → ongoing → completed or suspended",
        request=StatusSerializer,
        responses={200: ResearchProjectSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk=None) -> Response:
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = services.project_set_status(
            actor=request.user, project=self.get_object(), expected_version=data["version"], status=data["status"]
        )
        return self.respond(project)


@extend_schema_view(
    list=extend_schema(summary="List research outputs", description="Publications (with DOI), datasets, briefs."),
    retrieve=extend_schema(summary="One research output"),
)
class ResearchOutputViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    queryset = ResearchOutput.objects.all()
    serializer_class = ResearchOutputSerializer
    filterset_class = OutputFilterSet
    search_fields = ["title", "doi"]
    ordering_fields = ["published_on", "id"]
    ordering = ["project_id", "-published_on", "title"]
    # Outputs are added under a project: changing the project is what the policy asks.
    policy_actions = {"create": CHANGE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("project")

    @extend_schema(
        summary="Add an output to a project (secretariat)",
        description="A DOI may be given bare, as doi:… or as https://doi.org/…; it is stored bare.",
        request=OutputCreateSerializer,
        responses={201: ResearchOutputSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = OutputCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project = visible_or_400(ResearchProject.objects.all(), request.user, "project", data.pop("project"))
        output = services.output_add(actor=request.user, project=project, **data)
        return self.respond(output, status=201)

    @extend_schema(
        summary="Edit an output (secretariat)",
        request=OutputUpdateSerializer,
        responses={200: ResearchOutputSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        output = self.get_object()
        body = OutputUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.output_update(actor=request.user, output=output, expected_version=version, changes=changes)
        return self.respond(updated)


@extend_schema_view(
    list=extend_schema(summary="List research milestones"),
    retrieve=extend_schema(summary="One research milestone"),
)
class ResearchMilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    queryset = ResearchMilestone.objects.all()
    serializer_class = ResearchMilestoneSerializer
    filterset_class = MilestoneFilterSet
    search_fields = ["title_ja", "title_en"]
    ordering_fields = ["due_on", "id"]
    ordering = ["project_id", "due_on"]
    policy_actions = {"create": CHANGE, "done": CHANGE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("project")

    @extend_schema(
        summary="Add a milestone to a project (secretariat)",
        request=MilestoneCreateSerializer,
        responses={201: ResearchMilestoneSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = MilestoneCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project = visible_or_400(ResearchProject.objects.all(), request.user, "project", data.pop("project"))
        milestone = services.milestone_add(actor=request.user, project=project, **data)
        return self.respond(milestone, status=201)

    @extend_schema(
        summary="Edit a milestone's title or due date (secretariat)",
        request=MilestoneUpdateSerializer,
        responses={200: ResearchMilestoneSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        milestone = self.get_object()
        body = MilestoneUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.milestone_update(
            actor=request.user, milestone=milestone, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Record that the milestone was reached (secretariat)",
        request=MilestoneDoneSerializer,
        responses={200: ResearchMilestoneSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk=None) -> Response:
        body = MilestoneDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = services.milestone_mark_done(
            actor=request.user,
            milestone=self.get_object(),
            expected_version=body.validated_data["version"],
            done_on=body.validated_data["done_on"],
        )
        return self.respond(milestone)


def register(router) -> None:
    router.register("network-projects", ResearchProjectViewSet, basename="network-project")
    router.register("network-project-outputs", ResearchOutputViewSet, basename="network-project-output")
    router.register("network-project-milestones", ResearchMilestoneViewSet, basename="network-project-milestone")
