"""Staff pages of the network module, mounted at /<lang>/staff/network/ (routes from routes/<area>.py)."""

from .routes import collect

app_name = "network"
urlpatterns = collect("staff_urlpatterns")
