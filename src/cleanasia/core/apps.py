from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cleanasia.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from . import history  # noqa: F401  (connects the history signal handlers)
