"""Public pages of the network module, mounted at /<lang>/network/ (routes from routes/<area>.py)."""

from .routes import collect

app_name = "network_public"
urlpatterns = collect("public_urlpatterns")
