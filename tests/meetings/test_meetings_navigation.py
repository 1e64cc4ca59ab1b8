"""The meetings section of the workspace: its card, the menu marking every page of the module, record pages."""

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.core.navigation import record_page_url, sections_for
from cleanasia.meetings.models import AgendaItem

from ..conftest import ROLES
from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in ROLES if r != "public"])
def test_every_signed_in_role_has_the_section_and_counts_what_it_sees(role, make_user):
    user = make_user(role)
    make_meeting(make_series(), visibility="public")
    make_meeting(make_series(visibility="secretariat"), visibility="secretariat", invite=("TH",))
    section = {s.key: s for s in sections_for(user)}["meetings"]
    assert section.url == reverse("meetings:meeting-list")
    assert section.count_for(user) == (2 if role in (Role.SECRETARIAT, Role.ADMIN) else 1)


def test_every_page_of_the_module_is_inside_the_section():
    section = {s.key: s for s in sections_for(None)}["meetings"]
    for name in ("meetings:meeting-detail", "meetings:agenda-edit", "meetings:doc-list", "meetings:delegation-edit"):
        assert name in section.related_url_names
    assert "measures:list" not in section.related_url_names
    assert None not in section.related_url_names


def test_the_menu_marks_the_section_on_a_meeting_page(client_for):
    client, _user = client_for(Role.EXPERT)
    meeting = make_meeting(make_series())
    html = client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()
    assert f'<a href="{reverse("meetings:meeting-list")}" aria-current="true">' in html


def test_records_link_to_their_pages():
    meeting = make_meeting(make_series())
    item = AgendaItem.objects.create(meeting=meeting, number="1", title_en="Opening")
    assert record_page_url(meeting) == reverse("meetings:meeting-detail", args=[meeting.pk])
    assert record_page_url(meeting.series) == reverse("meetings:series-detail", args=[meeting.series_id])
    assert record_page_url(item) == reverse("meetings:meeting-agenda", args=[meeting.pk]) + f"#item-{item.pk}"
