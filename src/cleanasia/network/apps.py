from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The Asian Environmental Research and Training Network: working groups, experts, research, training,
    know-how packages."""

    name = "cleanasia.network"
    label = "network"
    verbose_name = _("Research and training network")

    def ready(self) -> None:
        # Importing registers the policies (one submodule per area), their action labels and the search index.
        from . import policies, search  # noqa: F401
