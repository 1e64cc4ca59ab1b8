"""Progress management (各施策の進行管理): measures under the framework, their results framework and reporting."""

from .links import MeasureLink, MeasureLinkRelation
from .measure import Measure, MeasureBudget, MeasureKind, MeasureStatus
from .milestone import Milestone
from .reminders import ReminderKind, ReminderSent
from .reporting import (
    PeriodKind,
    PeriodState,
    ProgressReport,
    ReportAttachment,
    ReportingPeriod,
    ReportRating,
    ReportState,
)
from .results import (
    Actual,
    Baseline,
    Direction,
    Indicator,
    IndicatorType,
    ProgressStatus,
    Result,
    ResultLevel,
    Target,
)

__all__ = [
    "Actual",
    "Baseline",
    "Direction",
    "Indicator",
    "IndicatorType",
    "Measure",
    "MeasureBudget",
    "MeasureKind",
    "MeasureLink",
    "MeasureLinkRelation",
    "MeasureStatus",
    "Milestone",
    "PeriodKind",
    "PeriodState",
    "ProgressReport",
    "ProgressStatus",
    "ReminderKind",
    "ReminderSent",
    "ReportAttachment",
    "ReportRating",
    "ReportState",
    "ReportingPeriod",
    "Result",
    "ResultLevel",
    "Target",
]
