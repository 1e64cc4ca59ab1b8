"""API of joint training: programmes and sessions (their public fields to the public), nominations (a focal
point their country's, the secretariat all, a trainee their own), attendance and test scores (the
secretariat writes; readers as for the nomination).

Writes call services.training; refusals come back as problem documents naming the field (400), stale
edits of programmes and sessions as 409. Personal data (names, gender, motivation, attendance, scores)
is never in an answer to the public: the policies show nominations and what hangs under them only to
the secretariat, the nominating country's focal points and the trainee.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
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
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import is_secretariat, visible
from cleanasia.directory.models import Country

from ..models import (
    AssessmentKind,
    AssessmentScore,
    AttendanceRecord,
    AttendanceStatus,
    Field,
    Gender,
    TraineeNomination,
    TrainingLevel,
    TrainingMode,
    TrainingProgramme,
    TrainingSession,
)
from ..policies.training import DECIDE, WITHDRAW
from ..services import training as services

SESSION_FILTER = OpenApiParameter("session", OpenApiTypes.INT, description="Only this session's (its id).")
PROGRAMME_FILTER = OpenApiParameter("programme", OpenApiTypes.INT, description="Only this programme's (its id).")


def _id_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise exceptions.ValidationError({name: [_("Give a number (an id).")]})
    return int(value)


class ObjectPolicyPermission(PolicyPermission):
    """Actions the service decides on the object (a focal point nominates for *their* country): signed in
    suffices at the request level."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) in getattr(view, "object_actions", ()):
            return bool(getattr(request.user, "is_authenticated", False))
        return super().has_permission(request, view)


class EmptySerializer(serializers.Serializer):
    pass


# --- programmes -----------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = TrainingProgramme
        fields = [
            "id",
            "code",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "field",
            "level",
            "language",
            "mode",
            "visibility",
            "version",
        ]
        read_only_fields = fields

    def to_representation(self, instance: TrainingProgramme) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not is_secretariat(self.context["request"].user):
            data.pop("visibility")  # who else may see it is the secretariat's business
        return data


class ProgrammeWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title_ja = serializers.CharField(max_length=300, allow_blank=True, required=False)
    title_en = serializers.CharField(max_length=300, allow_blank=True, required=False)
    description_ja = serializers.CharField(allow_blank=True, required=False)
    description_en = serializers.CharField(allow_blank=True, required=False)
    field = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all())
    level = serializers.ChoiceField(choices=TrainingLevel.choices)
    language = serializers.CharField(max_length=8, required=False)
    mode = serializers.ChoiceField(choices=TrainingMode.choices, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class ProgrammeUpdateSerializer(ProgrammeWriteSerializer):
    code = serializers.CharField(max_length=40, required=False)
    field = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all(), required=False)
    level = serializers.ChoiceField(choices=TrainingLevel.choices, required=False)
    version = serializers.IntegerField(help_text=VERSION_HELP)


@extend_schema_view(
    list=extend_schema(summary="List training programmes", description="Those the reader may see."),
    retrieve=extend_schema(summary="One training programme"),
)
class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Training programmes (courses that run in sessions)."""

    queryset = TrainingProgramme.objects.all()
    serializer_class = ProgrammeSerializer
    permission_classes = [PolicyPermission]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet:
        return visible(super().get_queryset(), self.request.user).select_related("field").order_by("code")

    def respond(self, programme: TrainingProgramme, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=programme.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Create a programme (secretariat)",
        description="Refused with 400 naming the field (`code` taken or malformed, `title_ja` with no title…).",
        request=ProgrammeWriteSerializer,
        responses={201: ProgrammeSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = ProgrammeWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        programme = services.programme_create(actor=request.user, **body.validated_data)
        return self.respond(programme, status=201)

    @extend_schema(
        summary="Change a programme (secretariat)",
        request=ProgrammeUpdateSerializer,
        responses={200: ProgrammeSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        programme = self.get_object()
        body = ProgrammeUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.programme_update(
            actor=request.user, programme=programme, expected_version=version, changes=changes
        )
        return self.respond(updated)


# --- sessions ---------------------------------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    host_country = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("ISO 3166-1 alpha-2."))
    call_open = serializers.SerializerMethodField(help_text=_("Is the call for applications open today?"))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "programme",
            "title_ja",
            "title_en",
            "starts_on",
            "ends_on",
            "venue_ja",
            "venue_en",
            "host_country",
            "mode",
            "call_opens_on",
            "call_closes_on",
            "call_open",
            "quota_per_country",
            "visibility",
            "version",
        ]
        read_only_fields = fields

    def get_call_open(self, instance: TrainingSession) -> bool:
        return services.call_open(instance)

    def to_representation(self, instance: TrainingSession) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not is_secretariat(self.context["request"].user):
            data.pop("visibility")
        return data


class SessionWriteSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    title_ja = serializers.CharField(max_length=300, allow_blank=True, required=False)
    title_en = serializers.CharField(max_length=300, allow_blank=True, required=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    venue_ja = serializers.CharField(max_length=300, allow_blank=True, required=False)
    venue_en = serializers.CharField(max_length=300, allow_blank=True, required=False)
    host_country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), allow_null=True, required=False
    )
    mode = serializers.ChoiceField(choices=TrainingMode.choices, required=False)
    call_opens_on = serializers.DateField(allow_null=True, required=False)
    call_closes_on = serializers.DateField(allow_null=True, required=False)
    quota_per_country = serializers.IntegerField(min_value=1, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class SessionUpdateSerializer(SessionWriteSerializer):
    programme = None  # a session stays with its programme
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    version = serializers.IntegerField(help_text=VERSION_HELP)


@extend_schema_view(
    list=extend_schema(
        summary="List training sessions",
        description="Those the reader may see (the public: published sessions of published programmes). "
        "`?programme=` filters.",
        parameters=[PROGRAMME_FILTER],
    ),
    retrieve=extend_schema(summary="One training session"),
)
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sessions of programmes: dates, venue, the call for applications and places per country."""

    queryset = TrainingSession.objects.all()
    serializer_class = SessionSerializer
    permission_classes = [PolicyPermission]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet:
        queryset = visible(super().get_queryset(), self.request.user).select_related("host_country")
        programme = _id_param(self.request, "programme")
        if programme is not None:
            queryset = queryset.filter(programme_id=programme)
        return queryset.order_by("-starts_on", "pk")

    def respond(self, session: TrainingSession, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=session.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Schedule a session (secretariat)",
        description="Refused with 400 naming the field (`ends_on` before `starts_on`, `call_closes_on` after "
        "the first day, `quota_per_country` below 1…).",
        request=SessionWriteSerializer,
        responses={201: SessionSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = SessionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        programme = visible_or_400(TrainingProgramme.objects.all(), request.user, "programme", data.pop("programme"))
        session = services.session_create(actor=request.user, programme=programme, **data)
        return self.respond(session, status=201)

    @extend_schema(
        summary="Change a session (secretariat)",
        request=SessionUpdateSerializer,
        responses={200: SessionSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        session = self.get_object()
        body = SessionUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.session_update(
            actor=request.user, session=session, expected_version=version, changes=changes
        )
        return self.respond(updated)


# --- nominations --------------------------------------------------------------------------------------


class NominationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    certificate = serializers.SerializerMethodField(help_text=_("The certificate's verification code, if issued."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = TraineeNomination
        fields = [
            "id",
            "session",
            "person",
            "name",
            "country",
            "gender",
            "motivation",
            "state",
            "certificate",
            "version",
        ]
        read_only_fields = fields

    def get_certificate(self, instance: TraineeNomination) -> str | None:
        certificate = getattr(instance, "certificate", None)
        return certificate.code if certificate is not None else None


class NominationCreateSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    name_en = serializers.CharField(max_length=200, allow_blank=True, required=False)
    name_ja = serializers.CharField(max_length=200, allow_blank=True, required=False)
    family_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    given_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNDISCLOSED)
    motivation = serializers.CharField(allow_blank=True, required=False, default="")

    PERSON_FIELDS = ("name_en", "name_ja", "family_name", "given_name", "email", "phone")


DECISION_SCHEMA = {
    "request": EmptySerializer,
    "responses": {200: NominationSerializer, **problem_responses(400, 401, 403, 404)},
}


@extend_schema_view(
    list=extend_schema(
        summary="List trainee nominations",
        description="The secretariat sees all; a focal point their country's; a trainee their own; nobody else "
        "any. `?session=` filters.",
        parameters=[SESSION_FILTER],
    ),
    retrieve=extend_schema(summary="One nomination"),
)
class NominationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Trainees nominated by focal points within their country's places; the secretariat selects."""

    queryset = TraineeNomination.objects.all()
    serializer_class = NominationSerializer
    permission_classes = [ObjectPolicyPermission]
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    object_actions = ("create",)
    policy_actions = {"select": DECIDE, "waitlist": DECIDE, "decline": DECIDE, "withdraw": WITHDRAW}

    def get_queryset(self) -> QuerySet:
        queryset = visible(super().get_queryset(), self.request.user).select_related("person", "country", "certificate")
        session = _id_param(self.request, "session")
        if session is not None:
            queryset = queryset.filter(session_id=session)
        return queryset.order_by("session_id", "country_id", "person__name_en", "pk")

    def respond(self, nomination: TraineeNomination, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=nomination.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Nominate a trainee (the country's focal point while the call is open, or the secretariat)",
        description="The trainee is given by name and needs no account. Refused with 400 naming `country` over "
        "the session's places per country or for another country than the focal point's, `call_closes_on` "
        "after the call closed, `person` for a trainee already nominated.",
        request=NominationCreateSerializer,
        responses={201: NominationSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = NominationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        session = visible_or_400(TrainingSession.objects.all(), request.user, "session", data["session"])
        person_data = {name: data[name] for name in NominationCreateSerializer.PERSON_FIELDS if data.get(name)}
        nomination = services.trainee_nominate(
            actor=request.user,
            session=session,
            person_data=person_data,
            country=data["country"],
            gender=data["gender"],
            motivation=data["motivation"],
        )
        return self.respond(nomination, status=201)

    @extend_schema(summary="Select the trainee (secretariat)", **DECISION_SCHEMA)
    @action(detail=True, methods=["post"])
    def select(self, request: Request, pk: Any = None) -> Response:
        return self.respond(services.trainee_select(actor=request.user, nomination=self.get_object()))

    @extend_schema(summary="Put the trainee on the waiting list (secretariat)", **DECISION_SCHEMA)
    @action(detail=True, methods=["post"])
    def waitlist(self, request: Request, pk: Any = None) -> Response:
        return self.respond(services.trainee_waitlist(actor=request.user, nomination=self.get_object()))

    @extend_schema(summary="Do not select the trainee (secretariat)", **DECISION_SCHEMA)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: Any = None) -> Response:
        return self.respond(services.trainee_decline(actor=request.user, nomination=self.get_object()))

    @extend_schema(summary="Withdraw the nomination (the country's focal point or the secretariat)", **DECISION_SCHEMA)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        return self.respond(services.trainee_withdraw(actor=request.user, nomination=self.get_object()))


# --- attendance and scores ------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = AttendanceRecord
        fields = ["id", "nomination", "day", "status", "version"]
        read_only_fields = fields


class AttendanceWriteSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    day = serializers.DateField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class ScoreSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = AssessmentScore
        fields = ["id", "nomination", "kind", "score", "max_score", "version"]
        read_only_fields = fields


class ScoreWriteSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=6, decimal_places=2, default=100)


class _UnderNomination(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [PolicyPermission]
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    write_serializer: type[serializers.Serializer]
    service: Any  # the services.training function recording one row

    def get_queryset(self) -> QuerySet:
        queryset = visible(super().get_queryset(), self.request.user)
        session = _id_param(self.request, "session")
        if session is not None:
            queryset = queryset.filter(nomination__session_id=session)
        return queryset.order_by("nomination_id", "pk")

    def create(self, request: Request) -> Response:
        body = self.write_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        nomination = visible_or_400(TraineeNomination.objects.all(), request.user, "nomination", data.pop("nomination"))
        saved = type(self).service(actor=request.user, nomination=nomination, **data)
        return Response(self.serializer_class(saved, context=self.get_serializer_context()).data, status=201)


@extend_schema_view(
    list=extend_schema(
        summary="List attendance records",
        description="Of the nominations the reader may see. `?session=` filters.",
        parameters=[SESSION_FILTER],
    ),
    retrieve=extend_schema(summary="One attendance record"),
    create=extend_schema(
        summary="Record a selected trainee's attendance on one day (secretariat)",
        description="Records or corrects the day's status. A day outside the session is refused with 400 "
        "naming `day`; a trainee not selected with 400 naming `nomination`.",
        request=AttendanceWriteSerializer,
        responses={201: AttendanceSerializer, **problem_responses(400, 401, 403)},
    ),
)
class AttendanceViewSet(_UnderNomination):
    """Attendance per day: present, late, excused or absent."""

    queryset = AttendanceRecord.objects.all()
    serializer_class = AttendanceSerializer
    write_serializer = AttendanceWriteSerializer
    service = services.attendance_record


@extend_schema_view(
    list=extend_schema(
        summary="List test scores",
        description="Of the nominations the reader may see. `?session=` filters.",
        parameters=[SESSION_FILTER],
    ),
    retrieve=extend_schema(summary="One test score"),
    create=extend_schema(
        summary="Record a selected trainee's pre- or post-test score (secretariat)",
        description="Records or corrects it. A score above the maximum or below 0 is refused with 400 naming `score`.",
        request=ScoreWriteSerializer,
        responses={201: ScoreSerializer, **problem_responses(400, 401, 403)},
    ),
)
class ScoreViewSet(_UnderNomination):
    """Pre- and post-test scores."""

    queryset = AssessmentScore.objects.all()
    serializer_class = ScoreSerializer
    write_serializer = ScoreWriteSerializer
    service = services.assessment_record


def register(router: Any) -> None:
    router.register("network-training-programmes", ProgrammeViewSet, basename="network-training-programme")
    router.register("network-training-sessions", SessionViewSet, basename="network-training-session")
    router.register("network-training-nominations", NominationViewSet, basename="network-training-nomination")
    router.register("network-training-attendance", AttendanceViewSet, basename="network-training-attendance")
    router.register("network-training-scores", ScoreViewSet, basename="network-training-score")
