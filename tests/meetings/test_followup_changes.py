"""What changed between two meetings of a series, read from the change history of the elements."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Element
from cleanasia.meetings.selectors.followup import series_changes_for
from cleanasia.meetings.services import followup as services

from .factories import make_series
from .test_outcomes_builders import adopted_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db


def backdate(since, to):
    Element.history.filter(history_date__gte=since).update(history_date=to)


@pytest.fixture
def story(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    series = make_series("EMM")
    m1 = past_meeting(series, days_ago=400)
    m2 = past_meeting(series, days_ago=200)
    m3 = past_meeting(series, days_ago=20)
    mark = timezone.now()
    first = adopted_outcome(m1)
    a = make_action_item(element(first, "02.a"))
    b = make_action_item(element(first, "02.b"))
    c = make_action_item(element(first, "03"))
    backdate(mark, m1.ends_at - dt.timedelta(hours=1))
    mark = timezone.now()
    services.element_update_record(actor=secretariat, element=a, status="completed", note="Done.", country="VN")
    services.element_update_record(
        actor=secretariat,
        element=b,
        status="not_started",
        note="Later.",
        country="VN",
        new_due_on=b.due_on + dt.timedelta(days=200),
    )
    services.element_update_record(actor=secretariat, element=c, status="in_progress", note="Going.", country="VN")
    backdate(mark, m1.ends_at + dt.timedelta(days=10))
    mark = timezone.now()
    second = adopted_outcome(m2, kind="decision", visibility="secretariat")
    make_action_item(element(second, "03"))
    backdate(mark, m2.ends_at - dt.timedelta(hours=1))
    return {
        "series": series,
        "m1": m1,
        "m2": m2,
        "m3": m3,
        "a": a,
        "b": b,
        "c": c,
        "second": second,
        "user": secretariat,
    }


def codes(entries):
    return {e["code"] for e in entries}


def test_added_closed_redated_and_status_changes_between_two_meetings(story):
    changes = series_changes_for(
        user=story["user"], series=story["series"], from_meeting=story["m1"], to_meeting=story["m2"]
    )
    assert codes(changes["added"]) == set(
        Element.objects.filter(outcome=story["second"]).values_list("code", flat=True)
    )
    assert codes(changes["added_action_items"]) == {f"{story['second'].code}.03"}
    assert codes(changes["closed"]) == {story["a"].code}
    assert codes(changes["redated"]) == {story["b"].code}
    assert codes(changes["status_changed"]) == {story["c"].code}
    closed = changes["closed"][0]
    assert closed["before"]["status"] == "not_started"
    assert closed["status"] == "completed"
    redated = changes["redated"][0]
    assert redated["due_on"] - redated["before"]["due_on"] == dt.timedelta(days=200)


def test_the_order_of_the_meetings_does_not_matter_and_a_quiet_period_shows_nothing(story):
    swapped = series_changes_for(
        user=story["user"], series=story["series"], from_meeting=story["m2"], to_meeting=story["m1"]
    )
    assert codes(swapped["closed"]) == {story["a"].code}
    quiet = series_changes_for(
        user=story["user"], series=story["series"], from_meeting=story["m2"], to_meeting=story["m3"]
    )
    assert not quiet["added"]
    assert not quiet["closed"]
    assert not quiet["redated"]
    assert not quiet["status_changed"]


def test_the_public_sees_changes_of_public_outcomes_only(story):
    changes = series_changes_for(
        user=AnonymousUser(), series=story["series"], from_meeting=story["m1"], to_meeting=story["m2"]
    )
    assert not changes["added"]
    assert codes(changes["closed"]) == {story["a"].code}


def test_the_page_compares_the_chosen_meetings(story, client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("meetings:series-changes", args=[story["series"].pk])
    with django_assert_max_num_queries(30):
        response = client.get(url, {"from": story["m1"].pk, "to": story["m2"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert story["a"].code in html
    assert story["b"].code in html
    assert "1 action item closed" in html
    # Without a choice: the last two meetings.
    response = client.get(url)
    assert response.context["chosen_from"] == story["m2"]
    assert response.context["chosen_to"] == story["m3"]
