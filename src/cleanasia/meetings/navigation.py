"""The meetings module's place in the workspace (found by core.navigation, imported by the app's ready())."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cleanasia.core.navigation import register_record_page, register_workspace_section

# The staff pages known when this was written; every other page of the "meetings" namespace counts too.
KNOWN_PAGES = (
    "meetings:meeting-detail",
    "meetings:meeting-create",
    "meetings:meeting-edit",
    "meetings:meeting-status",
    "meetings:meeting-agenda",
    "meetings:meeting-agenda-pdf",
    "meetings:agenda-edit",
    "meetings:agenda-item-edit",
    "meetings:series-list",
    "meetings:series-detail",
    "meetings:calendar-link",
)


class MeetingsPages(tuple):
    """The section's related pages: the known ones, and any page of the module's staff namespace.

    The module's areas (delegations, documents, outcomes, notices…) add their
    pages under the "meetings:" namespace; each is inside this section of the
    workspace menu without being listed here one by one.
    """

    def __contains__(self, view_name: object) -> bool:
        return isinstance(view_name, str) and view_name.startswith("meetings:")


register_workspace_section(
    "meetings",
    label=gettext_lazy("Intergovernmental meetings"),
    url_name="meetings:meeting-list",
    model="meetings.Meeting",
    description=gettext_lazy(
        "Meeting series and meetings: dates, invited countries, agendas, delegations, documents and outcomes."
    ),
    count_label=gettext_lazy("meetings"),
    related_url_names=MeetingsPages(KNOWN_PAGES),
    order=50,
)
register_record_page("meetings.Meeting", lambda meeting: reverse("meetings:meeting-detail", args=[meeting.pk]))
register_record_page("meetings.MeetingSeries", lambda series: reverse("meetings:series-detail", args=[series.pk]))
register_record_page(
    "meetings.AgendaItem", lambda item: reverse("meetings:meeting-agenda", args=[item.meeting_id]) + f"#item-{item.pk}"
)
