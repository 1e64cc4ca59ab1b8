"""Routes of invitations, delegations and participants lists (staff at /<lang>/staff/meetings/, public at
/<lang>/meetings/)."""

from django.urls import path

from ..views import delegations as views

staff_urlpatterns = [
    path("<int:meeting_pk>/invitations/", views.InvitationListView.as_view(), name="invitation-list"),
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("<int:meeting_pk>/delegations/", views.DelegationListView.as_view(), name="delegation-list"),
    path(
        "<int:meeting_pk>/delegations/register/<str:country>/",
        views.DelegationRegisterView.as_view(),
        name="delegation-register",
    ),
    path("delegations/<int:pk>/", views.DelegationEditView.as_view(), name="delegation-edit"),
    path("delegations/<int:pk>/decide/", views.DelegationDecideView.as_view(), name="delegation-decide"),
    path("<int:meeting_pk>/participants/", views.ParticipantListView.as_view(), name="participants-list"),
    path(
        "<int:meeting_pk>/participants.xlsx", views.ParticipantFileView.as_view(kind="xlsx"), name="participants-xlsx"
    ),
    path("<int:meeting_pk>/participants.pdf", views.ParticipantFileView.as_view(kind="pdf"), name="participants-pdf"),
    path(
        "<int:meeting_pk>/name-cards.pdf",
        views.ParticipantFileView.as_view(kind="namecards"),
        name="participants-name-cards",
    ),
]

public_urlpatterns = [
    path("<int:meeting_pk>/participants/", views.PublicParticipantListView.as_view(), name="participants-public"),
    path(
        "<int:meeting_pk>/participants.xlsx",
        views.PublicParticipantFileView.as_view(kind="xlsx"),
        name="participants-public-xlsx",
    ),
    path(
        "<int:meeting_pk>/participants.pdf",
        views.PublicParticipantFileView.as_view(kind="pdf"),
        name="participants-public-pdf",
    ),
]
