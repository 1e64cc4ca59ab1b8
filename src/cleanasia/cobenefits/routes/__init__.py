"""Pages of the co-benefits module, one submodule per area: `public_urlpatterns` (under /<lang>/cobenefits/)."""

import sys

from cleanasia.core.modules import collect

public_urlpatterns = collect(sys.modules[__name__], "public_urlpatterns")
