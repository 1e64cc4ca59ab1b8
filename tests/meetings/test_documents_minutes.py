"""Minutes: draft → circulated → adopted by the secretariat, immutable once adopted, revised by /Rev. documents,
linked both ways with the agenda item of a later meeting that adopts them, compiled per series (page and PDF)."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.concurrency import StaleEditError
from cleanasia.meetings.models import AgendaItem, MinutesState
from cleanasia.meetings.selectors.documents import adopted_minutes_for
from cleanasia.meetings.services.documents import (
    document_create,
    document_file_upload,
    document_update,
    minutes_adopt,
    minutes_circulate,
)

from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def text_file(text: str, name: str = "minutes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def past_meeting(series, ordinal: int, days_ago: int):
    return make_meeting(series, ordinal=ordinal, starts_at=timezone.now() - dt.timedelta(days=days_ago))


def minutes_of(meeting, text: str = "Minutes text.", **kwargs):
    kwargs.setdefault("distribution", "general")
    minutes = document_create(actor=None, meeting=meeting, doc_type="minutes", title_en="Minutes", **kwargs)
    document_file_upload(actor=None, document=minutes, language="en", upload=text_file(text))
    return minutes


def pdf_text(pdf: bytes) -> str | None:
    """The text of a PDF with pdftotext, or None when poppler is missing (then only the PDF's shape is checked)."""
    command = shutil.which("pdftotext")
    if command is None:
        return None
    # The command is the installed pdftotext, given bytes this test produced.
    return subprocess.run([command, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603


def adopt(minutes, on=None):
    circulated = minutes_circulate(actor=None, document=minutes, expected_version=minutes.version)
    return minutes_adopt(actor=None, document=circulated, expected_version=circulated.version, adopted_on=on)


@pytest.fixture
def series():
    return make_series("EAS-EMM")


def test_minutes_start_as_drafts_and_go_draft_circulated_adopted(series):
    minutes = minutes_of(past_meeting(series, 1, 30))
    assert minutes.minutes_state == MinutesState.DRAFT
    circulated = minutes_circulate(actor=None, document=minutes, expected_version=minutes.version)
    assert circulated.minutes_state == MinutesState.CIRCULATED
    adopted = minutes_adopt(actor=None, document=circulated, expected_version=circulated.version)
    assert (adopted.minutes_state, adopted.adopted_on) == (MinutesState.ADOPTED, timezone.localdate())
    assert [h.action_code for h in adopted.history.order_by("history_id")][-2:] == [
        "meetings.minutes.circulated",
        "meetings.minutes.adopted",
    ]


def test_steps_cannot_be_skipped_or_repeated_and_other_types_have_no_minutes_state(series):
    meeting = past_meeting(series, 1, 30)
    minutes = minutes_of(meeting)
    with pytest.raises(ValidationError) as caught:
        minutes_adopt(actor=None, document=minutes, expected_version=minutes.version)
    assert "cannot become" in caught.value.message_dict["minutes_state"][0]
    adopted = adopt(minutes)
    with pytest.raises(ValidationError):
        minutes_circulate(actor=None, document=adopted, expected_version=adopted.version)
    paper = document_create(actor=None, meeting=meeting, doc_type="working_paper", title_en="Paper")
    assert paper.minutes_state == ""
    with pytest.raises(ValidationError) as caught:
        minutes_circulate(actor=None, document=paper, expected_version=paper.version)
    assert "Only minutes" in caught.value.message_dict["minutes_state"][0]


def test_minutes_without_a_file_cannot_be_circulated(series):
    empty = document_create(actor=None, meeting=past_meeting(series, 1, 30), doc_type="minutes", title_en="M")
    with pytest.raises(ValidationError) as caught:
        minutes_circulate(actor=None, document=empty, expected_version=empty.version)
    assert "Upload at least one language version" in caught.value.message_dict["file"][0]


def test_the_adoption_date_is_checked(series):
    minutes = minutes_of(past_meeting(series, 1, 30))
    circulated = minutes_circulate(actor=None, document=minutes, expected_version=minutes.version)
    for day, expected in (
        (timezone.localdate() + dt.timedelta(days=1), "future"),
        (timezone.localdate() - dt.timedelta(days=60), "before their meeting"),
    ):
        with pytest.raises(ValidationError) as caught:
            minutes_adopt(actor=None, document=circulated, expected_version=circulated.version, adopted_on=day)
        assert expected in caught.value.message_dict["adopted_on"][0]


def test_a_stale_transition_is_refused(series):
    minutes = minutes_of(past_meeting(series, 1, 30))
    document_update(actor=None, document=minutes, expected_version=minutes.version, changes={"title_ja": "議事録"})
    with pytest.raises(StaleEditError):
        minutes_circulate(actor=None, document=minutes, expected_version=minutes.version)


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_circulates_and_adopts(series, make_user, role):
    minutes = minutes_of(past_meeting(series, 1, 30))
    with pytest.raises(PermissionDenied):
        minutes_circulate(actor=make_user(role), document=minutes, expected_version=minutes.version)


def test_adopted_minutes_are_immutable_and_change_only_by_a_revision(series):
    meeting = past_meeting(series, 1, 30)
    adopted = adopt(minutes_of(meeting))
    with pytest.raises(ValidationError) as caught:
        document_update(actor=None, document=adopted, expected_version=adopted.version, changes={"title_en": "New"})
    assert "issue a revision" in caught.value.message_dict["minutes_state"][0]
    with pytest.raises(ValidationError) as caught:
        document_file_upload(actor=None, document=adopted, language="en", upload=text_file("changed"))
    assert "issue a revision" in caught.value.message_dict["file"][0]
    for kind in ("add", "corr"):
        with pytest.raises(ValidationError) as caught:
            document_create(actor=None, meeting=meeting, suffix_kind=kind, concerns=adopted, title_en="x")
        assert "only by a revision" in caught.value.message_dict["concerns"][0]
    revision = document_create(actor=None, meeting=meeting, suffix_kind="rev", concerns=adopted, title_en="Minutes")
    adopted.refresh_from_db()
    assert revision.symbol == f"{adopted.symbol}/Rev.1"
    assert revision.minutes_state == MinutesState.DRAFT
    assert adopted.replaced_by == revision
    assert adopted.minutes_state == MinutesState.ADOPTED


def _adoption_item(later_meeting, minutes, number="2"):
    return AgendaItem.objects.create(
        meeting=later_meeting, number=number, title_en="Adoption of the minutes", adopts_minutes=minutes
    )


def test_the_minutes_page_and_the_later_agenda_link_both_ways(series, client_for):
    first = past_meeting(series, 1, 60)
    second = past_meeting(series, 2, 5)
    minutes = adopt(minutes_of(first))
    _adoption_item(second, minutes)
    agenda = document_create(actor=None, meeting=second, doc_type="provisional_agenda", title_en="Agenda")
    client, _user = client_for(Role.SECRETARIAT)

    page = client.get(reverse("meetings:doc-detail", args=[minutes.pk])).content.decode()
    assert "Adopted at:" in page
    assert f"{series.code}/2" in page
    assert "agenda item 2" in page

    page = client.get(reverse("meetings:doc-detail", args=[agenda.pk])).content.decode()
    assert "Minutes adopted at this meeting" in page
    assert reverse("meetings:doc-detail", args=[minutes.pk]) in page

    listing = client.get(reverse("meetings:doc-list", args=[second.pk])).content.decode()
    assert "Minutes adopted at this meeting" in listing
    assert minutes.symbol in listing


def test_minutes_the_reader_may_not_see_are_not_linked(series, client_for):
    first = past_meeting(series, 1, 60)
    second = past_meeting(series, 2, 5)
    hidden = adopt(minutes_of(first, distribution="restricted"))
    _adoption_item(second, hidden)
    agenda = document_create(
        actor=None, meeting=second, doc_type="provisional_agenda", title_en="Agenda", distribution="general"
    )
    client, _user = client_for(Role.EXPERT)
    page = client.get(reverse("meetings:doc-detail", args=[agenda.pk])).content.decode()
    assert hidden.symbol not in page


def test_the_compilation_has_every_adopted_minutes_in_order_in_their_valid_version(series):
    first, second, third = past_meeting(series, 1, 300), past_meeting(series, 2, 200), past_meeting(series, 3, 100)
    old = adopt(minutes_of(first, "First meeting, as adopted."))
    revision = document_create(
        actor=None, meeting=first, suffix_kind="rev", concerns=old, title_en="Minutes", distribution="general"
    )
    document_file_upload(actor=None, document=revision, language="en", upload=text_file("First meeting, revised."))
    third_minutes = adopt(minutes_of(third, "Third meeting."))
    draft = minutes_of(second, "Second meeting, not yet adopted.")

    # The revision is a draft: the adopted original stays the valid text.
    compiled = adopted_minutes_for(user=None, series=series)
    assert [d.symbol for d in compiled] == [old.symbol, third_minutes.symbol]
    assert compiled[0].text.strip() == "First meeting, as adopted."

    revision.refresh_from_db()
    adopt(revision)
    compiled = adopted_minutes_for(user=None, series=series)
    assert [d.symbol for d in compiled] == [revision.symbol, third_minutes.symbol]
    assert draft.symbol not in [d.symbol for d in compiled]


def test_the_compilation_shows_only_what_the_reader_sees(series, make_user):
    meeting = past_meeting(series, 1, 30)
    adopt(minutes_of(meeting, distribution="general"))
    restricted = adopt(minutes_of(meeting, distribution="restricted"))
    assert restricted.symbol not in [d.symbol for d in adopted_minutes_for(user=make_user(Role.EXPERT), series=series)]
    secretariat = make_user(Role.SECRETARIAT)
    assert restricted.symbol in [d.symbol for d in adopted_minutes_for(user=secretariat, series=series)]


def test_the_compilation_page_and_pdf(series, client_for):
    first, second = past_meeting(series, 1, 300), past_meeting(series, 2, 100)
    one = adopt(minutes_of(first, "Alpha decisions of the first meeting."))
    two = adopt(minutes_of(second, "Beta decisions of the second meeting."))
    _adoption_item(second, one)
    client, _user = client_for(Role.SECRETARIAT)

    page = client.get(reverse("meetings:minutes-compilation", args=[series.pk])).content.decode()
    assert page.index(one.symbol) < page.index(two.symbol)
    assert "Alpha decisions" in page
    assert "Beta decisions" in page

    response = client.get(reverse("meetings:minutes-compilation-pdf", args=[series.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
    if (text := pdf_text(pdf)) is not None:
        assert text.index(one.symbol) < text.index(two.symbol)
        assert "Alpha decisions" in text
        assert "Beta decisions" in text
        assert f"{series.code}/2" in text


def test_the_compilation_pdf_in_japanese(series, client_for):
    meeting = past_meeting(series, 1, 30)
    minutes = minutes_of(meeting, "第1回会合の議事録。")
    adopt(minutes)
    client, _user = client_for(Role.SECRETARIAT)
    from django.utils import translation

    with translation.override("ja"):
        url = reverse("meetings:minutes-compilation-pdf", args=[series.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    if (text := pdf_text(response.content)) is not None:
        assert "第1回会合の議事録" in text


def test_a_series_the_reader_does_not_see_is_404(client_for):
    hidden = make_series("HIDDEN", visibility="secretariat")
    client, _user = client_for(Role.EXPERT)
    assert client.get(reverse("meetings:minutes-compilation", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("meetings:minutes-compilation-pdf", args=[hidden.pk])).status_code == 404


def test_the_minutes_actions_on_the_page(series, client_for):
    minutes = minutes_of(past_meeting(series, 1, 30))
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(reverse("meetings:minutes-circulate", args=[minutes.pk]), {"version": minutes.version})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.minutes_state == MinutesState.CIRCULATED
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    client.post(reverse("meetings:minutes-adopt", args=[minutes.pk]), {"version": minutes.version, "adopted_on": day})
    minutes.refresh_from_db()
    assert (minutes.minutes_state, minutes.adopted_on.isoformat()) == (MinutesState.ADOPTED, day)
    page = client.get(reverse("meetings:doc-detail", args=[minutes.pk])).content.decode()
    assert "Adopted minutes do not change" in page
    assert "Edit the details" not in page

    focal, _user = client_for(Role.FOCAL_POINT)
    other = minutes_of(past_meeting(series, 2, 10))
    assert focal.post(reverse("meetings:minutes-circulate", args=[other.pk]), {"version": 1}).status_code == 403
