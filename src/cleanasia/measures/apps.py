from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CACHE_NAMESPACE = "measures"
# Outside this app, what the dashboard shows or who may see it depends on these.
CACHE_ALSO_WATCHES = (
    "framework.FrameworkNode",
    "accounts.RoleAssignment",
    "directory.Country",
    "directory.Organisation",
)


class MeasuresConfig(AppConfig):
    name = "cleanasia.measures"
    label = "measures"
    verbose_name = _("Progress management of measures")

    def ready(self) -> None:
        # Importing registers the policies, action labels and the workspace section.
        from . import navigation, permissions, services  # noqa: F401

        self._watch_for_cached_aggregates()

    def _watch_for_cached_aggregates(self) -> None:
        """The dashboard is cached per data generation: every model it reads raises the generation."""
        from django.apps import apps

        from cleanasia.core import cache

        own = [
            model
            for model in self.get_models()
            if not model.__name__.startswith("Historical") and model.__name__ != "ReminderSent"
        ]
        others = [apps.get_model(label) for label in CACHE_ALSO_WATCHES]
        cache.watch(CACHE_NAMESPACE, [*own, *others])
