"""The status of action items before a meeting: scope, latest updates, changes since the previous meeting,
overdue items; its page, its PDF, its issue as a meeting document, and a query count that does not grow."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Document, DocumentType, Element
from cleanasia.meetings.selectors.followup import action_status_for
from cleanasia.meetings.services import followup as services
from cleanasia.meetings.services import outcomes as outcome_services

from .factories import make_meeting, make_series
from .test_outcomes_builders import adopted_outcome, draft_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db


def backdate_history(since: dt.datetime, to: dt.datetime) -> None:
    """Move the change-history rows written since `since` to `to`, as if those changes happened then."""
    Element.history.filter(history_date__gte=since).update(history_date=to)


def rows_by_code(status):
    return {row["code"]: row for group in status["groups"] for row in group["rows"]}


@pytest.fixture
def world(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    ministers = make_series("MIN")
    followup = make_series("FUP", level="working")
    followup.follows_up.add(ministers)
    m1 = past_meeting(ministers, days_ago=700)
    m2 = past_meeting(ministers, days_ago=300)
    m3 = make_meeting(ministers, starts_at=timezone.now() + dt.timedelta(days=30))
    f1 = make_meeting(followup, starts_at=timezone.now() + dt.timedelta(days=10))

    mark = timezone.now()
    first = adopted_outcome(m1)
    a = make_action_item(element(first, "02.a"), countries=("VN",))
    b = make_action_item(
        element(first, "02.b"), addressee="all", due_on=outcome_services.meeting_start_date(m3) - dt.timedelta(days=1)
    )
    c = make_action_item(element(first, "03"), countries=("TH",))
    backdate_history(mark, m1.ends_at + dt.timedelta(hours=1))

    mark = timezone.now()
    services.element_update_record(
        actor=secretariat,
        element=a,
        status="in_progress",
        note="Started before the second meeting.",
        country="VN",
        recorded_at=m2.starts_at - dt.timedelta(days=10),
    )
    backdate_history(mark, m2.starts_at - dt.timedelta(days=10))

    mark = timezone.now()
    second = adopted_outcome(m2, kind="decision")
    d = make_action_item(element(second, "03"), countries=("VN",))
    backdate_history(mark, m2.ends_at)

    a.refresh_from_db()
    services.element_update_record(
        actor=secretariat,
        element=a,
        status="in_progress",
        note="Needs more time.",
        country="VN",
        new_due_on=a.due_on + dt.timedelta(days=400),
    )
    services.element_update_record(actor=secretariat, element=c, status="completed", note="Done.", country="TH")
    services.element_update_record(actor=secretariat, element=d, status="in_progress", note="Begun.", country="VN")

    # Outside the scope: another series, a later meeting, a draft.
    make_action_item(element(adopted_outcome(past_meeting(make_series("OTHER"))), "03"))
    make_action_item(element(adopted_outcome(m3), "03"))
    draft = draft_outcome(m2, kind="action_plan")
    outcome_services.outcome_split(actor=None, outcome=draft)
    make_action_item(element(draft, "03"))
    return {"m1": m1, "m2": m2, "m3": m3, "f1": f1, "a": a, "b": b, "c": c, "d": d, "secretariat": secretariat}


def test_the_document_lists_open_items_of_the_series_before_the_meeting(world):
    status = action_status_for(user=world["secretariat"], meeting=world["m3"])
    rows = rows_by_code(status)
    assert set(rows) == {world["a"].code, world["b"].code, world["d"].code}
    assert status["previous"] == world["m2"]
    assert status["series"] == ["MIN"]
    assert [c["code"] for c in status["closed"]] == [world["c"].code]


def test_each_item_shows_its_latest_update_and_what_changed_since_the_previous_meeting(world):
    rows = rows_by_code(action_status_for(user=world["secretariat"], meeting=world["m3"]))
    a, b, d = rows[world["a"].code], rows[world["b"].code], rows[world["d"].code]
    assert a["latest_update"]["note"] == "Needs more time."
    assert a["new_updates"] == 1
    assert a["redated"]
    assert not a["new"]
    assert not a["status_changed"]
    assert a["due_before"] == world["a"].due_on
    assert b["latest_update"] is None
    assert b["new_updates"] == 0
    assert not b["redated"]
    assert not b["status_changed"]
    assert d["new"]
    assert a["addressees"] == ["Viet Nam"]
    assert b["addressee"] == "all"


def test_a_status_change_since_the_previous_meeting_is_shown(world):
    services.element_update_record(
        actor=world["secretariat"], element=world["b"], status="in_progress", note="Moving.", country="VN"
    )
    row = rows_by_code(action_status_for(user=world["secretariat"], meeting=world["m3"]))[world["b"].code]
    assert row["status_changed"]
    assert row["status_before"] == "not_started"
    assert row["status"] == "in_progress"


def test_overdue_means_due_before_the_meeting_opens(world):
    status = action_status_for(user=world["secretariat"], meeting=world["m3"])
    rows = rows_by_code(status)
    assert rows[world["b"].code]["overdue"]
    assert not rows[world["a"].code]["overdue"]
    assert status["summary"]["overdue"] == 1
    assert status["summary"]["open"] == 3
    assert status["summary"]["new"] == 1
    assert status["summary"]["updated"] == 2
    assert status["summary"]["closed_since"] == 1


def test_a_follow_up_meeting_covers_the_items_of_the_series_it_follows_up(world):
    status = action_status_for(user=world["secretariat"], meeting=world["f1"])
    assert set(rows_by_code(status)) == {world["a"].code, world["b"].code, world["d"].code}
    assert status["previous"] is None
    assert status["series"] == ["FUP", "MIN"]


def test_filters_by_country_status_and_overdue(world):
    meeting = world["m3"]
    user = world["secretariat"]
    assert set(rows_by_code(action_status_for(user=user, meeting=meeting, filters={"country": "TH"}))) == {
        world["b"].code
    }
    assert set(rows_by_code(action_status_for(user=user, meeting=meeting, filters={"status": "in_progress"}))) == {
        world["a"].code,
        world["d"].code,
    }
    assert set(rows_by_code(action_status_for(user=user, meeting=meeting, filters={"overdue": True}))) == {
        world["b"].code
    }


def test_pages_split_the_rows_but_not_the_summary(world):
    status = action_status_for(user=world["secretariat"], meeting=world["m3"], page=2, per_page=2)
    assert status["pagination"] == {"page": 2, "pages": 2, "count": 3, "per_page": 2}
    assert status["row_count"] == 1
    assert status["summary"]["open"] == 3


def test_the_public_sees_no_updates_in_it(world):
    from django.contrib.auth.models import AnonymousUser

    rows = rows_by_code(action_status_for(user=AnonymousUser(), meeting=world["m3"]))
    assert rows
    assert all(row["latest_update"] is None for row in rows.values())


def _status_queries(meeting, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        action_status_for(user=user, meeting=meeting)
    return len(queries)


def test_its_query_count_does_not_grow_with_the_data(world, make_user):
    user = world["secretariat"]
    meeting = world["m3"]
    focal = make_user(Role.FOCAL_POINT, country="VN")
    # Once first: the user's roles are read on first use and kept on the user.
    action_status_for(user=focal, meeting=meeting)
    small = _status_queries(meeting, user)
    small_focal = _status_queries(meeting, focal)
    for _round in range(4):
        outcome = adopted_outcome(past_meeting(meeting.series, days_ago=500 + _round), kind="decision")
        for suffix in ("02.a", "02.b", "02.b.i", "03"):
            item = make_action_item(element(outcome, suffix), countries=("VN", "TH"))
            services.element_update_record(actor=user, element=item, status="in_progress", note="x", country="VN")
            services.element_update_record(actor=user, element=item, status="in_progress", note="y", country="TH")
    assert len(rows_by_code(action_status_for(user=user, meeting=meeting))) == 3 + 16
    assert _status_queries(meeting, user) == small
    assert _status_queries(meeting, focal) == small_focal


def test_the_page_shows_the_document(world, client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("meetings:action-status", args=[world["m3"].pk])
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert world["a"].code in html
    assert world["c"].code in html
    assert "Needs more time." in html
    assert "Overdue" in html
    assert "Re-dated" in html
    response = client.get(url, {"country": "TH"})
    assert world["a"].code not in response.content.decode()


def test_the_pdf_has_every_item_in_japanese_or_english(world, client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    response = client.get(reverse("meetings:action-status-pdf", args=[world["m3"].pk]), {"lang": "ja"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    # Input is the PDF this test just received, to a program found on the PATH.
    text = subprocess.run([pdftotext, "-", "-"], input=response.content, capture_output=True, check=True)  # noqa: S603
    assert "MIN/1/JS.02.a" in text.stdout.decode()
    assert "大気質データ" in text.stdout.decode()  # the Japanese text, with the embedded font
    assert client.get(reverse("meetings:action-status-pdf", args=[world["m3"].pk]), {"lang": "fr"}).status_code == 404


def test_issuing_saves_it_as_the_meetings_action_status_document(world, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("meetings:action-status-issue", args=[world["m3"].pk])
    assert client.post(url).status_code == 302
    document = Document.objects.get(meeting=world["m3"], doc_type=DocumentType.ACTION_STATUS)
    assert document.symbol == "MIN/3/AIS.1"
    assert {f.language for f in document.files.all()} == {"ja", "en"}
    assert all(f.file.read(4) == b"%PDF" for f in document.files.all())
    client.post(url)
    assert Document.objects.filter(meeting=world["m3"], doc_type=DocumentType.ACTION_STATUS).count() == 1
    assert document.files.count() == 2


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_issues_it(world, client_for, role):
    client, _user = client_for(role)
    response = client.post(reverse("meetings:action-status-issue", args=[world["m3"].pk]))
    assert response.status_code in (302, 403, 404)
    if role == "public":
        assert "/accounts/" in response["Location"]
    assert not Document.objects.filter(doc_type=DocumentType.ACTION_STATUS).exists()


def test_the_status_page_needs_a_signed_in_user(world, client):
    response = client.get(reverse("meetings:action-status", args=[world["m3"].pk]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
