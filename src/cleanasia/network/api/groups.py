"""API of fields, working groups, their memberships and work plans: read by the policies, written through
the groups services (edits carry the version they start from; a stale one is a 409 problem).

A working group shows everyone who may see it its public fields; its terms of
reference, measure, meeting series and level only to its current members and
the secretariat. Memberships never carry contact details: the person's name,
country represented, role and term.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.permissions import PolicyPermission
from cleanasia.api.schema import problem_responses
from cleanasia.api.serializers import VERSION_HELP, pop_version
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, VIEW, is_secretariat, visible
from cleanasia.directory.models import Country, CountryGroup, Person
from cleanasia.measures.models import Measure, MeasureLinkRelation

from ..models import Field, GroupRole, GroupStatus, WorkingGroup, WorkingGroupMember, WorkPlanItem, WorkPlanStatus
from ..selectors.groups import attach_measure_links, group_list_for
from ..services import groups as services

WRITE_ERRORS = problem_responses(400, 401, 403)
EDIT_ERRORS = problem_responses(400, 401, 403, 404, 409)
WORKSPACE_FIELDS = ("terms_of_reference_ja", "terms_of_reference_en", "measure", "meeting_series", "visibility")


class RejectUnknownFields:
    """Fields a body may not set are refused by name rather than silently ignored."""

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set through the API.")] for name in unknown}
            )
        return attrs


def _codes(queryset: QuerySet, **kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=queryset, **kwargs)


# --- fields --------------------------------------------------------------------------------------------


class FieldSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Field
        fields = [
            "id",
            "code",
            "name_ja",
            "name_en",
            "description_ja",
            "description_en",
            "position",
            "is_active",
            "version",
            "is_demo",
        ]


class FieldBody(RejectUnknownFields, serializers.Serializer):
    """The body of POST /network-fields/ (secretariat)."""

    code = serializers.CharField(max_length=40)
    name_ja = serializers.CharField(max_length=200, allow_blank=True, default="")
    name_en = serializers.CharField(max_length=200, allow_blank=True, default="")
    description_ja = serializers.CharField(allow_blank=True, default="")
    description_en = serializers.CharField(allow_blank=True, default="")
    position = serializers.IntegerField(min_value=0, allow_null=True, default=None)
    is_active = serializers.BooleanField(default=True)


class FieldUpdateBody(FieldBody):
    """The body of PATCH /network-fields/{id}/: the version read and the fields to change."""

    version = serializers.IntegerField(min_value=1)


@extend_schema_view(
    list=extend_schema(summary="List the network's fields", description="Everyone reads the list, in its order."),
    retrieve=extend_schema(summary="One field"),
)
class FieldViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Fields of the network (air, water, waste/3R…): reference data edited by the secretariat."""

    queryset = Field.objects.all()
    serializer_class = FieldSerializer
    permission_classes = [PolicyPermission]
    ordering = ["position", "code"]
    ordering_fields = ["position", "code", "id"]
    search_fields = ["code", "name_ja", "name_en"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet:
        return visible(super().get_queryset(), self.request.user).order_by("position", "code")

    @extend_schema(
        summary="Add a field (secretariat)", request=FieldBody, responses={201: FieldSerializer, **WRITE_ERRORS}
    )
    def create(self, request: Request) -> Response:
        body = FieldBody(data=request.data)
        body.is_valid(raise_exception=True)
        field = services.field_create(actor=request.user, **body.validated_data)
        return Response(FieldSerializer(field).data, status=201)

    @extend_schema(
        summary="Edit a field (secretariat)",
        description="Send the `version` read from the API with the fields to change.",
        request=FieldUpdateBody,
        responses={200: FieldSerializer, **EDIT_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        field = self.get_object()
        body = FieldUpdateBody(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        updated = services.field_update(actor=request.user, field=field, expected_version=version, changes=changes)
        return Response(FieldSerializer(updated).data)


# --- working groups ------------------------------------------------------------------------------------


class WorkingGroupSerializer(serializers.ModelSerializer):
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    chair_countries = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("ISO 3166-1 alpha-2 codes.")
    )
    co_chair_countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text=_("Members with a current term."))
    is_member = serializers.BooleanField(read_only=True, help_text=_("Whether you hold a current term."))
    terms_of_reference_ja = serializers.CharField(
        read_only=True, required=False, help_text=_("Given to the group's members and the secretariat only.")
    )
    terms_of_reference_en = serializers.CharField(
        read_only=True, required=False, help_text=_("Given to the group's members and the secretariat only.")
    )
    measure = serializers.PrimaryKeyRelatedField(
        read_only=True,
        required=False,
        help_text=_("The measure whose progress reports are the group's annual reports (members and secretariat)."),
    )
    meeting_series = serializers.PrimaryKeyRelatedField(
        read_only=True, required=False, help_text=_("The series of the group's meetings (members and secretariat).")
    )
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, read_only=True, required=False, help_text=_("Members and secretariat only.")
    )
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = WorkingGroup
        fields = [
            "id",
            "code",
            "field",
            "name_ja",
            "name_en",
            "public_summary_ja",
            "public_summary_en",
            "chair_countries",
            "co_chair_countries",
            "established_on",
            "status",
            "publishes_members",
            "publishes_work_plan",
            "publishes_reports",
            "member_count",
            "is_member",
            *WORKSPACE_FIELDS,
            "version",
            "is_demo",
        ]

    def to_representation(self, group: WorkingGroup) -> dict[str, Any]:
        data = super().to_representation(group)
        request = self.context.get("request")
        user = request.user if request is not None else None
        if not (is_secretariat(user) or getattr(group, "is_member", False)):
            for name in WORKSPACE_FIELDS:
                data.pop(name, None)
        return data


class WorkingGroupBody(RejectUnknownFields, serializers.Serializer):
    """The body of POST /network-working-groups/ (secretariat). With `membership_group` (a country group's
    code), the group's meetings get a new working-level series inviting that group's members."""

    field = _codes(Field.objects.all())
    code = serializers.CharField(max_length=services.GROUP_CODE_MAX)
    name_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    name_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    terms_of_reference_ja = serializers.CharField(allow_blank=True, default="")
    terms_of_reference_en = serializers.CharField(allow_blank=True, default="")
    public_summary_ja = serializers.CharField(allow_blank=True, default="")
    public_summary_en = serializers.CharField(allow_blank=True, default="")
    chair_countries = _codes(Country.objects.all(), many=True, default=list)
    co_chair_countries = _codes(Country.objects.all(), many=True, default=list)
    established_on = serializers.DateField(allow_null=True, default=None)
    status = serializers.ChoiceField(choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    membership_group = _codes(CountryGroup.objects.all(), allow_null=True, default=None)
    publishes_members = serializers.BooleanField(default=False)
    publishes_work_plan = serializers.BooleanField(default=True)
    publishes_reports = serializers.BooleanField(default=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)


class WorkingGroupUpdateBody(RejectUnknownFields, serializers.Serializer):
    """The body of PATCH /network-working-groups/{code}/: the version read and the fields to change (the code
    and the series are fixed)."""

    field = _codes(Field.objects.all(), required=False)
    name_ja = serializers.CharField(max_length=300, allow_blank=True, required=False)
    name_en = serializers.CharField(max_length=300, allow_blank=True, required=False)
    terms_of_reference_ja = serializers.CharField(allow_blank=True, required=False)
    terms_of_reference_en = serializers.CharField(allow_blank=True, required=False)
    public_summary_ja = serializers.CharField(allow_blank=True, required=False)
    public_summary_en = serializers.CharField(allow_blank=True, required=False)
    chair_countries = _codes(Country.objects.all(), many=True, required=False)
    co_chair_countries = _codes(Country.objects.all(), many=True, required=False)
    established_on = serializers.DateField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=GroupStatus.choices, required=False)
    publishes_members = serializers.BooleanField(required=False)
    publishes_work_plan = serializers.BooleanField(required=False)
    publishes_reports = serializers.BooleanField(required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    version = serializers.IntegerField(min_value=1)


@extend_schema_view(
    list=extend_schema(
        summary="List working groups",
        description="Groups the user may see (by level; a member also sees their own groups). Filters: field "
        "(code), status, mine (true: only the user's groups), q (text in the code or name).",
    ),
    retrieve=extend_schema(summary="One working group"),
)
class WorkingGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The network's working groups, one per field or more."""

    queryset = WorkingGroup.objects.all()
    serializer_class = WorkingGroupSerializer
    permission_classes = [PolicyPermission]
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9][a-z0-9-]*"
    ordering_fields = ["code", "id"]

    def get_queryset(self) -> QuerySet:
        params = self.request.query_params
        filters = {name: params.get(name) for name in ("field", "status", "q") if params.get(name)}
        if params.get("mine") in ("1", "true"):
            filters["mine"] = True
        return group_list_for(user=self.request.user, filters=filters).prefetch_related(
            "chair_countries", "co_chair_countries"
        )

    def _respond(self, group: WorkingGroup, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=group.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Create a working group (secretariat)",
        description="Creates the measure that carries the group's work (its annual reports are that measure's "
        "progress reports) and, given `membership_group`, its meeting series.",
        request=WorkingGroupBody,
        responses={201: WorkingGroupSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = WorkingGroupBody(data=request.data)
        body.is_valid(raise_exception=True)
        group = services.working_group_create(actor=request.user, **body.validated_data)
        return self._respond(group, status=201)

    @extend_schema(
        summary="Edit a working group (secretariat)",
        description="Send the `version` read from the API with the fields to change.",
        request=WorkingGroupUpdateBody,
        responses={200: WorkingGroupSerializer, **EDIT_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = self.get_object()
        body = WorkingGroupUpdateBody(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        updated = services.working_group_update(
            actor=request.user, group=group, expected_version=version, changes=changes
        )
        return self._respond(updated)


# --- memberships ---------------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person_name_ja = serializers.CharField(source="person.name_ja", read_only=True)
    person_name_en = serializers.CharField(source="person.name_en", read_only=True)
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = WorkingGroupMember
        fields = [
            "id",
            "group",
            "person",
            "person_name_ja",
            "person_name_en",
            "country",
            "role",
            "started_on",
            "ended_on",
            "version",
            "is_demo",
        ]


class MembershipBody(RejectUnknownFields, serializers.Serializer):
    """The body of POST /network-memberships/ (secretariat)."""

    group = _codes(WorkingGroup.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    role = serializers.ChoiceField(choices=GroupRole.choices, default=GroupRole.MEMBER)
    country = _codes(Country.objects.all(), allow_null=True, default=None)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True, default=None)


class MembershipUpdateBody(RejectUnknownFields, serializers.Serializer):
    """The body of PATCH /network-memberships/{id}/: a correction of the role, country or term."""

    role = serializers.ChoiceField(choices=GroupRole.choices, required=False)
    country = _codes(Country.objects.all(), required=False)
    started_on = serializers.DateField(required=False)
    ended_on = serializers.DateField(allow_null=True, required=False)
    version = serializers.IntegerField(min_value=1)


class MembershipEndBody(RejectUnknownFields, serializers.Serializer):
    ended_on = serializers.DateField(help_text=_("The last day of the term."))


@extend_schema_view(
    list=extend_schema(
        summary="List working-group memberships",
        description="The secretariat sees all; a group's members see its memberships; others see the current "
        "members of groups that publish them. Never contact details. Filter: group (code).",
    ),
    retrieve=extend_schema(summary="One membership"),
)
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Who is in which group, with role and term; past terms stay."""

    queryset = WorkingGroupMember.objects.all()
    serializer_class = MembershipSerializer
    permission_classes = [PolicyPermission]
    ordering_fields = ["started_on", "id"]
    lookup_value_regex = r"\d+"
    policy_actions = {"end": CHANGE}

    def get_queryset(self) -> QuerySet:
        qs = visible(super().get_queryset(), self.request.user).select_related("group", "person", "country")
        if group := self.request.query_params.get("group"):
            qs = qs.filter(group__code=group)
        return qs.order_by("group__code", "started_on", "pk")

    def _respond(self, member: WorkingGroupMember, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=member.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Add a member to a working group (secretariat)",
        request=MembershipBody,
        responses={201: MembershipSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = MembershipBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        group = visible(WorkingGroup.objects.all(), request.user).filter(pk=data.pop("group").pk).first()
        if group is None:
            raise serializers.ValidationError({"group": [_("No such working group.")]})
        member = services.group_member_add(actor=request.user, group=group, **data)
        return self._respond(member, status=201)

    @extend_schema(
        summary="Correct a membership (secretariat)",
        request=MembershipUpdateBody,
        responses={200: MembershipSerializer, **EDIT_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.get_object()
        body = MembershipUpdateBody(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        updated = services.group_member_update(
            actor=request.user, member=member, expected_version=version, changes=changes
        )
        return self._respond(updated)

    @extend_schema(
        summary="End a term (secretariat)",
        request=MembershipEndBody,
        responses={200: MembershipSerializer, **EDIT_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        member = self.get_object()
        body = MembershipEndBody(data=request.data)
        body.is_valid(raise_exception=True)
        updated = services.group_member_end(actor=request.user, member=member, **body.validated_data)
        return self._respond(updated)


# --- work plans ----------------------------------------------------------------------------------------


class MeasureLinkSerializer(serializers.Serializer):
    measure = serializers.CharField(help_text=_("The measure's code."))
    relation = serializers.ChoiceField(choices=MeasureLinkRelation.choices)


class WorkPlanItemSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    measures = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = WorkPlanItem
        fields = [
            "id",
            "group",
            "position",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "due_on",
            "status",
            "measures",
            "version",
            "is_demo",
        ]

    @extend_schema_field(MeasureLinkSerializer(many=True))
    def get_measures(self, item: WorkPlanItem) -> list[dict[str, str]]:
        return [
            {"measure": link["measure"].code, "relation": link["relation"]}
            for link in getattr(item, "measure_links", [])
        ]


class WorkPlanItemBody(RejectUnknownFields, serializers.Serializer):
    """The body of POST /network-work-plan-items/ (secretariat)."""

    group = _codes(WorkingGroup.objects.all())
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    description_ja = serializers.CharField(allow_blank=True, default="")
    description_en = serializers.CharField(allow_blank=True, default="")
    due_on = serializers.DateField(allow_null=True, default=None)
    status = serializers.ChoiceField(choices=WorkPlanStatus.choices, default=WorkPlanStatus.PLANNED)
    position = serializers.IntegerField(min_value=0, allow_null=True, default=None)


class WorkPlanItemUpdateBody(RejectUnknownFields, serializers.Serializer):
    """The body of PATCH /network-work-plan-items/{id}/: the version read and the fields to change."""

    title_ja = serializers.CharField(max_length=300, allow_blank=True, required=False)
    title_en = serializers.CharField(max_length=300, allow_blank=True, required=False)
    description_ja = serializers.CharField(allow_blank=True, required=False)
    description_en = serializers.CharField(allow_blank=True, required=False)
    due_on = serializers.DateField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=WorkPlanStatus.choices, required=False)
    position = serializers.IntegerField(min_value=0, required=False)
    version = serializers.IntegerField(min_value=1)


class WorkPlanItemStatusBody(RejectUnknownFields, serializers.Serializer):
    status = serializers.ChoiceField(choices=WorkPlanStatus.choices)
    version = serializers.IntegerField(min_value=1)


class WorkPlanItemLinkBody(RejectUnknownFields, serializers.Serializer):
    measure = _codes(Measure.objects.all(), help_text=_("The measure's code."))
    relation = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in services.ITEM_RELATIONS], default=MeasureLinkRelation.ADVANCES
    )


@extend_schema_view(
    list=extend_schema(
        summary="List work-plan items",
        description="The secretariat sees all; a group's members see its work plan; others the work plans of "
        "groups that publish them. Each item lists the measures it is linked to (those the user may see). "
        "Filter: group (code).",
    ),
    retrieve=extend_schema(summary="One work-plan item"),
)
class WorkPlanItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Items of the groups' work plans, in their order."""

    queryset = WorkPlanItem.objects.all()
    serializer_class = WorkPlanItemSerializer
    permission_classes = [PolicyPermission]
    ordering_fields = ["position", "due_on", "id"]
    lookup_value_regex = r"\d+"
    # The chair and co-chairs set an item's status; the service asks the policy with the item itself.
    policy_actions = {"set_status": VIEW, "link_measure": CHANGE}

    def get_queryset(self) -> QuerySet:
        qs = visible(super().get_queryset(), self.request.user).select_related("group")
        if group := self.request.query_params.get("group"):
            qs = qs.filter(group__code=group)
        return qs.order_by("group__code", "position", "pk")

    def paginate_queryset(self, queryset: QuerySet) -> list[WorkPlanItem] | None:
        page = super().paginate_queryset(queryset)
        return attach_measure_links(page, self.request.user) if page is not None else None

    def get_object(self) -> WorkPlanItem:
        return attach_measure_links([super().get_object()], self.request.user)[0]

    def _respond(self, item: WorkPlanItem, status: int = 200) -> Response:
        fresh = attach_measure_links([self.get_queryset().get(pk=item.pk)], self.request.user)[0]
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Add a work-plan item (secretariat)",
        request=WorkPlanItemBody,
        responses={201: WorkPlanItemSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = WorkPlanItemBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        group = visible(WorkingGroup.objects.all(), request.user).filter(pk=data.pop("group").pk).first()
        if group is None:
            raise serializers.ValidationError({"group": [_("No such working group.")]})
        item = services.work_plan_item_create(actor=request.user, group=group, **data)
        return self._respond(item, status=201)

    @extend_schema(
        summary="Edit a work-plan item (secretariat)",
        request=WorkPlanItemUpdateBody,
        responses={200: WorkPlanItemSerializer, **EDIT_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        body = WorkPlanItemUpdateBody(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = pop_version(changes)
        updated = services.work_plan_item_update(
            actor=request.user, item=item, expected_version=version, changes=changes
        )
        return self._respond(updated)

    @extend_schema(
        summary="Set the status of a work-plan item (the group's chair, co-chairs, or the secretariat)",
        request=WorkPlanItemStatusBody,
        responses={200: WorkPlanItemSerializer, **EDIT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        body = WorkPlanItemStatusBody(data=request.data)
        body.is_valid(raise_exception=True)
        updated = services.work_plan_item_set_status(
            actor=request.user,
            item=item,
            expected_version=body.validated_data["version"],
            status=body.validated_data["status"],
        )
        return self._respond(updated)

    @extend_schema(
        summary="Link a work-plan item to a measure (secretariat)",
        request=WorkPlanItemLinkBody,
        responses={200: WorkPlanItemSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="measures")
    def link_measure(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        body = WorkPlanItemLinkBody(data=request.data)
        body.is_valid(raise_exception=True)
        services.work_plan_item_link_measure(actor=request.user, item=item, **body.validated_data)
        return self._respond(item)


def register(router: Any) -> None:
    router.register("network-fields", FieldViewSet, basename="network-field")
    router.register("network-working-groups", WorkingGroupViewSet, basename="network-working-group")
    router.register("network-memberships", MembershipViewSet, basename="network-membership")
    router.register("network-work-plan-items", WorkPlanItemViewSet, basename="network-work-plan-item")
