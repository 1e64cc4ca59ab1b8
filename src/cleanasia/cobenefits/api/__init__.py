"""API of the co-benefits module: each submodule defines `register(router)` and/or `urlpatterns`;
`register_all` and `urlpatterns` collect them."""

import sys

from cleanasia.core.modules import call_each, collect


def register_all(router) -> None:
    call_each(sys.modules[__name__], "register", router)


def collected_urlpatterns() -> list:
    """Plain API views (not viewsets) of every submodule, mounted under /api/v1/."""
    return collect(sys.modules[__name__], "urlpatterns")
