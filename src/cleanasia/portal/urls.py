from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("framework/", views.FrameworkView.as_view(), name="framework"),
]
