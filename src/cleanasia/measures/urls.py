"""Staff pages of the progress module, mounted at /<lang>/staff/measures/."""

from importlib.util import find_spec

from django.urls import include, path

from . import views

app_name = "measures"
urlpatterns = [
    path("", views.MeasureListView.as_view(), name="list"),
    path("<int:pk>/", views.MeasureDetailView.as_view(), name="detail"),
    path("<int:pk>/report/<int:period_pk>/", views.ReportStartView.as_view(), name="report-start"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("periods/", views.PeriodsView.as_view(), name="periods"),
    path("periods/<int:pk>/open/", views.PeriodStateView.as_view(action="open"), name="period-open"),
    path("periods/<int:pk>/close/", views.PeriodStateView.as_view(action="close"), name="period-close"),
    path("periods/<int:pk>/missing/", views.MissingReportsView.as_view(), name="missing-reports"),
    path("reports/<int:pk>/", views.ReportEditView.as_view(), name="report-edit"),
    path("reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report-review"),
    path("reports/<int:pk>/correct/", views.ReportCorrectView.as_view(), name="report-correct"),
]

# The export and import pages live in their own package (written separately); include them once present.
if find_spec("cleanasia.measures.exports") and find_spec("cleanasia.measures.exports.urls"):
    urlpatterns.append(path("exports/", include("cleanasia.measures.exports.urls")))
