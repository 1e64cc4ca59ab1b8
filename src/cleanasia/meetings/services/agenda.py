"""Every write of a meeting's agenda: items and sub-items, their order, time slots, presenters and documents.

An item's time slot lies within its meeting. The "adoption of the minutes"
item points (`adopts_minutes`) to the minutes of an earlier meeting of the
same series. Sub-items go one level deep (3.a under 3), as agendas of these
meetings do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.permissions import ADD, CHANGE, can

from ..models import AgendaItem, Document, DocumentType, Meeting
from ..policies.meetings import AGENDA_ITEM_CREATED, AGENDA_ITEM_MOVED, AGENDA_ITEM_UPDATED

CHECKED_FIELDS = ("number", "title_ja", "title_en", "parent", "starts_at", "ends_at", "adopts_minutes")


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _check_item(meeting: Meeting, values: dict[str, Any], *, item: AgendaItem | None = None) -> None:
    number = (values.get("number") or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the item's number, e.g. 3 or 3.a.")})
    clash = AgendaItem.objects.filter(meeting=meeting, number=number)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"number": _("The agenda already has an item with this number; give another.")})
    if not (values.get("title_ja") or "").strip() and not (values.get("title_en") or "").strip():
        raise ValidationError({"title_ja": _("Give the title in Japanese or in English.")})
    _check_parent(meeting, values.get("parent"), item)
    _check_slot(meeting, values.get("starts_at"), values.get("ends_at"))
    _check_minutes(meeting, values.get("adopts_minutes"))


def _check_parent(meeting: Meeting, parent: AgendaItem | None, item: AgendaItem | None) -> None:
    if parent is None:
        return
    if parent.meeting_id != meeting.pk:
        raise ValidationError({"parent": _("Choose an item of this meeting's agenda.")})
    if parent.parent_id is not None:
        raise ValidationError({"parent": _("Sub-items go one level deep: choose a main item.")})
    if item is not None and (parent.pk == item.pk or item.sub_items.exists()):
        raise ValidationError({"parent": _("An item with sub-items (or the item itself) cannot be a sub-item.")})


def _check_slot(meeting: Meeting, starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> None:
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if moment is not None and timezone.is_naive(moment):
            raise ValidationError({name: _("Give the time with its time zone.")})
    if ends_at is not None and starts_at is None:
        raise ValidationError({"starts_at": _("Give the start of the time slot as well as its end.")})
    if starts_at is not None and not (meeting.starts_at <= starts_at <= meeting.ends_at):
        raise ValidationError({"starts_at": _("The time slot must lie within the meeting's dates.")})
    if ends_at is not None:
        if ends_at < starts_at:
            raise ValidationError({"ends_at": _("The time slot must end after it starts.")})
        if ends_at > meeting.ends_at:
            raise ValidationError({"ends_at": _("The time slot must lie within the meeting's dates.")})


def _check_minutes(meeting: Meeting, minutes: Document | None) -> None:
    if minutes is None:
        return
    earlier = minutes.meeting
    if (
        minutes.doc_type != DocumentType.MINUTES
        or earlier.series_id != meeting.series_id
        or earlier.starts_at >= meeting.starts_at
    ):
        raise ValidationError({"adopts_minutes": _("Choose the minutes of an earlier meeting of the same series.")})


def _check_documents(meeting: Meeting, documents: list[Document]) -> None:
    if any(document.meeting_id != meeting.pk for document in documents):
        raise ValidationError({"documents": _("Link documents of this meeting only.")})


def _next_position(meeting: Meeting, parent: AgendaItem | None) -> int:
    highest = AgendaItem.objects.filter(meeting=meeting, parent=parent).aggregate(top=Max("position"))["top"]
    return 0 if highest is None else highest + 1


def agenda_item_create(
    *,
    actor: Any,
    meeting: Meeting,
    number: str,
    title_ja: str = "",
    title_en: str = "",
    parent: AgendaItem | None = None,
    position: int | None = None,
    description_ja: str = "",
    description_en: str = "",
    presenters_ja: str = "",
    presenters_en: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    documents: Iterable[Document] = (),
    adopts_minutes: Document | None = None,
    is_demo: bool = False,
) -> AgendaItem:
    """Add an item (or, with `parent`, a sub-item) to a meeting's agenda, last among its siblings by default."""
    _require(actor, ADD, AgendaItem, _("Only the secretariat prepares agendas."))
    _require(actor, CHANGE, meeting, _("Only the secretariat prepares agendas."))
    documents = list(documents)
    values = {
        "number": (number or "").strip(),
        "title_ja": title_ja,
        "title_en": title_en,
        "parent": parent,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "adopts_minutes": adopts_minutes,
    }
    _check_item(meeting, values)
    _check_documents(meeting, documents)
    with transaction.atomic():
        item = AgendaItem(
            meeting=meeting,
            position=_next_position(meeting, parent) if position is None else position,
            description_ja=description_ja,
            description_en=description_en,
            presenters_ja=presenters_ja,
            presenters_en=presenters_en,
            is_demo=is_demo,
            **values,
        )
        item.full_clean()
        mark_action(item, AGENDA_ITEM_CREATED, actor=actor)
        item.save()
        item.documents.set(documents)
    return item


def agenda_item_update(*, actor: Any, item: AgendaItem, expected_version: int, changes: dict[str, Any]) -> AgendaItem:
    """Change an item (key `documents` replaces its linked documents). Moving under another parent puts
    it last among its new siblings unless a position is given."""
    _require(actor, CHANGE, item, _("Only the secretariat changes agendas."))
    changes = dict(changes)
    if "meeting" in changes and changes["meeting"] != item.meeting:
        raise ValidationError({"meeting": _("An agenda item stays on its meeting's agenda.")})
    changes.pop("meeting", None)
    documents = list(changes.pop("documents")) if "documents" in changes else None
    if "number" in changes:
        changes["number"] = (changes["number"] or "").strip()
    meeting = item.meeting
    merged = {name: changes.get(name, getattr(item, name)) for name in CHECKED_FIELDS}
    _check_item(meeting, merged, item=item)
    if documents is not None:
        _check_documents(meeting, documents)
    if "parent" in changes and changes["parent"] != item.parent and "position" not in changes:
        changes["position"] = _next_position(meeting, changes["parent"])
    with transaction.atomic():
        if changes or documents is not None:
            item = versioned_update(
                actor=actor,
                instance=item,
                expected_version=expected_version,
                changes=changes,
                action_code=AGENDA_ITEM_UPDATED,
            )
        if documents is not None:
            item.documents.set(documents)
    return item


def agenda_items_reorder(
    *, actor: Any, meeting: Meeting, order: list[int], parent: AgendaItem | None = None
) -> list[AgendaItem]:
    """Put the main items (or the sub-items of `parent`) in the order of `order`, a list of all their ids."""
    _require(actor, CHANGE, meeting, _("Only the secretariat changes agendas."))
    if parent is not None and parent.meeting_id != meeting.pk:
        raise ValidationError({"parent": _("Choose an item of this meeting's agenda.")})
    with transaction.atomic():
        siblings = {
            item.pk: item for item in AgendaItem.objects.select_for_update().filter(meeting=meeting, parent=parent)
        }
        if sorted(order) != sorted(siblings) or len(set(order)) != len(order):
            raise ValidationError(
                {"order": _("List every item at this level exactly once; the agenda may have changed, reload it.")}
            )
        for position, pk in enumerate(order):
            item = siblings[pk]
            if item.position == position:
                continue
            item.position = position
            item.version += 1
            mark_action(item, AGENDA_ITEM_MOVED, actor=actor)
            item.save(update_fields=["position", "version", "updated_at"])
    return [siblings[pk] for pk in order]
