"""Every write of meeting documents: issuing with UN-style symbols, language versions, minutes, the download log.

Symbols follow the series' `symbol_scheme` (EAS-EMM/3/INF.2) or are given by
the secretariat; they are unique. Suffixes follow UN practice:
- `/Add.n`  an addendum: supplements the document, which stays valid;
- `/Corr.n` a corrigendum: corrects it, possibly in some language versions only;
- `/Rev.n`  a revision: replaces it (the replaced one keeps its record and
  points to the revision). Revisions number on the original: X/Rev.1, X/Rev.2.
`base_symbol` is always the original's symbol.

Minutes (type MINUTES) go draft → circulated for comments → adopted, by the
secretariat; adopted minutes never change again: a /Rev. document does.
Each function takes the acting user (None: the system), checks the policy,
refuses bad input with a ValidationError naming the field, and writes in one
transaction with the action code of policies.documents.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.permissions import ADD, CHANGE, VIEW, can

from ..models import (
    SYMBOL_PREFIX,
    Distribution,
    Document,
    DocumentFile,
    DocumentType,
    DownloadLog,
    Meeting,
    MinutesState,
    SuffixKind,
)
from ..policies.documents import (
    DOCUMENT_CREATED,
    DOCUMENT_FILE_REPLACED,
    DOCUMENT_FILE_UPLOADED,
    DOCUMENT_REPLACED,
    DOCUMENT_UPDATED,
    MINUTES_ADOPTED,
    MINUTES_CIRCULATED,
)
from .meetings import local_date
from .uploads import CheckedUpload, check_upload

# Languages a version may be in: the platform's (Japanese and English).
DOCUMENT_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
FALLBACK_LANGUAGE = "en"

SUFFIX_WORD = {SuffixKind.ADDENDUM: "Add", SuffixKind.CORRIGENDUM: "Corr", SuffixKind.REVISION: "Rev"}
_KIND_BY_WORD = {word.lower(): kind for kind, word in SUFFIX_WORD.items()}
_SUFFIX = re.compile(r"^(?P<parent>.+)/(?P<word>Add|Corr|Rev)\.(?P<number>[1-9][0-9]*)$", re.IGNORECASE)
# Segments of letters, digits and . - _ ( ), separated by single slashes: EAS-EMM/3/INF.2/Rev.1
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.()_-]*(/[A-Za-z0-9][A-Za-z0-9.()_-]*)*$")
SYMBOL_MAX_LENGTH = Document._meta.get_field("symbol").max_length

# What each kind of supplement may concern.
MAY_CONCERN = {
    SuffixKind.ADDENDUM: {SuffixKind.NONE, SuffixKind.REVISION},
    SuffixKind.CORRIGENDUM: {SuffixKind.NONE, SuffixKind.REVISION, SuffixKind.ADDENDUM},
    SuffixKind.REVISION: {SuffixKind.NONE, SuffixKind.REVISION},
}
EDITABLE_FIELDS = frozenset(
    {
        "title_ja",
        "title_en",
        "doc_type",
        "original_language",
        "distribution",
        "embargo_until",
        "issued_on",
        "corrected_languages",
    }
)
MINUTES_NEXT_STATE = {MinutesState.DRAFT: MinutesState.CIRCULATED, MinutesState.CIRCULATED: MinutesState.ADOPTED}


# --- symbols (pure) --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedSymbol:
    """A full symbol split in two: `parent` (what the last suffix attaches to) and the suffix.

    `base` is the original's symbol (every suffix removed): for
    EAS-EMM/3/INF.2/Rev.1/Corr.1, parent EAS-EMM/3/INF.2/Rev.1, kind corr,
    number 1, base EAS-EMM/3/INF.2. Without a suffix, parent = base = symbol.
    """

    symbol: str
    parent: str
    base: str
    kind: str
    number: int | None


def is_valid_symbol(symbol: str) -> bool:
    return bool(_SYMBOL.match(symbol or ""))


def parse_symbol(symbol: str) -> ParsedSymbol:
    """Split a symbol into what it attaches to and its last suffix (/Add.n, /Corr.n, /Rev.n), canonically spelt.

    Raises ValueError for a string that is not a symbol (spaces, empty segments).
    """
    symbol = (symbol or "").strip()
    if not is_valid_symbol(symbol):
        raise ValueError(f"not a document symbol: {symbol!r}")
    match = _SUFFIX.match(symbol)
    if match is None:
        return ParsedSymbol(symbol=symbol, parent=symbol, base=symbol, kind=SuffixKind.NONE, number=None)
    kind = _KIND_BY_WORD[match["word"].lower()]
    number = int(match["number"])
    parent = match["parent"]
    base = parent
    while (inner := _SUFFIX.match(base)) is not None:
        base = inner["parent"]
    return ParsedSymbol(
        symbol=f"{parent}/{SUFFIX_WORD[kind]}.{number}", parent=parent, base=base, kind=kind, number=number
    )


def supplement_symbol(parent: str, kind: str, number: int) -> str:
    return f"{parent}/{SUFFIX_WORD[SuffixKind(kind)]}.{number}"


def _scheme_pattern(scheme: str, values: dict[str, Any]) -> re.Pattern[str]:
    """A regex matching the scheme's symbols for `values`, with the number captured."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(scheme):
        parts.append(re.escape(literal))
        if field is None:
            continue
        parts.append(r"(?P<number>[0-9]+)" if field == "number" else re.escape(str(values[field])))
    return re.compile("".join(parts))


def document_symbol_generate(*, meeting: Meeting, doc_type: str) -> str:
    """The next free symbol of the series' scheme for the type's prefix at this meeting (EAS-EMM/3/INF.3).

    Next: one more than the highest number the meeting's symbols of this
    prefix carry; free: skipping any symbol already used anywhere.
    """
    scheme = meeting.series.symbol_scheme
    values = {
        "series": meeting.series.code,
        "ordinal": meeting.ordinal,
        "prefix": SYMBOL_PREFIX[DocumentType(doc_type)],
    }
    fields = {field for _literal, field, _spec, _conv in string.Formatter().parse(scheme) if field is not None}
    if "number" not in fields or not fields <= {*values, "number"}:
        raise ValidationError(
            {
                "symbol": _(
                    "The series' symbol scheme (%(scheme)s) cannot number documents; give the symbol yourself "
                    "or correct the scheme (placeholders {series}, {ordinal}, {prefix}, {number})."
                )
                % {"scheme": scheme}
            }
        )
    pattern = _scheme_pattern(scheme, values)
    used = [
        int(found["number"])
        for symbol in Document.objects.filter(meeting=meeting).values_list("symbol", flat=True)
        if (found := pattern.fullmatch(symbol))
    ]
    number = max(used, default=0) + 1
    while Document.objects.filter(symbol=(candidate := scheme.format(**values, number=number))).exists():
        number += 1
    return candidate


def _next_suffix_number(parent: str, kind: str) -> int:
    prefix = f"{parent}/{SUFFIX_WORD[SuffixKind(kind)]}."
    numbers = [
        parsed.number
        for symbol in Document.objects.filter(symbol__startswith=prefix).values_list("symbol", flat=True)
        if (parsed := parse_symbol(symbol)).parent == parent and parsed.kind == kind and parsed.number
    ]
    return max(numbers, default=0) + 1


# --- checks -----------------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: str) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _check_common(values: dict[str, Any]) -> None:
    if not (values.get("title_ja") or "").strip() and not (values.get("title_en") or "").strip():
        raise ValidationError({"title_en": _("Give the title in English or in Japanese.")})
    if values.get("original_language") not in DOCUMENT_LANGUAGES:
        raise ValidationError(
            {"original_language": _("Choose the language the document was written in (Japanese or English).")}
        )
    if values.get("distribution") not in Distribution.values:
        raise ValidationError({"distribution": _("Choose general, limited or restricted distribution.")})
    embargo = values.get("embargo_until")
    if embargo is not None and timezone.is_naive(embargo):
        raise ValidationError({"embargo_until": _("Give the end of the embargo with its time zone.")})
    languages = list(values.get("corrected_languages") or [])
    if languages and values.get("suffix_kind") != SuffixKind.CORRIGENDUM:
        raise ValidationError(
            {"corrected_languages": _("Only a corrigendum names the language versions it corrects; leave this empty.")}
        )
    if any(language not in DOCUMENT_LANGUAGES for language in languages):
        raise ValidationError({"corrected_languages": _("Choose among Japanese and English.")})


def _is_adopted_minutes(document: Document) -> bool:
    return document.doc_type == DocumentType.MINUTES and document.minutes_state == MinutesState.ADOPTED


def _check_symbol_syntax(symbol: str) -> None:
    if not is_valid_symbol(symbol):
        raise ValidationError(
            {
                "symbol": _(
                    "A symbol is made of letters, digits and . - _ ( ) in parts separated by single slashes, "
                    "without spaces, e.g. EAS-EMM/3/INF.2."
                )
            }
        )
    if len(symbol) > SYMBOL_MAX_LENGTH:
        raise ValidationError(
            {"symbol": _("The symbol is too long; shorten it to %(n)d characters.") % {"n": SYMBOL_MAX_LENGTH}}
        )


def _original_symbol(meeting: Meeting, doc_type: str, symbol: str) -> str:
    if not symbol:
        return document_symbol_generate(meeting=meeting, doc_type=doc_type)
    _check_symbol_syntax(symbol)
    parsed = parse_symbol(symbol)
    if parsed.kind != SuffixKind.NONE:
        raise ValidationError(
            {
                "symbol": _(
                    "%(symbol)s is the symbol of a supplement (%(kind)s); "
                    "choose that kind and the document it concerns."
                )
                % {"symbol": symbol, "kind": SuffixKind(parsed.kind).label}
            }
        )
    return symbol


def _check_concerns(meeting: Meeting, kind: str, concerns: Document | None) -> None:
    if concerns is None:
        raise ValidationError({"concerns": _("Choose the document this addendum, corrigendum or revision concerns.")})
    if concerns.meeting_id != meeting.pk:
        raise ValidationError({"concerns": _("Choose a document of the same meeting.")})
    if concerns.suffix_kind not in MAY_CONCERN[kind]:
        raise ValidationError(
            {
                "concerns": _("A %(kind)s cannot concern %(symbol)s, which is itself a %(other)s.")
                % {
                    "kind": SuffixKind(kind).label.lower(),
                    "symbol": concerns.symbol,
                    "other": SuffixKind(concerns.suffix_kind).label.lower(),
                }
            }
        )
    if concerns.replaced_by_id is not None:
        replacement = concerns.replaced_by.symbol if concerns.replaced_by else ""
        raise ValidationError(
            {
                "concerns": _("%(symbol)s has been replaced by %(replacement)s; choose the current version.")
                % {"symbol": concerns.symbol, "replacement": replacement}
            }
        )
    if kind != SuffixKind.REVISION and _is_adopted_minutes(concerns):
        raise ValidationError(
            {"concerns": _("Adopted minutes change only by a revision (/Rev.); choose the kind revision.")}
        )


def _supplement_symbol(kind: str, concerns: Document, symbol: str) -> str:
    # Revisions number on the original (X/Rev.2 replaces X/Rev.1); the others attach to what they concern.
    parent = concerns.base_symbol if kind == SuffixKind.REVISION else concerns.symbol
    if not symbol:
        return supplement_symbol(parent, kind, _next_suffix_number(parent, kind))
    _check_symbol_syntax(symbol)
    parsed = parse_symbol(symbol)
    if parsed.kind != kind or parsed.parent != parent:
        raise ValidationError(
            {
                "symbol": _("The symbol of this %(kind)s must be %(pattern)s with its number, e.g. %(example)s.")
                % {
                    "kind": SuffixKind(kind).label.lower(),
                    "pattern": f"{parent}/{SUFFIX_WORD[SuffixKind(kind)]}.n",
                    "example": supplement_symbol(parent, kind, _next_suffix_number(parent, kind)),
                }
            }
        )
    return parsed.symbol


def _symbol_taken(symbol: str) -> ValidationError:
    return ValidationError(
        {"symbol": _("The symbol %(symbol)s is already used by another document; give another.") % {"symbol": symbol}}
    )


# --- documents --------------------------------------------------------------------------------------------


def document_create(
    *,
    actor: Any,
    meeting: Meeting,
    doc_type: str = "",
    title_ja: str = "",
    title_en: str = "",
    symbol: str = "",
    suffix_kind: str = SuffixKind.NONE,
    concerns: Document | None = None,
    corrected_languages: Iterable[str] = (),
    original_language: str = "en",
    distribution: str | None = None,
    embargo_until: dt.datetime | None = None,
    issued_on: dt.date | None = None,
    files: Mapping[str, Any] | None = None,
    is_demo: bool = False,
) -> Document:
    """Issue a document of `meeting`: an original (symbol from the scheme unless given) or a supplement.

    A supplement (`suffix_kind` add/corr/rev) concerns a document of the same
    meeting and takes its type; a revision marks the document it revises as
    replaced. Minutes start as drafts. `files` ({language: upload}) are the
    first language versions, checked before anything is written. Without a
    `distribution`, a supplement is distributed like what it concerns and an
    original is limited.
    """
    _require(actor, ADD, Document, _("Only the secretariat issues meeting documents."))
    symbol = (symbol or "").strip()
    suffix_kind = suffix_kind or SuffixKind.NONE
    if suffix_kind not in SuffixKind.values:
        raise ValidationError({"suffix_kind": _("Choose original, addendum, corrigendum or revision.")})
    corrected = sorted(set(corrected_languages or ()))
    if distribution is None:
        distribution = concerns.distribution if concerns is not None else Distribution.LIMITED
    _check_common(
        {
            "title_ja": title_ja,
            "title_en": title_en,
            "original_language": original_language,
            "distribution": distribution,
            "embargo_until": embargo_until,
            "corrected_languages": corrected,
            "suffix_kind": suffix_kind,
        }
    )
    if suffix_kind == SuffixKind.NONE:
        if concerns is not None:
            raise ValidationError(
                {"concerns": _("An original concerns no other document; choose addendum, corrigendum or revision.")}
            )
        if doc_type not in DocumentType.values:
            raise ValidationError({"doc_type": _("Choose the type of the document.")})
    else:
        _check_concerns(meeting, suffix_kind, concerns)
        assert concerns is not None
        if doc_type and doc_type != concerns.doc_type:
            raise ValidationError(
                {"doc_type": _("A supplement has the type of the document it concerns; leave the type as it is.")}
            )
        doc_type = concerns.doc_type
    checked: dict[str, CheckedUpload] = {}
    for language, upload in (files or {}).items():
        _check_language(language, corrected)
        checked[language] = check_upload(upload)

    with transaction.atomic():
        if suffix_kind == SuffixKind.NONE:
            symbol = _original_symbol(meeting, doc_type, symbol)
            base_symbol = symbol
        else:
            # Locked so that two revisions of one document cannot both replace it (its row only: PostgreSQL
            # refuses FOR UPDATE on the nullable side of the join to replaced_by).
            locked = Document.objects.select_for_update(of=("self",)).select_related("replaced_by")
            concerns = locked.get(pk=concerns.pk)
            _check_concerns(meeting, suffix_kind, concerns)
            symbol = _supplement_symbol(suffix_kind, concerns, symbol)
            base_symbol = concerns.base_symbol
        if Document.objects.filter(symbol=symbol).exists():
            raise _symbol_taken(symbol)
        document = Document(
            meeting=meeting,
            symbol=symbol,
            base_symbol=base_symbol,
            suffix_kind=suffix_kind,
            suffix_number=parse_symbol(symbol).number if suffix_kind != SuffixKind.NONE else None,
            concerns=concerns,
            corrected_languages=corrected,
            doc_type=doc_type,
            title_ja=title_ja,
            title_en=title_en,
            original_language=original_language,
            distribution=distribution,
            embargo_until=embargo_until,
            issued_on=issued_on,
            minutes_state=MinutesState.DRAFT if doc_type == DocumentType.MINUTES else "",
            is_demo=is_demo,
        )
        document.full_clean(validate_unique=False)
        mark_action(document, DOCUMENT_CREATED, actor=actor)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError as exc:  # another request took the symbol meanwhile
            raise _symbol_taken(symbol) from exc
        if suffix_kind == SuffixKind.REVISION:
            assert concerns is not None
            concerns.replaced_by = document
            concerns.version += 1
            mark_action(concerns, DOCUMENT_REPLACED, actor=actor)
            concerns.save()
        for language, upload in checked.items():
            _store_version(actor=actor, document=document, language=language, checked=upload)
    return document


def document_update(*, actor: Any, document: Document, expected_version: int, changes: dict[str, Any]) -> Document:
    """Change a document's details (title, type of an original, languages, distribution, embargo, issue date).

    The symbol and what it concerns never change. Adopted minutes do not
    change at all: a revision (/Rev.) does.
    """
    _require(actor, CHANGE, document, _("Only the secretariat changes meeting documents."))
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({unknown[0]: _("This cannot be changed once the document is issued.")})
    if _is_adopted_minutes(document):
        raise ValidationError(
            {"minutes_state": _("Adopted minutes cannot be changed; issue a revision (/Rev.) instead.")}
        )
    changes = dict(changes)
    if "corrected_languages" in changes:
        changes["corrected_languages"] = sorted(set(changes["corrected_languages"] or ()))
    merged = {name: changes.get(name, getattr(document, name)) for name in EDITABLE_FIELDS}
    _check_common({**merged, "suffix_kind": document.suffix_kind})
    new_type = changes.get("doc_type", document.doc_type)
    if new_type != document.doc_type:
        if new_type not in DocumentType.values:
            raise ValidationError({"doc_type": _("Choose the type of the document.")})
        if document.suffix_kind != SuffixKind.NONE or document.supplements.exists():
            raise ValidationError(
                {"doc_type": _("The type of a document with supplements, or of a supplement, cannot change.")}
            )
        changes["minutes_state"] = MinutesState.DRAFT if new_type == DocumentType.MINUTES else ""
    return versioned_update(
        actor=actor, instance=document, expected_version=expected_version, changes=changes, action_code=DOCUMENT_UPDATED
    )


# --- language versions ------------------------------------------------------------------------------------


def _check_language(language: str, corrected_languages: list[str]) -> None:
    if language not in DOCUMENT_LANGUAGES:
        raise ValidationError({"language": _("Choose the language of this version (Japanese or English).")})
    if corrected_languages and language not in corrected_languages:
        raise ValidationError(
            {
                "language": _("This corrigendum concerns only the %(languages)s version(s); choose one of them.")
                % {"languages": ", ".join(corrected_languages)}
            }
        )


def _store_version(*, actor: Any, document: Document, language: str, checked: CheckedUpload) -> DocumentFile:
    """Write a checked file as the `language` version (inside the caller's transaction); the old file goes on commit."""
    version = DocumentFile.objects.select_for_update().filter(document=document, language=language).first()
    old_name = version.file.name if version is not None else ""
    if version is None:
        version = DocumentFile(document=document, language=language)
        action = DOCUMENT_FILE_UPLOADED
    else:
        action = DOCUMENT_FILE_REPLACED
    version.original_name = checked.name[: DocumentFile._meta.get_field("original_name").max_length]
    version.content_type = checked.kind.content_type
    version.size = checked.size
    version.sha256 = checked.sha256
    version.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    version.uploaded_at = timezone.now()
    version.scan_status = checked.scan_status
    version.scan_report = checked.scan_report
    version.file.save(checked.name, ContentFile(checked.content), save=False)
    mark_action(version, action, actor=actor)
    version.save()
    if old_name and old_name != version.file.name:
        storage = version.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return version


def document_file_upload(*, actor: Any, document: Document, language: str, upload: Any) -> DocumentFile:
    """Store `upload` as the `language` version of `document` (replacing the earlier file of that language).

    The file passes services.uploads.check_upload first (size, type by content,
    no executable, virus scan), outside the transaction. A corrigendum for some
    languages takes only those; adopted minutes take no new file.
    """
    _require(actor, CHANGE, document, _("Only the secretariat uploads meeting documents."))
    _check_language(language, document.corrected_languages)
    if _is_adopted_minutes(document):
        raise ValidationError(
            {"file": _("Adopted minutes cannot be changed; issue a revision (/Rev.) with the new file.")}
        )
    checked = check_upload(upload)
    with transaction.atomic():
        return _store_version(actor=actor, document=document, language=language, checked=checked)


def choose_language_version(
    files: Iterable[DocumentFile], requested: str, original_language: str
) -> tuple[DocumentFile | None, bool]:
    """The version to serve for `requested`, and whether it is a fallback.

    The requested language; else English; else the original language; else
    any version there is (in language order), so that a reader never gets
    nothing while a version exists.
    """
    by_language = {f.language: f for f in files}
    if requested in by_language:
        return by_language[requested], False
    for language in (FALLBACK_LANGUAGE, original_language, *sorted(by_language)):
        if language in by_language:
            return by_language[language], True
    return None, False


def download_record(*, user: Any, document_file: DocumentFile, requested_language: str) -> DownloadLog:
    """Log one download (with the user when signed in; anonymous downloads keep none)."""
    if not can(user, VIEW, document_file.document):
        raise PermissionDenied(_("You may not download this document."))
    return DownloadLog.objects.create(
        document_file=document_file,
        user=user if getattr(user, "is_authenticated", False) else None,
        requested_language=(requested_language or "")[:8],
    )


# --- minutes ----------------------------------------------------------------------------------------------


def _minutes_transition(
    *, actor: Any, document: Document, expected_version: int, to: str, check: Any = None, **extra: Any
) -> Document:
    """Move minutes one step (draft → circulated → adopted); `check` runs once the step itself is allowed."""
    _require(actor, CHANGE, document, _("Only the secretariat circulates and adopts minutes."))
    if document.doc_type != DocumentType.MINUTES:
        raise ValidationError({"minutes_state": _("Only minutes are circulated and adopted.")})
    if MINUTES_NEXT_STATE.get(document.minutes_state) != to:
        raise ValidationError(
            {
                "minutes_state": _("Minutes in the state “%(state)s” cannot become “%(to)s”.")
                % {
                    "state": MinutesState(document.minutes_state).label if document.minutes_state else "—",
                    "to": MinutesState(to).label,
                }
            }
        )
    if check is not None:
        check()
    action = MINUTES_ADOPTED if to == MinutesState.ADOPTED else MINUTES_CIRCULATED
    return versioned_update(
        actor=actor,
        instance=document,
        expected_version=expected_version,
        changes={"minutes_state": to, **extra},
        action_code=action,
    )


def minutes_circulate(*, actor: Any, document: Document, expected_version: int) -> Document:
    """Circulate draft minutes for comments (they need at least one language version)."""

    def has_a_file() -> None:
        if not document.files.exists():
            raise ValidationError({"file": _("Upload at least one language version before circulating the minutes.")})

    return _minutes_transition(
        actor=actor, document=document, expected_version=expected_version, to=MinutesState.CIRCULATED, check=has_a_file
    )


def minutes_adopt(
    *, actor: Any, document: Document, expected_version: int, adopted_on: dt.date | None = None
) -> Document:
    """Adopt circulated minutes (on `adopted_on`, today by default); from then on they never change."""
    today = timezone.localdate()
    adopted_on = adopted_on or today

    def plausible_date() -> None:
        if adopted_on > today:
            raise ValidationError({"adopted_on": _("The adoption date cannot be in the future.")})
        if adopted_on < local_date(document.meeting.starts_at, document.meeting.time_zone):
            raise ValidationError({"adopted_on": _("Minutes cannot be adopted before their meeting took place.")})

    return _minutes_transition(
        actor=actor,
        document=document,
        expected_version=expected_version,
        to=MinutesState.ADOPTED,
        check=plausible_date,
        adopted_on=adopted_on,
    )
