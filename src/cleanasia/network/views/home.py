"""The network's landing pages: the workspace page (cards to each area of the network) and the public page
(what the network is, with links to its groups, experts, packages and the certificate check)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from cleanasia.core.permissions import is_secretariat

from ..selectors.groups import group_list_for


class NetworkHomeView(LoginRequiredMixin, TemplateView):
    """The workspace landing page of the network; the user's own groups first, the oversight for the
    secretariat. Links to areas whose pages do not exist yet are left out by the template."""

    template_name = "network/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            my_groups=list(group_list_for(user=user, filters={"mine": True})),
            is_secretariat=is_secretariat(user),
        )
        return context


class PublicNetworkHomeView(TemplateView):
    """The public page of the Asian Environmental Research and Training Network."""

    template_name = "network/public_home.html"
