"""The documents API: metadata by permission with filters, downloads checked and logged like the pages,
uploads and issuing through the services for the secretariat, each refusal a problem naming the field."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import Document, DownloadLog
from cleanasia.meetings.services.documents import document_create, document_file_upload
from tests.api.helpers import problem
from tests.conftest import ROLES

from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
URL = "/api/v1/meeting-documents/"


def upload(extension="pdf", name=None):
    return SimpleUploadedFile(name or f"sample.{extension}", (FILES / f"sample.{extension}").read_bytes())


def issue(meeting, languages=("en",), **kwargs):
    kwargs.setdefault("title_en", "Paper")
    if not kwargs.get("concerns"):
        kwargs.setdefault("doc_type", "information_paper")
    document = document_create(actor=None, meeting=meeting, **kwargs)
    for language in languages:
        document_file_upload(actor=None, document=document, language=language, upload=upload())
    return document


@pytest.fixture
def documents():
    """In EAS-EMM/3 (public, Viet Nam invited): a general paper and its revision, a limited and a restricted
    paper, an embargoed one; in EAS-EMM/4 a general paper."""
    series = make_series("EAS-EMM")
    meeting = make_meeting(series, ordinal=3, visibility="public", invite=("VN", "TH"))
    general = issue(meeting, distribution="general", symbol="EAS-EMM/3/INF.1")
    revision = issue(meeting, suffix_kind="rev", concerns=general, distribution="general")
    issue(meeting, distribution="limited", symbol="EAS-EMM/3/WP.1", doc_type="working_paper")
    issue(meeting, distribution="restricted", symbol="EAS-EMM/3/DOC.1", doc_type="other")
    issue(
        meeting,
        distribution="general",
        symbol="EAS-EMM/3/CS.1",
        doc_type="chairs_summary",
        embargo_until=timezone.now() + dt.timedelta(days=1),
    )
    issue(make_meeting(series, ordinal=4, visibility="public"), distribution="general", symbol="EAS-EMM/4/INF.1")
    return {"meeting": meeting, "general": general, "revision": revision}


def symbols(response):
    assert response.status_code == 200, response.content
    return sorted(row["symbol"] for row in response.json()["results"])


PUBLIC = ["EAS-EMM/3/INF.1", "EAS-EMM/3/INF.1/Rev.1", "EAS-EMM/4/INF.1"]
EXPECTED = {
    "public": PUBLIC,
    Role.EXPERT: PUBLIC,
    Role.WG_MEMBER: PUBLIC,
    Role.FOCAL_POINT: sorted([*PUBLIC, "EAS-EMM/3/WP.1"]),
    Role.SECRETARIAT: sorted([*PUBLIC, "EAS-EMM/3/WP.1", "EAS-EMM/3/DOC.1", "EAS-EMM/3/CS.1"]),
    Role.ADMIN: sorted([*PUBLIC, "EAS-EMM/3/WP.1", "EAS-EMM/3/DOC.1", "EAS-EMM/3/CS.1"]),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_documents_it_may_see(role, documents, client_for):
    client, _user = client_for(role)
    assert symbols(client.get(URL)) == EXPECTED[role]


def test_filters_by_meeting_type_and_symbol_family(documents, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = documents["meeting"]
    assert "EAS-EMM/4/INF.1" not in symbols(client.get(URL, {"meeting": meeting.pk}))
    assert symbols(client.get(URL, {"type": "working_paper"})) == ["EAS-EMM/3/WP.1"]
    family = ["EAS-EMM/3/INF.1", "EAS-EMM/3/INF.1/Rev.1"]
    assert symbols(client.get(URL, {"symbol": "eas-emm/3/inf.1"})) == family
    assert symbols(client.get(URL, {"symbol": "EAS-EMM/3/INF.1/Rev.1"})) == family
    assert symbols(client.get(URL, {"symbol": "no such thing"})) == []
    problem(client.get(URL, {"type": "nonsense"}), 400)


def test_the_detail_says_what_replaced_it_and_lists_its_language_versions(documents, client):
    general, revision = documents["general"], documents["revision"]
    body = client.get(f"{URL}{general.pk}/").json()
    assert body["is_current"] is False
    assert body["replaced_by"] == revision.symbol
    assert body["base_symbol"] == "EAS-EMM/3/INF.1"
    [version] = body["files"]
    assert version["language"] == "en"
    assert version["content_type"] == "application/pdf"
    assert version["download_url"].endswith(f"{URL}{general.pk}/download/?language=en")
    assert client.get(f"{URL}{revision.pk}/").json()["concerns"] == general.symbol


def test_what_the_caller_may_not_see_is_404(documents, client_for):
    restricted = Document.objects.get(symbol="EAS-EMM/3/DOC.1")
    client, _user = client_for(Role.FOCAL_POINT)
    problem(client.get(f"{URL}{restricted.pk}/"), 404)
    problem(client.get(f"{URL}{restricted.pk}/download/"), 404)
    assert not DownloadLog.objects.exists()


def test_a_download_is_served_logged_and_falls_back_like_the_pages(documents, client_for):
    client, user = client_for(Role.EXPERT)
    general = documents["general"]
    response = client.get(f"{URL}{general.pk}/download/", {"language": "ja"}, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (FILES / "sample.pdf").read_bytes()
    assert response["X-Language-Fallback"] == "requested=ja; served=en"
    log = DownloadLog.objects.get()
    assert (log.user, log.requested_language) == (user, "ja")


def test_a_download_with_a_token_logs_the_token_user(documents, make_user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    user = make_user(Role.FOCAL_POINT)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    limited = Document.objects.get(symbol="EAS-EMM/3/WP.1")
    assert client.get(f"{URL}{limited.pk}/download/", {"language": "en"}).status_code == 200
    assert DownloadLog.objects.get().user == user


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_uploads_and_reads_the_download_log(role, documents, client_for):
    client, _user = client_for(role)
    general = documents["revision"]
    response = client.post(f"{URL}{general.pk}/files/", {"language": "ja", "file": upload("docx")})
    log = client.get(f"{URL}{general.pk}/downloads/")
    if role in (Role.SECRETARIAT, Role.ADMIN):
        assert response.status_code == 201, response.content
        assert sorted(f["language"] for f in response.json()["files"]) == ["en", "ja"]
        assert log.status_code == 200
    else:
        problem(response, 401 if role == "public" else 403)
        problem(log, 401 if role == "public" else 403)
        assert general.files.count() == 1


def test_the_download_log_lists_who_downloaded_what(documents, client_for):
    reader, reader_user = client_for(Role.EXPERT)
    general = documents["general"]
    reader.get(f"{URL}{general.pk}/download/", {"language": "en"})
    client, _user = client_for(Role.SECRETARIAT)
    [row] = client.get(f"{URL}{general.pk}/downloads/").json()["results"]
    assert (row["user"], row["requested_language"], row["served_language"]) == (reader_user.email, "en", "en")


def test_an_upload_whose_content_does_not_match_is_a_problem_naming_the_file(documents, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the message in the language asked for
    general = documents["revision"]
    body = problem(client.post(f"{URL}{general.pk}/files/", {"language": "en", "file": upload("pdf", "x.xlsx")}), 400)
    [error] = body["errors"]
    assert error["field"] == "file"
    assert "x.xlsx is named as Excel (XLSX) but its content is PDF" in error["detail"]
    body = problem(client.post(f"{URL}{general.pk}/files/", {"language": "fr", "file": upload()}), 400)
    assert body["errors"][0]["field"] == "language"


def test_the_secretariat_issues_a_document_with_a_file_in_one_multipart_request(documents, client_for):
    client, user = client_for(Role.SECRETARIAT)
    meeting = documents["meeting"]
    response = client.post(
        URL,
        {
            "meeting": meeting.pk,
            "doc_type": "working_paper",
            "title_en": "Marine litter",
            "distribution": "limited",
            "embargo_until": "2030-10-09T09:00:00+07:00",
            "file": upload("odt"),
            "language": "en",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["symbol"] == "EAS-EMM/3/WP.2"
    assert body["embargo_until"].startswith("2030-10-09T")
    assert body["files"][0]["content_type"] == "application/vnd.oasis.opendocument.text"
    assert Document.objects.get(symbol="EAS-EMM/3/WP.2").history.first().history_user == user


def test_issuing_a_corrigendum_through_json(documents, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    revision = documents["revision"]
    response = client.post(
        URL,
        {
            "meeting": revision.meeting_id,
            "suffix_kind": "corr",
            "concerns": revision.pk,
            "title_en": "Corr",
            "corrected_languages": ["ja"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["symbol"] == "EAS-EMM/3/INF.1/Rev.1/Corr.1"
    assert response.json()["corrected_languages"] == ["ja"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"symbol": "EAS-EMM/3/INF.1"}, "symbol"),
        ({"embargo_until": "2030-10-09T09:00:00"}, "embargo_until"),
        ({"suffix_kind": "add"}, "concerns"),
        ({"title_en": ""}, "title_en"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(documents, client_for, body, field):
    client, _user = client_for(Role.SECRETARIAT)
    base = {"meeting": documents["meeting"].pk, "doc_type": "information_paper", "title_en": "T"}
    response = client.post(URL, {**base, **body}, content_type="application/json")
    assert field in [e["field"] for e in problem(response, 400)["errors"]]


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT])
def test_others_cannot_issue(role, documents, client_for):
    client, _user = client_for(role)
    body = {"meeting": documents["meeting"].pk, "doc_type": "other", "title_en": "T"}
    problem(client.post(URL, body, content_type="application/json"), 401 if role == "public" else 403)


def test_the_list_runs_a_fixed_number_of_queries(documents, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _user = client_for(Role.FOCAL_POINT)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(10):
        issue(documents["meeting"], languages=("en", "ja"), distribution="general", symbol=f"EAS-EMM/3/GROW.{i}")
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(URL).json()["results"]) == 14
