"""API of the meetings module: each submodule defines `register(router)`; `register_all` calls them all."""

import importlib
import pkgutil


def register_all(router) -> None:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        register = getattr(importlib.import_module(f"{__name__}.{module.name}"), "register", None)
        if register is not None:
            register(router)
