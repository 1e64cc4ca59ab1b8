"""Follow-up of action items from meeting to meeting: updates, closing, and the status-of-action-items document.

A focal point records their country's update on an item addressed to it (the
secretariat on any item). Each update sets the item's status, may move its due
date (the old and new dates stay in the change history) and, when it completes
or drops the item, closes it. An item carries over from meeting to meeting
until it is closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import mark_action
from cleanasia.core.permissions import CHANGE, can, is_secretariat
from cleanasia.directory.models import Country

from ..models import (
    ActionStatus,
    Distribution,
    Document,
    DocumentType,
    Element,
    ElementUpdate,
    Meeting,
    MeetingSeries,
    OutcomeStatus,
)
from ..policies import outcomes as policy
from . import documents as document_services
from .outcomes import CLOSED_ACTION_STATUSES, decision_date

LANGUAGES = ("ja", "en")


def _series_of_followup(series_id: int) -> list[int]:
    """The series whose meetings follow up items of `series_id`: itself and the series that follow it up."""
    return [series_id, *MeetingSeries.objects.filter(follows_up=series_id).values_list("pk", flat=True)]


def next_meeting_for(element: Element, *, after: dt.datetime | None = None) -> Meeting | None:
    """The next meeting (from `after`, default now) at which the element's item is followed up."""
    after = after or timezone.now()
    series = _series_of_followup(element.outcome.meeting.series_id)
    return (
        Meeting.objects.filter(series__in=series, ends_at__gte=after)
        .exclude(status__in=["cancelled", "postponed"])
        .order_by("starts_at", "pk")
        .first()
    )


def element_update_record(
    *,
    actor: Any,
    element: Element,
    status: str,
    note: str,
    country: Country | str | None = None,
    meeting: Meeting | None = None,
    new_due_on: dt.date | None = None,
    language: str = "en",
    recorded_at: dt.datetime | None = None,
) -> ElementUpdate:
    """Record an update on an operational element and set the element's status (and due date) from it.

    - a focal point reports for one of their countries, on items addressed to it;
    - completing or dropping an item closes it (closed_on) and needs a note
      saying what was done or why it was dropped; reopening is for the secretariat;
    - a new due date cannot be before the decision;
    - `meeting` defaults to the next meeting following the item up;
    - `recorded_at` (back-dating) is for the secretariat and the system only.
    """
    element = Element.objects.select_related("outcome__meeting__series").get(pk=element.pk)
    if actor is not None and not can(actor, policy.REPORT_UPDATE, element):
        raise PermissionDenied(_("You may update only the action items addressed to your country."))
    country_code = getattr(country, "pk", country) or None
    errors: dict[str, Any] = {}
    if actor is not None and not is_secretariat(actor):
        countries = policy.user_countries(actor)
        if country_code is None and len(countries) == 1:
            country_code = next(iter(countries))
        if country_code not in countries:
            errors["country"] = _("Choose the country you are the focal point for.")
        elif not policy.is_addressed_to(element, country_code):
            errors["country"] = _("This item is not addressed to that country.")
        if recorded_at is not None:
            errors["recorded_at"] = _("The time of an update is when it is recorded.")
    if country_code is not None and not Country.objects.filter(pk=country_code).exists():
        errors["country"] = _("Choose a known country.")
    if element.outcome.status == OutcomeStatus.DRAFT:
        errors["element"] = _("The outcome is still a draft; items are followed up once it is adopted.")
    if not element.is_operational:
        errors["element"] = _("Only operational elements (which ask someone to act) are followed up.")
    if status not in ActionStatus.values:
        errors["status"] = _("Choose a status: not started, in progress, completed or dropped.")
    note = (note or "").strip()
    closing = status in CLOSED_ACTION_STATUSES
    if not note:
        errors["note"] = (
            _("Say what was done, or why the item is dropped, before closing it.")
            if closing
            else _("Write the update: what has been done since the last one.")
        )
    if element.closed_on is not None and not closing and actor is not None and not is_secretariat(actor):
        errors["status"] = _("This item is closed; ask the secretariat to reopen it.")
    if new_due_on is not None and new_due_on < decision_date(element.outcome):
        errors["new_due_on"] = _("The due date cannot be before the decision (%(day)s); give a later date.") % {
            "day": decision_date(element.outcome).isoformat()
        }
    if language not in LANGUAGES:
        errors["language"] = _("Write the update in Japanese or English.")
    now = timezone.now()
    if recorded_at is not None and recorded_at > now:
        errors["recorded_at"] = _("An update cannot be recorded in the future.")
    if meeting is not None and meeting.series_id not in _series_of_followup(element.outcome.meeting.series_id):
        errors["meeting"] = _("Choose a meeting that follows up this item.")
    if errors:
        raise ValidationError(errors)
    recorded_at = recorded_at or now
    if meeting is None:
        meeting = next_meeting_for(element, after=recorded_at)
    with transaction.atomic():
        current = Element.objects.select_for_update().get(pk=element.pk)
        update = ElementUpdate(
            element=current,
            meeting=meeting,
            country_id=country_code,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            status=status,
            note=note,
            language=language,
            new_due_on=new_due_on,
            recorded_at=recorded_at,
            is_demo=current.is_demo,
        )
        mark_action(update, policy.UPDATE_RECORDED, actor=actor)
        update.save()
        was_closed = current.closed_on is not None
        current.status = status
        setattr(current, f"status_note_{language}", note)
        # The note in the other language described an earlier status.
        other = f"status_note_{'ja' if language == 'en' else 'en'}"
        if getattr(current, other):
            setattr(current, other, "")
        if new_due_on is not None:
            current.due_on = new_due_on
        if closing:
            current.closed_on = timezone.localtime(recorded_at).date()
            action = policy.ACTION_ITEM_CLOSED
        else:
            current.closed_on = None
            action = policy.ACTION_ITEM_REOPENED if was_closed else policy.ELEMENT_STATUS_UPDATED
        current.version += 1
        mark_action(current, action, actor=actor)
        current.save()
    return update


# --- the status-of-action-items document ------------------------------------------------------------------


def action_status_pdf(*, user: Any, meeting: Meeting, language: str) -> bytes:
    """The status of action items before `meeting`, as a PDF in `language` (Japanese font embedded)."""
    from ..exports.action_status import action_status_document
    from ..selectors.followup import action_status_for

    # Labels (statuses, addressees) in the document's language, not the page's.
    with translation.override(language):
        status = action_status_for(user=user, meeting=meeting, language=language)
    return action_status_document(status, language=language)


def action_status_issue(*, actor: Any, meeting: Meeting, languages: tuple[str, ...] = LANGUAGES) -> Document:
    """Save the status of action items as the meeting's document of type ACTION_STATUS (one per meeting).

    The first time, the document is issued through the documents services (its
    symbol from the series' scheme with the prefix AIS, e.g. EAS-EMM/3/AIS.1);
    issued again, the same document gets the new PDFs as its language versions.
    """
    if actor is not None and not can(actor, CHANGE, meeting):
        raise PermissionDenied(_("Only the secretariat issues meeting documents."))
    unknown = [language for language in languages if language not in LANGUAGES]
    if unknown or not languages:
        raise ValidationError({"languages": _("Choose Japanese, English or both.")})
    # The document states every item in scope: the secretariat (or the system, None) sees them all.
    pdfs = {language: action_status_pdf(user=actor, meeting=meeting, language=language) for language in languages}
    meeting = Meeting.objects.select_related("series").get(pk=meeting.pk)

    def upload(language: str) -> SimpleUploadedFile:
        name = f"{meeting.series.code}-{meeting.ordinal}-action-status-{language}.pdf".replace("/", "_")
        return SimpleUploadedFile(name, pdfs[language], content_type="application/pdf")

    with transaction.atomic():
        document = Document.objects.filter(meeting=meeting, doc_type=DocumentType.ACTION_STATUS).order_by("pk").first()
        if document is None:
            return document_services.document_create(
                actor=actor,
                meeting=meeting,
                doc_type=DocumentType.ACTION_STATUS,
                title_ja="行動項目の進捗状況",
                title_en="Status of action items",
                original_language="ja",
                distribution=Distribution.LIMITED,
                issued_on=timezone.localdate(),
                files={language: upload(language) for language in languages},
                is_demo=meeting.is_demo,
            )
        for language in languages:
            document_services.document_file_upload(
                actor=actor, document=document, language=language, upload=upload(language)
            )
    return document
