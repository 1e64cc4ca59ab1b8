"""Routes of the public co-benefit portfolio (mounted at /<lang>/cobenefits/, namespace "cobenefits")."""

from django.urls import path

from ..views import portfolio as views

public_urlpatterns = [
    path("portfolio/", views.PortfolioView.as_view(), name="portfolio"),
    path("portfolio.csv", views.PortfolioCsvView.as_view(), name="portfolio-csv"),
]
