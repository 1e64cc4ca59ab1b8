"""Routes of the training statistics, alumni records and anonymous survey (staff at /<lang>/staff/network/,
the survey itself at /<lang>/network/)."""

from django.urls import path

from ..views import training_statistics as views

staff_urlpatterns = [
    path("training/statistics/", views.StatisticsView.as_view(), name="training-statistics"),
    path("training/statistics.csv", views.StatisticsCsvView.as_view(), name="training-statistics-csv"),
    path("training/alumni/", views.AlumniListView.as_view(), name="alumni-list"),
    path("training/alumni/<int:person_pk>/", views.AlumniDetailView.as_view(), name="alumni-detail"),
    path("training/sessions/<int:pk>/survey/", views.SurveyTokensView.as_view(), name="training-survey-tokens"),
    path(
        "training/sessions/<int:pk>/survey/results/",
        views.SurveyResultsView.as_view(),
        name="training-survey-results",
    ),
]

public_urlpatterns = [
    # Before the token route: "thank-you" is no token (tokens are 32 characters).
    path("survey/thank-you/", views.SurveyThanksView.as_view(), name="survey-thanks"),
    path("survey/<str:token>/", views.SurveyView.as_view(), name="survey"),
]
