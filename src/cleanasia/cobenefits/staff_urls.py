"""Staff pages of the co-benefits module (namespace "cobenefits_staff"), mounted at /<lang>/staff/cobenefits/."""

from .staff_routes import staff_urlpatterns

app_name = "cobenefits_staff"
urlpatterns = staff_urlpatterns
