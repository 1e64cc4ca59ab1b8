"""Staff pages of the progress module (各施策の進行管理)."""

from .dashboard import CompareView, DashboardView
from .measures import MeasureDetailView, MeasureListView
from .reporting import (
    MissingReportsView,
    PeriodStateView,
    PeriodsView,
    ReportCorrectView,
    ReportEditView,
    ReportReviewView,
    ReportStartView,
)

__all__ = [
    "CompareView",
    "DashboardView",
    "MeasureDetailView",
    "MeasureListView",
    "MissingReportsView",
    "PeriodStateView",
    "PeriodsView",
    "ReportCorrectView",
    "ReportEditView",
    "ReportReviewView",
    "ReportStartView",
]
