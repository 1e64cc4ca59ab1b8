"""The framework's place in the workspace (found by core.navigation)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cleanasia.core.navigation import register_record_page, register_workspace_section

register_workspace_section(
    "framework",
    label=gettext_lazy("Policy framework"),
    url_name="framework:tree",
    model="framework.FrameworkNode",
    description=gettext_lazy("The goals, basic directions and foundations of the initiative."),
    count_label=gettext_lazy("nodes"),
    related_url_names=("framework:node-edit", "framework:node-history"),
    order=10,
)
register_record_page("framework.FrameworkNode", lambda node: f"{reverse('framework:tree')}#node-{node.code}")
