"""The network's place in the workspace (found by core.navigation's discovery of `navigation` modules)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cleanasia.core.navigation import register_record_page, register_workspace_section


class NetworkPages(tuple):
    """The section's related pages: every page of the network's staff namespace.

    The network's areas (groups, experts, research, training, packages) each
    add their pages under "network:"; all of them are inside this section of
    the workspace menu without being listed one by one.
    """

    def __contains__(self, view_name: object) -> bool:
        return isinstance(view_name, str) and view_name.startswith("network:")


register_workspace_section(
    "network",
    label=gettext_lazy("Research and training network"),
    url_name="network:home",
    model="network.WorkingGroup",
    description=gettext_lazy(
        "Working groups per field, the expert directory, joint research and training, know-how packages and "
        "countries' needs."
    ),
    count_label=gettext_lazy("working groups"),
    related_url_names=NetworkPages(("network:home",)),
    order=60,
)
register_record_page("network.WorkingGroup", lambda group: reverse("network:group-workspace", args=[group.code]))
register_record_page(
    "network.WorkingGroupMember", lambda member: reverse("network:group-workspace", args=[member.group.code])
)
register_record_page(
    "network.WorkPlanItem",
    lambda item: reverse("network:group-workspace", args=[item.group.code]) + f"#item-{item.pk}",
)
