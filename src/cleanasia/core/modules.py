"""Modules split by area: each area's submodule contributes URL patterns or API registrations.

A module's `routes/` (or `api/`) package holds one submodule per area; the
package collects what every submodule defines, so an area is added by adding a
file, and no list of areas is kept by hand.
"""

import importlib
import pkgutil
from types import ModuleType


def _submodules(package: ModuleType) -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def collect(package: ModuleType, attribute: str) -> list:
    """The concatenation of `attribute` (a list, e.g. `staff_urlpatterns`) over the package's submodules."""
    collected: list = []
    for module in _submodules(package):
        collected += getattr(module, attribute, [])
    return collected


def call_each(package: ModuleType, function: str, *args) -> None:
    """Call `function(*args)` (e.g. `register(router)`) in every submodule of the package that defines it."""
    for module in _submodules(package):
        callback = getattr(module, function, None)
        if callback is not None:
            callback(*args)
