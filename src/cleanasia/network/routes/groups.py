"""Routes of the network's landing pages, fields, working groups and the secretariat's oversight."""

from django.urls import path

from ..views import groups, home, oversight

staff_urlpatterns = [
    path("", home.NetworkHomeView.as_view(), name="home"),
    path("oversight/", oversight.OversightView.as_view(), name="oversight"),
    path("fields/", groups.FieldListView.as_view(), name="field-list"),
    path("fields/new/", groups.FieldFormView.as_view(), name="field-create"),
    path("fields/<int:pk>/edit/", groups.FieldFormView.as_view(), name="field-edit"),
    path("groups/", groups.GroupListView.as_view(), name="group-list"),
    path("groups/new/", groups.GroupFormView.as_view(), name="group-create"),
    path("groups/<slug:code>/", groups.GroupWorkspaceView.as_view(), name="group-workspace"),
    path("groups/<slug:code>/edit/", groups.GroupFormView.as_view(), name="group-edit"),
    path("groups/<slug:code>/publish/", groups.GroupPublishView.as_view(), name="group-publish"),
    path("groups/<slug:code>/members/add/", groups.MemberAddView.as_view(), name="member-add"),
    path("groups/<slug:code>/work-plan/add/", groups.WorkPlanItemFormView.as_view(), name="item-create"),
    path("members/<int:pk>/end/", groups.MemberEndView.as_view(), name="member-end"),
    path("work-plan/<int:pk>/edit/", groups.WorkPlanItemFormView.as_view(), name="item-edit"),
    path("work-plan/<int:pk>/status/", groups.WorkPlanItemStatusView.as_view(), name="item-status"),
]

public_urlpatterns = [
    path("", home.PublicNetworkHomeView.as_view(), name="home"),
    path("groups/", groups.PublicGroupListView.as_view(), name="group-list"),
    path("groups/<slug:code>/", groups.PublicGroupPageView.as_view(), name="group-detail"),
]
