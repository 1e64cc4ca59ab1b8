"""Meeting documents with UN-style symbols, language versions, distribution, embargo and a download log.

One symbol (EAS-EMM/3/INF.2) names a document in every language; suffixes
follow UN practice: /Add.1 an addendum, /Corr.1 a corrigendum (possibly for
some language versions only), /Rev.1 a revision that replaces the original.
Minutes are documents of type MINUTES with a state (draft → circulated for
comments → adopted); their revisions are /Rev.n documents.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel


class DocumentType(models.TextChoices):
    PROVISIONAL_AGENDA = "provisional_agenda", _("Provisional agenda")
    ANNOTATED_AGENDA = "annotated_agenda", _("Annotated agenda")
    WORKING_PAPER = "working_paper", _("Working paper")
    INFORMATION_PAPER = "information_paper", _("Information paper")
    DRAFT_OUTCOME = "draft_outcome", _("Draft outcome")
    CHAIRS_SUMMARY = "chairs_summary", _("Chair's summary")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    PARTICIPANTS_LIST = "participants_list", _("List of participants")
    MINUTES = "minutes", _("Minutes")
    ACTION_STATUS = "action_status", _("Status of action items")
    OTHER = "other", _("Other")


# The prefix each type takes in a symbol (EAS-EMM/3/INF.2); configurable per series through its scheme.
SYMBOL_PREFIX = {
    DocumentType.PROVISIONAL_AGENDA: "AGENDA",
    DocumentType.ANNOTATED_AGENDA: "AGENDA",
    DocumentType.WORKING_PAPER: "WP",
    DocumentType.INFORMATION_PAPER: "INF",
    DocumentType.DRAFT_OUTCOME: "DRAFT",
    DocumentType.CHAIRS_SUMMARY: "CS",
    DocumentType.JOINT_STATEMENT: "JS",
    DocumentType.PARTICIPANTS_LIST: "LOP",
    DocumentType.MINUTES: "MIN",
    DocumentType.ACTION_STATUS: "AIS",
    DocumentType.OTHER: "DOC",
}


class Distribution(models.TextChoices):
    GENERAL = "general", _("General (public)")
    LIMITED = "limited", _("Limited (participants)")
    RESTRICTED = "restricted", _("Restricted (secretariat)")


class SuffixKind(models.TextChoices):
    NONE = "", _("Original")
    ADDENDUM = "add", _("Addendum")
    CORRIGENDUM = "corr", _("Corrigendum")
    REVISION = "rev", _("Revision")


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comments")
    ADOPTED = "adopted", _("Adopted")


class Document(DomainModel):
    """A document of a meeting, the same symbol for all its language versions (DocumentFile)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="documents", verbose_name=_("meeting")
    )
    symbol = models.CharField(_("symbol"), max_length=80, unique=True)
    base_symbol = models.CharField(_("symbol of the original"), max_length=80, db_index=True)
    suffix_kind = models.CharField(
        _("kind"), max_length=4, choices=SuffixKind.choices, default=SuffixKind.NONE, blank=True
    )
    suffix_number = models.PositiveSmallIntegerField(_("suffix number"), null=True, blank=True)
    concerns = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplements",
        verbose_name=_("document it adds to, corrects or revises"),
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by (revision)"),
    )
    corrected_languages = models.JSONField(
        _("languages the corrigendum concerns"), default=list, blank=True, help_text=_("Empty: all languages")
    )
    doc_type = models.CharField(_("type"), max_length=24, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=500)  # translated
    original_language = models.CharField(_("original language"), max_length=8, default="en")
    distribution = models.CharField(
        _("distribution"), max_length=12, choices=Distribution.choices, default=Distribution.LIMITED
    )
    embargo_until = models.DateTimeField(_("embargoed until"), null=True, blank=True)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    minutes_state = models.CharField(
        _("state of the minutes"), max_length=12, choices=MinutesState.choices, blank=True, default=""
    )
    adopted_on = models.DateField(_("minutes adopted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "symbol"]
        indexes = [models.Index(fields=["meeting", "doc_type"], name="meetings_doc_meeting_type")]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}"


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", _("Not scanned (no virus scanner configured)")
    CLEAN = "clean", _("Scanned, no virus found")


def document_upload_to(instance: "DocumentFile", filename: str) -> str:
    safe_symbol = instance.document.symbol.replace("/", "_")
    return f"meetings/{instance.document.meeting_id}/{safe_symbol}-{instance.language}-{filename}"


class DocumentFile(models.Model):
    """One language version of a document (checked on upload: type by content, size, no executable, virus scan)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files", verbose_name=_("document"))
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("file"), upload_to=document_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scan_status = models.CharField(
        _("virus scan"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    scan_report = models.CharField(_("virus scanner's report"), max_length=500, blank=True)

    # A replaced language version keeps its trace: who uploaded which file (name, size, SHA-256) when.
    history = historied(excluded_fields=[])

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["document", "language"]
        constraints = [models.UniqueConstraint(fields=["document", "language"], name="meetings_one_file_per_language")]

    def __str__(self) -> str:
        return f"{self.document.symbol} [{self.language}]"


class DownloadLog(models.Model):
    """Who downloaded which language version when (anonymous downloads keep no user)."""

    document_file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_language = models.CharField(_("requested language"), max_length=8, blank=True)
    at = models.DateTimeField(_("downloaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.document_file_id} {self.at:%Y-%m-%d %H:%M}"
