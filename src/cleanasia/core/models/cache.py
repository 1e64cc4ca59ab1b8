from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheGeneration(models.Model):
    """A counter per data area, raised by every change to that area.

    Cached aggregates carry the generation in their key, so a change anywhere
    (in any worker process) makes every older cached copy unreachable; the
    per-process cache needs no cross-process invalidation.
    """

    namespace = models.CharField(_("namespace"), max_length=50, primary_key=True)
    generation = models.PositiveBigIntegerField(_("generation"), default=0)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return f"{self.namespace} #{self.generation}"
