"""Account pages, mounted at /<lang>/accounts/."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("password/change/", views.OwnPasswordChangeView.as_view(), name="password-change"),
    path("two-factor/set-up/", views.SecondFactorSetupView.as_view(), name="otp-setup"),
    path("two-factor/verify/", views.SecondFactorVerifyView.as_view(), name="otp-verify"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
]
