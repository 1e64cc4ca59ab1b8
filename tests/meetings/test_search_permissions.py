"""Search shows every role only what its permission policies let it see: a secretariat-only meeting never
reaches the public, drafts and restricted or embargoed documents stay hidden, named groups are honoured.

Search filters in SQL with what it stored; the policies have the last word on each page of results, so
search never shows more than the policies, and may show less (a focal point also sees the secretariat-only
meetings their country is invited to on the meeting pages, not in search).
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cleanasia.core import search as core_search
from cleanasia.core.permissions import visible
from cleanasia.meetings import search as registrations
from cleanasia.meetings.models import Document, Element, Meeting, Outcome

from ..conftest import ROLES
from .factories import make_meeting
from .test_search_index import make_document, make_element, make_outcome

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "public"]
STAFF = {"secretariat", "admin"}


def found(query, user):
    return {(entry.content_type.model, entry.title) for entry in core_search.search(query, user=user)}


@pytest.fixture
def records():
    """One meeting per visibility level, each with a public document, an adopted outcome and an element."""
    made = {}
    for level in ("public", "members", "groups", "secretariat"):
        meeting = make_meeting(title_en=f"Zeta {level} meeting", title_ja=f"ゼータ{level}会合", visibility=level)
        document = make_document(meeting, title_en=f"Zeta {level} paper", title_ja="")
        outcome = make_outcome(meeting, title_en=f"Zeta {level} statement", title_ja="")
        element = make_element(outcome, text_en=f"Zeta {level} action.")
        made[level] = (meeting, document, outcome, element)
    return made


def reader(role, make_user):
    return None if role == "public" else make_user(role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_the_meetings_its_level_allows(role, records, make_user):
    user = reader(role, make_user)
    levels = {model: set() for model in ("meeting", "document", "outcome", "element")}
    for entry in core_search.search("zeta", user=user):
        levels[entry.content_type.model].add(entry.title.split()[1] if entry.content_type.model != "element" else "")
    meetings = levels["meeting"]
    if role == "public":
        assert meetings == {"public"}
    elif role in STAFF:
        assert meetings == {"public", "members", "groups", "secretariat"}
    else:
        assert meetings == {"public", "members"}, "named groups need membership; secretariat-only needs the staff"
    elements = [e for e in core_search.search("action", user=user) if e.content_type.model == "element"]
    assert len(elements) == {"public": 1}.get(role, 4 if role in STAFF else 2)


@pytest.mark.parametrize("role", ROLES)
def test_search_never_shows_more_than_the_policies(role, records, make_user):
    user = reader(role, make_user)
    for model in registrations.MODELS:
        shown = {e.object_id for e in core_search.search("zeta", user=user, only=[model])}
        allowed = set(visible(model.objects.all(), user).values_list("pk", flat=True))
        assert shown <= allowed, model


def test_a_secretariat_only_meeting_never_shows_to_the_public_even_on_the_public_page(records, client_for):
    client, _user = client_for("secretariat")
    page = client.get("/en/meetings/search/", {"q": "zeta"}).content.decode()
    assert "</mark> public meeting" in page
    assert "secretariat meeting" not in page, "the public page searches as the public, whoever is signed in"
    assert "secretariat statement" not in page
    staff_page = client.get("/en/staff/meetings/search/", {"q": "zeta"}).content.decode()
    assert "</mark> secretariat meeting" in staff_page


def test_named_groups_see_their_records(records, make_user):
    group = Group.objects.create(name="Working group on air")
    meeting = records["groups"][0]
    meeting.audience_groups.add(group)
    member, outsider = make_user("wg_member"), make_user("wg_member")
    member.groups.add(group)
    assert ("meeting", "Zeta groups meeting") in found("zeta", member)
    assert ("meeting", "Zeta groups meeting") not in found("zeta", outsider)
    assert ("meeting", "Zeta groups meeting") not in found("zeta", None)
    meeting.audience_groups.remove(group)
    assert ("meeting", "Zeta groups meeting") not in found("zeta", member), "taking the group away hides it"


def test_draft_outcomes_and_their_elements_are_for_the_secretariat(make_user):
    meeting = make_meeting(title_en="Open meeting", visibility="public")
    draft = make_outcome(meeting, status="draft", title_en="Draft ministerial declaration")
    make_element(draft, text_en="Ministers pledge cleaner air.")
    secretariat, member = make_user("secretariat"), make_user("expert")
    for query in ("ministerial declaration", "cleaner air"):
        assert found(query, secretariat), query
        assert not found(query, member), query
        assert not found(query, None), query
    draft.status = "adopted"
    draft.save()
    assert found("cleaner air", None), "adopting publishes it and its elements"


def test_documents_follow_their_distribution_and_embargo(make_user):
    meeting = make_meeting(title_en="Open meeting", visibility="public")
    make_document(meeting, title_en="General paper", distribution="general")
    make_document(meeting, title_en="Limited paper", distribution="limited")
    make_document(meeting, title_en="Restricted paper", distribution="restricted")
    make_document(
        meeting, title_en="Embargoed paper", distribution="general", embargo_until=timezone.now() + dt.timedelta(days=3)
    )
    make_document(
        meeting, title_en="Released paper", distribution="general", embargo_until=timezone.now() - dt.timedelta(days=3)
    )

    def papers(user):
        return {title.split(" ", 1)[1] for model, title in found("paper", user) if model == "document"}

    assert papers(None) == {"General paper", "Released paper"}
    assert papers(make_user("focal_point")) == {"General paper", "Limited paper", "Released paper"}, "VN is invited"
    assert papers(make_user("expert")) == {"General paper", "Released paper"}, "limited: participants only"
    outsider = make_user("focal_point", country="KR")
    assert papers(outsider) == {"General paper", "Released paper"}
    assert core_search.search("limited paper", user=outsider).count() == 0, "not even counted"
    assert papers(make_user("secretariat")) == {
        "General paper",
        "Limited paper",
        "Restricted paper",
        "Embargoed paper",
        "Released paper",
    }


def test_a_stale_entry_is_dropped_by_the_policy_check_of_the_page(records, make_user):
    """Bulk updates send no signals: the page still shows only what the policies allow."""
    meeting = records["public"][0]
    Meeting.objects.filter(pk=meeting.pk).update(visibility="secretariat")
    entries = list(core_search.search("zeta public meeting", user=None))
    assert [e.object_id for e in entries] == [meeting.pk], "the index is stale"
    assert core_search.hits(entries, user=None, query="zeta public meeting", namespace="meetings_public") == []


def test_every_registered_model_is_covered_here():
    assert set(registrations.MODELS) == {Meeting, Document, Outcome, Element}
