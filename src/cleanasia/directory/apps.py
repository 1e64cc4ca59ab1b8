from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "cleanasia.directory"
    label = "directory"
    verbose_name = _("Countries, organisations and people")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the policies)
