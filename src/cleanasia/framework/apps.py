from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "cleanasia.framework"
    label = "framework"
    verbose_name = _("Policy framework")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the policy)
