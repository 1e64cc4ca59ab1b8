"""Staff pages of the meetings module, mounted at /<lang>/staff/meetings/ (routes from routes/<area>.py)."""

from .routes import collect

app_name = "meetings"
urlpatterns = collect("staff_urlpatterns")
