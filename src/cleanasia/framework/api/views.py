"""Framework endpoints: nodes (list, detail, nested tree) and the edit of one node."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanasia.api.schema import problem_responses
from cleanasia.api.viewsets import PlatformReadOnlyViewSet
from cleanasia.core.permissions import visible
from cleanasia.framework.models import FrameworkNode
from cleanasia.framework.services import framework_node_update

from .filters import FrameworkNodeFilterSet
from .serializers import FrameworkNodeSerializer, FrameworkNodeUpdateSerializer, FrameworkTreeNodeSerializer


@extend_schema_view(
    list=extend_schema(summary="List framework nodes", description="Flat and paginated; see `tree/` for the nesting."),
    retrieve=extend_schema(summary="One framework node"),
)
class FrameworkNodeViewSet(PlatformReadOnlyViewSet):
    """The nodes of the Clean Asia Initiative's policy framework: vision, goals, foundations and their lines."""

    queryset = FrameworkNode.objects.all()
    serializer_class = FrameworkNodeSerializer
    filterset_class = FrameworkNodeFilterSet
    search_fields = ["code", "title_ja", "title_en"]
    ordering_fields = ["position", "code", "id"]
    lookup_value_regex = r"\d+"

    def optimise(self, queryset: QuerySet) -> QuerySet:
        children = visible(FrameworkNode.objects.only("id", "parent_id"), self.request.user)
        return queryset.prefetch_related(Prefetch("children", queryset=children))

    @extend_schema(
        summary="The whole framework as a nested tree",
        description="Every node the user may see, nested under its parent and ordered by position. Not paginated.",
        filters=False,
        responses=FrameworkTreeNodeSerializer(many=True),
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def tree(self, request: Request) -> Response:
        nodes = list(visible(FrameworkNode.objects.all(), request.user).order_by("position", "code"))
        present = {node.pk for node in nodes}
        children_of: dict[int | None, list[FrameworkNode]] = defaultdict(list)
        for node in nodes:
            # A node whose parent the user may not see is shown at the top rather than lost.
            children_of[node.parent_id if node.parent_id in present else None].append(node)
        context = {**self.get_serializer_context(), "children_of": children_of}
        return Response(FrameworkTreeNodeSerializer(children_of[None], many=True, context=context).data)

    @extend_schema(
        summary="Edit a framework node (secretariat)",
        description="Send the `version` read from the API with the fields to change. If the node changed since "
        "that version the edit is refused with 409 and the fields changed meanwhile; read it again and redo "
        "the edit. `code` and `parent` cannot be changed here.",
        request=FrameworkNodeUpdateSerializer,
        responses={200: FrameworkNodeSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        node = self.get_object()
        serializer = FrameworkNodeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        updated = framework_node_update(actor=request.user, node=node, expected_version=version, changes=changes)
        fresh = self.optimise(FrameworkNode.objects.filter(pk=updated.pk)).get()
        return Response(FrameworkNodeSerializer(fresh, context=self.get_serializer_context()).data)
