"""The public certificate check, mounted at /<lang>/verify/ (routes from routes/<area>.py)."""

from .routes import collect

app_name = "network_verify"
urlpatterns = collect("verify_urlpatterns")
