"""What the search of the meetings module finds: meetings, documents, outcomes and their elements.

Imported at start-up (MeetingsConfig.ready), so that saving one of these
records keeps the index current (core.search). Who may read an entry follows
the policies: a meeting by its level; a document by its distribution (general:
the public; limited: signed-in users, narrowed in SQL by the document policy to
the meeting's participants and invited focal points; restricted: the
secretariat) and embargo, within its meeting; an outcome by its level, never as
a draft, within its meeting; an element with its outcome. The policies have the
last word on each page of results. Search may show less than the meeting pages:
a focal point also sees the meetings their country is invited to whatever their
level there, and finds them in search by level only.

Named groups are read from each record when its visibility is "named groups"
(one query for those records only; prefetching them for every record would
cost more in a bulk rebuild than the few records that need it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cleanasia.core.models import Visibility
from cleanasia.core.search import Access, register_searchable

from .models import Distribution, Document, Element, Meeting, Outcome, OutcomeStatus

MODELS = (Meeting, Document, Outcome, Element)

DISTRIBUTION_ACCESS = {
    Distribution.GENERAL: Access(Visibility.PUBLIC),
    Distribution.LIMITED: Access(Visibility.MEMBERS),
    Distribution.RESTRICTED: Access(Visibility.SECRETARIAT),
}


def meeting_access(meeting: Meeting) -> Access:
    return Access.of(meeting)


def document_access(document: Document) -> Access:
    own = DISTRIBUTION_ACCESS.get(document.distribution, Access(Visibility.SECRETARIAT))
    embargo = Access(available_from=document.embargo_until)
    return own & embargo & meeting_access(document.meeting)


def outcome_access(outcome: Outcome) -> Access:
    own = Access.of(outcome)
    if outcome.status == OutcomeStatus.DRAFT:  # a draft is not published
        own = own & Access(Visibility.SECRETARIAT)
    return own & meeting_access(outcome.meeting)


# Links are URL names tried in order in the search page's namespace (staff "meetings", public "meetings_public");
# the meeting's page is the last resort.
def _meeting_links(meeting_id: int) -> list[tuple[str, list[Any]]]:
    return [("meeting-detail", [meeting_id])]


def _outcome_links(outcome_id: int) -> list[tuple[str, list[Any]]]:
    return [("outcome-detail", [outcome_id]), ("outcome-public", [outcome_id])]


register_searchable(
    Meeting,
    title="title",
    text_fields=("venue", "city"),
    url=lambda meeting: _meeting_links(meeting.pk),
    access=meeting_access,
    date=lambda meeting: meeting.starts_at,
    dependants=lambda meeting: [meeting.documents.all(), meeting.outcomes.all()],
)

register_searchable(
    Document,
    title=("symbol", "title"),
    text_fields=(),
    url=lambda document: [
        ("doc-detail", [document.pk]),
        ("doc-list", [document.meeting_id]),  # the public pages list a meeting's documents
        *_meeting_links(document.meeting_id),
    ],
    access=document_access,
    # Limited documents are for the meeting's participants and invited focal points: the policy says who.
    filter_by_policy=True,
    date=lambda document: document.issued_on or document.meeting.starts_at,
    select_related=("meeting",),
)

register_searchable(
    Outcome,
    title=("code", "title"),
    text_fields=("text",),
    url=lambda outcome: [*_outcome_links(outcome.pk), *_meeting_links(outcome.meeting_id)],
    access=outcome_access,
    date=lambda outcome: outcome.adopted_on or outcome.meeting.starts_at,
    select_related=("meeting",),
    dependants=lambda outcome: [outcome.elements.all()],
)

register_searchable(
    Element,
    title="code",
    text_fields=("text",),
    url=lambda element: [
        ("element-detail", [element.pk]),
        *_outcome_links(element.outcome_id),
        *_meeting_links(element.outcome.meeting_id),
    ],
    access=lambda element: outcome_access(element.outcome),
    date=lambda element: element.outcome.adopted_on or element.outcome.meeting.starts_at,
    label=lambda element: _("Action item") if element.is_action_item else _("Outcome element"),
    select_related=("outcome__meeting",),
)
