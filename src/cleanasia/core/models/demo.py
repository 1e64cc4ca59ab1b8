"""A record of each demonstration data set loaded, so that loading is idempotent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """One run of the demonstration-data generator for a module at a scale and seed."""

    module = models.CharField(_("module"), max_length=64)
    scale = models.PositiveIntegerField(_("scale"))
    seed = models.PositiveIntegerField(_("seed"))
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("demonstration data set")
        verbose_name_plural = _("demonstration data sets")
        ordering = ["module"]
        constraints = [models.UniqueConstraint(fields=["module"], name="core_demodataset_one_per_module")]

    def __str__(self) -> str:
        return f"{self.module} (scale {self.scale}, seed {self.seed})"
