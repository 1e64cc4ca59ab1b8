"""API of delegations and participants, with the same privacy as the pages.

A participant's personal fields (title, contact, needs, consents) are in the
answer only for readers the policy allows (VIEW_PERSONAL: the secretariat, the
person, their country's focal point); anyone else gets the name and the
organisation of the people who consented to public listing. Writes call
services.delegations; refusals come back as problem documents naming the
field (400), stale edits as 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.permissions import PolicyPermission
from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import VERSION_HELP, visible_or_400
from cleanasia.core.permissions import can, visible
from cleanasia.directory.models import Country, Organisation

from ..models import Delegation, Meeting, Participant, ParticipantRole
from ..policies.delegations import DECIDE, REGISTER, VIEW_PERSONAL
from ..selectors.delegations import PERSONAL_FIELDS, delegations_ordered, protocol_ordered
from ..services import delegations as services

MEETING_FILTER = OpenApiParameter("meeting", OpenApiTypes.INT, description="Only this meeting's (its id).")


class ObjectPolicyPermission(PolicyPermission):
    """Actions decided on the object alone (a focal point may act on *their* delegation): signed in suffices
    at the request level, and the service checks the object."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) in getattr(view, "object_actions", ()):
            return bool(getattr(request.user, "is_authenticated", False))
        return super().has_permission(request, view)


# --- serializers -----------------------------------------------------------------------------------


class DelegationSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("ISO 3166-1 alpha-2."))
    participant_count = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Delegation
        fields = [
            "id",
            "meeting",
            "country",
            "organisation",
            "state",
            "submitted_at",
            "decided_at",
            "secretariat_comment",
            "participant_count",
            "version",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Delegation) -> dict[str, Any]:
        data = super().to_representation(instance)
        # The exchange between the secretariat and the focal point is theirs.
        if not can(self.context["request"].user, REGISTER, instance):
            data.pop("secretariat_comment")
        return data


class DelegationCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all(), required=False)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False)


class ReturnSerializer(serializers.Serializer):
    secretariat_comment = serializers.CharField(allow_blank=True)


class EmptySerializer(serializers.Serializer):
    pass


class ParticipantSerializer(serializers.ModelSerializer):
    """Every reader gets the public fields; the personal ones only where the policy allows."""

    meeting = serializers.IntegerField(source="delegation.meeting_id", read_only=True)
    country = serializers.CharField(source="delegation.country_id", read_only=True, allow_null=True)
    organisation_label = serializers.SerializerMethodField()
    personal_data_shown = serializers.SerializerMethodField(
        help_text=_("False when the reader may not see this person's contact details and needs.")
    )
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Participant
        fields = [
            "id",
            "delegation",
            "meeting",
            "country",
            "role",
            "position",
            "honorific",
            "given_name",
            "family_name",
            "organisation",
            "organisation_name",
            "organisation_label",
            *PERSONAL_FIELDS,
            "purged_at",
            "personal_data_shown",
            "version",
        ]
        read_only_fields = fields

    def _personal(self, instance: Participant) -> bool:
        return can(self.context["request"].user, VIEW_PERSONAL, instance)

    def get_organisation_label(self, instance: Participant) -> str:
        org = instance.organisation
        return (org.name_en or org.name_ja) if org is not None else instance.organisation_name

    def get_personal_data_shown(self, instance: Participant) -> bool:
        return self._personal(instance)

    def to_representation(self, instance: Participant) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not data["personal_data_shown"]:
            for name in (*PERSONAL_FIELDS, "position"):
                data.pop(name, None)
        return data


class ParticipantWriteSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ParticipantRole.choices, required=False)
    position = serializers.IntegerField(min_value=0, required=False)
    honorific = serializers.CharField(allow_blank=True, required=False, max_length=40)
    given_name = serializers.CharField(allow_blank=True, required=False, max_length=120)
    family_name = serializers.CharField(allow_blank=True, required=False, max_length=120)
    name_local = serializers.CharField(allow_blank=True, required=False, max_length=200)
    job_title = serializers.CharField(allow_blank=True, required=False, max_length=300)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False
    )
    organisation_name = serializers.CharField(allow_blank=True, required=False, max_length=300)
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = serializers.CharField(allow_blank=True, required=False, max_length=60)
    dietary_needs = serializers.CharField(allow_blank=True, required=False, max_length=300)
    access_needs = serializers.CharField(allow_blank=True, required=False, max_length=300)
    consent_public_listing = serializers.BooleanField(required=False)
    consent_keep_for_next = serializers.BooleanField(required=False)

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({n: [_("This field cannot be set through the API.")] for n in unknown})
        return attrs


class ParticipantCreateSerializer(ParticipantWriteSerializer):
    delegation = serializers.IntegerField()


class ParticipantUpdateSerializer(ParticipantWriteSerializer):
    version = serializers.IntegerField(help_text=VERSION_HELP)


# --- viewsets ------------------------------------------------------------------------------------------


class _Base(viewsets.GenericViewSet):
    permission_classes = [ObjectPolicyPermission]
    object_actions: tuple[str, ...] = ()
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet:
        queryset = visible(super().get_queryset(), self.request.user)
        meeting = self.request.query_params.get("meeting")
        if meeting is not None:
            if not meeting.isdigit():
                raise exceptions.ValidationError({"meeting": [_("Give a meeting's number (id).")]})
            queryset = queryset.filter(**{self.meeting_path: int(meeting)})
        return self.optimise(queryset)

    meeting_path = "meeting"

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def respond(self, instance: Any, status: int = 200) -> Response:
        fresh = self.optimise(type(instance)._default_manager.filter(pk=instance.pk)).get()
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)


@extend_schema_view(
    list=extend_schema(
        summary="List delegations",
        description="The secretariat sees all; a focal point their country's; a participant their own "
        "delegation; everyone the approved delegations of the meetings they may see. `?meeting=` filters.",
        parameters=[MEETING_FILTER],
    ),
    retrieve=extend_schema(summary="One delegation"),
)
class DelegationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Delegations registered by focal points: draft → submitted → approved / returned → resubmitted."""

    queryset = Delegation.objects.all()
    serializer_class = DelegationSerializer
    filter_backends: list = []
    object_actions = ("create", "submit")
    policy_actions = {"approve": DECIDE, "return_": DECIDE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return delegations_ordered(queryset.select_related("country").annotate(participant_count=Count("participants")))

    @extend_schema(
        summary="Register a delegation (the country's focal point; observers: the secretariat)",
        description="Refused with 400 naming `registration_deadline` after the deadline, `country` for a "
        "country not invited or of another focal point.",
        request=DelegationCreateSerializer,
        responses={201: DelegationSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = DelegationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        meeting = visible_or_400(Meeting.objects.all(), request.user, "meeting", data.pop("meeting"))
        delegation = services.delegation_create(actor=request.user, meeting=meeting, **data)
        return self.respond(delegation, status=201)

    @extend_schema(
        summary="Submit the registration to the secretariat",
        request=EmptySerializer,
        responses={200: DelegationSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.respond(services.delegation_submit(actor=request.user, delegation=self.get_object()))

    @extend_schema(
        summary="Approve a submitted registration (secretariat)",
        request=EmptySerializer,
        responses={200: DelegationSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.respond(services.delegation_approve(actor=request.user, delegation=self.get_object()))

    @extend_schema(
        summary="Return a submitted registration with a comment (secretariat)",
        request=ReturnSerializer,
        responses={200: DelegationSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        delegation = services.delegation_return(
            actor=request.user, delegation=self.get_object(), comment=body.validated_data["secretariat_comment"]
        )
        return self.respond(delegation)


@extend_schema_view(
    list=extend_schema(
        summary="List participants",
        description="In protocol order. The secretariat sees everyone with contact details and needs; a focal "
        "point their country's delegation likewise; a person their own record; anyone else only the people who "
        "consented to public listing in approved delegations of public meetings, by name and organisation. "
        "`personal_data_shown` says which variant a row is. `?meeting=` filters.",
        parameters=[MEETING_FILTER],
    ),
    retrieve=extend_schema(summary="One participant"),
)
class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Members of delegations."""

    queryset = Participant.objects.all()
    serializer_class = ParticipantSerializer
    filter_backends: list = []
    meeting_path = "delegation__meeting"
    object_actions = ("create", "partial_update", "destroy")

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return protocol_ordered(queryset)

    @extend_schema(
        summary="Add a participant (the country's focal point or the secretariat)",
        description="A second head of delegation is refused with 400 naming `role`.",
        request=ParticipantCreateSerializer,
        responses={201: ParticipantSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = ParticipantCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        delegation = visible_or_400(
            Delegation.objects.select_related("meeting"), request.user, "delegation", data.pop("delegation")
        )
        participant = services.participant_add(actor=request.user, delegation=delegation, **data)
        return self.respond(participant, status=201)

    @extend_schema(
        summary="Change a participant",
        request=ParticipantUpdateSerializer,
        responses={200: ParticipantSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        participant = self.get_object()
        body = ParticipantUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.participant_update(
            actor=request.user, participant=participant, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Remove a participant",
        responses={204: None, **problem_responses(401, 403, 404)},
    )
    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.participant_remove(actor=request.user, participant=self.get_object())
        return Response(status=204)


def register(router: Any) -> None:
    router.register("meeting-delegations", DelegationViewSet, basename="meeting-delegation")
    router.register("meeting-participants", ParticipantViewSet, basename="meeting-participant")
