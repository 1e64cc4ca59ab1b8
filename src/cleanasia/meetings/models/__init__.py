"""Intergovernmental meetings: series, meetings, delegations, agenda, documents, outcomes and follow-up."""

from .agenda import AgendaItem
from .delegations import PROTOCOL_ORDER, Delegation, DelegationState, Participant, ParticipantRole
from .documents import (
    SYMBOL_PREFIX,
    Distribution,
    Document,
    DocumentFile,
    DocumentType,
    DownloadLog,
    MinutesState,
    SuffixKind,
)
from .notices import Invitation, NoticeSent, ReminderAnchor, ReminderRule
from .outcomes import (
    OPEN_ACTION_STATUSES,
    OUTCOME_PREFIX,
    ActionStatus,
    Addressee,
    Element,
    ElementKind,
    ElementUpdate,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
)
from .series import DEFAULT_SYMBOL_SCHEME, Meeting, MeetingFormat, MeetingLevel, MeetingSeries, MeetingStatus

__all__ = [
    "DEFAULT_SYMBOL_SCHEME",
    "OPEN_ACTION_STATUSES",
    "OUTCOME_PREFIX",
    "PROTOCOL_ORDER",
    "SYMBOL_PREFIX",
    "ActionStatus",
    "Addressee",
    "AgendaItem",
    "Delegation",
    "DelegationState",
    "Distribution",
    "Document",
    "DocumentFile",
    "DocumentType",
    "DownloadLog",
    "Element",
    "ElementKind",
    "ElementUpdate",
    "Invitation",
    "Meeting",
    "MeetingFormat",
    "MeetingLevel",
    "MeetingSeries",
    "MeetingStatus",
    "MinutesState",
    "NoticeSent",
    "Outcome",
    "OutcomeKind",
    "OutcomeStatus",
    "Participant",
    "ParticipantRole",
    "ReminderAnchor",
    "ReminderRule",
    "SuffixKind",
]

from .calendar import CalendarFeedToken

__all__ += ["CalendarFeedToken"]
