"""API of meeting series, meetings and agenda items: read by the policies, written by the secretariat through
the services (edits carry the version they start from; a stale one is a 409 problem).

Dates and times are exchanged in ISO 8601 with their UTC offset; each meeting
also states its `time_zone` (IANA), in which its pages show it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.permissions import PolicyPermission
from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import VERSION_HELP, pop_version
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, visible
from cleanasia.directory.models import Country, CountryGroup, Organisation

from ..calendar import meeting_uid
from ..models import (
    DEFAULT_SYMBOL_SCHEME,
    AgendaItem,
    Document,
    Meeting,
    MeetingFormat,
    MeetingLevel,
    MeetingSeries,
    MeetingStatus,
)
from ..selectors.meetings import upcoming_first
from ..services import agenda as agenda_services
from ..services import meetings as services

WRITE_ERRORS = problem_responses(400, 401, 403)
EDIT_ERRORS = problem_responses(400, 401, 403, 404, 409)


class RejectUnknownFields:
    """Fields a body may not set are refused by name rather than silently ignored."""

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set through the API.")] for name in unknown}
            )
        return attrs


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time that must carry its UTC offset (a meeting's time is never ambiguous)."""

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            raise serializers.ValidationError(_("Give the UTC offset too, e.g. 2026-10-09T14:00:00+07:00."))
        return super().enforce_timezone(value)


def _codes(queryset: QuerySet, **kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=queryset, **kwargs)


# --- series --------------------------------------------------------------------------------------------


class MeetingSeriesSerializer(serializers.ModelSerializer):
    membership_group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    extra_countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    observer_organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    follows_up = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = MeetingSeries
        fields = [
            "id",
            "code",
            "title_ja",
            "title_en",
            "short_title_ja",
            "short_title_en",
            "description_ja",
            "description_en",
            "level",
            "membership_group",
            "extra_countries",
            "observer_organisations",
            "follows_up",
            "symbol_scheme",
            "visibility",
            "source",
            "version",
            "is_demo",
        ]


class MeetingSeriesBody(RejectUnknownFields, serializers.Serializer):
    """The body of POST /meeting-series/ (secretariat)."""

    code = serializers.CharField(max_length=30)
    level = serializers.ChoiceField(choices=MeetingLevel.choices)
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    short_title_ja = serializers.CharField(max_length=80, allow_blank=True, default="")
    short_title_en = serializers.CharField(max_length=80, allow_blank=True, default="")
    description_ja = serializers.CharField(allow_blank=True, default="")
    description_en = serializers.CharField(allow_blank=True, default="")
    membership_group = _codes(CountryGroup.objects.all(), allow_null=True, default=None)
    extra_countries = _codes(Country.objects.all(), many=True, default=list)
    observer_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, default=list
    )
    follows_up = _codes(MeetingSeries.objects.all(), many=True, default=list)
    symbol_scheme = serializers.CharField(max_length=80, default=DEFAULT_SYMBOL_SCHEME)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)
    source = serializers.CharField(max_length=500, allow_blank=True, default="")


class MeetingSeriesUpdateBody(MeetingSeriesBody):
    """The body of PATCH /meeting-series/{id}/: the version read and the fields to change."""

    version = serializers.IntegerField(min_value=1)


@extend_schema_view(
    list=extend_schema(summary="List meeting series", description="Series the user may see, by visibility."),
    retrieve=extend_schema(summary="One meeting series"),
)
class MeetingSeriesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Recurring meetings: EAS environment ministers' meeting, its preparatory and follow-up meetings, the
    Japan–ASEAN dialogue and ministers' meeting."""

    queryset = MeetingSeries.objects.all()
    serializer_class = MeetingSeriesSerializer
    permission_classes = [PolicyPermission]
    ordering = ["code"]
    ordering_fields = ["code", "id"]
    search_fields = ["code", "title_ja", "title_en"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet:
        return (
            visible(super().get_queryset(), self.request.user)
            .select_related("membership_group")
            .prefetch_related("extra_countries", "observer_organisations", "follows_up")
        )

    def _respond(self, series: MeetingSeries, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=series.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Create a meeting series (secretariat)",
        request=MeetingSeriesBody,
        responses={201: MeetingSeriesSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = MeetingSeriesBody(data=request.data)
        body.is_valid(raise_exception=True)
        series = services.series_create(actor=request.user, **body.validated_data)
        return self._respond(series, status=201)

    @extend_schema(
        summary="Edit a meeting series (secretariat)",
        description="Send the `version` read from the API with the fields to change.",
        request=MeetingSeriesUpdateBody,
        responses={200: MeetingSeriesSerializer, **EDIT_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        series = self.get_object()
        body = MeetingSeriesUpdateBody(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        updated = services.series_update(actor=request.user, series=series, expected_version=version, changes=changes)
        return self._respond(updated)


# --- meetings ------------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    series_code = serializers.CharField(source="series.code", read_only=True)
    host_country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    invited_countries = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("ISO 3166-1 alpha-2 codes.")
    )
    observer_organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    online_url = serializers.SerializerMethodField(help_text=_("Shown to signed-in users only."))
    ical_uid = serializers.SerializerMethodField(help_text=_("The UID of the meeting in the calendar feeds."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "series_code",
            "ordinal",
            "title_ja",
            "title_en",
            "starts_at",
            "ends_at",
            "time_zone",
            "venue_ja",
            "venue_en",
            "city_ja",
            "city_en",
            "host_country",
            "chairs_ja",
            "chairs_en",
            "format",
            "status",
            "status_note",
            "registration_deadline",
            "invited_countries",
            "observer_organisations",
            "online_url",
            "visibility",
            "source",
            "ical_uid",
            "version",
            "is_demo",
        ]

    def get_online_url(self, meeting: Meeting) -> str:
        request = self.context.get("request")
        return meeting.online_url if request is not None and request.user.is_authenticated else ""

    def get_ical_uid(self, meeting: Meeting) -> str:
        return meeting_uid(meeting)


class MeetingBody(RejectUnknownFields, serializers.Serializer):
    """The body of POST /meetings/ (secretariat). Without `invited_countries`, the members of the series'
    group on the meeting's date and the series' other invited countries are invited."""

    series = serializers.PrimaryKeyRelatedField(queryset=MeetingSeries.objects.all())
    ordinal = serializers.IntegerField(min_value=1)
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    time_zone = serializers.CharField(max_length=64)
    venue_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    venue_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    city_ja = serializers.CharField(max_length=120, allow_blank=True, default="")
    city_en = serializers.CharField(max_length=120, allow_blank=True, default="")
    host_country = _codes(Country.objects.all(), allow_null=True, default=None)
    chairs_ja = serializers.CharField(max_length=500, allow_blank=True, default="")
    chairs_en = serializers.CharField(max_length=500, allow_blank=True, default="")
    format = serializers.ChoiceField(choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON)
    registration_deadline = AwareDateTimeField(allow_null=True, default=None)
    invited_countries = _codes(Country.objects.all(), many=True, required=False)
    observer_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    online_url = serializers.URLField(allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    source = serializers.CharField(max_length=500, allow_blank=True, default="")


class MeetingUpdateBody(MeetingBody):
    """The body of PATCH /meetings/{id}/: the version read and the fields to change (status: use /status/)."""

    series = None
    version = serializers.IntegerField(min_value=1)


class MeetingStatusBody(RejectUnknownFields, serializers.Serializer):
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    note = serializers.CharField(max_length=500, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1)


class MeetingRescheduleBody(RejectUnknownFields, serializers.Serializer):
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    registration_deadline = AwareDateTimeField(
        allow_null=True, default=None, help_text=_("Left out: the deadline moves by as much as the start.")
    )
    version = serializers.IntegerField(min_value=1)


class MeetingFilterSet(django_filters.FilterSet):
    series = django_filters.CharFilter(field_name="series__code", label=_("Code of the series, e.g. EAS-EMM."))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)

    class Meta:
        model = Meeting
        fields = ["series", "status"]


# "from" and "to" are Python keywords: declared here rather than in the class body.
MeetingFilterSet.base_filters["from"] = django_filters.DateFilter(
    field_name="ends_at", lookup_expr="date__gte", label=_("Meetings not over before this date (YYYY-MM-DD).")
)
MeetingFilterSet.base_filters["to"] = django_filters.DateFilter(
    field_name="starts_at", lookup_expr="date__lte", label=_("Meetings starting on or before this date.")
)


@extend_schema_view(
    list=extend_schema(
        summary="List meetings",
        description="Meetings the user may see (the public: public ones; a focal point also those their country "
        "is invited to), upcoming first. Filters: series (code), from, to (dates), status.",
    ),
    retrieve=extend_schema(summary="One meeting"),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the series, with their dates, place, status and invited countries."""

    queryset = Meeting.objects.all()
    serializer_class = MeetingSerializer
    permission_classes = [PolicyPermission]
    filterset_class = MeetingFilterSet
    ordering_fields = ["starts_at", "ordinal", "id"]
    search_fields = ["title_ja", "title_en", "series__code"]
    lookup_value_regex = r"\d+"
    policy_actions = {"set_status": CHANGE, "reschedule": CHANGE}

    def get_queryset(self) -> QuerySet:
        qs = visible(super().get_queryset(), self.request.user)
        qs = qs.select_related("series", "host_country").prefetch_related("invited_countries", "observer_organisations")
        return upcoming_first(qs)

    def _respond(self, meeting: Meeting, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Create a meeting (secretariat)",
        request=MeetingBody,
        responses={201: MeetingSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = MeetingBody(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_create(actor=request.user, **body.validated_data)
        return self._respond(meeting, status=201)

    @extend_schema(
        summary="Edit a meeting (secretariat)",
        description="Send the `version` read from the API with the fields to change. New dates move the agenda's "
        "time slots too. The status changes through `/status/`.",
        request=MeetingUpdateBody,
        responses={200: MeetingSerializer, **EDIT_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        body = MeetingUpdateBody(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        updated = services.meeting_update(
            actor=request.user, meeting=meeting, expected_version=version, changes=changes
        )
        return self._respond(updated)

    @extend_schema(
        summary="Change the status of a meeting (secretariat)",
        description="planned, confirmed, held, postponed or cancelled; postponing and cancelling need a note. "
        "Nothing is deleted.",
        request=MeetingStatusBody,
        responses={200: MeetingSerializer, **EDIT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        body = MeetingStatusBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        updated = services.meeting_set_status(
            actor=request.user,
            meeting=meeting,
            expected_version=data["version"],
            status=data["status"],
            note=data["note"],
        )
        return self._respond(updated)

    @extend_schema(
        summary="Move a meeting to new dates (secretariat)",
        request=MeetingRescheduleBody,
        responses={200: MeetingSerializer, **EDIT_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        body = MeetingRescheduleBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        updated = services.meeting_reschedule(
            actor=request.user, meeting=meeting, expected_version=data.pop("version"), **data
        )
        return self._respond(updated)


# --- agenda items --------------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer):
    documents = serializers.SerializerMethodField(help_text=_("Ids of the linked documents the user may see."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "parent",
            "number",
            "position",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "presenters_ja",
            "presenters_en",
            "starts_at",
            "ends_at",
            "documents",
            "adopts_minutes",
            "version",
            "is_demo",
        ]

    def get_documents(self, item: AgendaItem) -> list[int]:
        return [document.pk for document in item.visible_documents]


class AgendaItemBody(RejectUnknownFields, serializers.Serializer):
    """The body of POST /agenda-items/ (secretariat)."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    number = serializers.CharField(max_length=12)
    parent = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), allow_null=True, default=None)
    position = serializers.IntegerField(min_value=0, required=False)
    title_ja = serializers.CharField(max_length=500, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=500, allow_blank=True, default="")
    description_ja = serializers.CharField(allow_blank=True, default="")
    description_en = serializers.CharField(allow_blank=True, default="")
    presenters_ja = serializers.CharField(max_length=500, allow_blank=True, default="")
    presenters_en = serializers.CharField(max_length=500, allow_blank=True, default="")
    starts_at = AwareDateTimeField(allow_null=True, default=None)
    ends_at = AwareDateTimeField(allow_null=True, default=None)
    documents = serializers.PrimaryKeyRelatedField(queryset=Document.objects.all(), many=True, default=list)
    adopts_minutes = serializers.PrimaryKeyRelatedField(queryset=Document.objects.all(), allow_null=True, default=None)


class AgendaItemUpdateBody(AgendaItemBody):
    meeting = None
    version = serializers.IntegerField(min_value=1)


class AgendaReorderBody(RejectUnknownFields, serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    parent = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), allow_null=True, default=None, help_text=_("Null: the main items.")
    )
    order = serializers.ListField(child=serializers.IntegerField(), help_text=_("Every item's id, in the new order."))


class AgendaItemFilterSet(django_filters.FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", label=_("Id of the meeting."))

    class Meta:
        model = AgendaItem
        fields = ["meeting"]


@extend_schema_view(
    list=extend_schema(summary="List agenda items", description="Items of the meetings the user may see."),
    retrieve=extend_schema(summary="One agenda item"),
)
class AgendaItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Agenda items and sub-items of meetings, in their order, with time slots and linked documents."""

    queryset = AgendaItem.objects.all()
    serializer_class = AgendaItemSerializer
    permission_classes = [PolicyPermission]
    filterset_class = AgendaItemFilterSet
    ordering = ["meeting", "position", "number"]
    ordering_fields = ["position", "number", "starts_at", "id"]
    search_fields = ["title_ja", "title_en"]
    lookup_value_regex = r"\d+"
    policy_actions = {"reorder": CHANGE}

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        return (
            visible(super().get_queryset(), user)
            .prefetch_related(
                Prefetch("documents", queryset=visible(Document.objects.all(), user), to_attr="visible_documents")
            )
            .order_by("meeting", "position", "number", "pk")
        )

    def _respond(self, item: AgendaItem, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Add an agenda item (secretariat)",
        request=AgendaItemBody,
        responses={201: AgendaItemSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = AgendaItemBody(data=request.data)
        body.is_valid(raise_exception=True)
        item = agenda_services.agenda_item_create(actor=request.user, **body.validated_data)
        return self._respond(item, status=201)

    @extend_schema(
        summary="Edit an agenda item (secretariat)",
        request=AgendaItemUpdateBody,
        responses={200: AgendaItemSerializer, **EDIT_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        body = AgendaItemUpdateBody(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        updated = agenda_services.agenda_item_update(
            actor=request.user, item=item, expected_version=version, changes=changes
        )
        return self._respond(updated)

    @extend_schema(
        summary="Reorder the items at one level of an agenda (secretariat)",
        request=AgendaReorderBody,
        responses={200: AgendaItemSerializer(many=True), **WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def reorder(self, request: Request) -> Response:
        body = AgendaReorderBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        items = agenda_services.agenda_items_reorder(
            actor=request.user, meeting=data["meeting"], parent=data["parent"], order=data["order"]
        )
        fresh = {item.pk: item for item in self.get_queryset().filter(pk__in=[item.pk for item in items])}
        serializer = self.serializer_class(
            [fresh[item.pk] for item in items], many=True, context=self.get_serializer_context()
        )
        return Response(serializer.data)


def register(router: Any) -> None:
    router.register("meeting-series", MeetingSeriesViewSet, basename="meeting-series")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
