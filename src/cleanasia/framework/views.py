"""Staff pages of the policy framework: the tree, the edit form (optimistic concurrency), the history link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core import permissions
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.views.history import display_value, translated_base_fields

from .forms import FrameworkNodeForm
from .models import FrameworkNode
from .selectors import framework_tree
from .services import framework_node_update


class FrameworkTreeView(LoginRequiredMixin, TemplateView):
    """The framework as the secretariat maintains it: every node with its code and edit link."""

    template_name = "framework/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tree"] = framework_tree()
        return context


class FrameworkNodeEditView(LoginRequiredMixin, View):
    """Edit one node. A stale edit is refused and shown with what the other person changed."""

    template_name = "framework/node_edit.html"

    def _node(self, request: HttpRequest, pk: int) -> FrameworkNode:
        node = permissions.get_visible_or_404(FrameworkNode.objects.select_related("parent"), request.user, pk=pk)
        if not permissions.can(request.user, permissions.CHANGE, node):
            raise PermissionDenied
        return node

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        node = self._node(request, pk)
        form = FrameworkNodeForm(initial=FrameworkNodeForm.initial_for(node))
        return render(request, self.template_name, {"node": node, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        node = self._node(request, pk)
        form = FrameworkNodeForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"node": node, "form": form}, status=400)
        changes = form.changes_for(node)
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("framework:tree")
        try:
            framework_node_update(
                actor=request.user, node=node, expected_version=form.cleaned_data["version"], changes=changes
            )
        except StaleEditError as exc:
            return self._stale(request, form, exc)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return render(request, self.template_name, {"node": node, "form": form}, status=400)
        messages.success(request, _("The node was saved."))
        return redirect("framework:tree")

    def _stale(self, request: HttpRequest, form: FrameworkNodeForm, exc: StaleEditError) -> HttpResponse:
        """Keep the user's input, show the other change and the current values, and let them save knowingly."""
        current: FrameworkNode = exc.instance
        hidden = translated_base_fields(FrameworkNode)
        model_fields = {f.name: f for f in FrameworkNode._meta.concrete_fields}
        their_changes = [
            {
                "label": form.fields[c.field].label if c.field in form.fields else c.label,
                "value": display_value(model_fields.get(c.field), c.new),
            }
            for c in exc.changes
            if c.field not in hidden
        ]
        current_values = [
            {"label": form.fields[name].label, "value": display_value(model_fields[name], getattr(current, name))}
            for name in FrameworkNodeForm.EDITABLE
        ]
        # The user's input stays; the version moves on so that saving again is a deliberate choice.
        data = request.POST.copy()
        data["version"] = str(current.version)
        rebound = FrameworkNodeForm(data)
        rebound.is_valid()
        context = {
            "node": current,
            "form": rebound,
            "stale": {"by": exc.by, "changes": their_changes, "current": current_values},
        }
        return render(request, self.template_name, context, status=409)
