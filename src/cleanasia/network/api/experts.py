"""API of the expert directory: experts (search and filters as on the pages, nomination, profile edits,
consent, the secretariat's decisions and merge) and their publications.

Reads go through selectors.experts, the same as the pages: `?q=` is the
directory search (Japanese or English). Each expert is given as the reader may
see it: the public fields to everyone who sees the expert; contact details and
the record's administration (state, consent, version) only to the secretariat,
the expert and the focal points of the expert's country — never to the public.
Writes call services.experts, which check the policy and name the field of any
bad input: a nomination with an e-mail address or ORCID iD already in the
directory is refused on `email` / `orcid`, naming the record to merge into.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cleanasia.api.permissions import PolicyPermission
from cleanasia.api.schema import problem_responses
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import VIEW, get_visible_or_404, visible
from cleanasia.directory.models import Organisation

from ..models import ExpertProfile, NominationState, Publication
from ..policies import experts as policy
from ..selectors import experts as selectors
from ..services import experts as services

PERSONAL = _("Only for the secretariat, the expert and the focal points of the expert's country; never public.")
PERSONAL_FIELDS = (
    "email",
    "phone",
    "state",
    "listed_publicly",
    "listing_consent_on",
    "nominated_by",
    "decided_on",
    "visibility",
    "version",
)

# --- serializers --------------------------------------------------------------------------------------------


class AffiliationRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk", help_text=_("Id of the registry organisation."))
    organisation_name = serializers.CharField()
    position = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)


class PublicationRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    doi = serializers.CharField()
    doi_url = serializers.CharField()
    url = serializers.CharField()
    citation = serializers.CharField()


class ExpertSerializer(serializers.Serializer):
    """An expert as the reader may see it (a row of selectors.experts)."""

    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("In the language asked for (Accept-Language), else the other."))
    name_ja = serializers.CharField()
    name_en = serializers.CharField()
    honorific = serializers.CharField()
    family_name = serializers.CharField()
    given_name = serializers.CharField()
    country = serializers.CharField(source="country.pk", allow_null=True, help_text=_("ISO 3166-1 alpha-2."))
    fields = serializers.ListField(child=serializers.CharField(), help_text=_("Codes of the fields."))
    keywords = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField(), help_text=_("ISO 639-1 codes."))
    orcid = serializers.CharField()
    orcid_url = serializers.CharField()
    biography = serializers.CharField()
    affiliations = AffiliationRowSerializer(many=True, help_text=_("Current positions (all of them on one expert)."))
    email = serializers.EmailField(required=False, help_text=PERSONAL)
    phone = serializers.CharField(required=False, help_text=PERSONAL)
    state = serializers.CharField(required=False, help_text=_("nominated, accepted or declined. ") + PERSONAL)
    listed_publicly = serializers.BooleanField(required=False, help_text=PERSONAL)
    listing_consent_on = serializers.DateField(required=False, allow_null=True, help_text=PERSONAL)
    nominated_by = serializers.CharField(required=False, help_text=PERSONAL)
    decided_on = serializers.DateField(required=False, allow_null=True, help_text=PERSONAL)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False, help_text=PERSONAL)
    version = serializers.IntegerField(required=False, help_text=_("Send it back with an edit. ") + PERSONAL)

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        data = super().to_representation({**row, "fields": [field.code for field in row["fields"]]})
        if not row.get("personal"):
            for name in PERSONAL_FIELDS:
                data.pop(name, None)
        return data


class ExpertDetailSerializer(ExpertSerializer):
    affiliations = AffiliationRowSerializer(many=True, help_text=_("The whole affiliation history, latest first."))
    publications = PublicationRowSerializer(many=True)


class AffiliationBody(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False, help_text=_("Id of a registry organisation; or give `organisation_name`.")
    )
    organisation_name = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Any name, acronym or other spelling: found in the registry, added only when none is so called."),
    )
    organisation_country = serializers.CharField(
        required=False, allow_blank=True, help_text=_("ISO 3166-1 alpha-2; default: the expert's country.")
    )
    position_en = serializers.CharField(required=False, allow_blank=True, default="")
    position_ja = serializers.CharField(required=False, allow_blank=True, default="")
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_organisation(self, value: int) -> Any:
        found = Organisation.objects.filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError(_("No organisation of the registry has this id."))
        return found


class ProfileBody(serializers.Serializer):
    fields = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Field codes."))
    keywords = serializers.ListField(child=serializers.CharField(), required=False)
    languages = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("ISO 639-1 codes."))
    orcid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    biography_en = serializers.CharField(required=False, allow_blank=True)
    biography_ja = serializers.CharField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, required=False, help_text=_("Who among signed-in members sees the expert.")
    )


class NominationBody(ProfileBody):
    """POST /network-experts/: nominate a new expert (a focal point for their country; the secretariat)."""

    name_en = serializers.CharField(required=False, allow_blank=True, default="")
    name_ja = serializers.CharField(required=False, allow_blank=True, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, default="")
    given_name = serializers.CharField(required=False, allow_blank=True, default="")
    honorific = serializers.CharField(required=False, allow_blank=True, default="")
    country = serializers.CharField(help_text=_("ISO 3166-1 alpha-2."))
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    listed_publicly = serializers.BooleanField(
        required=False, default=False, help_text=_("The expert's consent to a public listing, dated today.")
    )
    affiliations = AffiliationBody(many=True, required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not (data.get("name_en") or data.get("name_ja")):
            raise serializers.ValidationError({"name_en": _("Give the expert's name in English or in Japanese.")})
        return data


class ExpertUpdateBody(ProfileBody):
    """PATCH /network-experts/{id}/: the version read, and the fields to change."""

    version = serializers.IntegerField(help_text=_("The version the edit starts from (stale edits get 409)."))


class ConsentBody(serializers.Serializer):
    listed = serializers.BooleanField(help_text=_("True: consents to a public listing; false: withdraws it."))


class MergeBody(serializers.Serializer):
    duplicate = serializers.IntegerField(help_text=_("Id of the duplicate expert folded into this one."))


class PublicationSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Publication
        fields = ["id", "expert", "title", "year", "doi", "url", "citation", "version"]
        read_only_fields = ["expert"]


class PublicationCreateBody(serializers.Serializer):
    expert = serializers.IntegerField(help_text=_("Id of the expert."))
    title = serializers.CharField(max_length=500)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    doi = serializers.CharField(required=False, allow_blank=True, default="")
    url = serializers.URLField(required=False, allow_blank=True, default="")
    citation = serializers.CharField(required=False, allow_blank=True, default="")


class PublicationUpdateBody(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The version the edit starts from (stale edits get 409)."))
    title = serializers.CharField(max_length=500, required=False)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    doi = serializers.CharField(required=False, allow_blank=True)
    url = serializers.URLField(required=False, allow_blank=True)
    citation = serializers.CharField(required=False, allow_blank=True)


# --- experts --------------------------------------------------------------------------------------------------

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Japanese or English: part of a name, keyword, field or "
        "organisation (the directory search of the pages).",
    ),
    OpenApiParameter("field", OpenApiTypes.STR, description="A field code."),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code of the expert's country."),
    OpenApiParameter("language", OpenApiTypes.STR, description="An ISO 639-1 code the expert speaks."),
    OpenApiParameter("keyword", OpenApiTypes.STR, description="One of the expert's keywords, exactly (any case)."),
    OpenApiParameter(
        "state",
        OpenApiTypes.STR,
        enum=NominationState.values,
        description="nominated: the nominations awaiting a decision (secretariat; a focal point, their country's).",
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="At most 100."),
]
WRITES_NEED_AN_ACCOUNT = ("create", "partial_update", "consent")


@extend_schema_view(
    list=extend_schema(
        summary="Search the expert directory",
        description="The experts the caller may see (the public: accepted experts who consented to a public "
        "listing, public fields only), by name, ordered by name.",
        parameters=SEARCH_PARAMETERS,
        responses={200: ExpertSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One expert, with affiliation history and publications",
        responses={200: ExpertDetailSerializer, **problem_responses(404)},
    ),
)
class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Experts of the network's directory."""

    queryset = ExpertProfile.objects.all()
    serializer_class = ExpertSerializer
    permission_classes = [PolicyPermission]
    policy_actions = {
        "partial_update": VIEW,  # the service checks who may change the expert it was given
        "consent": VIEW,
        "accept": policy.DECIDE,
        "decline": policy.DECIDE,
        "merge": policy.MERGE,
    }
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        permissions = super().get_permissions()
        if self.action in WRITES_NEED_AN_ACCOUNT:
            permissions.insert(0, IsAuthenticated())
        return permissions

    def get_queryset(self) -> QuerySet:
        return visible(ExpertProfile.objects.select_related("person__country"), self.request.user)

    def get_object(self) -> ExpertProfile:
        return get_visible_or_404(
            ExpertProfile.objects.select_related("person__country"), self.request.user, pk=self.kwargs["pk"]
        )

    def detail_response(self, expert_id: int, status: int = 200) -> Response:
        row = selectors.expert_detail_for(user=self.request.user, expert_id=expert_id)
        return Response(ExpertDetailSerializer(row).data, status=status)

    def list(self, request: Request) -> Response:
        params = request.query_params
        try:
            page_size = min(100, max(1, int(params.get("page_size") or settings.REST_FRAMEWORK["PAGE_SIZE"])))
        except ValueError:
            page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
        page = selectors.expert_search(
            user=request.user,
            query=params.get("q", ""),
            field=params.get("field"),
            country=params.get("country"),
            language=params.get("language"),
            keyword=params.get("keyword"),
            state=params.get("state"),
            page=params.get("page"),
            page_size=page_size,
        )
        url = request.build_absolute_uri()
        previous = None
        if page.has_previous():
            number = page.previous_page_number()
            previous = replace_query_param(url, "page", number) if number > 1 else remove_query_param(url, "page")
        return Response(
            {
                "count": page.paginator.count,
                "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None,
                "previous": previous,
                "results": ExpertSerializer(page.object_list, many=True).data,
            }
        )

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self.detail_response(int(pk))

    @extend_schema(
        summary="Nominate an expert",
        description="A focal point nominates experts of their country; the secretariat any. An e-mail address or "
        "ORCID iD already in the directory is refused (400) on `email` / `orcid`, naming the record to merge into.",
        request=NominationBody,
        responses={201: ExpertDetailSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = NominationBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        person_data = {name: data.pop(name) for name in services.PERSON_FIELDS}
        affiliations = [dict(row) for row in data.pop("affiliations", [])]
        expert = services.expert_nominate(
            actor=request.user, person_data=person_data, affiliations=affiliations, **data
        )
        return self.detail_response(expert.pk, status=201)

    @extend_schema(
        summary="Change an expert's profile",
        description="The secretariat, the expert, or the focal points of the expert's country. Send the `version` "
        "read; an edit based on an older version is refused with 409.",
        request=ExpertUpdateBody,
        responses={200: ExpertDetailSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        expert = self.get_object()
        body = ExpertUpdateBody(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        services.expert_update(actor=request.user, expert=expert, expected_version=version, changes=changes)
        return self.detail_response(expert.pk)

    @extend_schema(
        summary="Record the expert's answer to a public listing",
        description="The expert, or the secretariat recording a consent given on paper; dated today.",
        request=ConsentBody,
        responses={200: ExpertDetailSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str | None = None) -> Response:
        expert = self.get_object()
        body = ConsentBody(data=request.data)
        body.is_valid(raise_exception=True)
        services.expert_consent_set(actor=request.user, expert=expert, listed=body.validated_data["listed"])
        return self.detail_response(expert.pk)

    @extend_schema(
        summary="Accept a nomination (secretariat)",
        request=None,
        responses={200: ExpertDetailSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        expert = services.expert_accept(actor=request.user, expert=self.get_object())
        return self.detail_response(expert.pk)

    @extend_schema(
        summary="Decline a nomination (secretariat)",
        request=None,
        responses={200: ExpertDetailSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        expert = services.expert_decline(actor=request.user, expert=self.get_object())
        return self.detail_response(expert.pk)

    @extend_schema(
        summary="Merge a duplicate into this expert (secretariat)",
        request=MergeBody,
        responses={200: ExpertDetailSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        keep = self.get_object()
        body = MergeBody(data=request.data)
        body.is_valid(raise_exception=True)
        duplicate = get_visible_or_404(
            ExpertProfile.objects.select_related("person"), request.user, pk=body.validated_data["duplicate"]
        )
        expert = services.expert_merge(actor=request.user, keep=keep, merge=duplicate)
        return self.detail_response(expert.pk)


# --- publications ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List publications",
        description="Publications of the experts the caller may see.",
        parameters=[OpenApiParameter("expert", OpenApiTypes.INT, description="Id of an expert.")],
    ),
    retrieve=extend_schema(summary="One publication", responses={200: PublicationSerializer, **problem_responses(404)}),
)
class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Publications of experts (with DOI where given)."""

    queryset = Publication.objects.all()
    serializer_class = PublicationSerializer
    permission_classes = [PolicyPermission]
    # The services check who changes the expert's list; the API requires an account for writes.
    policy_actions = {"create": VIEW, "partial_update": VIEW}
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        permissions = super().get_permissions()
        if self.action in ("create", "partial_update"):
            permissions.insert(0, IsAuthenticated())
        return permissions

    def get_queryset(self) -> QuerySet:
        publications = visible(Publication.objects.all(), self.request.user).order_by("expert_id", "-year", "title")
        expert = self.request.query_params.get("expert", "")
        if expert.isdigit():
            publications = publications.filter(expert_id=int(expert))
        return publications

    @extend_schema(
        summary="Add a publication to an expert's list",
        request=PublicationCreateBody,
        responses={201: PublicationSerializer, **problem_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        body = PublicationCreateBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        expert = get_visible_or_404(ExpertProfile.objects.select_related("person"), request.user, pk=data.pop("expert"))
        publication = services.publication_add(actor=request.user, expert=expert, **data)
        return Response(PublicationSerializer(publication).data, status=201)

    @extend_schema(
        summary="Change a publication",
        request=PublicationUpdateBody,
        responses={200: PublicationSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        publication = self.get_object()
        body = PublicationUpdateBody(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.publication_update(
            actor=request.user, publication=publication, expected_version=version, changes=changes
        )
        return Response(PublicationSerializer(updated).data)


def register(router: Any) -> None:
    router.register("network-experts", ExpertViewSet, basename="network-expert")
    router.register("network-publications", PublicationViewSet, basename="network-publication")
