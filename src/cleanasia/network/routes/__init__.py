"""URL routes of the network module, one submodule per area (groups, experts, research, training, packages…).

Each submodule may define `staff_urlpatterns` (mounted at /<lang>/staff/network/,
namespace "network") and `public_urlpatterns` (at /<lang>/network/, namespace
"network_public"). The public certificate check is at /<lang>/verify/<code>
(`verify_urlpatterns`, namespace "network_verify"), the address printed on certificates.
"""

import sys

from cleanasia.core.modules import collect as _collect


def collect(name: str) -> list:
    return _collect(sys.modules[__name__], name)
