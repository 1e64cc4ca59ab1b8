"""URL routes of the meetings module, one submodule per area.

Each submodule may define `staff_urlpatterns` (mounted at /<lang>/staff/meetings/,
namespace "meetings"), `public_urlpatterns` (at /<lang>/meetings/, namespace
"meetings_public") and `feed_urlpatterns` (at /feeds/, not language-prefixed,
namespace "meetings_feeds").
"""

import importlib
import pkgutil


def collect(name: str) -> list:
    patterns: list = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        patterns += getattr(importlib.import_module(f"{__name__}.{module.name}"), name, [])
    return patterns
