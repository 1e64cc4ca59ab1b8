from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "cleanasia.framework"
    label = "framework"
    verbose_name = _("Policy framework")

    def ready(self) -> None:
        # Importing registers the policy, the labels of the action codes and the workspace section.
        from . import navigation, permissions, reference, services  # noqa: F401
