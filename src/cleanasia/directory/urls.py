from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("countries/", views.CountriesView.as_view(), name="countries"),
    path("groups/<slug:code>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("organisations/", views.OrganisationsView.as_view(), name="organisations"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
]
