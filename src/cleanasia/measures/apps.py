from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "cleanasia.measures"
    label = "measures"
    verbose_name = _("Progress management of measures")

    def ready(self) -> None:
        # Importing registers the policies, action labels and the workspace section.
        from . import navigation, permissions, services  # noqa: F401
