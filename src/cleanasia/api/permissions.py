"""The one permission class of the API: it asks the model's policy (core.permissions.can)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from cleanasia.core.permissions import ADD, CHANGE, DELETE, VIEW, can

ACTION_FOR_METHOD = {
    "GET": VIEW,
    "HEAD": VIEW,
    "OPTIONS": VIEW,
    "POST": ADD,
    "PUT": CHANGE,
    "PATCH": CHANGE,
    "DELETE": DELETE,
}


def policy_action(request: Any, view: Any) -> str:
    """The policy action a request asks for: a view's `policy_actions` map by viewset action, else by method."""
    by_view_action = getattr(view, "policy_actions", {}) or {}
    return by_view_action.get(getattr(view, "action", None)) or ACTION_FOR_METHOD.get(request.method, CHANGE)


def policy_model(view: Any):
    queryset = getattr(view, "queryset", None)
    return queryset.model if queryset is not None else view.get_queryset().model


class PolicyPermission(BasePermission):
    """Allows a request when the model's policy says `can(user, action, model)`, then `can(..., obj)`.

    Denied anonymous requests become 401 (DRF raises NotAuthenticated when no
    credentials were given), denied signed-in ones 403.
    """

    def has_permission(self, request: Any, view: Any) -> bool:
        return can(request.user, policy_action(request, view), policy_model(view))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        action = policy_action(request, view)
        if action == VIEW:
            # The object was fetched through visible(), which is the view policy;
            # asking again would cost a query and could only agree.
            return True
        return can(request.user, action, obj)
