"""Who sees meeting documents, their language versions and their download log, and the action codes.

A document is seen only by someone who sees its meeting, and then by its distribution:
- general: anyone (the public too);
- limited: signed-in participants — focal points of a country invited to the
  meeting and users who are participants of one of its delegations (not withdrawn);
- restricted: the secretariat only.
Before `embargo_until` only the secretariat sees the document at all. The
secretariat (and administrators) see everything and are the only writers.
Language versions go with their document; the download log is the secretariat's.
Nothing here is ever deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import VIEW, PermissionPolicy, is_secretariat, register_policy

from ..models import DelegationState, Distribution, Document, DocumentFile, DownloadLog, Meeting, Participant
from .meetings import meeting_filter

# Actions beyond the generic ones.
VIEW_DOWNLOADS = "view_downloads"

# Action codes written by services/documents.py.
DOCUMENT_CREATED = "meetings.document.created"
DOCUMENT_UPDATED = "meetings.document.updated"
DOCUMENT_REPLACED = "meetings.document.replaced"
DOCUMENT_FILE_UPLOADED = "meetings.document_file.uploaded"
DOCUMENT_FILE_REPLACED = "meetings.document_file.replaced"
MINUTES_CIRCULATED = "meetings.minutes.circulated"
MINUTES_ADOPTED = "meetings.minutes.adopted"

for _code, _label in (
    (DOCUMENT_CREATED, _("Document issued")),
    (DOCUMENT_UPDATED, _("Document details changed")),
    (DOCUMENT_REPLACED, _("Document replaced by a revision")),
    (DOCUMENT_FILE_UPLOADED, _("Language version uploaded")),
    (DOCUMENT_FILE_REPLACED, _("Language version replaced by a new file")),
    (MINUTES_CIRCULATED, _("Minutes circulated for comments")),
    (MINUTES_ADOPTED, _("Minutes adopted")),
):
    register_action(_code, _label)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def participant_meeting_ids(user: Any) -> QuerySet:
    """Ids of the meetings where `user` is a participant of a delegation that was not withdrawn."""
    return (
        Participant.objects.filter(user=user)
        .exclude(delegation__state=DelegationState.WITHDRAWN)
        .values("delegation__meeting_id")
    )


def limited_condition(user: Any, prefix: str = "") -> Q:
    """Documents (through `prefix`) whose meeting counts `user` among its participants (Q(pk__in=[]) if none)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    condition = Q(**{f"{prefix}meeting__in": participant_meeting_ids(user)})
    countries = set(getattr(user, "focal_point_countries", set()) or set())
    if countries:
        invited = Meeting.invited_countries.through.objects.filter(country_id__in=countries).values("meeting_id")
        condition |= Q(**{f"{prefix}meeting__in": invited})
    return condition


def document_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting documents (or rows under a document, through `prefix`) to what `user` sees; None: all."""
    if is_secretariat(user):
        return None
    p = prefix
    out_of_embargo = Q(**{f"{p}embargo_until__isnull": True}) | Q(**{f"{p}embargo_until__lte": timezone.now()})
    meeting_seen = meeting_filter(user, f"{p}meeting")
    by_distribution = Q(**{f"{p}distribution": Distribution.GENERAL}) | (
        Q(**{f"{p}distribution": Distribution.LIMITED}) & limited_condition(user, p)
    )
    return out_of_embargo & meeting_seen & by_distribution


def public_document_filter(prefix: str = "") -> Q:
    """What the public pages list, whoever reads them: general documents out of embargo of public meetings of
    public series."""
    p = prefix
    return (
        Q(**{f"{p}distribution": Distribution.GENERAL})
        & (Q(**{f"{p}embargo_until__isnull": True}) | Q(**{f"{p}embargo_until__lte": timezone.now()}))
        & Q(**{f"{p}meeting__visibility": Visibility.PUBLIC, f"{p}meeting__series__visibility": Visibility.PUBLIC})
    )


class DocumentPolicy(PermissionPolicy):
    """Documents: read by meeting, distribution and embargo; written by the secretariat; never deleted."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = document_filter(user)
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            if obj is None or is_secretariat(user):
                return True
            return self.visible(Document.objects.filter(pk=obj.pk), user).exists()
        # Adding, changing, uploading, minutes transitions and reading the download log: the secretariat.
        return action != "delete" and is_secretariat(user)


class DocumentFilePolicy(PermissionPolicy):
    """A language version is seen with its document and changed by the secretariat."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        condition = document_filter(user, "document__")
        return qs if condition is None else qs.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == VIEW:
            if obj is None or is_secretariat(user):
                return True
            return self.visible(DocumentFile.objects.filter(pk=obj.pk), user).exists()
        return action != "delete" and is_secretariat(user)


class DownloadLogPolicy(PermissionPolicy):
    """Who downloaded what is the secretariat's to know; the log is written by the download itself."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs if is_secretariat(user) else qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        return action == VIEW and is_secretariat(user)


register_policy(Document, DocumentPolicy())
register_policy(DocumentFile, DocumentFilePolicy())
register_policy(DownloadLog, DownloadLogPolicy())
