"""Public pages of the meetings module, mounted at /<lang>/meetings/ (routes from routes/<area>.py)."""

from .routes import collect

app_name = "meetings_public"
urlpatterns = collect("public_urlpatterns")
