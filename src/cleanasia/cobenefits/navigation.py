"""Co-benefits' place in the workspace (found by core.navigation's discovery of `navigation` modules)."""

from django.utils.translation import gettext_lazy

from cleanasia.core.navigation import register_workspace_section


class CobenefitsPages(tuple):
    """Every page of the co-benefits staff namespace is inside this section of the workspace menu."""

    def __contains__(self, view_name: object) -> bool:
        return isinstance(view_name, str) and view_name.startswith("cobenefits_staff:")


register_workspace_section(
    "cobenefits",
    label=gettext_lazy("Co-benefit projects"),
    url_name="cobenefits_staff:project-list",
    model="cobenefits.CobenefitProject",
    description=gettext_lazy(
        "Projects with their baseline and project scenarios, stored evaluations of greenhouse gases and "
        "pollutants with the working, the portfolio and the Excel import."
    ),
    count_label=gettext_lazy("projects"),
    related_url_names=CobenefitsPages(("cobenefits_staff:project-list",)),
    order=70,
)
