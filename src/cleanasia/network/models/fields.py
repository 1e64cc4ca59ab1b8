"""Fields of the network (air, water, waste/3R, climate and co-benefits…): the secretariat edits the list."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import DomainModel


class Field(DomainModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name or self.code
