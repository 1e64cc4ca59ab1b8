"""Staff and public pages of series, meetings and agendas: who gets what, filters, the meeting hub and its
query budget, the forms (local times, stale edits, status notes), the printable and PDF timetables."""

import datetime as dt
import shutil
import subprocess
import zoneinfo
from copy import deepcopy

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import AgendaItem, Document, Meeting
from cleanasia.meetings.selectors import meetings as selectors
from cleanasia.meetings.services import meetings as services

from ..conftest import ROLES
from ..factories import CountryFactory, PersonFactory
from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
STAFF = (Role.SECRETARIAT, Role.ADMIN)
NOW = timezone.now()


def in_days(days, hour=9):
    day = (NOW + dt.timedelta(days=days)).astimezone(HCM).date()
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


@pytest.fixture
def hanoi():
    """A public meeting in Ha Noi, 14:00–18:00 local time, with an agenda, a document and chairs."""
    series = make_series("EAS-EMM", title_en="EAS Environment Ministers' Meeting")
    meeting = make_meeting(
        series,
        ordinal=3,
        starts_at=in_days(40, 14),
        title_en="3rd EAS Environment Ministers Meeting",
        title_ja="第3回EAS環境大臣会合",
        venue_en="Sheraton Hanoi",
        city_en="Ha Noi",
        chairs_en="Co-chairs: Viet Nam and Japan",
        online_url="https://meet.example.org/secret-room",
        host_country=CountryFactory(code="VN"),
    )
    meeting.ends_at = in_days(40, 18)
    meeting.save()
    paper = Document.objects.create(
        meeting=meeting,
        symbol="EAS-EMM/3/WP.1",
        base_symbol="EAS-EMM/3/WP.1",
        doc_type="working_paper",
        title_en="Paper",
        distribution="general",
    )
    opening = AgendaItem.objects.create(
        meeting=meeting,
        number="1",
        position=0,
        title_en="Opening of the meeting",
        presenters_en="Dr Presenter Name",
        starts_at=in_days(40, 14),
        ends_at=in_days(40, 15),
    )
    opening.documents.add(paper)
    review = AgendaItem.objects.create(meeting=meeting, number="2", position=1, title_en="Review of cooperation")
    AgendaItem.objects.create(meeting=meeting, parent=review, number="2.a", position=0, title_en="Low-carbon cities")
    return meeting


def pdf_text(pdf: bytes) -> str | None:
    """The text of a PDF with pdftotext, or None when poppler is missing."""
    if not shutil.which("pdftotext"):
        return None
    command = [shutil.which("pdftotext"), "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603


def staff_urls(meeting):
    return [
        reverse("meetings:meeting-list"),
        reverse("meetings:meeting-detail", args=[meeting.pk]),
        reverse("meetings:meeting-agenda", args=[meeting.pk]),
        reverse("meetings:series-list"),
        reverse("meetings:series-detail", args=[meeting.series_id]),
        reverse("meetings:calendar-link"),
    ]


def secretariat_urls(meeting):
    return [
        reverse("meetings:meeting-create"),
        reverse("meetings:meeting-edit", args=[meeting.pk]),
        reverse("meetings:meeting-status", args=[meeting.pk]),
        reverse("meetings:agenda-edit", args=[meeting.pk]),
        reverse("meetings:agenda-item-edit", args=[meeting.agenda_items.first().pk]),
    ]


# --- who gets what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_the_pages_it_may(role, client_for, hanoi):
    client, _user = client_for(role)
    hidden = make_meeting(make_series(visibility="secretariat"), visibility="secretariat", invite=("TH",))
    for url in staff_urls(hanoi) + secretariat_urls(hanoi):
        response = client.get(url)
        if role == "public":
            assert response.status_code == 302, url
            assert "/accounts/" in response["Location"], url
        elif url in secretariat_urls(hanoi) and role not in STAFF:
            assert response.status_code == 403, url
        else:
            assert response.status_code == 200, url
    if role == "public":
        return
    response = client.get(reverse("meetings:meeting-detail", args=[hidden.pk]))
    assert response.status_code == (200 if role in STAFF else 404)
    listed = client.get(reverse("meetings:meeting-list")).content.decode()
    assert (f"/meetings/{hidden.pk}/" in listed) is (role in STAFF)


def test_a_focal_point_reads_a_members_meeting_and_a_restricted_one_their_country_is_invited_to(client_for):
    client, _user = client_for(Role.FOCAL_POINT)
    restricted = make_meeting(make_series(visibility="secretariat"), visibility="secretariat", invite=("VN",))
    response = client.get(reverse("meetings:meeting-detail", args=[restricted.pk]))
    assert response.status_code == 200
    assert "Edit the meeting" not in response.content.decode()


# --- the list ----------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_meetings_first_and_filters_from_the_url(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    series, other = make_series("EMM"), make_series("DIALOGUE")
    past = make_meeting(series, ordinal=1, starts_at=in_days(-400), status="held")
    soon = make_meeting(series, ordinal=3, starts_at=in_days(10))
    later = make_meeting(other, ordinal=1, starts_at=in_days(200))
    older = make_meeting(series, ordinal=2, starts_at=in_days(-800), status="cancelled", status_note="No quorum")
    page = client.get(reverse("meetings:meeting-list")).context["page_obj"]
    assert list(page.object_list) == [soon, later, past, older]
    by_series = client.get(reverse("meetings:meeting-list"), {"series": "EMM"}).context["page_obj"]
    assert list(by_series.object_list) == [soon, past, older]
    by_status = client.get(reverse("meetings:meeting-list"), {"status": "cancelled"})
    assert list(by_status.context["page_obj"].object_list) == [older]
    assert "Cancelled" in by_status.content.decode()
    year = past.starts_at.astimezone(timezone.get_current_timezone()).year
    by_year = client.get(reverse("meetings:meeting-list"), {"year": year}).context["page_obj"]
    assert past in by_year.object_list
    assert soon not in by_year.object_list


# --- the hub ------------------------------------------------------------------------------------------


def test_the_meeting_page_shows_its_facts_in_the_venues_time_zone(client_for, hanoi):
    client, _user = client_for(Role.SECRETARIAT)
    person = PersonFactory(name_en="Kazuhiko Takemoto")
    hanoi.chair_people.add(person)
    html = client.get(reverse("meetings:meeting-detail", args=[hanoi.pk])).content.decode()
    assert "3rd EAS Environment Ministers Meeting" in html
    assert "14:00" in html
    assert "18:00" in html
    assert "Asia/Ho_Chi_Minh" in html
    assert "UTC+0700" in html
    assert "Sheraton Hanoi" in html
    assert "Co-chairs: Viet Nam and Japan" in html
    assert "Kazuhiko Takemoto" in html
    assert "Planned" in html
    assert "In person" in html
    assert "Viet Nam" in html
    assert "Thailand" in html
    assert "Opening of the meeting" in html
    assert "2.a" in html
    assert "EAS-EMM/3/WP.1" in html
    assert "Dr Presenter Name" in html
    assert "https://meet.example.org/secret-room" in html
    assert reverse("meetings:meeting-edit", args=[hanoi.pk]) in html


def test_the_hub_includes_each_areas_section_and_skips_missing_ones(client_for, hanoi, monkeypatch):
    client, user = client_for(Role.SECRETARIAT)
    calls = []

    def meeting_section(*, meeting, user):
        calls.append((meeting.pk, user.pk))
        return {"greeting": "Section of a test area"}

    monkeypatch.setattr(selectors, "HUB_AREAS", ("meetings", "no_such_area"))
    # The hub reads the "meetings" area's selector module; the test gives it a section and a template.
    monkeypatch.setattr(selectors, "meeting_section", meeting_section, raising=False)
    templates = deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {"meetings/meetings/meeting_section.html": "<p>{{ section.greeting }} for {{ meeting.ordinal }}</p>"},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    with override_settings(TEMPLATES=templates):
        html = client.get(reverse("meetings:meeting-detail", args=[hanoi.pk])).content.decode()
    assert "Section of a test area for 3" in html
    assert calls == [(hanoi.pk, user.pk)]
    monkeypatch.setattr(selectors, "HUB_AREAS", ("no_such_area",))
    assert selectors.meeting_sections(meeting=hanoi, user=user) == []


MORE_COUNTRIES = ("KH", "LA", "MM", "MY", "PH", "SG", "ID", "BN", "CN", "KR", "IN", "AU", "NZ", "US", "RU")


def _grow(meeting, n):
    """n more agenda items (each with a sub-item and a document), invited countries and chairs."""
    start = AgendaItem.objects.filter(meeting=meeting).count()
    for i in range(start, start + n):
        paper = Document.objects.create(
            meeting=meeting,
            symbol=f"EAS-EMM/3/INF.{i}",
            base_symbol=f"EAS-EMM/3/INF.{i}",
            doc_type="information_paper",
            title_en=f"Paper {i}",
            distribution="general",
        )
        item = AgendaItem.objects.create(meeting=meeting, number=f"{i + 10}", position=i, title_en=f"Item {i}")
        item.documents.add(paper)
        AgendaItem.objects.create(meeting=meeting, parent=item, number=f"{i + 10}.a", title_en=f"Sub {i}")
        meeting.invited_countries.add(CountryFactory(code=MORE_COUNTRIES[i % len(MORE_COUNTRIES)]))
        meeting.chair_people.add(PersonFactory())


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FOCAL_POINT, Role.EXPERT])
def test_the_hub_runs_a_fixed_number_of_queries(role, client_for, hanoi, django_assert_max_num_queries):
    client, _user = client_for(role)
    url = reverse("meetings:meeting-detail", args=[hanoi.pk])
    _grow(hanoi, 2)
    client.get(url)  # warm the per-process caches (content types, navigation discovery)
    cache.clear()  # the areas' sections too: count the queries of a full rendering
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(hanoi, 12)  # raises the data generation: the next request renders everything again
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('<tr id="item-') == AgendaItem.objects.filter(meeting=hanoi).count()
    assert len(few) <= 40
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url).content.decode()
    assert again.count('<tr id="item-') == response.content.decode().count('<tr id="item-')
    assert len(cached) < len(few), "the sections come from the cache until the data changes"


def _paper(meeting, number, *, distribution="general"):
    return Document.objects.create(
        meeting=meeting,
        symbol=f"EAS-EMM/3/INF.{number}",
        base_symbol=f"EAS-EMM/3/INF.{number}",
        doc_type="information_paper",
        title_en=f"Paper number {number}",
        distribution=distribution,
    )


def test_the_hubs_sections_are_rendered_once_until_the_meetings_data_changes(client_for, hanoi, monkeypatch):
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("meetings:meeting-detail", args=[hanoi.pk])
    renderings = []
    real = selectors.meeting_sections

    def counted(**kwargs):
        renderings.append(kwargs["meeting"].pk)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "meeting_sections", counted)
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert renderings == [hanoi.pk], "the second request reuses the rendering"
    assert "EAS-EMM/3/WP.1" in first
    assert "EAS-EMM/3/WP.1" in second
    _paper(hanoi, 77)  # any save of the meetings data raises the generation
    assert "EAS-EMM/3/INF.77" in client.get(url).content.decode()
    assert renderings == [hanoi.pk, hanoi.pk]


def test_a_cached_section_is_never_shown_to_another_reader(client_for, hanoi):
    _paper(hanoi, 78, distribution="restricted")
    _paper(hanoi, 79, distribution="limited")
    url = reverse("meetings:meeting-detail", args=[hanoi.pk])
    staff, _ = client_for(Role.SECRETARIAT)
    assert "EAS-EMM/3/INF.78" in staff.get(url).content.decode()
    CountryFactory(code="KH")
    hanoi.invited_countries.add(CountryFactory(code="TH"))
    focal, focal_user = client_for(Role.FOCAL_POINT, country="KH")
    html = focal.get(url).content.decode()
    assert "EAS-EMM/3/WP.1" in html, "the general paper is listed for the focal point"
    assert "EAS-EMM/3/INF.78" not in html, "the restricted one stays the secretariat's"
    assert "EAS-EMM/3/INF.79" not in html, "limited: Cambodia is not invited"
    # A role granted since changes the key at once: focal point of an invited country, they read the limited paper.
    focal_user.role_assignments.create(role=Role.FOCAL_POINT, country_id="TH")
    html = focal.get(url).content.decode()
    assert "EAS-EMM/3/INF.79" in html
    assert "EAS-EMM/3/INF.78" not in html


def test_a_cached_page_is_no_permission_once_the_meeting_is_restricted(client_for, hanoi):
    url = reverse("meetings:meeting-detail", args=[hanoi.pk])
    expert, _ = client_for(Role.EXPERT)
    assert expert.get(url).status_code == 200
    hanoi.visibility = "secretariat"
    hanoi.save()
    assert expert.get(url).status_code == 404, "the cached page went with the data generation"


# --- forms ---------------------------------------------------------------------------------------------


def test_the_secretariat_creates_a_meeting_in_the_venues_local_time(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    series = make_series("EMM")
    form = client.get(reverse("meetings:meeting-create"), {"series": series.pk})
    assert form.context["form"].initial["ordinal"] == 1
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "series": series.pk,
            "ordinal": 1,
            "title_en": "1st EMM",
            "time_zone": "Asia/Ho_Chi_Minh",
            "starts_at": "2031-10-09T14:00",
            "ends_at": "2031-10-09T18:00",
            "format": "hybrid",
            "visibility": "public",
        },
    )
    meeting = Meeting.objects.get(series=series)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting-detail", args=[meeting.pk])
    assert meeting.starts_at == dt.datetime(2031, 10, 9, 7, tzinfo=dt.UTC)
    assert set(meeting.invited_countries.values_list("code", flat=True)) == {"JP", "VN", "TH"}


def test_a_bad_form_names_the_field(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    series = make_series("EMM")
    make_meeting(series, ordinal=1)
    body = {
        "series": series.pk,
        "ordinal": 1,
        "title_en": "Again",
        "time_zone": "Asia/Ho_Chi_Minh",
        "starts_at": "2031-10-09T14:00",
        "ends_at": "2031-10-09T13:00",
        "format": "in_person",
        "visibility": "public",
    }
    response = client.post(reverse("meetings:meeting-create"), body)
    assert response.status_code == 400
    assert "ordinal" in response.context["form"].errors
    body["ordinal"] = 2
    response = client.post(reverse("meetings:meeting-create"), body)
    assert "ends_at" in response.context["form"].errors
    body.update(time_zone="Mars/Olympus", ends_at="2031-10-09T18:00")
    response = client.post(reverse("meetings:meeting-create"), body)
    assert "time_zone" in response.context["form"].errors


def test_a_stale_edit_is_refused_with_a_message_and_the_input_kept(client_for, hanoi):
    client, user = client_for(Role.SECRETARIAT)
    url = reverse("meetings:meeting-edit", args=[hanoi.pk])
    form = client.get(url).context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("invited_countries", "observer_organisations")
    }
    data.update(
        starts_at=form.initial["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        ends_at=form.initial["ends_at"].strftime("%Y-%m-%dT%H:%M"),
        host_country=hanoi.host_country_id,
        invited_countries=list(hanoi.invited_countries.values_list("pk", flat=True)),
        venue_en="My new venue",
    )
    services.meeting_update(actor=user, meeting=hanoi, expected_version=hanoi.version, changes={"venue_en": "Theirs"})
    response = client.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record" in html
    assert "Your changes were not saved." in html
    assert "My new venue" in html
    assert Meeting.objects.get(pk=hanoi.pk).venue_en == "Theirs"
    data["version"] = Meeting.objects.get(pk=hanoi.pk).version
    assert client.post(url, data).status_code == 302
    saved = Meeting.objects.get(pk=hanoi.pk)
    assert saved.venue_en == "My new venue"
    assert saved.starts_at == hanoi.starts_at


def test_the_status_form_asks_for_a_note_to_postpone(client_for, hanoi):
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("meetings:meeting-status", args=[hanoi.pk])
    response = client.post(url, {"status": "postponed", "note": "", "version": hanoi.version})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    response = client.post(url, {"status": "postponed", "note": "Typhoon", "version": hanoi.version})
    assert response.status_code == 302
    html = client.get(reverse("meetings:meeting-detail", args=[hanoi.pk])).content.decode()
    assert "Postponed" in html
    assert "Typhoon" in html
    assert client.post(url, {"status": "confirmed", "note": "", "version": hanoi.version}).status_code == 409


def test_the_agenda_editor_adds_moves_and_edits_items(client_for, hanoi):
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("meetings:agenda-edit", args=[hanoi.pk])
    response = client.post(
        url,
        {
            "number": "3",
            "title_en": "Closing",
            "starts_at": in_days(40, 17).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": in_days(40, 18).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    closing = AgendaItem.objects.get(meeting=hanoi, number="3")
    assert closing.starts_at == in_days(40, 17)
    bad = client.post(url, {"number": "3", "title_en": "Again"})
    assert bad.status_code == 400
    assert "number" in bad.context["form"].errors
    client.post(url, {"move": "up", "item": closing.pk})
    order = list(
        AgendaItem.objects.filter(meeting=hanoi, parent=None).order_by("position").values_list("number", flat=True)
    )
    assert order == ["1", "3", "2"]
    edit = reverse("meetings:agenda-item-edit", args=[closing.pk])
    initial = client.get(edit).context["form"].initial
    response = client.post(edit, {"number": "4", "title_en": "Closing session", "version": initial["version"]})
    assert response.status_code == 302
    closing.refresh_from_db()
    assert (closing.number, closing.title_en, closing.starts_at) == ("4", "Closing session", None)


# --- timetables -------------------------------------------------------------------------------------------


def test_the_printable_timetable_and_its_pdf(client_for, hanoi):
    client, _user = client_for(Role.EXPERT)
    html = client.get(reverse("meetings:meeting-agenda", args=[hanoi.pk])).content.decode()
    assert '<style media="print">' in html
    assert "Opening of the meeting" in html
    assert "14:00" in html
    response = client.get(reverse("meetings:meeting-agenda-pdf", args=[hanoi.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000
    text = pdf_text(response.content)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "Opening of the meeting" in text
    assert "Low-carbon cities" in text
    assert "14:00" in text


def test_the_pdf_timetable_in_japanese(client_for, hanoi):
    client, _user = client_for(Role.SECRETARIAT)
    with translation.override("ja"):
        url = reverse("meetings:meeting-agenda-pdf", args=[hanoi.pk])
    response = client.get(url)
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "第3回EAS環境大臣会合" in text


# --- public pages ---------------------------------------------------------------------------------------


def test_public_pages_show_public_meetings_without_personal_data(client, hanoi):
    secret = make_meeting(make_series(), visibility="members", title_en="Members only meeting")
    listing = client.get(reverse("meetings_public:meeting-list")).content.decode()
    assert "3rd EAS Environment Ministers Meeting" in listing
    assert "Members only meeting" not in listing
    feed = reverse("meetings_feeds:public-ics")
    assert '<link rel="alternate" type="text/calendar"' in listing
    assert f'href="{feed}"' in listing
    detail = client.get(reverse("meetings_public:meeting-detail", args=[hanoi.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "Opening of the meeting" in html
    assert "Asia/Ho_Chi_Minh" in html
    assert "EAS-EMM/3/WP.1" in html
    assert "Dr Presenter Name" not in html
    assert "secret-room" not in html
    assert 'type="text/calendar"' in html
    assert "Subscribe to the meetings calendar" in html
    assert client.get(reverse("meetings_public:meeting-detail", args=[secret.pk])).status_code == 404


def test_public_pages_only_list_general_documents(client, hanoi):
    restricted = Document.objects.create(
        meeting=hanoi,
        symbol="EAS-EMM/3/CRP.1",
        base_symbol="EAS-EMM/3/CRP.1",
        doc_type="other",
        title_en="Restricted",
        distribution="restricted",
    )
    hanoi.agenda_items.get(number="1").documents.add(restricted)
    html = client.get(reverse("meetings_public:meeting-detail", args=[hanoi.pk])).content.decode()
    assert "EAS-EMM/3/CRP.1" not in html


def test_public_pages_render_in_japanese(client, hanoi):
    with translation.override("ja"):
        url = reverse("meetings_public:meeting-detail", args=[hanoi.pk])
    html = client.get(url).content.decode()
    assert "第3回EAS環境大臣会合" in html
    assert "?lang=ja" in html


def test_series_pages_list_series_and_their_visible_meetings(client_for, hanoi):
    client, _user = client_for(Role.EXPERT)
    hidden = make_meeting(hanoi.series, ordinal=9, visibility="secretariat", title_en="Hidden ninth")
    listing = client.get(reverse("meetings:series-list")).content.decode()
    assert "EAS-EMM" in listing
    detail = client.get(reverse("meetings:series-detail", args=[hanoi.series_id])).content.decode()
    assert "3rd EAS Environment Ministers Meeting" in detail
    assert "Hidden ninth" not in detail
    assert hidden.pk


def test_staff_pages_render_in_japanese(client_for, hanoi):
    client, _user = client_for(Role.SECRETARIAT)
    with translation.override("ja"):
        urls = staff_urls(hanoi) + secretariat_urls(hanoi)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="ja"' in response.content.decode(), url
    html = client.get(urls[1]).content.decode()
    assert "第3回EAS環境大臣会合" in html
    assert "Asia/Ho_Chi_Minh" in html


def test_a_public_meeting_is_public_whatever_its_series(client):
    public_meeting = make_meeting(make_series("INTERNAL", visibility="secretariat"), title_en="Open session")
    listing = client.get(reverse("meetings_public:meeting-list"))
    assert public_meeting in listing.context["page_obj"].object_list
    assert "INTERNAL" in dict(listing.context["form"].fields["series"].choices)
    assert client.get(reverse("meetings_public:meeting-detail", args=[public_meeting.pk])).status_code == 200
