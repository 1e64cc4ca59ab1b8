"""API of the know-how catalogue (packages and their case studies), the register of country needs and the
ranking of packages for a need with its reasons.

Reads go through the policies' `visible()`; writes call network.services.packages, whose refusals
(ValidationError naming the field) become 400 problems and stale edits 409 problems. The secretariat edits the
catalogue; focal points register and edit their own country's needs. Who submitted a need is never given out.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import VERSION_HELP, RejectUnknownFieldsMixin, VersionedEditSerializer
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, VIEW
from cleanasia.directory.models import Country, Organisation

from ..models import CountryNeed, Field, KnowHowPackage, NeedStatus, PackageCase, PackageKind
from ..policies.packages import SET_STATUS
from ..selectors import packages as selectors
from ..services import packages as services
from .research import PolicyViewSet

CONDITIONS_HELP = _('Named facts, e.g. {"urban_population_min": 500000, "income": ["lower_middle"], "coastal": true}.')

# --- representations ---------------------------------------------------------------------------------------------


class PackageCaseSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = PackageCase
        fields = [
            "id",
            "package",
            "country",
            "title_ja",
            "title_en",
            "summary_ja",
            "summary_en",
            "year",
            "source",
            "version",
        ]


class KnowHowPackageSerializer(serializers.ModelSerializer):
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    providers = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text=_("Ids of organisations."))
    conditions = serializers.JSONField(read_only=True, help_text=CONDITIONS_HELP)
    cases = PackageCaseSerializer(many=True, read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = KnowHowPackage
        fields = [
            "id",
            "code",
            "title_ja",
            "title_en",
            "kind",
            "fields",
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
            "providers",
            "cases",
            "visibility",
            "version",
            "updated_at",
        ]


class CountryNeedSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    conditions = serializers.JSONField(read_only=True, help_text=CONDITIONS_HELP)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = CountryNeed
        fields = [
            "id",
            "country",
            "field",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "conditions",
            "budget_max",
            "budget_currency",
            "status",
            "visibility",
            "version",
            "updated_at",
        ]


class MatchReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("field, cost, case_same_country, … or condition:<name>."))
    met = serializers.BooleanField(allow_null=True, help_text=_("true met, false not met, null unknown."))
    points = serializers.FloatField()
    weight = serializers.FloatField()
    text = serializers.CharField(help_text=_("The reason in words, in the language asked for."))


class PackageMatchSerializer(serializers.Serializer):
    package = serializers.IntegerField(source="package.pk")
    package_code = serializers.CharField(source="package.code")
    title_ja = serializers.CharField(source="package.title_ja")
    title_en = serializers.CharField(source="package.title_en")
    score = serializers.IntegerField(help_text=_("0 to 100."))
    reasons = MatchReasonSerializer(many=True)


# --- bodies of writes -------------------------------------------------------------------------------------------


class _PackageBody(RejectUnknownFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=PackageKind.choices)
    fields = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all(), many=True)
    problem_ja = serializers.CharField(allow_blank=True, default="")
    problem_en = serializers.CharField(allow_blank=True, default="")
    fits_where_ja = serializers.CharField(allow_blank=True, default="")
    fits_where_en = serializers.CharField(allow_blank=True, default="")
    conditions = serializers.JSONField(default=dict, help_text=CONDITIONS_HELP)
    cost_min = serializers.DecimalField(max_digits=14, decimal_places=0, allow_null=True, default=None)
    cost_max = serializers.DecimalField(max_digits=14, decimal_places=0, allow_null=True, default=None)
    cost_currency = serializers.CharField(max_length=3, default="JPY")
    cobenefit_evidence_ja = serializers.CharField(allow_blank=True, default="")
    cobenefit_evidence_en = serializers.CharField(allow_blank=True, default="")
    providers = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True, default=list)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)


class PackageCreateSerializer(_PackageBody):
    pass


class PackageUpdateSerializer(VersionedEditSerializer, _PackageBody):
    """Only what changes, and the version the edit starts from."""


class CaseCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    summary_ja = serializers.CharField(allow_blank=True, default="")
    summary_en = serializers.CharField(allow_blank=True, default="")
    year = serializers.IntegerField(allow_null=True, default=None)
    source = serializers.CharField(allow_blank=True, default="")


class _NeedBody(RejectUnknownFieldsMixin, serializers.Serializer):
    field = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all())
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    description_ja = serializers.CharField(allow_blank=True, default="")
    description_en = serializers.CharField(allow_blank=True, default="")
    conditions = serializers.JSONField(default=dict, help_text=CONDITIONS_HELP)
    budget_max = serializers.DecimalField(max_digits=14, decimal_places=0, allow_null=True, default=None)
    budget_currency = serializers.CharField(max_length=3, default="USD")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)


class NeedCreateSerializer(_NeedBody):
    country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), help_text=_("ISO code; a focal point's own country.")
    )


class NeedUpdateSerializer(VersionedEditSerializer, _NeedBody):
    """Only what changes, and the version the edit starts from."""


class NeedStatusSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=NeedStatus.choices)
    version = serializers.IntegerField(min_value=1)


# --- filters --------------------------------------------------------------------------------------------------


class PackageFilterSet(django_filters.FilterSet):
    field = django_filters.CharFilter(method="filter_field", label=_("Code of a field the package serves."))
    kind = django_filters.ChoiceFilter(choices=PackageKind.choices)
    case_country = django_filters.CharFilter(method="filter_case_country", label=_("ISO code of a case study."))

    class Meta:
        model = KnowHowPackage
        fields = ["field", "kind", "case_country"]

    def filter_field(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        serving = KnowHowPackage.fields.through.objects.filter(field__code=value)
        return queryset.filter(pk__in=serving.values("knowhowpackage_id"))

    def filter_case_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=PackageCase.objects.filter(country_id=value.upper()).values("package_id"))


class NeedFilterSet(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country_id", label=_("ISO code of the country."))
    field = django_filters.CharFilter(field_name="field__code", label=_("Code of the field."))
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices)

    class Meta:
        model = CountryNeed
        fields = ["country", "field", "status"]


# --- endpoints ---------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List know-how packages",
        description="The catalogue you may see (the public: public packages), with case studies. "
        "Filters: field, kind, case_country.",
    ),
    retrieve=extend_schema(summary="One know-how package"),
)
class KnowHowPackageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Packages: kind, problem, conditions where they fit, cost range, co-benefit evidence, providers, cases."""

    queryset = KnowHowPackage.objects.all()
    serializer_class = KnowHowPackageSerializer
    filterset_class = PackageFilterSet
    search_fields = ["code", "title_ja", "title_en"]
    ordering_fields = ["code", "id"]
    ordering = ["code"]
    policy_actions = {"cases": CHANGE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related(
            "fields",
            "providers",
            Prefetch("cases", queryset=PackageCase.objects.select_related("country").order_by("-year", "pk")),
        )

    @extend_schema(
        summary="Add a package to the catalogue (secretariat)",
        request=PackageCreateSerializer,
        responses={201: KnowHowPackageSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = PackageCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        package = services.package_create(actor=request.user, **body.validated_data)
        return self.respond(package, status=201)

    @extend_schema(
        summary="Edit a package (secretariat)",
        description="Send the `version` read; 409 if the package changed meanwhile.",
        request=PackageUpdateSerializer,
        responses={200: KnowHowPackageSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        package = self.get_object()
        body = PackageUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.package_update(
            actor=request.user, package=package, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Add a case study to the package (secretariat)",
        request=CaseCreateSerializer,
        responses={201: PackageCaseSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def cases(self, request: Request, pk=None) -> Response:
        package = self.get_object()
        body = CaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_add(actor=request.user, package=package, **body.validated_data)
        return Response(PackageCaseSerializer(case).data, status=201)


@extend_schema_view(
    list=extend_schema(
        summary="List country needs",
        description="The secretariat sees all; a focal point their country's needs and others shared with them; "
        "others what the need's visibility allows. Filters: country, field, status.",
    ),
    retrieve=extend_schema(summary="One country need"),
)
class CountryNeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Needs by country and field, with the country's conditions and budget."""

    queryset = CountryNeed.objects.all()
    serializer_class = CountryNeedSerializer
    filterset_class = NeedFilterSet
    search_fields = ["title_ja", "title_en"]
    ordering_fields = ["id", "country"]
    ordering = ["country_id", "field__position", "pk"]
    policy_actions = {"matches": VIEW, "set_status": SET_STATUS}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("country", "field")

    @extend_schema(
        summary="Register a need (a focal point for their country, or the secretariat)",
        request=NeedCreateSerializer,
        responses={201: CountryNeedSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = NeedCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        need = services.need_submit(actor=request.user, **body.validated_data)
        return self.respond(need, status=201)

    @extend_schema(
        summary="Edit a need (its country's focal points until matched or closed; the secretariat)",
        description="Send the `version` read; 409 if the need changed meanwhile.",
        request=NeedUpdateSerializer,
        responses={200: CountryNeedSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        need = self.get_object()
        body = NeedUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.need_update(actor=request.user, need=need, expected_version=version, changes=changes)
        return self.respond(updated)

    @extend_schema(
        summary="Acknowledge, match, close or reopen a need (secretariat)",
        request=NeedStatusSerializer,
        responses={200: CountryNeedSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk=None) -> Response:
        body = NeedStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        need = services.need_set_status(
            actor=request.user, need=self.get_object(), expected_version=data["version"], status=data["status"]
        )
        return self.respond(need)

    @extend_schema(
        summary="Packages ranked for the need, with the score and every reason",
        description="The packages you may see that serve the need's field, best first. Each reason says met, "
        "not met or unknown (null), the points it brought out of its weight, and a sentence.",
        responses={200: PackageMatchSerializer(many=True), **problem_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def matches(self, request: Request, pk=None) -> Response:
        need = self.get_object()
        rows = [
            {
                "package": match.package,
                "score": match.score,
                "reasons": [
                    {"code": r.code, "met": r.met, "points": r.points, "weight": r.weight, "text": text}
                    for r, text in match.explained()
                ],
            }
            for match in selectors.matches_for(user=request.user, need=need)
        ]
        return Response(PackageMatchSerializer(rows, many=True).data)


def register(router) -> None:
    router.register("network-packages", KnowHowPackageViewSet, basename="network-package")
    router.register("network-needs", CountryNeedViewSet, basename="network-need")
