"""Calendar and open-data feeds, mounted at /feeds/ without a language prefix (routes from routes/<area>.py)."""

from .routes import collect

app_name = "meetings_feeds"
urlpatterns = collect("feed_urlpatterns")
