"""Base classes of the API's endpoints: policy permission, visible rows only."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.response import Response

from cleanasia.core.permissions import visible

from .permissions import PolicyPermission


class PlatformReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail of one model, limited to the rows the user may see.

    Subclasses set `queryset` (the model and base rows) and put their
    select_related/prefetch_related in `optimise`; `get_queryset` applies the
    model's policy first, so a row the user may not see is a 404 like a missing one.
    """

    permission_classes = [PolicyPermission]

    def get_queryset(self) -> QuerySet:
        return self.optimise(visible(super().get_queryset(), self.request.user))

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset


class PolicyViewSet(viewsets.GenericViewSet):
    """A base for endpoints that add their own actions (create, edit, status…) to the policy's visible rows;
    `respond` answers a write with the record as re-read through `optimise`."""

    permission_classes = [PolicyPermission]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet:
        return self.optimise(visible(super().get_queryset(), self.request.user))

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def respond(self, instance, status: int = 200) -> Response:
        fresh = self.optimise(type(instance)._default_manager.filter(pk=instance.pk)).get()
        return Response(self.get_serializer(fresh).data, status=status)
