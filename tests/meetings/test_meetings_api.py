"""API of series, meetings and agenda items: what each role reads, filters, secretariat-only writes through the
services (versioned PATCH, 409 when stale), status and reschedule actions, and bad input refused by name."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import AgendaItem, Document, Meeting, MeetingSeries
from tests.api.helpers import patch_json, problem

from ..conftest import ROLES
from ..factories import CountryFactory
from .factories import make_group, make_meeting, make_series

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
STAFF = (Role.SECRETARIAT, Role.ADMIN)


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def fields_of(body):
    return {error["field"] for error in body["errors"]}


@pytest.fixture
def world():
    """Public, members-only and restricted meetings; the restricted one invites Viet Nam."""
    public = make_meeting(
        make_series("PUB"), ordinal=1, title_en="Public meeting", online_url="https://meet.example.org/x"
    )
    members = make_meeting(make_series("MEM", visibility="members"), visibility="members", title_en="Members")
    restricted = make_meeting(
        make_series("SEC", visibility="secretariat"), visibility="secretariat", invite=("VN",), title_en="Restricted"
    )
    other = make_meeting(
        make_series("OTH", visibility="secretariat"), visibility="secretariat", invite=("TH",), title_en="Other"
    )
    AgendaItem.objects.create(meeting=public, number="1", title_en="Opening")
    AgendaItem.objects.create(meeting=other, number="1", title_en="Hidden opening")
    return {"public": public, "members": members, "restricted": restricted, "other": other}


EXPECTED = {
    "public": {"PUB"},
    Role.EXPERT: {"PUB", "MEM"},
    Role.WG_MEMBER: {"PUB", "MEM"},
    Role.FOCAL_POINT: {"PUB", "MEM", "SEC"},
    Role.SECRETARIAT: {"PUB", "MEM", "SEC", "OTH"},
    Role.ADMIN: {"PUB", "MEM", "SEC", "OTH"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_series_meetings_and_items_it_may_see(role, client_for, world):
    client, _user = client_for(role)
    assert {m["series_code"] for m in results(client.get("/api/v1/meetings/"))} == EXPECTED[role]
    assert {s["code"] for s in results(client.get("/api/v1/meeting-series/"))} == EXPECTED[role]
    items = {i["title_en"] for i in results(client.get("/api/v1/agenda-items/"))}
    assert ("Hidden opening" in items) is (role in STAFF)
    assert "Opening" in items
    other = client.get(f"/api/v1/meetings/{world['other'].pk}/")
    if role in STAFF:
        assert other.status_code == 200
    else:
        problem(other, 404)


def test_the_online_link_is_for_signed_in_users_only(client, client_for, world):
    public = client.get(f"/api/v1/meetings/{world['public'].pk}/").json()
    assert public["online_url"] == ""
    assert public["ical_uid"] == f"meeting-{world['public'].pk}@cleanasia"
    signed_in, _user = client_for(Role.EXPERT)
    assert signed_in.get(f"/api/v1/meetings/{world['public'].pk}/").json()["online_url"] == "https://meet.example.org/x"


def test_meetings_are_filtered_by_series_dates_and_status(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    series = make_series("EMM")
    early = make_meeting(series, ordinal=1, starts_at=dt.datetime(2030, 3, 1, 9, tzinfo=HCM))
    late = make_meeting(series, ordinal=2, starts_at=dt.datetime(2032, 3, 1, 9, tzinfo=HCM), status="confirmed")
    make_meeting(make_series("OTHER"), ordinal=1, starts_at=dt.datetime(2031, 3, 1, 9, tzinfo=HCM))

    def ids(**params):
        return [m["id"] for m in results(client.get("/api/v1/meetings/", params))]

    assert ids(series="EMM") == [early.pk, late.pk]
    assert ids(series="EMM", **{"from": "2031-01-01"}) == [late.pk]
    assert ids(series="EMM", to="2031-01-01") == [early.pk]
    assert ids(status="confirmed") == [late.pk]
    problem(client.get("/api/v1/meetings/", {"status": "nonsense"}), 400)
    problem(client.get("/api/v1/meetings/", {"from": "yesterday"}), 400)


def _meeting_body(series, **extra):
    return {
        "series": series.pk,
        "ordinal": 1,
        "title_en": "1st EMM",
        "starts_at": "2031-10-09T14:00:00+07:00",
        "ends_at": "2031-10-09T18:00:00+07:00",
        "time_zone": "Asia/Ho_Chi_Minh",
        **extra,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_creates_meetings_and_series(role, client_for):
    client, _user = client_for(role)
    series = make_series("EMM", group=make_group("eas-api", members=("JP", "VN")))
    created = post_json(client, "/api/v1/meetings/", _meeting_body(series))
    new_series = post_json(client, "/api/v1/meeting-series/", {"code": "NEW", "level": "working", "title_en": "New"})
    if role in STAFF:
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["starts_at"].startswith("2031-10-09T16:00:00+09:00")  # shown in the server's zone, same instant
        assert set(body["invited_countries"]) == {"JP", "VN"}
        assert body["visibility"] == series.visibility
        assert new_series.status_code == 201
        assert new_series.json()["code"] == "NEW"
    else:
        problem(created, 401 if role == "public" else 403)
        problem(new_series, 401 if role == "public" else 403)
        assert not Meeting.objects.exists()
        assert not MeetingSeries.objects.filter(code="NEW").exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"starts_at": "2031-10-09T14:00:00"}, "starts_at"),
        ({"ends_at": "2031-10-09T13:00:00+07:00"}, "ends_at"),
        ({"time_zone": "Asia/Nowhere"}, "time_zone"),
        ({"registration_deadline": "2031-10-10T00:00:00+07:00"}, "registration_deadline"),
        ({"invited_countries": ["XX"]}, "invited_countries"),
        ({"status": "held"}, "status"),
    ],
)
def test_bad_meeting_bodies_are_refused_naming_the_field(client_for, extra, field):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, "/api/v1/meetings/", _meeting_body(make_series(), **extra)), 400)
    assert field in fields_of(body)


def test_a_patch_is_versioned_and_a_stale_one_is_a_409(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    url = f"/api/v1/meetings/{world['public'].pk}/"
    CountryFactory(code="KH")
    response = patch_json(client, url, {"version": 1, "venue_en": "Sheraton Hanoi", "invited_countries": ["KH"]})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["invited_countries"] == ["KH"]
    stale = problem(patch_json(client, url, {"version": 1, "venue_en": "Elsewhere"}), 409)
    assert stale["current_version"] == 2
    assert "venue_en" in {c["field"] for c in stale["changed_fields"]}
    assert "version" in fields_of(problem(patch_json(client, url, {"venue_en": "No version"}), 400))
    assert "series" in fields_of(problem(patch_json(client, url, {"version": 2, "series": 1}), 400))
    focal, _user = client_for(Role.FOCAL_POINT)
    problem(patch_json(focal, url, {"version": 2, "venue_en": "Mine"}), 403)


def test_status_and_reschedule_actions(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = world["public"]
    url = f"/api/v1/meetings/{meeting.pk}/"
    refused = problem(post_json(client, url + "status/", {"status": "cancelled", "version": 1}), 400)
    assert fields_of(refused) == {"status_note"}
    done = post_json(client, url + "status/", {"status": "postponed", "note": "Typhoon", "version": 1})
    assert done.status_code == 200
    assert done.json()["status"] == "postponed"
    moved = post_json(
        client,
        url + "reschedule/",
        {"starts_at": "2032-01-10T09:00:00+07:00", "ends_at": "2032-01-11T17:00:00+07:00", "version": 2},
    )
    assert moved.status_code == 200, moved.content
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2032, 1, 10, 9, tzinfo=HCM)
    assert meeting.version == 3
    problem(
        post_json(
            client,
            url + "reschedule/",
            {"starts_at": "2032-01-10T09:00:00+07:00", "ends_at": "2032-01-11T17:00:00+07:00", "version": 2},
        ),
        409,
    )
    expert, _user = client_for(Role.EXPERT)
    problem(post_json(expert, url + "status/", {"status": "planned", "version": 3}), 403)


def test_agenda_items_are_written_by_the_secretariat_and_reordered(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = world["public"]
    opening = meeting.agenda_items.get()
    paper = Document.objects.create(
        meeting=meeting, symbol="PUB/1/WP.1", base_symbol="PUB/1/WP.1", doc_type="working_paper", title_en="Paper"
    )
    created = post_json(
        client,
        "/api/v1/agenda-items/",
        {"meeting": meeting.pk, "number": "2", "title_en": "Review", "documents": [paper.pk], "presenters_en": "Japan"},
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["documents"] == [paper.pk]
    assert item["position"] == 1
    clash = problem(
        post_json(client, "/api/v1/agenda-items/", {"meeting": meeting.pk, "number": "2", "title_en": "x"}), 400
    )
    assert fields_of(clash) == {"number"}
    edited = patch_json(client, f"/api/v1/agenda-items/{item['id']}/", {"version": 1, "title_en": "Review of work"})
    assert edited.status_code == 200
    assert edited.json()["version"] == 2
    problem(patch_json(client, f"/api/v1/agenda-items/{item['id']}/", {"version": 1, "title_en": "Late"}), 409)
    reordered = post_json(
        client, "/api/v1/agenda-items/reorder/", {"meeting": meeting.pk, "order": [item["id"], opening.pk]}
    )
    assert reordered.status_code == 200, reordered.content
    assert [row["id"] for row in reordered.json()] == [item["id"], opening.pk]
    listed = results(client.get("/api/v1/agenda-items/", {"meeting": meeting.pk}))
    assert [row["number"] for row in listed] == ["2", "1"]
    wg, _user = client_for(Role.WG_MEMBER)
    problem(post_json(wg, "/api/v1/agenda-items/", {"meeting": meeting.pk, "number": "3", "title_en": "x"}), 403)
    problem(post_json(wg, "/api/v1/agenda-items/reorder/", {"meeting": meeting.pk, "order": [opening.pk]}), 403)


def test_unknown_fields_are_refused(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, "/api/v1/meetings/", _meeting_body(make_series(), version=4, colour="red")), 400)
    assert {"version", "colour"} <= fields_of(body)


@pytest.mark.parametrize("path", ["/api/v1/meetings/", "/api/v1/meeting-series/", "/api/v1/agenda-items/"])
def test_lists_answer_in_a_fixed_number_of_queries(path, client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.FOCAL_POINT)

    def grow(n):
        for _ in range(n):
            meeting = make_meeting(make_series(), invite=("VN", "TH", "JP"))
            item = AgendaItem.objects.create(meeting=meeting, number="1", title_en="Opening")
            paper = Document.objects.create(
                meeting=meeting,
                symbol=f"{meeting.series.code}/1/WP.1",
                base_symbol="x",
                doc_type="working_paper",
                title_en="Paper",
            )
            item.documents.add(paper)
            meeting.series.extra_countries.add(CountryFactory(code="KR"))

    grow(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    grow(8)
    with django_assert_max_num_queries(len(few)):
        assert len(results(client.get(path))) == 10
