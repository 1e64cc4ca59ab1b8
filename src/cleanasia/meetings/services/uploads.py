"""Checks of an uploaded language version before it is stored: size, type by content, no executable, virus scan.

The type is decided by the file's bytes (puremagic), never by its name or the
browser's Content-Type: a file whose content does not match its extension is
refused, and so is anything executable (Windows PE, ELF, Mach-O, a script
with a shebang) whatever it is called. Office Open XML and OpenDocument files
are ZIP archives to puremagic; which of them an archive is, the archive's own
manifest says (`mimetype`, `[Content_Types].xml` and the main part's path).

The virus scan runs the command of CLEANASIA_VIRUS_SCAN_COMMAND (for example
"clamdscan --no-summary --fdpass") on a temporary copy; a non-zero exit refuses
the file with the scanner's output. Without the setting nothing is scanned and
the language version says so.
"""

from __future__ import annotations

import hashlib
import io
import shlex
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models.documents import ScanStatus

DEFAULT_MAX_UPLOAD_MB = 20
DEFAULT_SCAN_TIMEOUT_SECONDS = 120
SCAN_REPORT_LENGTH = 500


@dataclass(frozen=True)
class FileKind:
    """A type the platform accepts: its extensions, the Content-Type it is served with, a name for people."""

    code: str
    extensions: tuple[str, ...]
    content_type: str
    label: Any


ACCEPTED_KINDS = {
    kind.code: kind
    for kind in (
        FileKind("pdf", (".pdf",), "application/pdf", "PDF"),
        FileKind(
            "docx",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            gettext_lazy("Word (DOCX)"),
        ),
        FileKind(
            "xlsx",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            gettext_lazy("Excel (XLSX)"),
        ),
        FileKind(
            "pptx",
            (".pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            gettext_lazy("PowerPoint (PPTX)"),
        ),
        FileKind("odt", (".odt",), "application/vnd.oasis.opendocument.text", gettext_lazy("OpenDocument text (ODT)")),
        FileKind("text", (".txt",), "text/plain; charset=utf-8", gettext_lazy("plain text")),
    )
}
KIND_BY_EXTENSION = {extension: kind for kind in ACCEPTED_KINDS.values() for extension in kind.extensions}
ACCEPTED_EXTENSIONS = ", ".join(sorted(KIND_BY_EXTENSION))

# Executable formats by their first bytes (Mach-O: 32/64-bit, both byte orders, and universal binaries).
EXECUTABLE_SIGNATURES = (
    (b"MZ", "Windows executable (PE)"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O universal executable"),
    (b"#!", "script (shebang)"),
)
# The main part of each Office Open XML kind, as named in the archive.
OOXML_MAIN_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# puremagic matches of fewer bytes than this prove little (two-byte signatures match ordinary text).
CONCLUSIVE_CONFIDENCE = 0.4


@dataclass(frozen=True)
class CheckedUpload:
    """What the checks found out about an accepted upload."""

    name: str
    content: bytes
    kind: FileKind
    size: int
    sha256: str
    scan_status: str
    scan_report: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "CLEANASIA_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024


def executable_kind(content: bytes) -> str:
    """The name of the executable format `content` starts with, or ""."""
    for signature, name in EXECUTABLE_SIGNATURES:
        if content.startswith(signature):
            return name
    return ""


def _archive_kind(content: bytes) -> str:
    """Which accepted kind a ZIP archive is, from its manifest ("" when none of them)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names:
                for part, kind in OOXML_MAIN_PARTS:
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError):
        return ""
    return ""


def _is_plain_text(content: bytes) -> bool:
    """UTF-8 (or UTF-16 with its byte-order mark) without NUL or other control characters but tab and line ends."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        if b"\x00" in content:
            return False
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
    return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)


def sniff(content: bytes) -> tuple[str, str]:
    """(accepted kind code or "", a name for the type found) from the bytes alone."""
    if not content:
        return "", _("an empty file")
    try:
        matches = [m for m in puremagic.magic_string(content) if m.confidence >= CONCLUSIVE_CONFIDENCE]
    except puremagic.PureError:
        matches = []
    if any(m.mime_type == "application/pdf" for m in matches):
        return "pdf", ACCEPTED_KINDS["pdf"].label
    if any(m.byte_match.startswith(b"PK\x03\x04") for m in matches):
        kind = _archive_kind(content)
        return (kind, ACCEPTED_KINDS[kind].label) if kind else ("", _("a ZIP archive"))
    if matches:
        return "", matches[0].name or matches[0].extension or _("an unknown binary format")
    if _is_plain_text(content):
        return "text", ACCEPTED_KINDS["text"].label
    return "", _("an unknown binary format")


def scan_for_viruses(path: str) -> tuple[str, str]:
    """Run the configured scanner on `path`: (scan status, report). Raises ValidationError when it finds a virus.

    A scanner that cannot run or does not answer in time refuses the file too:
    an unscanned file must never pass as scanned.
    """
    command = getattr(settings, "CLEANASIA_VIRUS_SCAN_COMMAND", "") or ""
    if not command.strip():
        return ScanStatus.NOT_SCANNED, ""
    timeout = int(getattr(settings, "CLEANASIA_VIRUS_SCAN_TIMEOUT", DEFAULT_SCAN_TIMEOUT_SECONDS))
    try:
        completed = subprocess.run(  # noqa: S603 - the command is the operator's setting, run without a shell
            [*shlex.split(command), path], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ValidationError(
            {"file": _("The virus scanner could not check the file (%(error)s). Try again later.") % {"error": exc}}
        ) from exc
    report = (completed.stdout + completed.stderr).strip().replace(path, "<file>")[:SCAN_REPORT_LENGTH]
    if completed.returncode != 0:
        raise ValidationError(
            {"file": _("The virus scanner refused the file: %(report)s") % {"report": report or completed.returncode}}
        )
    return ScanStatus.CLEAN, report


def check_upload(upload: Any) -> CheckedUpload:
    """Check an uploaded file (Django UploadedFile or any file object with `name`); ValidationError on "file".

    Order: size (before reading more than the limit), executable, accepted
    extension, content against extension, then the virus scan of a temporary copy.
    """
    name = PurePath(getattr(upload, "name", "") or "").name
    limit = max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {
                "file": _("%(name)s is larger than %(limit)d MB; send a smaller file.")
                % {"name": name, "limit": limit // (1024 * 1024)}
            }
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            {
                "file": _("%(name)s is larger than %(limit)d MB; send a smaller file.")
                % {"name": name, "limit": limit // (1024 * 1024)}
            }
        )
    if not content:
        raise ValidationError({"file": _("%(name)s is empty; choose the file again.") % {"name": name}})
    if executable := executable_kind(content):
        raise ValidationError(
            {
                "file": _("%(name)s is a program (%(type)s); programs cannot be uploaded.")
                % {"name": name, "type": executable}
            }
        )
    extension = PurePath(name).suffix.lower()
    declared = KIND_BY_EXTENSION.get(extension)
    if declared is None:
        raise ValidationError(
            {
                "file": _("%(name)s: files of this type cannot be uploaded; use one of %(extensions)s.")
                % {"name": name, "extensions": ACCEPTED_EXTENSIONS}
            }
        )
    found, found_label = sniff(content)
    if found != declared.code:
        raise ValidationError(
            {
                "file": _(
                    "%(name)s is named as %(declared)s but its content is %(found)s; "
                    "upload the right file or correct its extension."
                )
                % {"name": name, "declared": declared.label, "found": found_label}
            }
        )
    with tempfile.NamedTemporaryFile(prefix="cleanasia-upload-", suffix=extension) as temporary:
        temporary.write(content)
        temporary.flush()
        scan_status, scan_report = scan_for_viruses(temporary.name)
    return CheckedUpload(
        name=name,
        content=content,
        kind=declared,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        scan_status=scan_status,
        scan_report=scan_report,
    )
