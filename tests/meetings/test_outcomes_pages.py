"""The pages of outcomes and action items: who gets which page, what they show, forms, query budgets."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Element, ElementUpdate, Outcome
from cleanasia.meetings.selectors.outcomes import decisions_for_measure, meeting_section
from cleanasia.meetings.services import outcomes as services

from ..conftest import ROLES
from ..measures.factories import make_indicator, make_measure
from .factories import make_series
from .test_outcomes_builders import TEXT_EN, adopted_outcome, draft_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db
STAFF = (Role.SECRETARIAT, Role.ADMIN)


@pytest.fixture
def decided():
    """An adopted public joint statement with a VN action item advancing a public measure with an indicator."""
    outcome = adopted_outcome(past_meeting(make_series("EAS-EMM"), ordinal=2))
    item = make_action_item(element(outcome, "02.a"), countries=("VN",))
    measure = make_measure(visibility="public", code="M-AIR")
    indicator = make_indicator(measure, code="IND-AIR", public_approved=True)
    services.element_link_measure(actor=None, element=item, measure=measure)
    return {"outcome": outcome, "item": item, "measure": measure, "indicator": indicator}


# --- the decision page ----------------------------------------------------------------------------------------


def test_the_decision_page_traces_elements_to_measures_and_indicators(decided, client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    response = client.get(reverse("meetings:outcome-detail", args=[decided["outcome"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "EAS-EMM/2/JS.02.b.ii" in html
    assert "share air quality data" in html
    assert "M-AIR" in html
    assert "IND-AIR" in html
    assert "Not available" in html
    assert "Split the text" not in html  # no secretariat actions for a focal point


def test_the_decision_page_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    long_text = "\n".join(f"{n}. Paragraph {n}\n(a) first\n(b) second" for n in range(1, 41))
    outcome = adopted_outcome(text_en=long_text, text_ja="")
    for code in ("01.a", "02.b", "03.a", "04.b"):
        make_action_item(element(outcome, code), countries=("VN", "TH"))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("meetings:outcome-detail", args=[outcome.pk]))
    assert response.status_code == 200
    assert Element.objects.filter(outcome=outcome).count() == 120


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_the_decision_page(role, client_for, decided):
    client, _user = client_for(role)
    draft = draft_outcome()
    response = client.get(reverse("meetings:outcome-detail", args=[decided["outcome"].pk]))
    draft_response = client.get(reverse("meetings:outcome-detail", args=[draft.pk]))
    if role == "public":
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]
        return
    assert response.status_code == 200
    assert draft_response.status_code == (200 if role in STAFF else 404)


def test_the_decision_page_in_japanese(decided, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    with translation.override("ja"):
        url = reverse("meetings:outcome-detail", args=[decided["outcome"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "大気質データを共有すること" in response.content.decode()


def test_the_public_page_shows_adopted_public_outcomes_only(decided, client):
    response = client.get(reverse("meetings_public:outcome-public", args=[decided["outcome"].pk]))
    assert response.status_code == 200
    assert "EAS-EMM/2/JS.02.a" in response.content.decode()
    assert client.get(reverse("meetings_public:outcome-public", args=[draft_outcome().pk])).status_code == 404
    members = adopted_outcome(visibility="members")
    assert client.get(reverse("meetings_public:outcome-public", args=[members.pk])).status_code == 404


# --- recording, splitting, adopting ----------------------------------------------------------------------------


def test_the_secretariat_records_splits_and_adopts_an_outcome(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = past_meeting(make_series("EAS-EMM"), ordinal=3)
    response = client.post(
        reverse("meetings:outcome-create", args=[meeting.pk]),
        {"kind": "decision", "title_en": "Decision on air", "text_en": TEXT_EN, "visibility": "public"},
    )
    outcome = Outcome.objects.get(code="EAS-EMM/3/DEC.1")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/outcomes/{outcome.pk}/")
    client.post(reverse("meetings:outcome-split", args=[outcome.pk]))
    assert Element.objects.filter(outcome=outcome).count() == 8
    client.post(reverse("meetings:outcome-adopt", args=[outcome.pk]), {"adopted_on": ""})
    outcome.refresh_from_db()
    assert outcome.status == "adopted"
    assert outcome.adopted_on == services.meeting_start_date(meeting)
    # The adopted text can no longer be edited: the form disables it, only the visibility changes.
    response = client.post(
        reverse("meetings:outcome-edit", args=[outcome.pk]),
        {"title_en": "Changed", "text_en": "1. Changed", "visibility": "members", "version": outcome.version},
    )
    outcome.refresh_from_db()
    assert response.status_code == 302
    assert outcome.visibility == "members"
    assert outcome.title_en == "Decision on air"


def test_a_form_refusal_names_the_field(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = past_meeting()
    response = client.post(
        reverse("meetings:outcome-create", args=[meeting.pk]), {"kind": "decision", "visibility": "public"}
    )
    assert response.status_code == 400
    assert "Give the title in Japanese or in English." in response.context["form"].errors["title_ja"]


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_others_cannot_record_or_adopt(role, client_for):
    client, _user = client_for(role)
    draft = draft_outcome()
    response = client.post(reverse("meetings:outcome-create", args=[draft.meeting.pk]), {"kind": "decision"})
    assert response.status_code in (302, 403)
    client.post(reverse("meetings:outcome-adopt", args=[draft.pk]))
    assert Outcome.objects.get(pk=draft.pk).status == "draft"
    assert Outcome.objects.count() == 1


def test_classifying_an_element_through_its_form(decided, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    item = element(decided["outcome"], "03")
    url = reverse("meetings:element-classify", args=[item.pk])
    assert client.get(url).status_code == 200
    data = {
        "is_operational": "on",
        "is_action_item": "on",
        "addressee": "secretariat",
        "due_on": (decided["outcome"].adopted_on - dt.timedelta(days=1)).isoformat(),
        "version": item.version,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["due_on"]
    data["due_on"] = (decided["outcome"].adopted_on + dt.timedelta(days=30)).isoformat()
    data["implements"] = "NO/SUCH/CODE"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "No element has this code." in response.context["form"].errors["implements"]
    data["implements"] = ""
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.is_action_item
    assert item.addressee == "secretariat"


def test_linking_a_measure_from_the_element_page(decided, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    item = element(decided["outcome"], "03")
    url = reverse("meetings:element-measures", args=[item.pk])
    client.post(url, {"measure": "M-AIR", "relation": "implements"})
    assert [d["outcome"] for d in decisions_for_measure(measure=decided["measure"], user=_user)] == [decided["outcome"]]
    client.post(url, {"measure": "M-AIR", "relation": "implements", "remove": "1"})
    assert len(decisions_for_measure(measure=decided["measure"], user=_user)[0]["elements"]) == 1


# --- the item page and the focal point's page ---------------------------------------------------------------------


def test_the_item_page_shows_its_history_and_an_update_form_for_its_country(decided, client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    url = reverse("meetings:element-detail", args=[decided["item"].pk])
    response = client.post(
        reverse("meetings:element-update-add", args=[decided["item"].pk]),
        {
            f"item-{decided['item'].pk}-{k}": v
            for k, v in {"status": "in_progress", "note": "Portal built.", "language": "en", "country": "VN"}.items()
        },
    )
    assert response.status_code == 302
    response = client.get(url)
    html = response.content.decode()
    assert "Portal built." in html
    assert "Record the update" in html
    assert "Change history of the element" in html
    assert "Action item closed" not in html
    assert "Element classified" in html  # the element's own history, with its action labels


def test_closing_without_a_note_is_refused_on_the_form(decided, client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    prefix = f"item-{decided['item'].pk}-"
    response = client.post(
        reverse("meetings:element-update-add", args=[decided["item"].pk]),
        {prefix + "status": "completed", prefix + "note": "", prefix + "language": "en", prefix + "country": "VN"},
    )
    assert response.status_code == 400
    assert "closing" in " ".join(response.context["update_form"].errors["note"])
    assert not ElementUpdate.objects.exists()


def test_an_expert_gets_no_update_form_and_cannot_post_one(decided, client_for):
    client, _user = client_for(Role.EXPERT)
    response = client.get(reverse("meetings:element-detail", args=[decided["item"].pk]))
    assert response.status_code == 200
    assert "Record the update" not in response.content.decode()
    response = client.post(reverse("meetings:element-update-add", args=[decided["item"].pk]), {})
    assert response.status_code == 403


def test_my_country_page_lists_items_addressed_to_it_with_forms(decided, client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.FOCAL_POINT)
    other = make_action_item(element(decided["outcome"], "02.b"), countries=("TH",))
    everyone = make_action_item(element(decided["outcome"], "03"), addressee="all")
    with django_assert_max_num_queries(40):
        response = client.get(reverse("meetings:my-action-items"))
    html = response.content.decode()
    assert decided["item"].code in html
    assert everyone.code in html
    assert other.code not in html
    prefix = f"item-{decided['item'].pk}-"
    response = client.post(
        reverse("meetings:element-update-add", args=[decided["item"].pk]),
        {prefix + "status": "dropped", prefix + "note": "", prefix + "language": "en", "next": "mine"},
    )
    assert response.status_code == 400
    assert "closing" in response.content.decode()
    response = client.post(
        reverse("meetings:element-update-add", args=[decided["item"].pk]),
        {prefix + "status": "completed", prefix + "note": "Done in March.", prefix + "language": "en", "next": "mine"},
    )
    assert response.status_code == 302
    assert "#item-" in response["Location"]
    anchor = f'id="item-{decided["item"].pk}"'
    assert anchor not in client.get(reverse("meetings:my-action-items")).content.decode()  # closed: hidden
    assert anchor in client.get(reverse("meetings:my-action-items"), {"closed": "1"}).content.decode()


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER])
def test_my_country_page_is_for_focal_points_and_the_secretariat(role, client_for):
    client, _user = client_for(role)
    assert client.get(reverse("meetings:my-action-items")).status_code == 403


# --- the meeting hub and the measure page ---------------------------------------------------------------------------


def test_the_meeting_section_counts_outcomes_and_items(decided, make_user, django_assert_max_num_queries):
    meeting = decided["outcome"].meeting
    secretariat = make_user(Role.SECRETARIAT)
    draft_outcome(meeting, kind="decision")
    with django_assert_max_num_queries(8):
        section = meeting_section(meeting=meeting, user=secretariat)
    assert len(section["outcomes"]) == 2
    assert section["can_add"]
    row = next(o for o in section["outcomes"] if o.pk == decided["outcome"].pk)
    # Decided 400 days ago, due a year after: overdue today.
    assert (row.element_count, row.action_item_count, row.open_count, row.overdue_count) == (8, 1, 1, 1)
    request = RequestFactory().get("/")
    request.user = secretariat
    html = render_to_string("meetings/outcomes/meeting_section.html", {"section": section}, request=request)
    assert decided["outcome"].code in html
    assert "Record an outcome" in html
    assert "Status of action items" in html


def test_the_meeting_section_for_the_public(decided, make_user):
    from django.contrib.auth.models import AnonymousUser

    section = meeting_section(meeting=decided["outcome"].meeting, user=AnonymousUser())
    assert [o.url for o in section["outcomes"]] == [
        reverse("meetings_public:outcome-public", args=[decided["outcome"].pk])
    ]
    assert meeting_section(meeting=decided["outcome"].meeting, user=make_user(Role.FOCAL_POINT))["my_items_url"] == (
        reverse("meetings:my-action-items")
    )
    assert section["status_url"] == ""
    assert not section["can_add"]
    assert meeting_section(meeting=past_meeting(), user=AnonymousUser()) is None


def test_decisions_behind_a_measure(decided, make_user):
    from django.contrib.auth.models import AnonymousUser

    decisions = decisions_for_measure(measure=decided["measure"], user=make_user(Role.EXPERT))
    assert decisions[0]["outcome"] == decided["outcome"]
    assert [e.code for e in decisions[0]["elements"]] == [decided["item"].code]
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string("meetings/outcomes/measure_decisions.html", {"decisions": decisions}, request=request)
    assert decided["item"].code in html
    assert "advances the measure" in html
    hidden = adopted_outcome(visibility="secretariat")
    services.element_link_measure(actor=None, element=element(hidden, "03"), measure=decided["measure"])
    assert len(decisions_for_measure(measure=decided["measure"], user=AnonymousUser())) == 1
