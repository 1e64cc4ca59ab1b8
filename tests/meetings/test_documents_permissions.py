"""Who sees which document: every role × distribution × embargo, through the policy and through the download.

What a reader may not see is a 404 (never a 403). Changes are the secretariat's.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.permissions import ADD, CHANGE, VIEW, can, visible
from cleanasia.meetings.models import Delegation, Document, DocumentFile, DownloadLog, Participant
from cleanasia.meetings.policies.documents import VIEW_DOWNLOADS
from cleanasia.meetings.services.documents import document_create, document_file_upload
from tests.conftest import ROLES, verified_client
from tests.factories import CountryFactory, user_with_role

from .factories import make_meeting

pytestmark = pytest.mark.django_db

PDF = (Path(__file__).parent / "files" / "sample.pdf").read_bytes()
LEVELS = ("general", "limited", "restricted")
EMBARGOES = ("none", "past", "future")
ALL = {(level, embargo) for level in LEVELS for embargo in EMBARGOES}
OUT_OF_EMBARGO = {"none", "past"}
GENERAL = {("general", e) for e in OUT_OF_EMBARGO}
PARTICIPANTS = GENERAL | {("limited", e) for e in OUT_OF_EMBARGO}

# Readers beyond the foundation's roles: a participant of the meeting, a focal point of a country not invited,
# and a participant whose delegation was withdrawn.
EXPECTED = {
    "public": GENERAL,
    Role.EXPERT: GENERAL,
    Role.WG_MEMBER: GENERAL,
    Role.FOCAL_POINT: PARTICIPANTS,  # the focal point of Viet Nam, invited
    Role.SECRETARIAT: ALL,
    Role.ADMIN: ALL,
    "participant": PARTICIPANTS,
    "focal_point_not_invited": GENERAL,
    "withdrawn_participant": GENERAL,
}


def build_documents(meeting) -> dict[tuple[str, str], Document]:
    now = timezone.now()
    embargo = {"none": None, "past": now - dt.timedelta(hours=1), "future": now + dt.timedelta(days=2)}
    documents = {}
    for level in LEVELS:
        for key, until in embargo.items():
            document = document_create(
                actor=None,
                meeting=meeting,
                doc_type="information_paper",
                title_en=f"{level} {key}",
                distribution=level,
                embargo_until=until,
            )
            document_file_upload(actor=None, document=document, language="en", upload=SimpleUploadedFile("p.pdf", PDF))
            documents[(level, key)] = document
    return documents


def add_participant(meeting, *, state="approved"):
    user = user_with_role(Role.EXPERT)
    delegation = Delegation.objects.create(meeting=meeting, country=CountryFactory(code="TH"), state=state)
    Participant.objects.create(delegation=delegation, user=user, given_name="Somchai", family_name="P.")
    return user


def reader(name, meeting):
    """(client, user) for one of the readers of EXPECTED."""
    from django.test import Client

    if name == "public":
        return Client(), None
    if name == "participant":
        user = add_participant(meeting)
    elif name == "withdrawn_participant":
        user = add_participant(meeting, state="withdrawn")
    elif name == "focal_point_not_invited":
        user = user_with_role(Role.FOCAL_POINT, country="KH")
    else:
        user = user_with_role(name, country="VN" if name == Role.FOCAL_POINT else None)
    return verified_client(user), user


@pytest.fixture
def meeting():
    return make_meeting(visibility="public", invite=("JP", "VN", "TH"))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_reader_sees_by_distribution_and_embargo(name, meeting):
    documents = build_documents(meeting)
    _client, user = reader(name, meeting)
    seen = set(visible(Document.objects.all(), user).values_list("pk", flat=True))
    assert {key for key, d in documents.items() if d.pk in seen} == EXPECTED[name]
    assert {key for key, d in documents.items() if can(user, VIEW, d)} == EXPECTED[name]
    files_seen = set(visible(DocumentFile.objects.all(), user).values_list("document_id", flat=True))
    assert {key for key, d in documents.items() if d.pk in files_seen} == EXPECTED[name]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_reader_downloads_what_they_see_and_gets_404_for_the_rest(name, meeting):
    documents = build_documents(meeting)
    client, user = reader(name, meeting)
    for key, document in documents.items():
        if user is None:
            url = reverse("meetings_public:doc-download", args=[document.pk, "en"])
        else:
            url = reverse("meetings:doc-download", args=[document.pk, "en"])
        response = client.get(url)
        expected = 200 if key in EXPECTED[name] else 404
        assert response.status_code == expected, (key, response.status_code)
    logged = DownloadLog.objects.filter(user=user) if user else DownloadLog.objects.filter(user__isnull=True)
    assert logged.count() == len(EXPECTED[name])


def test_the_public_route_serves_only_general_documents_out_of_embargo_even_to_the_secretariat(meeting):
    documents = build_documents(meeting)
    client, _user = reader(Role.SECRETARIAT, meeting)
    served = {
        key
        for key, d in documents.items()
        if client.get(reverse("meetings_public:doc-download", args=[d.pk, "en"])).status_code == 200
    }
    assert served == GENERAL


@pytest.mark.parametrize("visibility", ["members", "secretariat"])
def test_a_document_is_seen_only_by_those_who_see_its_meeting(visibility):
    meeting = make_meeting(visibility=visibility, invite=("VN",))
    document = build_documents(meeting)[("general", "none")]
    member = user_with_role(Role.EXPERT)
    focal = user_with_role(Role.FOCAL_POINT, country="VN")
    assert not can(None, VIEW, document)
    assert can(member, VIEW, document) == (visibility == "members")
    # A focal point of an invited country sees the meeting whatever its level, and so its documents.
    assert can(focal, VIEW, document)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_adds_changes_and_reads_the_download_log(role, meeting, make_user):
    document = build_documents(meeting)[("general", "none")]
    user = None if role == "public" else make_user(role)
    is_secretariat = role in (Role.SECRETARIAT, Role.ADMIN)
    assert can(user, ADD, Document) == is_secretariat
    assert can(user, CHANGE, document) == is_secretariat
    assert can(user, VIEW_DOWNLOADS, document) == is_secretariat
    assert not can(user, "delete", document)
    DownloadLog.objects.create(document_file=document.files.get(), requested_language="en")
    assert visible(DownloadLog.objects.all(), user).exists() == is_secretariat


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_pages_of_a_hidden_document_are_404_and_writes_403_for_non_secretariat(role, meeting, client_for):
    documents = build_documents(meeting)
    hidden = documents[("restricted", "none")]
    shown = documents[("general", "none")]
    client, _user = client_for(role)
    if role == "public":
        response = client.get(reverse("meetings:doc-detail", args=[shown.pk]))
        assert response.status_code == 302  # to the sign-in page
        return
    secretariat = role in (Role.SECRETARIAT, Role.ADMIN)
    assert client.get(reverse("meetings:doc-detail", args=[hidden.pk])).status_code == (200 if secretariat else 404)
    assert client.get(reverse("meetings:doc-detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("meetings:doc-edit", args=[shown.pk])).status_code == (200 if secretariat else 403)
    assert client.get(reverse("meetings:doc-upload", args=[shown.pk])).status_code == (200 if secretariat else 403)
    assert client.get(reverse("meetings:doc-create", args=[meeting.pk])).status_code == (200 if secretariat else 403)
    if not secretariat:
        assert client.get(reverse("meetings:doc-edit", args=[hidden.pk])).status_code == 404
