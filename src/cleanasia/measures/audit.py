"""Action codes written by the measures services, with their labels (translated when displayed)."""

from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action

MEASURE_CREATED = "measures.measure.created"
MEASURE_UPDATED = "measures.measure.updated"
MEASURE_CHANGED_IN_ADMIN = "measures.measure.changed_in_admin"
BUDGET_SET = "measures.budget.set"
RESULT_CREATED = "measures.result.created"
INDICATOR_CREATED = "measures.indicator.created"
INDICATOR_UPDATED = "measures.indicator.updated"
INDICATOR_OVERRIDDEN = "measures.indicator.status_overridden"
BASELINE_SET = "measures.baseline.set"
TARGET_SET = "measures.target.set"
ACTUAL_RECORDED = "measures.actual.recorded"
PERIOD_CREATED = "measures.period.created"
PERIOD_OPENED = "measures.period.opened"
PERIOD_CLOSED = "measures.period.closed"
MILESTONE_CREATED = "measures.milestone.created"
MILESTONE_UPDATED = "measures.milestone.updated"
MILESTONE_COMPLETED = "measures.milestone.completed"
REPORT_CREATED = "measures.report.created"
REPORT_UPDATED = "measures.report.updated"
REPORT_SUBMITTED = "measures.report.submitted"
REPORT_RETURNED = "measures.report.returned"
REPORT_APPROVED = "measures.report.approved"
REPORT_CORRECTED = "measures.report.corrected"
CHANGED_IN_ADMIN = "measures.record.changed_in_admin"

for _code, _label in (
    (MEASURE_CREATED, _("Measure created")),
    (MEASURE_UPDATED, _("Measure changed")),
    (MEASURE_CHANGED_IN_ADMIN, _("Measure changed in the administration")),
    (BUDGET_SET, _("Budget set")),
    (RESULT_CREATED, _("Result created")),
    (INDICATOR_CREATED, _("Indicator created")),
    (INDICATOR_UPDATED, _("Indicator changed")),
    (INDICATOR_OVERRIDDEN, _("Indicator status set manually")),
    (BASELINE_SET, _("Baseline set")),
    (TARGET_SET, _("Target set")),
    (ACTUAL_RECORDED, _("Actual recorded")),
    (PERIOD_CREATED, _("Reporting period created")),
    (PERIOD_OPENED, _("Reporting period opened")),
    (PERIOD_CLOSED, _("Reporting period closed")),
    (MILESTONE_CREATED, _("Milestone created")),
    (MILESTONE_UPDATED, _("Milestone changed")),
    (MILESTONE_COMPLETED, _("Milestone completed")),
    (REPORT_CREATED, _("Progress report started")),
    (REPORT_UPDATED, _("Progress report changed")),
    (REPORT_SUBMITTED, _("Progress report submitted")),
    (REPORT_RETURNED, _("Progress report returned with comments")),
    (REPORT_APPROVED, _("Progress report approved")),
    (REPORT_CORRECTED, _("Correction of an approved report started")),
    (CHANGED_IN_ADMIN, _("Changed in the administration")),
):
    register_action(_code, _label)
