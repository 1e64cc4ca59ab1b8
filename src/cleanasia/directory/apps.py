from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "cleanasia.directory"
    label = "directory"
    verbose_name = _("Countries, organisations and people")

    def ready(self) -> None:
        # Importing registers the policies, the labels of the action codes and the workspace sections.
        from . import navigation, permissions, services  # noqa: F401
