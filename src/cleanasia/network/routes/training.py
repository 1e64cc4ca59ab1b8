"""Routes of joint training (staff at /<lang>/staff/network/training/) and the public certificate check
(/<lang>/verify/<code>, the address printed on certificates)."""

from django.urls import path

from ..views import training as views

staff_urlpatterns = [
    path("training/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("training/new/", views.ProgrammeCreateView.as_view(), name="programme-create"),
    path("training/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("training/<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme-edit"),
    path("training/<int:pk>/sessions/new/", views.SessionCreateView.as_view(), name="session-create"),
    path("training/sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
    path("training/sessions/<int:pk>/edit/", views.SessionEditView.as_view(), name="session-edit"),
    path("training/sessions/<int:pk>/nominate/", views.NominationCreateView.as_view(), name="nomination-create"),
    path("training/sessions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="session-attendance"),
    path("training/sessions/<int:pk>/scores/", views.ScoresView.as_view(), name="session-scores"),
    path("training/nominations/<int:pk>/decide/", views.NominationDecideView.as_view(), name="nomination-decide"),
    path("training/nominations/<int:pk>/certificate/", views.CertificateIssueView.as_view(), name="certificate-issue"),
    path("training/certificates/<int:pk>/revoke/", views.CertificateRevokeView.as_view(), name="certificate-revoke"),
    path("training/certificates/<int:pk>.pdf", views.CertificatePdfView.as_view(), name="certificate-pdf"),
]

verify_urlpatterns = [
    path("", views.VerifyFormView.as_view(), name="verify-form"),
    path("<str:code>", views.VerifyView.as_view(), name="verify"),
]
