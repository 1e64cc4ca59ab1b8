"""URL routes of the meetings module, one submodule per area.

Each submodule may define `staff_urlpatterns` (mounted at /<lang>/staff/meetings/,
namespace "meetings"), `public_urlpatterns` (at /<lang>/meetings/, namespace
"meetings_public") and `feed_urlpatterns` (at /feeds/, not language-prefixed,
namespace "meetings_feeds").
"""

import sys

from cleanasia.core.modules import collect as _collect


def collect(name: str) -> list:
    return _collect(sys.modules[__name__], name)
