from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CobenefitsConfig(AppConfig):
    """Co-benefits quantification in the platform: the engine (`cleanasia.engines.cobenefits`) behind the
    calculator, the command line, the API, stored projects and evaluations, the portfolio and the import."""

    name = "cleanasia.cobenefits"
    label = "cobenefits"
    verbose_name = _("Co-benefits")

    def ready(self) -> None:
        # Importing registers the policies of stored projects and evaluations and their action labels.
        from . import policies  # noqa: F401

        self._watch_for_cached_parts()

    def _watch_for_cached_parts(self) -> None:
        """The portfolio is cached per data generation: what it reads (projects, evaluations, the measures and
        goals they advance, the readers' roles, the countries) raises the generation."""
        from django.apps import apps

        from cleanasia.core import cache

        from .models import CobenefitProject, Evaluation
        from .portfolio import CACHE_NAMESPACE

        related = ("measures.MeasureLink", "measures.Measure", "framework.FrameworkNode", "accounts.RoleAssignment")
        cache.watch(
            CACHE_NAMESPACE,
            [CobenefitProject, Evaluation, *(apps.get_model(label) for label in (*related, "directory.Country"))],
        )
