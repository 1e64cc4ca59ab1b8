from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CACHE_NAMESPACE = "network"


class NetworkConfig(AppConfig):
    """The Asian Environmental Research and Training Network: working groups, experts, research, training,
    know-how packages."""

    name = "cleanasia.network"
    label = "network"
    verbose_name = _("Research and training network")

    def ready(self) -> None:
        # Importing registers the policies (one submodule per area), their action labels and the search index.
        from . import policies, search  # noqa: F401

        self._watch_for_cached_parts()

    def _watch_for_cached_parts(self) -> None:
        """Filter choices and search pages are cached per data generation: what an expert's index entry and
        visibility are made of raises it (the expert, their person, affiliations and organisations, the fields)."""
        from cleanasia.core import cache
        from cleanasia.directory.models import Affiliation, Organisation, Person

        from .models import ExpertProfile, Field

        cache.watch(CACHE_NAMESPACE, [ExpertProfile, Person, Affiliation, Organisation, Field])
