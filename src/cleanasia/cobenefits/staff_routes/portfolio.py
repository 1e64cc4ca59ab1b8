"""Routes of the staff co-benefit portfolio (mounted at /<lang>/staff/cobenefits/, namespace "cobenefits_staff")."""

from django.urls import path

from ..views import portfolio as views

staff_urlpatterns = [
    path("portfolio/", views.StaffPortfolioView.as_view(), name="portfolio"),
    path("portfolio.csv", views.StaffPortfolioCsvView.as_view(), name="portfolio-csv"),
]
