"""The open-data feed of adopted public outcomes and their elements (/feeds/outcomes.json)."""

import datetime as dt

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.meetings import opendata
from cleanasia.meetings.services import outcomes as services

from ..conftest import ROLES
from ..measures.factories import make_measure
from .factories import make_series
from .test_outcomes_builders import adopted_outcome, draft_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db
URL = "/feeds/outcomes.json"


@pytest.fixture
def published():
    series = make_series("EMM")
    first = adopted_outcome(past_meeting(series, days_ago=500), visibility="public")
    later = adopted_outcome(past_meeting(series, days_ago=100), kind="decision", visibility="public")
    item = make_action_item(element(first, "02.a"), countries=("VN", "TH"))
    item = services.element_classify(
        actor=None, element=item, expected_version=item.version, changes={"superseded_by": element(later, "03")}
    )
    services.element_link_measure(actor=None, element=item, measure=make_measure(code="M-PUB", visibility="public"))
    services.element_link_measure(actor=None, element=item, measure=make_measure(code="M-SEC"))
    # Never in the feed: a draft, a members-only outcome, a public outcome of a secretariat-only meeting.
    draft_outcome(past_meeting(series, days_ago=50), visibility="public")
    adopted_outcome(past_meeting(series, days_ago=40), visibility="members")
    adopted_outcome(past_meeting(make_series(), days_ago=30, visibility="secretariat"), visibility="public")
    return {"first": first, "later": later, "item": item}


def test_the_feed_has_adopted_public_outcomes_with_their_elements(published, client):
    assert reverse("meetings_feeds:outcomes-json") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    # Oldest change first: the joint statement's item was classified after the decision was adopted.
    assert [o["code"] for o in body["results"]] == ["EMM/2/DEC.1", "EMM/1/JS"]
    assert body["results"][0]["modified"] <= body["results"][1]["modified"]
    first = body["results"][1]
    assert first["title"] == {"ja": "共同声明", "en": "Joint statement"}
    assert first["meeting"]["series"] == "EMM"
    assert first["status"] == "adopted"
    assert first["adopted_on"] == published["first"].adopted_on.isoformat()
    assert first["url"].endswith(reverse("meetings_public:outcome-public", args=[published["first"].pk]))
    codes = [e["code"] for e in first["elements"]]
    assert codes[:3] == ["EMM/1/JS.01", "EMM/1/JS.02", "EMM/1/JS.02.a"]
    item = next(e for e in first["elements"] if e["code"] == "EMM/1/JS.02.a")
    assert item["id"] == published["item"].pk
    assert item["parent"] == "EMM/1/JS.02"
    assert item["text"] == {"ja": "大気質データを共有すること", "en": "share air quality data;"}
    assert item["action_item"]
    assert item["addressee"] == "countries"
    assert sorted(item["addressed_countries"]) == ["TH", "VN"]
    assert item["due_on"] == published["item"].due_on.isoformat()
    assert item["status"] == "not_started"
    assert item["superseded_by"] == "EMM/2/DEC.1.03"
    assert item["measures"] == [{"code": "M-PUB", "relation": "advances"}]  # the secretariat's measure is not public
    assert item["modified"].endswith("Z")
    assert first["modified"].endswith("Z")


@pytest.mark.parametrize("role", ROLES)
def test_the_feed_is_the_same_for_everyone(published, client_for, role):
    client, _user = client_for(role)
    assert [o["code"] for o in client.get(URL).json()["results"]] == ["EMM/2/DEC.1", "EMM/1/JS"]


def test_harvesters_fetch_what_changed_since_their_last_visit(published, client):
    body = client.get(URL).json()
    latest = max(o["modified"] for o in body["results"])
    assert client.get(URL, {"since": latest}).json()["count"] == 0
    item = published["item"]
    services.element_classify(
        actor=None, element=item, expected_version=item.version, changes={"due_on": item.due_on + dt.timedelta(days=1)}
    )
    changed = client.get(URL, {"since": latest}).json()
    assert [o["code"] for o in changed["results"]] == ["EMM/1/JS"]
    assert changed["since"] is not None
    assert client.get(URL, {"since": "2000-01-01"}).json()["count"] == 2


def test_pages_link_to_the_next(published, client, monkeypatch):
    monkeypatch.setattr(opendata, "PAGE_SIZE", 1)
    body = client.get(URL, {"since": "2000-01-01"}).json()
    assert len(body["results"]) == 1
    assert body["next"].startswith("http://testserver/feeds/outcomes.json?")
    assert "since=2000-01-01" in body["next"]
    second = client.get(body["next"]).json()
    assert [o["code"] for o in second["results"]] == ["EMM/1/JS"]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("params", "field"), [({"since": "yesterday"}, "since"), ({"page": "0"}, "page"), ({"page": "x"}, "page")]
)
def test_bad_parameters_are_refused_by_name(published, client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_the_feed_runs_a_fixed_number_of_queries(published, client, django_assert_max_num_queries):
    for days in (90, 80, 70):
        outcome = adopted_outcome(past_meeting(published["first"].meeting.series, days_ago=days), kind="decision")
        make_action_item(element(outcome, "03"), countries=("VN",))
    with django_assert_max_num_queries(12):
        body = client.get(URL).json()
    assert body["count"] == 5


def test_only_get_is_allowed(client):
    assert client.post(URL).status_code == 405


def test_the_secretariat_sees_no_more_than_the_public(published, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    assert client.get(URL).json()["count"] == 2
