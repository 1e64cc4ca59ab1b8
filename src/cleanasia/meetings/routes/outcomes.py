"""Routes of outcomes, elements and the follow-up of action items (see routes/__init__.py for the mounts)."""

from django.urls import path, reverse

from cleanasia.core.navigation import register_record_page

from .. import opendata
from ..views import followup, outcomes

staff_urlpatterns = [
    path("outcomes/meeting/<int:meeting_pk>/new/", outcomes.OutcomeCreateView.as_view(), name="outcome-create"),
    path("outcomes/<int:pk>/", outcomes.OutcomeDetailView.as_view(), name="outcome-detail"),
    path("outcomes/<int:pk>/edit/", outcomes.OutcomeEditView.as_view(), name="outcome-edit"),
    path("outcomes/<int:pk>/split/", outcomes.OutcomeSplitView.as_view(), name="outcome-split"),
    path("outcomes/<int:pk>/adopt/", outcomes.OutcomeAdoptView.as_view(), name="outcome-adopt"),
    path("outcomes/<int:pk>/status/", outcomes.OutcomeStatusView.as_view(), name="outcome-status"),
    path("elements/<int:pk>/", outcomes.ElementDetailView.as_view(), name="element-detail"),
    path("elements/<int:pk>/classify/", outcomes.ElementClassifyView.as_view(), name="element-classify"),
    path("elements/<int:pk>/measures/", outcomes.ElementMeasureLinkView.as_view(), name="element-measures"),
    path("elements/<int:pk>/updates/", followup.ElementUpdateAddView.as_view(), name="element-update-add"),
    path("action-items/mine/", followup.MyActionItemsView.as_view(), name="my-action-items"),
    path("action-status/<int:pk>/", followup.ActionStatusView.as_view(), name="action-status"),
    path("action-status/<int:pk>/pdf/", followup.ActionStatusPdfView.as_view(), name="action-status-pdf"),
    path("action-status/<int:pk>/issue/", followup.ActionStatusIssueView.as_view(), name="action-status-issue"),
    path("series/<int:pk>/changes/", followup.SeriesChangesView.as_view(), name="series-changes"),
]

public_urlpatterns = [
    path("outcomes/<int:pk>/", outcomes.OutcomePublicView.as_view(), name="outcome-public"),
]

feed_urlpatterns = [
    path("outcomes.json", opendata.outcomes_feed, name="outcomes-json"),
]

# The change-history pages of outcomes and elements link back to their pages.
register_record_page("meetings.Outcome", lambda outcome: reverse("meetings:outcome-detail", args=[outcome.pk]))
register_record_page("meetings.Element", lambda element: reverse("meetings:element-detail", args=[element.pk]))
