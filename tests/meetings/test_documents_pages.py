"""The document pages: listings (current version first, replaced ones marked), forms, downloads with language
fallback and log, the public pages, the meeting hub section, and fixed query counts."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Document, DownloadLog
from cleanasia.meetings.selectors.documents import meeting_section
from cleanasia.meetings.services.documents import document_create, document_file_upload, document_update
from tests.conftest import verified_client

from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def upload(extension="pdf", name=None):
    return SimpleUploadedFile(name or f"sample.{extension}", (FILES / f"sample.{extension}").read_bytes())


def issue(meeting, languages=("en",), **kwargs):
    kwargs.setdefault("title_en", "Paper")
    kwargs.setdefault("distribution", "general")
    if not kwargs.get("concerns"):
        kwargs.setdefault("doc_type", "information_paper")
    document = document_create(actor=None, meeting=meeting, **kwargs)
    for language in languages:
        document_file_upload(actor=None, document=document, language=language, upload=upload())
    return document


@pytest.fixture
def meeting():
    return make_meeting(make_series("EAS-EMM"), ordinal=3, visibility="public")


@pytest.fixture
def secretariat(client_for):
    return client_for(Role.SECRETARIAT)


# --- listings -------------------------------------------------------------------------------------------------


def test_the_listing_groups_by_type_puts_the_current_revision_first_and_marks_replaced_ones(meeting, secretariat):
    original = issue(meeting, symbol="EAS-EMM/3/INF.2")
    old_addendum = issue(meeting, suffix_kind="add", concerns=original, languages=())
    revision = issue(meeting, suffix_kind="rev", concerns=original)
    new_addendum = issue(meeting, suffix_kind="add", concerns=revision)
    tenth = issue(meeting, symbol="EAS-EMM/3/INF.10")
    agenda = issue(meeting, doc_type="provisional_agenda")
    client, _user = secretariat
    page = client.get(reverse("meetings:doc-list", args=[meeting.pk])).content.decode()
    # The agenda type first; then INF.2's family: the current revision, its addendum, the replaced original and
    # what was added to it; INF.10 after INF.2.
    expected = (agenda, revision, new_addendum, original, old_addendum, tenth)
    order = [page.index(f">{d.symbol}<") for d in expected]
    assert order == sorted(order)
    assert "Replaced" in page
    assert f"by {revision.symbol}" in page
    assert "No file yet" in page


def test_a_missing_language_is_noted_on_the_japanese_listing(meeting, secretariat):
    issue(meeting, languages=("en",))
    client, _user = secretariat
    with translation.override("ja"):
        url = reverse("meetings:doc-list", args=[meeting.pk])
    page = client.get(url).content.decode()
    note = page.split('class="doc-note muted">')[1].split("</p>")[0]
    assert "英語" in note  # the version served, named in the page's language
    with translation.override("en"):
        url = reverse("meetings:doc-list", args=[meeting.pk])
    assert "doc-note" not in client.get(url).content.decode().split("<main")[1]


def test_the_english_listing_notes_a_japanese_only_document(meeting, secretariat):
    issue(meeting, languages=("ja",), original_language="ja")
    client, _user = secretariat
    page = client.get(reverse("meetings:doc-list", args=[meeting.pk])).content.decode()
    assert "Not available in English; the Japanese version is served." in page


def test_the_listing_of_a_hidden_meeting_is_404(client_for):
    hidden = make_meeting(visibility="secretariat", invite=("TH",))
    client, _user = client_for(Role.EXPERT)
    assert client.get(reverse("meetings:doc-list", args=[hidden.pk])).status_code == 404


def test_embargoed_documents_are_marked_for_the_secretariat(meeting, secretariat):
    issue(meeting, embargo_until=timezone.now() + dt.timedelta(days=1))
    client, _user = secretariat
    assert "Embargoed" in client.get(reverse("meetings:doc-list", args=[meeting.pk])).content.decode()


# --- forms ------------------------------------------------------------------------------------------------------


def test_issuing_a_document_with_its_first_file_through_the_form(meeting, secretariat):
    client, user = secretariat
    response = client.post(
        reverse("meetings:doc-create", args=[meeting.pk]),
        {
            "suffix_kind": "",
            "doc_type": "working_paper",
            "title_en": "Marine plastic litter",
            "original_language": "en",
            "distribution": "limited",
            "embargo_until": "2030-10-09T09:00",
            "language": "en",
            "file": upload("docx"),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:doc-detail", args=[document.pk])
    assert document.symbol == "EAS-EMM/3/WP.1"
    # Entered in the meeting's time zone (Asia/Ho_Chi_Minh, UTC+7).
    assert document.embargo_until == dt.datetime(2030, 10, 9, 2, 0, tzinfo=dt.UTC)
    assert document.files.get().uploaded_by == user


def test_the_form_shows_each_refusal_on_its_field(meeting, secretariat):
    issue(meeting, symbol="EAS-EMM/3/INF.1")
    client, _user = secretariat
    url = reverse("meetings:doc-create", args=[meeting.pk])
    base = {"doc_type": "information_paper", "title_en": "T", "original_language": "en", "distribution": "general"}
    response = client.post(url, {**base, "symbol": "EAS-EMM/3/INF.1", "language": "en"})
    assert response.status_code == 400
    assert "is already used by another document" in response.content.decode()
    response = client.post(url, {**base, "language": "en", "file": upload("pdf", "paper.docx")})
    assert response.status_code == 400
    assert "paper.docx is named as Word (DOCX) but its content is PDF" in response.content.decode()
    assert Document.objects.count() == 1


def test_the_issue_form_prefills_a_revision(meeting, secretariat):
    original = issue(meeting)
    client, _user = secretariat
    page = client.get(reverse("meetings:doc-create", args=[meeting.pk]) + f"?kind=rev&concerns={original.pk}")
    assert f'<option value="{original.pk}" selected>' in page.content.decode()
    assert 'value="Paper"' in page.content.decode()


def test_editing_carries_the_version_and_a_stale_edit_is_refused_with_what_changed(meeting, secretariat):
    document = issue(meeting)
    client, _user = secretariat
    url = reverse("meetings:doc-edit", args=[document.pk])
    assert f'value="{document.version}"' in client.get(url).content.decode()
    document_update(actor=None, document=document, expected_version=document.version, changes={"title_ja": "別の題"})
    form = {
        "version": document.version,
        "doc_type": "information_paper",
        "title_en": "Mine",
        "original_language": "en",
        "distribution": "general",
    }
    response = client.post(url, form)
    assert response.status_code == 409
    assert "Your changes were not saved" in response.content.decode()
    assert "別の題" in response.content.decode()
    response = client.post(url, {**form, "version": document.version + 1})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title_en == "Mine"


def test_uploading_a_language_version_through_the_page(meeting, secretariat):
    document = issue(meeting, languages=())
    client, _user = secretariat
    url = reverse("meetings:doc-upload", args=[document.pk])
    assert client.post(url, {"language": "ja", "file": upload("txt")}).status_code == 302
    assert document.files.get().language == "ja"
    response = client.post(url, {"language": "en", "file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\necho")})
    assert response.status_code == 400
    assert "programs cannot be uploaded" in response.content.decode()


# --- downloads --------------------------------------------------------------------------------------------------


def test_the_requested_language_is_served_and_logged_with_the_user(meeting, client_for):
    document = issue(meeting, languages=("en", "ja"))
    client, user = client_for(Role.EXPERT)
    response = client.get(reverse("meetings:doc-download", args=[document.pk, "ja"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (FILES / "sample.pdf").read_bytes()
    assert response["Content-Language"] == "ja"
    assert "X-Language-Fallback" not in response
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="EAS-EMM_3_INF.1-ja.pdf"' in response["Content-Disposition"]
    log = DownloadLog.objects.get()
    assert (log.user, log.requested_language, log.document_file.language) == (user, "ja", "ja")


def test_a_missing_language_falls_back_to_english_then_the_original_and_says_so(meeting, client):
    english = issue(meeting, languages=("en",))
    response = client.get(reverse("meetings_public:doc-download", args=[english.pk, "ja"]))
    assert response["Content-Language"] == "en"
    assert response["X-Language-Fallback"] == "requested=ja; served=en"
    japanese = issue(meeting, languages=("ja",), original_language="ja")
    response = client.get(reverse("meetings_public:doc-download", args=[japanese.pk, "en"]))
    assert response["Content-Language"] == "ja"
    assert response["X-Language-Fallback"] == "requested=en; served=ja"
    log = DownloadLog.objects.order_by("at", "pk").last()
    assert log.user is None
    assert log.requested_language == "en"


def test_a_document_without_a_file_is_404(meeting, client):
    document = issue(meeting, languages=())
    assert client.get(reverse("meetings_public:doc-download", args=[document.pk, "en"])).status_code == 404
    assert not DownloadLog.objects.exists()


def test_the_secretariat_sees_the_download_log_on_the_document_page(meeting, secretariat, client_for):
    document = issue(meeting, languages=("en", "ja"))
    reader_client, reader = client_for(Role.EXPERT)
    reader_client.get(reverse("meetings:doc-download", args=[document.pk, "en"]))
    reader_client.get(reverse("meetings:doc-download", args=[document.pk, "en"]))
    client, _user = secretariat
    page = client.get(reverse("meetings:doc-detail", args=[document.pk])).content.decode()
    assert "Download log" in page
    assert reader.get_full_name() in page
    other_page = reader_client.get(reverse("meetings:doc-detail", args=[document.pk])).content.decode()
    assert "Download log" not in other_page
    assert reader.get_full_name() not in other_page.split("</header>")[1]


# --- public pages -----------------------------------------------------------------------------------------------


def test_the_public_listing_shows_general_documents_out_of_embargo_only(meeting, client):
    general = issue(meeting, title_en="Open paper")
    limited = issue(meeting, distribution="limited", title_en="Participants only")
    later = issue(meeting, embargo_until=timezone.now() + dt.timedelta(days=1), title_en="Not yet")
    page = client.get(reverse("meetings_public:doc-list", args=[meeting.pk])).content.decode()
    assert general.symbol in page
    assert "Open paper" in page
    assert limited.symbol not in page
    assert later.symbol not in page
    assert reverse("meetings_public:doc-download", args=[general.pk, "en"]) in page


def test_the_public_listing_of_a_meeting_that_is_not_public_is_404(client):
    members_only = make_meeting(visibility="members")
    assert client.get(reverse("meetings_public:doc-list", args=[members_only.pk])).status_code == 404


def test_the_public_listing_in_japanese(meeting, client):
    issue(meeting, title_en="Paper", title_ja="文書")
    with translation.override("ja"):
        url = reverse("meetings_public:doc-list", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "文書" in page
    assert 'lang="ja"' in page


# --- the meeting hub section --------------------------------------------------------------------------------------


def test_the_hub_section_lists_what_the_user_sees_and_none_when_nothing(meeting, make_user):
    assert meeting_section(meeting=meeting, user=None) is None
    secretariat = make_user(Role.SECRETARIAT)
    empty = meeting_section(meeting=meeting, user=secretariat)
    assert empty["count"] == 0
    assert empty["may_add"]

    original = issue(meeting, symbol="EAS-EMM/3/WP.1", doc_type="working_paper")
    revision = issue(meeting, suffix_kind="rev", concerns=original)
    issue(meeting, distribution="restricted", doc_type="other")
    section = meeting_section(meeting=meeting, user=None)
    assert [g["type"] for g in section["groups"]] == ["working_paper"]
    assert [d.symbol for d in section["groups"][0]["documents"]] == [revision.symbol, original.symbol]
    assert section["groups"][0]["documents"][1].is_replaced
    assert section["groups"][0]["documents"][0].url == reverse("meetings_public:doc-download", args=[revision.pk, "en"])
    html = render_to_string("meetings/documents/meeting_section.html", {"section": section})
    assert revision.symbol in html
    assert "Replaced" in html
    assert "Issue a document" not in html

    staff = meeting_section(meeting=meeting, user=secretariat)
    assert staff["count"] == 3
    assert staff["groups"][0]["documents"][0].url == reverse("meetings:doc-detail", args=[revision.pk])
    assert "Issue a document" in render_to_string("meetings/documents/meeting_section.html", {"section": staff})


# --- query counts -------------------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(meeting, n, start):
    for i in range(n):
        original = issue(meeting, languages=("en", "ja"), symbol=f"EAS-EMM/3/GROW.{start + i}")
        issue(meeting, suffix_kind="add", concerns=original)


PAGES = {
    "list": lambda d: reverse("meetings:doc-list", args=[d.meeting_id]),
    "detail": lambda d: reverse("meetings:doc-detail", args=[d.pk]),
    "public": lambda d: reverse("meetings_public:doc-list", args=[d.meeting_id]),
    "compilation": lambda d: reverse("meetings:minutes-compilation", args=[d.meeting.series_id]),
}
BUDGET = 25


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FOCAL_POINT])
def test_pages_run_a_fixed_number_of_queries(page, role, meeting, make_user):
    document = issue(meeting, languages=("en", "ja"))
    client = verified_client(make_user(role))
    DownloadLog.objects.create(document_file=document.files.first(), requested_language="en")
    grow(meeting, 2, 100)
    few = count_queries(client, PAGES[page](document))
    grow(meeting, 8, 200)
    for _ in range(5):
        DownloadLog.objects.create(document_file=document.files.first(), requested_language="ja")
    many = count_queries(client, PAGES[page](document))
    assert many == few <= BUDGET


def test_the_hub_section_runs_a_fixed_number_of_queries(meeting, make_user, django_assert_max_num_queries):
    user = make_user(Role.FOCAL_POINT)
    grow(meeting, 1, 1)
    user.active_roles  # noqa: B018 - the roles are read once per request, before any section
    with CaptureQueriesContext(connection) as few:
        meeting_section(meeting=meeting, user=user)
    grow(meeting, 10, 50)
    with django_assert_max_num_queries(len(few)):
        section = meeting_section(meeting=meeting, user=user)
    assert section["count"] == 22


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_renders_in_both_languages(language, meeting, secretariat, client):
    document = issue(meeting, languages=("en",), title_ja="文書", doc_type="minutes")
    staff, _user = secretariat
    with translation.override(language):
        staff_urls = [
            reverse("meetings:doc-list", args=[meeting.pk]),
            reverse("meetings:doc-create", args=[meeting.pk]),
            reverse("meetings:doc-detail", args=[document.pk]),
            reverse("meetings:doc-edit", args=[document.pk]),
            reverse("meetings:doc-upload", args=[document.pk]),
            reverse("meetings:minutes-compilation", args=[meeting.series_id]),
        ]
        public_url = reverse("meetings_public:doc-list", args=[meeting.pk])
    for url in staff_urls:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()
    assert client.get(public_url).status_code == 200
