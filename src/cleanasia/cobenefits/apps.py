from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CobenefitsConfig(AppConfig):
    """Co-benefits quantification in the platform: the engine (`cleanasia.engines.cobenefits`) behind the
    calculator, the command line and the API."""

    name = "cleanasia.cobenefits"
    label = "cobenefits"
    verbose_name = _("Co-benefits")

    def ready(self) -> None:
        # Importing registers the policies of stored projects and evaluations and their action labels.
        from . import policies  # noqa: F401
