"""Public pages of the co-benefits module (namespace "cobenefits"), mounted at /<lang>/cobenefits/."""

from .routes import public_urlpatterns

app_name = "cobenefits"
urlpatterns = public_urlpatterns
