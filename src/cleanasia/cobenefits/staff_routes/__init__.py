"""Staff pages of the co-benefits module, one submodule per area, each defining `staff_urlpatterns`."""

import sys

from cleanasia.core.modules import collect

staff_urlpatterns = collect(sys.modules[__name__], "staff_urlpatterns")
