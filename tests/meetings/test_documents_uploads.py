"""Language versions: checks on upload (size, type by content, no program, virus scan), storage and replacement."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import DocumentFile
from cleanasia.meetings.models.documents import ScanStatus
from cleanasia.meetings.services.documents import document_create, document_file_upload
from cleanasia.meetings.services.uploads import check_upload

from .factories import make_meeting

FILES = Path(__file__).parent / "files"


def sample(extension: str, name: str | None = None) -> SimpleUploadedFile:
    """A real file of the kind (tests/meetings/files/sample.<extension>), under `name` if given."""
    content = (FILES / f"sample.{extension}").read_bytes()
    return SimpleUploadedFile(name or f"sample.{extension}", content)


def refusal(upload) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload)
    return caught.value.message_dict["file"][0]


# --- type by content --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("txt", "text/plain; charset=utf-8"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(extension, content_type):
    checked = check_upload(sample(extension))
    raw = (FILES / f"sample.{extension}").read_bytes()
    assert checked.kind.content_type == content_type
    assert checked.size == len(raw)
    assert checked.sha256 == hashlib.sha256(raw).hexdigest()


def test_the_extension_is_matched_case_insensitively():
    assert check_upload(sample("pdf", "MINUTES.PDF")).kind.code == "pdf"


@pytest.mark.parametrize(
    ("real", "named", "declared", "found"),
    [
        ("docx", "paper.pdf", "PDF", "Word (DOCX)"),
        ("pdf", "paper.docx", "Word (DOCX)", "PDF"),
        ("xlsx", "paper.pptx", "PowerPoint (PPTX)", "Excel (XLSX)"),
        ("txt", "paper.odt", "OpenDocument text (ODT)", "plain text"),
        ("pdf", "paper.txt", "plain text", "PDF"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused_naming_the_file_and_both_types(
    real, named, declared, found
):
    message = refusal(sample(real, named))
    assert named in message
    assert f"named as {declared}" in message
    assert f"its content is {found}" in message


def test_a_zip_archive_that_is_no_office_document_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    message = refusal(SimpleUploadedFile("report.docx", buffer.getvalue()))
    assert "its content is a ZIP archive" in message


def test_an_image_named_as_a_pdf_is_refused_with_its_real_type():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    message = refusal(SimpleUploadedFile("scan.pdf", png))
    assert "scan.pdf" in message
    assert "named as PDF" in message
    assert "Portable Network Graphics" in message


def test_an_extension_outside_the_list_is_refused_with_the_list():
    message = refusal(SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32))
    assert "photo.jpg" in message
    assert ".docx, .odt, .pdf, .pptx, .txt, .xlsx" in message


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 80, "Windows executable (PE)"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 80, "ELF executable"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 80, "Mach-O executable"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 80, "Mach-O universal executable"),
        (b"#!/bin/sh\nrm -rf ~\n", "script (shebang)"),
    ],
)
@pytest.mark.parametrize("name", ["minutes.pdf", "notes.txt", "tool.exe"])
def test_programs_are_refused_whatever_their_name(content, kind, name):
    message = refusal(SimpleUploadedFile(name, content))
    assert name in message
    assert kind in message
    assert "programs cannot be uploaded" in message


def test_an_empty_file_is_refused():
    assert "is empty" in refusal(SimpleUploadedFile("empty.pdf", b""))


def test_text_with_control_characters_is_not_plain_text():
    message = refusal(SimpleUploadedFile("data.txt", b"abc\x01\x02def"))
    assert "named as plain text" in message
    assert "unknown binary format" in message


# --- size ------------------------------------------------------------------------------------------------------


def test_the_size_limit_comes_from_the_setting(settings):
    settings.CLEANASIA_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1))
    assert "big.txt is larger than 1 MB" in refusal(big)
    assert check_upload(SimpleUploadedFile("fits.txt", b"a" * (1024 * 1024))).size == 1024 * 1024


def test_the_default_limit_is_twenty_megabytes(settings):
    if hasattr(settings, "CLEANASIA_MAX_UPLOAD_MB"):
        del settings.CLEANASIA_MAX_UPLOAD_MB
    assert "larger than 20 MB" in refusal(SimpleUploadedFile("huge.txt", b"a" * (20 * 1024 * 1024 + 1)))


# --- virus scan -------------------------------------------------------------------------------------------------


def test_without_a_scanner_the_file_is_accepted_and_marked_not_scanned(settings):
    settings.CLEANASIA_VIRUS_SCAN_COMMAND = ""
    checked = check_upload(sample("pdf"))
    assert checked.scan_status == ScanStatus.NOT_SCANNED


def test_the_scanner_runs_on_a_copy_of_the_file_and_a_clean_exit_marks_it_scanned(settings, tmp_path):
    # The scanner copies what it was given, so the test sees that it ran on the file's bytes.
    seen = tmp_path / "seen"
    settings.CLEANASIA_VIRUS_SCAN_COMMAND = f'sh -c \'cp "$1" {seen}; echo "$1: OK"\' scanner'
    checked = check_upload(sample("pdf"))
    assert checked.scan_status == ScanStatus.CLEAN
    assert checked.scan_report == "<file>: OK"
    assert seen.read_bytes() == (FILES / "sample.pdf").read_bytes()


def test_a_scanner_that_finds_a_virus_refuses_the_file_with_its_output(settings):
    settings.CLEANASIA_VIRUS_SCAN_COMMAND = "sh -c 'echo \"$1: Eicar-Signature FOUND\"; exit 1' scanner"
    message = refusal(sample("txt"))
    assert "The virus scanner refused the file" in message
    assert "Eicar-Signature FOUND" in message


def test_a_scanner_that_cannot_run_refuses_rather_than_lets_through(settings):
    settings.CLEANASIA_VIRUS_SCAN_COMMAND = "/nonexistent/clamdscan --no-summary"
    assert "could not check the file" in refusal(sample("txt"))


def test_a_scanner_that_takes_too_long_refuses(settings):
    settings.CLEANASIA_VIRUS_SCAN_COMMAND = "sh -c 'sleep 5' scanner"
    settings.CLEANASIA_VIRUS_SCAN_TIMEOUT = 1
    assert "could not check the file" in refusal(sample("txt"))


# --- the service: storage, replacement, rules ----------------------------------------------------------------


@pytest.fixture
def document(db):
    return document_create(actor=None, meeting=make_meeting(), doc_type="working_paper", title_en="Paper")


def test_an_upload_stores_the_file_with_its_size_hash_type_and_scan_status(document, make_user, settings):
    settings.CLEANASIA_VIRUS_SCAN_COMMAND = ""
    secretariat = make_user(Role.SECRETARIAT)
    version = document_file_upload(actor=secretariat, document=document, language="en", upload=sample("pdf"))
    raw = (FILES / "sample.pdf").read_bytes()
    assert (version.size, version.sha256) == (len(raw), hashlib.sha256(raw).hexdigest())
    assert version.content_type == "application/pdf"
    assert version.original_name == "sample.pdf"
    assert version.uploaded_by == secretariat
    assert version.scan_status == ScanStatus.NOT_SCANNED
    with version.file.open("rb") as stored:
        assert stored.read() == raw
    assert version.history.first().action_code == "meetings.document_file.uploaded"


def test_one_file_per_language_uploading_again_replaces_it(document, django_capture_on_commit_callbacks):
    first = document_file_upload(actor=None, document=document, language="ja", upload=sample("pdf"))
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = document_file_upload(actor=None, document=document, language="ja", upload=sample("docx"))
    assert second.pk == first.pk
    assert DocumentFile.objects.filter(document=document).count() == 1
    assert second.content_type.endswith("wordprocessingml.document")
    assert not second.file.storage.exists(old_name)
    assert second.history.first().action_code == "meetings.document_file.replaced"


def test_bad_language_and_languages_outside_a_corrigendum_are_refused(document):
    with pytest.raises(ValidationError) as caught:
        document_file_upload(actor=None, document=document, language="fr", upload=sample("pdf"))
    assert "Choose the language" in caught.value.message_dict["language"][0]
    corrigendum = document_create(
        actor=None,
        meeting=document.meeting,
        suffix_kind="corr",
        concerns=document,
        corrected_languages=["ja"],
        title_en="c",
    )
    with pytest.raises(ValidationError) as caught:
        document_file_upload(actor=None, document=corrigendum, language="en", upload=sample("pdf"))
    assert "concerns only the ja version" in caught.value.message_dict["language"][0]
    assert document_file_upload(actor=None, document=corrigendum, language="ja", upload=sample("pdf")).language == "ja"


def test_a_refused_file_leaves_nothing_behind(document):
    with pytest.raises(ValidationError):
        document_file_upload(actor=None, document=document, language="en", upload=sample("pdf", "x.docx"))
    assert not DocumentFile.objects.exists()


def test_issuing_with_a_bad_first_file_issues_nothing(db):
    meeting = make_meeting()
    with pytest.raises(ValidationError) as caught:
        document_create(
            actor=None,
            meeting=meeting,
            doc_type="other",
            title_en="x",
            files={"en": SimpleUploadedFile("run.pdf", b"\x7fELF" + b"\x00" * 40)},
        )
    assert "run.pdf" in caught.value.message_dict["file"][0]
    assert not meeting.documents.exists()


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_uploads(document, make_user, role):
    with pytest.raises(PermissionDenied):
        document_file_upload(actor=make_user(role), document=document, language="en", upload=sample("pdf"))
