"""Every write of outcomes and their elements: create, edit while draft, split into elements, adopt, classify.

An outcome's code is `<series>/<ordinal>/<PREFIX>[.<number>]` (EAS-EMM/2/JS,
EAS-EMM/2/DEC.1); its elements' codes add the zero-padded paragraph, the item
letter and the sub-item numeral (EAS-EMM/2/JS.05.b.ii). Codes are fixed when
the elements are made and never change once the outcome is adopted; so is the
adopted text: a change is a new outcome that `amends` it.

The text is split by a pure parser (`parse_outcome_text`): numbered paragraphs
"1." / "5.", items "(a)", sub-items "(i)", each at the start of a line (full-width
forms in Japanese texts count). The Japanese and English versions are aligned
by these numbers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, VIEW, can
from cleanasia.measures.models import Measure, MeasureLink, MeasureLinkRelation

from ..models import (
    OUTCOME_PREFIX,
    ActionStatus,
    Addressee,
    Element,
    ElementKind,
    Meeting,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
)
from ..policies import outcomes as policy

# --- the parser (pure: no database) ------------------------------------------------------------

# Sub-items run (i) to (xxx): more would be a list to number differently.
ROMAN_NUMERALS = tuple(
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx "  # noqa: SIM905 (readable)
    "xxi xxii xxiii xxiv xxv xxvi xxvii xxviii xxix xxx".split()
)
# A marker is followed by a space, the end of the line or (in Japanese, written without spaces) a non-ASCII letter.
_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.(?:\s+|$|(?=[^\x00-\x7f]))")
_MARKER = re.compile(r"^\s*\(([a-z]{1,6})\)(?:\s+|$|(?=[^\x00-\x7f]))")


class OutcomeTextError(ValueError):
    """The text cannot be split: names the line and says what to fix."""

    def __init__(self, message: str, line: int):
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class ParsedElement:
    """A paragraph, item or sub-item found in the text. `path` gives its code: ("05", "b", "ii")."""

    kind: str
    path: tuple[str, ...]
    text: str
    line: int

    @property
    def number(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class ParsedText:
    preamble: str
    elements: tuple[ParsedElement, ...]


def _ascii_forms(line: str) -> str:
    """Full-width digits, letters, brackets and spaces as ASCII, one character for one (offsets stay valid)."""
    out = []
    for char in line:
        normal = unicodedata.normalize("NFKC", char)
        out.append(normal if len(normal) == 1 else char)
    return "".join(out)


def _next_letter(letter: str | None) -> str:
    """a → b … z → aa → bb (the numbering of long lists in UN-style texts)."""
    if letter is None:
        return "a"
    if letter[-1] == "z":
        return "a" * (len(letter) + 1)
    return chr(ord(letter[0]) + 1) * len(letter)


def _is_letter_token(token: str) -> bool:
    return len(set(token)) == 1 and token.isalpha()


def parse_outcome_text(text: str) -> ParsedText:
    """Split an outcome's text into numbered paragraphs, lettered items and sub-items (roman numerals).

    A marker counts only at the start of a line; other lines continue the
    element above them (text before the first paragraph is the preamble, which
    has no code). "(i)" after "(h)" is read as the item i unless "(ii)" follows
    in the same paragraph, in which case it opens sub-items. Raises
    OutcomeTextError for a repeated number or an item outside a paragraph.
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markers: list[tuple[int, str, str, int]] = []  # (line index, "p"/"m", token, offset of the text)
    for index, raw in enumerate(lines):
        line = _ascii_forms(raw)
        if match := _PARAGRAPH.match(line):
            markers.append((index, "p", match.group(1), match.end()))
        elif match := _MARKER.match(line):
            markers.append((index, "m", match.group(1), match.end()))
    by_line = {m[0]: m for m in markers}

    preamble: list[str] = []
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    paragraph: tuple[str, ...] | None = None
    item: tuple[str, ...] | None = None
    sub_count = 0
    current: dict[str, Any] | None = None

    def next_marker_token(after_line: int) -> str | None:
        for line_index, kind, token, _offset in markers:
            if line_index > after_line:
                return None if kind == "p" else token
        return None

    for index, raw in enumerate(lines):
        marker = by_line.get(index)
        if marker is None:
            target = current["lines"] if current else preamble
            target.append(raw.strip())
            continue
        _line, kind, token, offset = marker
        rest = raw[offset:].strip()
        if kind == "p":
            path: tuple[str, ...] = (token.zfill(2),)
            element_kind = ElementKind.PARAGRAPH
            paragraph, item, sub_count = path, None, 0
        else:
            if paragraph is None:
                raise OutcomeTextError(
                    _("Line %(line)d: item (%(token)s) comes before any numbered paragraph; number the paragraph.")
                    % {"line": index + 1, "token": token},
                    index + 1,
                )
            letter = _next_letter(item[-1] if item else None)
            roman = ROMAN_NUMERALS[sub_count] if sub_count < len(ROMAN_NUMERALS) else None
            is_sub = item is not None and token == roman
            if is_sub and token == letter:
                # "(i)" after "(h)": sub-items only when "(ii)" follows.
                following = ROMAN_NUMERALS[sub_count + 1] if sub_count + 1 < len(ROMAN_NUMERALS) else None
                is_sub = next_marker_token(index) == following
            if not is_sub and not _is_letter_token(token) and item is not None and token in ROMAN_NUMERALS:
                is_sub = True
            if is_sub:
                assert item is not None
                path = (*item, token)
                element_kind = ElementKind.SUB_ITEM
                sub_count = ROMAN_NUMERALS.index(token) + 1
            elif _is_letter_token(token):
                path = (*paragraph, token)
                element_kind = ElementKind.ITEM
                item, sub_count = path, 0
            else:
                raise OutcomeTextError(
                    _("Line %(line)d: (%(token)s) is neither an item letter nor a sub-item numeral.")
                    % {"line": index + 1, "token": token},
                    index + 1,
                )
        if path in seen:
            raise OutcomeTextError(
                _("Line %(line)d: %(number)s appears twice; each paragraph, item and sub-item needs its own number.")
                % {"line": index + 1, "number": ".".join(path)},
                index + 1,
            )
        seen.add(path)
        current = {"kind": element_kind, "path": path, "lines": [rest], "line": index + 1}
        found.append(current)

    def joined(parts: list[str]) -> str:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).strip()

    return ParsedText(
        preamble=joined(preamble),
        elements=tuple(
            ParsedElement(kind=e["kind"], path=e["path"], text=joined(e["lines"]), line=e["line"]) for e in found
        ),
    )


# --- codes and dates -------------------------------------------------------------------------------

# Decisions are always numbered (DEC.1, DEC.2); other kinds only from the second one in a meeting.
ALWAYS_NUMBERED = (OutcomeKind.DECISION,)
ADOPTED_STATES = (
    OutcomeStatus.ADOPTED,
    OutcomeStatus.ACTIVE,
    OutcomeStatus.AMENDED,
    OutcomeStatus.SUPERSEDED,
    OutcomeStatus.IMPLEMENTED,
    OutcomeStatus.ELAPSED,
)
# Statuses an adopted outcome may be moved to by hand (AMENDED follows from adopting an amendment).
SETTABLE_STATUSES = (
    OutcomeStatus.ACTIVE,
    OutcomeStatus.SUPERSEDED,
    OutcomeStatus.IMPLEMENTED,
    OutcomeStatus.ELAPSED,
)
CLOSED_ACTION_STATUSES = (ActionStatus.COMPLETED, ActionStatus.DROPPED)


def outcome_code(meeting: Meeting, kind: str, number: int) -> str:
    """EAS-EMM/2/JS, EAS-EMM/2/JS.2, EAS-EMM/2/DEC.1."""
    base = f"{meeting.series.code}/{meeting.ordinal}/{OUTCOME_PREFIX[OutcomeKind(kind)]}"
    return f"{base}.{number}" if kind in ALWAYS_NUMBERED or number > 1 else base


def element_code(outcome: Outcome, path: Iterable[str]) -> str:
    return ".".join([outcome.code, *path])


def meeting_start_date(meeting: Meeting) -> dt.date:
    """The meeting's first day in its own time zone."""
    return timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo(meeting.time_zone)).date()


def decision_date(outcome: Outcome) -> dt.date:
    """When the outcome was decided: its adoption, or the meeting's first day while not yet adopted."""
    return outcome.adopted_on or meeting_start_date(outcome.meeting)


# --- helpers -----------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _require_some_text(ja: str, en: str, field: str, message: Any) -> None:
    if not (ja or "").strip() and not (en or "").strip():
        raise ValidationError({field: message})


def _save(instance: Any, *, actor: Any, action_code: str) -> Any:
    mark_action(instance, action_code, actor=actor)
    instance.save()
    return instance


def _adopted(outcome: Outcome) -> bool:
    return outcome.status != OutcomeStatus.DRAFT


# --- outcomes ------------------------------------------------------------------------------------------


def outcome_create(
    *,
    actor: Any,
    meeting: Meeting,
    kind: str,
    title_ja: str = "",
    title_en: str = "",
    text_ja: str = "",
    text_en: str = "",
    number: int | None = None,
    visibility: str = Visibility.SECRETARIAT,
    document: Any = None,
    amends: Outcome | None = None,
    is_demo: bool = False,
) -> Outcome:
    """A draft outcome of `meeting`; its number is the next of its kind in the meeting unless given.

    With `amends`, it is the amendment of an adopted outcome (of this or an
    earlier meeting); adopting it marks the amended outcome AMENDED.
    """
    _require(actor, CHANGE, Outcome, _("Only the secretariat records outcomes."))
    if kind not in OutcomeKind.values:
        raise ValidationError({"kind": _("Choose the kind of outcome.")})
    _require_some_text(title_ja, title_en, "title_ja", _("Give the title in Japanese or in English."))
    if amends is not None:
        if not _adopted(amends):
            raise ValidationError({"amends": _("Only an adopted outcome can be amended; edit the draft instead.")})
        if amends.meeting.starts_at > meeting.starts_at:
            raise ValidationError({"amends": _("An outcome can only amend an outcome of this or an earlier meeting.")})
    if document is not None and document.meeting_id != meeting.pk:
        raise ValidationError({"document": _("Choose a document of this meeting.")})
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        taken = Outcome.objects.filter(meeting=meeting, kind=kind)
        if number is None:
            number = (taken.aggregate(n=Max("number"))["n"] or 0) + 1
        elif number < 1:
            raise ValidationError({"number": _("The number starts at 1.")})
        elif taken.filter(number=number).exists():
            raise ValidationError({"number": _("This meeting already has an outcome of this kind with this number.")})
        outcome = Outcome(
            meeting=meeting,
            kind=kind,
            number=number,
            code=outcome_code(meeting, kind, number),
            title_ja=title_ja.strip(),
            title_en=title_en.strip(),
            text_ja=text_ja or "",
            text_en=text_en or "",
            visibility=visibility,
            document=document,
            amends=amends,
            is_demo=is_demo,
        )
        if Outcome.objects.filter(code=outcome.code).exists():
            raise ValidationError(
                {"number": _("Another outcome already has the code %(code)s.") % {"code": outcome.code}}
            )
        outcome.full_clean(exclude=["title", "text"])
        return _save(outcome, actor=actor, action_code=policy.OUTCOME_CREATED)


# Once adopted only these may change; the text, title, kind and number are the record of what was agreed.
EDITABLE_AFTER_ADOPTION = frozenset({"visibility", "document"})
OUTCOME_EDITABLE = frozenset({"title_ja", "title_en", "text_ja", "text_en", "visibility", "document"})


def outcome_update(*, actor: Any, outcome: Outcome, expected_version: int, changes: dict[str, Any]) -> Outcome:
    """Edit a draft outcome (title, text, visibility, document); an adopted one only its visibility and document."""
    _require(actor, CHANGE, outcome, _("Only the secretariat edits outcomes."))
    unknown = sorted(set(changes) - OUTCOME_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if _adopted(outcome):
        frozen = sorted(set(changes) - EDITABLE_AFTER_ADOPTION)
        if frozen:
            raise ValidationError(
                {
                    name: _("The adopted text cannot change; record an amendment (a new outcome that amends it).")
                    for name in frozen
                }
            )
    title_ja = changes.get("title_ja", outcome.title_ja)
    title_en = changes.get("title_en", outcome.title_en)
    _require_some_text(title_ja, title_en, "title_ja", _("Give the title in Japanese or in English."))
    document = changes.get("document", outcome.document)
    if document is not None and document.meeting_id != outcome.meeting_id:
        raise ValidationError({"document": _("Choose a document of this meeting.")})
    return versioned_update(
        actor=actor,
        instance=outcome,
        expected_version=expected_version,
        changes=changes,
        action_code=policy.OUTCOME_UPDATED,
    )


def _aligned(outcome: Outcome, *, required: bool = True) -> list[tuple[ParsedElement, str, str]]:
    """The elements of both language versions, aligned by number: (element, text_ja, text_en).

    `required`: a text without any numbered paragraph is refused (naming the
    field); otherwise it simply has no elements (an unnumbered chair's summary).
    """
    parsed: dict[str, ParsedText] = {}
    for language in ("ja", "en"):
        text = getattr(outcome, f"text_{language}") or ""
        if text.strip():
            try:
                parsed[language] = parse_outcome_text(text)
            except OutcomeTextError as exc:
                raise ValidationError({f"text_{language}": str(exc)}) from exc
    if not parsed:
        if required:
            raise ValidationError({"text_ja": _("Give the text of the outcome before splitting it into elements.")})
        return []
    if all(not p.elements for p in parsed.values()):
        if required:
            raise ValidationError(
                {
                    f"text_{next(iter(parsed))}": _(
                        'No numbered paragraph was found; start each paragraph on its own line with its number ("1.").'
                    )
                }
            )
        return []
    if len(parsed) == 2:
        ja_paths = [e.path for e in parsed["ja"].elements]
        en_paths = [e.path for e in parsed["en"].elements]
        if ja_paths != en_paths:
            only_ja = [".".join(p) for p in ja_paths if p not in set(en_paths)]
            only_en = [".".join(p) for p in en_paths if p not in set(ja_paths)]
            detail = []
            if only_ja:
                detail.append(str(_("only in Japanese: %(numbers)s") % {"numbers": ", ".join(only_ja)}))
            if only_en:
                detail.append(str(_("only in English: %(numbers)s") % {"numbers": ", ".join(only_en)}))
            if not detail:
                detail.append(str(_("the numbers come in another order")))
            raise ValidationError(
                {
                    "text_en": _(
                        "The Japanese and English versions must have the same paragraphs, items and sub-items "
                        "(%(detail)s)."
                    )
                    % {"detail": "; ".join(detail)}
                }
            )
    primary = parsed.get("ja") or parsed["en"]
    ja = {e.path: e.text for e in parsed["ja"].elements} if "ja" in parsed else {}
    en = {e.path: e.text for e in parsed["en"].elements} if "en" in parsed else {}
    return [(e, ja.get(e.path, ""), en.get(e.path, "")) for e in primary.elements]


def _apply_split(*, actor: Any, outcome: Outcome, aligned: list[tuple[ParsedElement, str, str]]) -> list[Element]:
    """Make the outcome's elements match `aligned` (inside the caller's transaction, outcome locked)."""
    existing = {e.code: e for e in Element.objects.filter(outcome=outcome)}
    by_path: dict[tuple[str, ...], Element] = {}
    kept: list[Element] = []
    for position, (parsed, text_ja, text_en) in enumerate(aligned):
        code = element_code(outcome, parsed.path)
        parent = by_path.get(parsed.path[:-1]) if len(parsed.path) > 1 else None
        element = existing.pop(code, None)
        if element is None:
            element = Element(outcome=outcome, code=code, is_demo=outcome.is_demo)
            action = policy.ELEMENT_CREATED
        else:
            unchanged = (
                (element.text_ja or "") == text_ja
                and (element.text_en or "") == text_en
                and element.position == position
                and element.parent_id == (parent.pk if parent else None)
                and element.kind == parsed.kind
            )
            if unchanged:
                by_path[parsed.path] = element
                kept.append(element)
                continue
            element.version += 1
            action = policy.ELEMENT_TEXT_CHANGED
        element.parent = parent
        element.kind = parsed.kind
        element.number = parsed.number
        element.position = position
        element.text_ja = text_ja
        element.text_en = text_en
        _save(element, actor=actor, action_code=action)
        by_path[parsed.path] = element
        kept.append(element)
    if existing:
        gone = list(existing.values())
        element_type = ContentType.objects.get_for_model(Element)
        MeasureLink.objects.filter(target_type=element_type, target_id__in=[e.pk for e in gone]).delete()
        # Deepest first: a parent is protected while its children exist.
        for element in sorted(gone, key=lambda e: -e.code.count(".")):
            element.delete()
    return kept


def outcome_split(*, actor: Any, outcome: Outcome) -> list[Element]:
    """Make (or remake) the elements of a draft outcome from its text, keeping what was classified.

    Elements whose code is still in the text keep their classification and
    history; those no longer in the text are removed (a draft has no updates).
    """
    _require(actor, CHANGE, outcome, _("Only the secretariat splits outcomes into elements."))
    if _adopted(outcome):
        raise ValidationError({"status": _("The elements of an adopted outcome are fixed; they cannot be remade.")})
    with transaction.atomic():
        current = Outcome.objects.select_for_update().get(pk=outcome.pk)
        return _apply_split(actor=actor, outcome=current, aligned=_aligned(current))


def outcome_adopt(*, actor: Any, outcome: Outcome, adopted_on: dt.date | None = None) -> Outcome:
    """Adopt a draft: its elements are made from the final text, and text and codes are fixed from now on.

    `adopted_on` defaults to the meeting's first day. Elements due before the
    adoption are refused (the adoption date or their due dates must change).
    Adopting an amendment marks the amended outcome AMENDED.
    """
    _require(actor, policy.ADOPT, outcome, _("Only the secretariat adopts outcomes."))
    with transaction.atomic():
        current = Outcome.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=outcome.pk)
        if _adopted(current):
            raise ValidationError({"status": _("This outcome is already adopted.")})
        adopted_on = adopted_on or meeting_start_date(current.meeting)
        if adopted_on < meeting_start_date(current.meeting):
            raise ValidationError({"adopted_on": _("An outcome cannot be adopted before its meeting starts.")})
        # The elements always match the adopted text, even if it was edited after the last split.
        _apply_split(actor=actor, outcome=current, aligned=_aligned(current, required=False))
        early = list(
            Element.objects.filter(outcome=current, due_on__lt=adopted_on)
            .order_by("position")
            .values_list("code", flat=True)
        )
        if early:
            raise ValidationError(
                {
                    "adopted_on": _(
                        "These elements are due before %(day)s, the adoption date: %(codes)s. "
                        "Change their due dates or the adoption date."
                    )
                    % {"day": adopted_on.isoformat(), "codes": ", ".join(early)}
                }
            )
        current.status = OutcomeStatus.ADOPTED
        current.adopted_on = adopted_on
        current.version += 1
        _save(current, actor=actor, action_code=policy.OUTCOME_ADOPTED)
        if current.amends_id is not None:
            amended = Outcome.objects.select_for_update().get(pk=current.amends_id)
            amended.status = OutcomeStatus.AMENDED
            amended.version += 1
            _save(amended, actor=actor, action_code=policy.OUTCOME_AMENDED)
    return current


def outcome_set_status(*, actor: Any, outcome: Outcome, status: str) -> Outcome:
    """Move an adopted outcome to active, superseded, implemented or elapsed (never back to draft)."""
    _require(actor, CHANGE, outcome, _("Only the secretariat changes the status of outcomes."))
    if status not in SETTABLE_STATUSES:
        raise ValidationError({"status": _("Choose active, superseded, implemented or elapsed.")})
    with transaction.atomic():
        current = Outcome.objects.select_for_update().get(pk=outcome.pk)
        if not _adopted(current):
            raise ValidationError({"status": _("Adopt the outcome before changing its status.")})
        if current.status == status:
            return current
        current.status = status
        current.version += 1
        return _save(current, actor=actor, action_code=policy.OUTCOME_STATUS_CHANGED)


# --- elements ---------------------------------------------------------------------------------------------

ELEMENT_M2M = ("addressed_countries", "addressed_organisations", "evidence_documents")
ELEMENT_CLASSIFICATION = frozenset(
    {
        "is_operational",
        "is_action_item",
        "addressee",
        "addressed_group",
        "lead_country",
        "lead_organisation",
        "due_on",
        "superseded_by",
        "implements",
        *ELEMENT_M2M,
    }
)


def _check_classification(element: Element, values: dict[str, Any], m2m: dict[str, list[Any]]) -> None:
    """The rules of an element's classification, each refusal naming its field."""
    errors: dict[str, Any] = {}
    if values["is_action_item"] and not values["is_operational"]:
        errors["is_action_item"] = _("An action item is an operational element; mark it operational first.")
    addressee = values["addressee"]
    if addressee and addressee not in Addressee.values:
        errors["addressee"] = _("Choose to whom the element is addressed.")
    if values["is_action_item"] and not addressee:
        errors["addressee"] = _("Say to whom the action item is addressed.")
    countries = m2m.get("addressed_countries", list(element.addressed_countries.all()) if element.pk else [])
    organisations = m2m.get(
        "addressed_organisations", list(element.addressed_organisations.all()) if element.pk else []
    )
    if addressee == Addressee.COUNTRIES and not countries:
        errors["addressed_countries"] = _("Name the countries the element is addressed to.")
    if addressee == Addressee.ORGANISATIONS and not organisations:
        errors["addressed_organisations"] = _("Name the partner organisations the element is addressed to.")
    if addressee == Addressee.WORKING_GROUP and not (values["addressed_group"] or "").strip():
        errors["addressed_group"] = _("Name the working group the element is addressed to.")
    if values["lead_country"] is not None and values["lead_organisation"] is not None:
        errors["lead_organisation"] = _("Name one lead: a country or an organisation, not both.")
    due_on = values["due_on"]
    if due_on is not None and due_on < decision_date(element.outcome):
        errors["due_on"] = _("The due date cannot be before the decision (%(day)s); give a later date.") % {
            "day": decision_date(element.outcome).isoformat()
        }
    for name in ("superseded_by", "implements"):
        other = values[name]
        if other is not None and other.pk == element.pk:
            errors[name] = _("An element cannot refer to itself.")
    superseded_by = values["superseded_by"]
    if superseded_by is not None and superseded_by.outcome.meeting.starts_at < element.outcome.meeting.starts_at:
        errors["superseded_by"] = _("An element is superseded by a later one; choose an element of a later outcome.")
    implements = values["implements"]
    if implements is not None and implements.outcome.meeting.starts_at > element.outcome.meeting.starts_at:
        errors["implements"] = _("An element implements an earlier one; choose an element of an earlier outcome.")
    if errors:
        raise ValidationError(errors)


def element_classify(*, actor: Any, element: Element, expected_version: int, changes: dict[str, Any]) -> Element:
    """Say what an element asks of whom: operational or not, action item, addressees, lead, due date, links.

    Allowed before and after adoption (the text and code never change here).
    Marking an action item sets its status to not started; unmarking clears it.
    """
    _require(actor, CHANGE, element, _("Only the secretariat classifies elements."))
    unknown = sorted(set(changes) - ELEMENT_CLASSIFICATION)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = dict(changes)
    m2m = {name: list(changes.pop(name)) for name in ELEMENT_M2M if name in changes}
    values = {name: changes.get(name, getattr(element, name)) for name in ELEMENT_CLASSIFICATION - set(ELEMENT_M2M)}
    if "is_operational" in changes and not changes["is_operational"] and "is_action_item" not in changes:
        values["is_action_item"] = changes["is_action_item"] = False
    _check_classification(element, values, m2m)
    if values["is_action_item"] and not element.status:
        changes["status"] = ActionStatus.NOT_STARTED
    if not values["is_operational"] and element.status:
        changes["status"] = ""
    with transaction.atomic():
        updated = versioned_update(
            actor=actor,
            instance=element,
            expected_version=expected_version,
            changes=changes,
            action_code=policy.ELEMENT_CLASSIFIED,
        )
        for name, items in m2m.items():
            getattr(updated, name).set(items)
    return updated


def element_link_measure(
    *, actor: Any, element: Element, measure: Measure, relation: str = MeasureLinkRelation.ADVANCES, note: str = ""
) -> MeasureLink:
    """Record that an element advances (or implements a decision behind) a measure; idempotent."""
    _require(actor, CHANGE, element, _("Only the secretariat links elements to measures."))
    if actor is not None and not can(actor, VIEW, measure):
        raise ValidationError({"measure": _("No such measure.")})
    if relation not in (MeasureLinkRelation.ADVANCES, MeasureLinkRelation.IMPLEMENTS):
        raise ValidationError({"relation": _("An element advances a measure or implements a decision behind it.")})
    link, _created = MeasureLink.objects.get_or_create(
        measure=measure,
        relation=relation,
        target_type=ContentType.objects.get_for_model(Element),
        target_id=element.pk,
        defaults={"note": (note or "").strip()[:300]},
    )
    return link


def element_unlink_measure(*, actor: Any, element: Element, measure: Measure) -> int:
    """Remove the element's links to a measure; returns how many were removed."""
    _require(actor, CHANGE, element, _("Only the secretariat links elements to measures."))
    deleted, _by_model = MeasureLink.objects.filter(
        measure=measure, target_type=ContentType.objects.get_for_model(Element), target_id=element.pk
    ).delete()
    return deleted
