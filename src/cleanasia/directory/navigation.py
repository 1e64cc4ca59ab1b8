"""The directory's place in the workspace (found by core.navigation)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanasia.core.navigation import register_record_page, register_workspace_section

register_workspace_section(
    "countries",
    label=_("Countries and groups"),
    url_name="directory:countries",
    model="directory.CountryGroup",
    description=_("Country groups such as ASEAN and the East Asia Summit, with dated memberships."),
    count_label=_("country groups"),
    related_url_names=("directory:group-detail",),
    order=20,
)
register_workspace_section(
    "organisations",
    label=_("Organisations"),
    url_name="directory:organisations",
    model="directory.Organisation",
    description=_("Ministries, institutes and international bodies, one record each."),
    count_label=_("organisations"),
    order=30,
)
register_workspace_section(
    "people",
    label=_("People"),
    url_name="directory:people",
    model="directory.Person",
    description=_("Delegates, experts and officials whose records you may see."),
    count_label=_("people you may see"),
    related_url_names=("directory:person-detail",),
    order=40,
)

register_record_page("directory.CountryGroup", lambda group: reverse("directory:group-detail", args=[group.code]))
register_record_page("directory.Person", lambda person: reverse("directory:person-detail", args=[person.pk]))
