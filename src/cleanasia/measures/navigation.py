"""The progress module's place in the workspace (found by core.navigation)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cleanasia.core.navigation import register_record_page, register_workspace_section

register_workspace_section(
    "measures",
    label=gettext_lazy("Progress of measures"),
    url_name="measures:list",
    model="measures.Measure",
    description=gettext_lazy("Measures under the framework, their indicators, milestones and progress reports."),
    count_label=gettext_lazy("measures"),
    related_url_names=(
        "measures:detail",
        "measures:dashboard",
        "measures:compare",
        "measures:periods",
        "measures:missing-reports",
        "measures:report-edit",
        "measures:report-review",
    ),
    order=30,
)
register_record_page("measures.Measure", lambda measure: reverse("measures:detail", args=[measure.pk]))
