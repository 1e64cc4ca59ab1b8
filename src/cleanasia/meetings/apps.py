from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CACHE_NAMESPACE = "meetings"


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
