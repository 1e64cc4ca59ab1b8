"""API of outcomes, their elements, action items and the updates on them.

Reads go through the policies' `visible()`; writes call meetings.services
(outcomes, followup), whose refusals (django ValidationError naming the field)
become 400 problems and stale edits 409 problems. Focal points POST their
country's updates on the items addressed to it; everything else is written by
the secretariat.
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import VERSION_HELP, RejectUnknownFieldsMixin, visible_or_400
from cleanasia.api.viewsets import PolicyViewSet
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, visible
from cleanasia.directory.models import Country, Organisation
from cleanasia.measures.models import Measure, MeasureLinkRelation

from ..models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Document,
    Element,
    ElementUpdate,
    Meeting,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
)
from ..policies.outcomes import ADOPT, addressed_to
from ..selectors.outcomes import measures_for_elements
from ..services import followup as followup_services
from ..services import outcomes as services

# --- representations -----------------------------------------------------------------------------------------


class ElementSerializer(serializers.ModelSerializer):
    outcome_code = serializers.CharField(source="outcome.code", read_only=True)
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)
    addressed_countries = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("ISO 3166-1 alpha-2 codes.")
    )
    addressed_organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    superseded_by_code = serializers.CharField(source="superseded_by.code", read_only=True, default=None)
    implements_code = serializers.CharField(source="implements.code", read_only=True, default=None)
    evidence_documents = serializers.SlugRelatedField(slug_field="symbol", many=True, read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("An open action item past its due date."))
    measures = serializers.SerializerMethodField(help_text=_("Codes of the measures it advances (that you may see)."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Element
        fields = [
            "id",
            "code",
            "outcome",
            "outcome_code",
            "parent_code",
            "kind",
            "number",
            "position",
            "text_ja",
            "text_en",
            "is_operational",
            "is_action_item",
            "addressee",
            "addressed_countries",
            "addressed_organisations",
            "addressed_group",
            "lead_country",
            "lead_organisation",
            "due_on",
            "status",
            "status_note_ja",
            "status_note_en",
            "closed_on",
            "superseded_by",
            "superseded_by_code",
            "implements",
            "implements_code",
            "evidence_documents",
            "overdue",
            "measures",
            "version",
            "updated_at",
        ]

    def get_overdue(self, element: Element) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return bool(
            element.is_action_item
            and element.status in OPEN_ACTION_STATUSES
            and element.due_on is not None
            and element.due_on < today
        )

    def get_measures(self, element: Element) -> list[str]:
        measures = self.context.get("measures") or {}
        return [m["measure"].code for m in measures.get(element.pk, [])]


class OutcomeSerializer(serializers.ModelSerializer):
    meeting_code = serializers.SerializerMethodField()
    amends_code = serializers.CharField(source="amends.code", read_only=True, default=None)
    document_symbol = serializers.CharField(source="document.symbol", read_only=True, default=None)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "code",
            "meeting",
            "meeting_code",
            "kind",
            "number",
            "title_ja",
            "title_en",
            "text_ja",
            "text_en",
            "status",
            "adopted_on",
            "amends",
            "amends_code",
            "document",
            "document_symbol",
            "visibility",
            "version",
            "updated_at",
        ]

    def get_meeting_code(self, outcome: Outcome) -> str:
        return f"{outcome.meeting.series.code}/{outcome.meeting.ordinal}"


class ElementUpdateSerializer(serializers.ModelSerializer):
    element_code = serializers.CharField(source="element.code", read_only=True)

    class Meta:
        model = ElementUpdate
        fields = [
            "id",
            "element",
            "element_code",
            "meeting",
            "country",
            "status",
            "note",
            "language",
            "new_due_on",
            "recorded_at",
        ]


# --- bodies of writes ------------------------------------------------------------------------------------------


class OutcomeCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    meeting = serializers.IntegerField(help_text=_("Id of the meeting."))
    kind = serializers.ChoiceField(choices=OutcomeKind.choices)
    number = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    title_ja = serializers.CharField(max_length=500, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=500, allow_blank=True, default="")
    text_ja = serializers.CharField(allow_blank=True, default="")
    text_en = serializers.CharField(allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)
    amends = serializers.IntegerField(required=False, allow_null=True, default=None)


class OutcomeUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The version the edit starts from."))
    title_ja = serializers.CharField(max_length=500, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=500, required=False, allow_blank=True)
    text_ja = serializers.CharField(required=False, allow_blank=True)
    text_en = serializers.CharField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class AdoptSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    adopted_on = serializers.DateField(required=False, allow_null=True, default=None)


class OutcomeStatusSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s, OutcomeStatus(s).label) for s in services.SETTABLE_STATUSES])


class ElementClassifySerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    is_operational = serializers.BooleanField(required=False)
    is_action_item = serializers.BooleanField(required=False)
    addressee = serializers.CharField(required=False, allow_blank=True)
    addressed_countries = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), many=True, required=False
    )
    addressed_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    addressed_group = serializers.CharField(max_length=200, required=False, allow_blank=True)
    lead_country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True
    )
    lead_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    due_on = serializers.DateField(required=False, allow_null=True)
    superseded_by = serializers.CharField(required=False, allow_null=True, help_text=_("Code of an element."))
    implements = serializers.CharField(required=False, allow_null=True, help_text=_("Code of an element."))
    evidence_documents = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("Symbols of meeting documents.")
    )


class MeasureLinkSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    measure = serializers.CharField(help_text=_("Code of the measure."))
    relation = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in (MeasureLinkRelation.ADVANCES, MeasureLinkRelation.IMPLEMENTS)],
        default=MeasureLinkRelation.ADVANCES,
    )


class ElementUpdateCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    element = serializers.IntegerField(help_text=_("Id of the element (action item)."))
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField(allow_blank=True, default="")
    country = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("ISO code; a focal point of one country may omit it."),
    )
    new_due_on = serializers.DateField(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=list(settings.LANGUAGES), default="en")


# --- filters ---------------------------------------------------------------------------------------------------


class OutcomeFilterSet(django_filters.FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id")
    series = django_filters.CharFilter(field_name="meeting__series__code", label=_("Code of the series."))
    kind = django_filters.ChoiceFilter(choices=OutcomeKind.choices)
    status = django_filters.ChoiceFilter(choices=OutcomeStatus.choices)

    class Meta:
        model = Outcome
        fields = ["meeting", "series", "kind", "status"]


class ElementFilterSet(django_filters.FilterSet):
    outcome = django_filters.NumberFilter(field_name="outcome_id")
    meeting = django_filters.NumberFilter(field_name="outcome__meeting_id", label=_("Id of the deciding meeting."))
    series = django_filters.CharFilter(field_name="outcome__meeting__series__code", label=_("Code of the series."))
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    country = django_filters.CharFilter(
        method="filter_country", label=_("ISO code: addressed to it (by name, as lead, or to all participants).")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Open and past the due date."))
    operational = django_filters.BooleanFilter(field_name="is_operational")
    action_item = django_filters.BooleanFilter(field_name="is_action_item")
    code = django_filters.CharFilter(field_name="code")

    class Meta:
        model = Element
        fields = ["outcome", "meeting", "series", "status", "country", "overdue", "operational", "action_item", "code"]

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(addressed_to([value.upper()]))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        late = {"status__in": OPEN_ACTION_STATUSES, "due_on__lt": timezone.localdate(), "is_action_item": True}
        return queryset.filter(**late) if value else queryset.exclude(**late)


class ElementUpdateFilterSet(django_filters.FilterSet):
    element = django_filters.NumberFilter(field_name="element_id")
    meeting = django_filters.NumberFilter(field_name="meeting_id")
    country = django_filters.CharFilter(field_name="country_id")
    since = django_filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = ElementUpdate
        fields = ["element", "meeting", "country", "since"]


# --- endpoints ---------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List outcomes",
        description="Outcomes of meetings (chair's summaries, joint statements, decisions, action plans). The "
        "secretariat sees drafts too; others see adopted outcomes by their visibility and that of their meeting.",
    ),
    retrieve=extend_schema(summary="One outcome"),
)
class OutcomeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Outcomes with codes `<series>/<ordinal>/<PREFIX>[.<number>]`; adopted text is immutable."""

    queryset = Outcome.objects.all()
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilterSet
    search_fields = ["code", "title_ja", "title_en"]
    ordering_fields = ["code", "adopted_on", "id"]
    ordering = ["meeting__starts_at", "kind", "number"]
    policy_actions = {"adopt": ADOPT, "split": CHANGE, "set_status": CHANGE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("meeting__series", "amends", "document")

    @extend_schema(
        summary="Record an outcome as a draft (secretariat)",
        request=OutcomeCreateSerializer,
        responses={201: OutcomeSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = OutcomeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        meeting = visible_or_400(Meeting.objects.select_related("series"), request.user, "meeting", data.pop("meeting"))
        amends = data.pop("amends")
        if amends is not None:
            amends = visible_or_400(Outcome.objects.all(), request.user, "amends", amends)
        outcome = services.outcome_create(actor=request.user, meeting=meeting, amends=amends, **data)
        return self.respond(outcome, status=201)

    @extend_schema(
        summary="Edit an outcome (secretariat)",
        description="A draft's title, text and visibility; an adopted outcome's visibility only (its text is "
        "refused with 400: record an amendment). Send the `version` read; 409 if it changed meanwhile.",
        request=OutcomeUpdateSerializer,
        responses={200: OutcomeSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        outcome = self.get_object()
        body = OutcomeUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        updated = services.outcome_update(
            actor=request.user, outcome=outcome, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Split the draft's text into elements (secretariat)",
        request=None,
        responses={200: ElementSerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk=None) -> Response:
        elements = services.outcome_split(actor=request.user, outcome=self.get_object())
        return Response(ElementSerializer(elements, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Adopt the outcome (secretariat); text and element codes are fixed afterwards",
        request=AdoptSerializer,
        responses={200: OutcomeSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk=None) -> Response:
        body = AdoptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = services.outcome_adopt(actor=request.user, outcome=self.get_object(), **body.validated_data)
        return self.respond(outcome)

    @extend_schema(
        summary="Set the status of an adopted outcome (secretariat)",
        request=OutcomeStatusSerializer,
        responses={200: OutcomeSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk=None) -> Response:
        body = OutcomeStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = services.outcome_set_status(actor=request.user, outcome=self.get_object(), **body.validated_data)
        return self.respond(outcome)


ELEMENTS_DESCRIPTION = (
    "Paragraphs, items and sub-items of the outcomes you may see, with stable codes (EAS-EMM/2/JS.05.b). "
    "Filters: series (code), meeting, outcome, status, country (addressed to it), overdue, operational, action_item."
)


@extend_schema_view(
    list=extend_schema(summary="List elements of outcomes", description=ELEMENTS_DESCRIPTION),
    retrieve=extend_schema(summary="One element"),
)
class ElementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Elements of outcomes: what they ask of whom, due dates, status, links to measures."""

    queryset = Element.objects.all()
    serializer_class = ElementSerializer
    filterset_class = ElementFilterSet
    search_fields = ["code", "text_ja", "text_en"]
    ordering_fields = ["code", "due_on", "id"]
    ordering = ["outcome__meeting__starts_at", "outcome_id", "position"]
    policy_actions = {"measures": CHANGE}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("outcome", "parent", "superseded_by", "implements").prefetch_related(
            "addressed_countries",
            "addressed_organisations",
            Prefetch("evidence_documents", queryset=visible(Document.objects.all(), self.request.user)),
        )

    def _context_for(self, elements: list[Element]) -> dict:
        return {
            **self.get_serializer_context(),
            "today": timezone.localdate(),
            "measures": measures_for_elements([e.pk for e in elements], self.request.user),
        }

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = self.serializer_class(rows, many=True, context=self._context_for(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        element = self.get_object()
        return Response(self.serializer_class(element, context=self._context_for([element])).data)

    def respond(self, instance, status: int = 200) -> Response:
        fresh = self.optimise(Element.objects.filter(pk=instance.pk)).get()
        return Response(self.serializer_class(fresh, context=self._context_for([fresh])).data, status=status)

    def _element_by_code(self, field: str, code):
        if not code:
            return None
        return visible_or_400(
            Element.objects.select_related("outcome__meeting"), self.request.user, field, code, "code"
        )

    @extend_schema(
        summary="Classify an element (secretariat)",
        description="Operational or not, action item, addressees, lead, due date (not before the decision), "
        "superseded_by / implements (element codes), evidence (document symbols). Send the `version` read.",
        request=ElementClassifySerializer,
        responses={200: ElementSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        element = self.get_object()
        body = ElementClassifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        for name in ("superseded_by", "implements"):
            if name in changes:
                changes[name] = self._element_by_code(name, changes[name])
        if "evidence_documents" in changes:
            symbols = changes["evidence_documents"]
            documents = list(visible(Document.objects.filter(symbol__in=symbols), request.user))
            if len(documents) != len(set(symbols)):
                raise serializers.ValidationError({"evidence_documents": [_("No such document.")]})
            changes["evidence_documents"] = documents
        updated = services.element_classify(
            actor=request.user, element=element, expected_version=version, changes=changes
        )
        return self.respond(updated)

    @extend_schema(
        summary="Link the element to a measure it advances (secretariat)",
        request=MeasureLinkSerializer,
        responses={200: ElementSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def measures(self, request: Request, pk=None) -> Response:
        element = self.get_object()
        body = MeasureLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = visible_or_400(Measure.objects.all(), request.user, "measure", body.validated_data["measure"], "code")
        services.element_link_measure(
            actor=request.user, element=element, measure=measure, relation=body.validated_data["relation"]
        )
        return self.respond(element)


@extend_schema_view(
    list=extend_schema(
        summary="List action items",
        description="Action items only (operational elements followed up from meeting to meeting). "
        + ELEMENTS_DESCRIPTION,
    ),
    retrieve=extend_schema(summary="One action item"),
)
class ActionItemViewSet(ElementViewSet):
    """Action items: owners (addressees), lead, due date, status not started / in progress / completed / dropped."""

    queryset = Element.objects.filter(is_action_item=True)
    http_method_names = ["get", "head", "options"]


@extend_schema_view(
    list=extend_schema(
        summary="List updates on action items",
        description="Signed-in users who see the item; the public sees only the item's current status.",
    ),
    retrieve=extend_schema(summary="One update"),
)
class ElementUpdateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyViewSet):
    """Updates given before meetings: each sets the item's status and may re-date it."""

    queryset = ElementUpdate.objects.all()
    serializer_class = ElementUpdateSerializer
    filterset_class = ElementUpdateFilterSet
    search_fields: list[str] = []
    ordering_fields = ["recorded_at", "id"]
    ordering = ["-recorded_at", "-id"]
    policy_actions = {"create": ADD}

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("element")

    @extend_schema(
        summary="Record an update on an action item (focal point for their country, or the secretariat)",
        description="Closing (completed or dropped) needs a note (400 naming `note`); a new due date before the "
        "decision is refused (400 naming `new_due_on`); an item not addressed to your country gives 403.",
        request=ElementUpdateCreateSerializer,
        responses={201: ElementUpdateSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = ElementUpdateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        element = visible_or_400(Element.objects.all(), request.user, "element", data.pop("element"))
        update = followup_services.element_update_record(actor=request.user, element=element, **data)
        return self.respond(update, status=201)


def register(router) -> None:
    router.register("outcomes", OutcomeViewSet, basename="outcome")
    router.register("outcome-elements", ElementViewSet, basename="outcome-element")
    router.register("action-items", ActionItemViewSet, basename="action-item")
    router.register("action-item-updates", ElementUpdateViewSet, basename="action-item-update")
