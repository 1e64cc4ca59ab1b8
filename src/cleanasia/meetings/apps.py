from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CACHE_NAMESPACE = "meetings"
# Rows that are logs rather than meeting data: writing them must not make cached page parts stale.
NOT_WATCHED = {"CalendarFeedToken", "DownloadLog", "NoticeSent", "ReminderRule"}


class MeetingsConfig(AppConfig):
    name = "cleanasia.meetings"
    label = "meetings"
    verbose_name = _("Intergovernmental meetings")

    def ready(self) -> None:
        import importlib.util

        # Importing registers the policies (one submodule per area), the workspace section and the action labels.
        from . import policies  # noqa: F401

        for module in ("navigation", "audit", "signals", "search"):
            if importlib.util.find_spec(f"{__package__}.{module}"):
                importlib.import_module(f"{__package__}.{module}")
        self._watch_for_cached_parts()

    def _watch_for_cached_parts(self) -> None:
        """Parts of the meeting page are cached per data generation: every meetings model raises it."""
        from cleanasia.core import cache

        cache.watch(
            CACHE_NAMESPACE,
            [m for m in self.get_models() if not m.__name__.startswith("Historical") and m.__name__ not in NOT_WATCHED],
        )
