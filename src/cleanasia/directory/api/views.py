"""Directory endpoints: thin views over the policies, read only."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.viewsets import PlatformReadOnlyViewSet
from cleanasia.core.permissions import visible
from cleanasia.directory.models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person

from .filters import CountryFilterSet, OrganisationFilterSet, PersonFilterSet
from .serializers import (
    CountryGroupDetailSerializer,
    CountryGroupSerializer,
    CountrySerializer,
    OrganisationSerializer,
    PersonSerializer,
)

ON_PARAMETER = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    description="A date (YYYY-MM-DD): the answer then lists the members on that date in `members_on`.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List countries",
        description="ISO 3166-1 countries and areas. With `group` (and `on`), only the members of that group "
        "on that date (today without `on`), e.g. `?group=eas&on=2009-10-01`.",
    ),
    retrieve=extend_schema(summary="One country, by its alpha-2 code"),
)
class CountryViewSet(PlatformReadOnlyViewSet):
    """Countries and areas of ISO 3166-1, with their names in Japanese and English."""

    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    filterset_class = CountryFilterSet
    search_fields = ["code", "alpha3", "name_ja", "name_en"]
    ordering_fields = ["code", "alpha3", "name_ja", "name_en"]

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


@extend_schema_view(
    list=extend_schema(summary="List country groups"),
    retrieve=extend_schema(
        summary="One country group with its membership history",
        parameters=[ON_PARAMETER],
    ),
)
class CountryGroupViewSet(PlatformReadOnlyViewSet):
    """Groups of countries (ASEAN, EAS, ASEAN+3) whose membership changes over time."""

    queryset = CountryGroup.objects.all()
    serializer_class = CountryGroupSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    search_fields = ["code", "name_ja", "name_en"]
    ordering_fields = ["code", "name_ja", "name_en"]

    def get_serializer_class(self):
        return CountryGroupDetailSerializer if self.action == "retrieve" else CountryGroupSerializer

    def optimise(self, queryset: QuerySet) -> QuerySet:
        if self.action == "retrieve":
            memberships = visible(GroupMembership.objects.all(), self.request.user).order_by("joined_on", "country_id")
            queryset = queryset.prefetch_related(Prefetch("memberships", queryset=memberships))
        return queryset

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        group = self.get_object()
        context = self.get_serializer_context()
        context["members_on"] = None
        if "on" in request.query_params:
            try:
                day = serializers.DateField().to_internal_value(request.query_params["on"])
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"on": exc.detail}) from exc
            members = visible(group.members_on(day), request.user).order_by("code")
            context["members_on"] = list(members.values_list("code", flat=True))
        return Response(CountryGroupDetailSerializer(group, context=context).data)


@extend_schema_view(
    list=extend_schema(
        summary="List organisations",
        description="`search` matches every word in the Japanese or English name, the acronym or an "
        "alternative name (other spellings, former names).",
    ),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(PlatformReadOnlyViewSet):
    """Ministries, institutes and international bodies, one record per organisation."""

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    lookup_value_regex = r"\d+"
    filterset_class = OrganisationFilterSet
    # `search` is a filter of OrganisationFilterSet (it also looks in alternative names).
    search_fields: list[str] = []
    ordering_fields = ["name_ja", "name_en", "acronym", "id"]


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        description="People whose record the user may see (public records for everyone; records for members, "
        "named groups or the secretariat to those readers; one's own record always). `email` and `phone` "
        "appear only for the secretariat and the person themselves.",
    ),
    retrieve=extend_schema(summary="One person (404 as well when the record is not visible to the user)"),
)
class PersonViewSet(PlatformReadOnlyViewSet):
    """People the platform knows (delegates, experts, officials), as far as the user may see them."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    lookup_value_regex = r"\d+"
    filterset_class = PersonFilterSet
    search_fields = ["name_ja", "name_en"]
    ordering_fields = ["name_ja", "name_en", "id"]

    def optimise(self, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        current = (
            visible(Affiliation.objects.all(), self.request.user)
            .filter(Q(started_on__isnull=True) | Q(started_on__lte=today))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .select_related("organisation")
            .order_by("-started_on", "id")
        )
        return queryset.prefetch_related(Prefetch("affiliations", queryset=current, to_attr="current_affiliations"))
