"""Base classes of the API's endpoints: policy permission, visible rows only."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

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
