"""API of the meetings module: each submodule defines `register(router)`; `register_all` calls them all."""

import sys

from cleanasia.core.modules import call_each


def register_all(router) -> None:
    call_each(sys.modules[__name__], "register", router)
