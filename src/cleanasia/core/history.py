"""Change history of domain records, on django-simple-history.

Every historied model declares `history = historied()` or, when it has
translated fields, is registered with `register_history()` from translation.py.
Besides who/when/what, each historical row keeps the
namespaced action code of the service that made the change (e.g.
`framework.node.updated`) and the request id, so a change can be traced to the
request or command that made it. Labels are translated when displayed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .context import current_request_id


class HistoryExtras(models.Model):
    action_code = models.CharField(_("action"), max_length=80, blank=True, default="")
    request_id = models.CharField(_("request id"), max_length=64, blank=True, default="")

    class Meta:
        abstract = True


def historied(**kwargs: Any) -> HistoricalRecords:
    """The platform's HistoricalRecords: with action code and request id, no excluded fields by default."""
    kwargs.setdefault("bases", [HistoryExtras])
    kwargs.setdefault("excluded_fields", ["updated_at"])
    return HistoricalRecords(**kwargs)


def register_history(model: type[models.Model], **kwargs: Any) -> None:
    """Give a model with translated fields its history.

    A model with modeltranslation fields must be registered here, from its
    app's translation.py after the translation registration, because a
    `history = historied()` attribute would build the historical model before
    the `_ja`/`_en` fields exist and their changes would not be recorded.
    """
    from simple_history import register

    kwargs.setdefault("bases", [HistoryExtras])
    # The base column of a translated field only echoes one language: keep the _ja/_en columns.
    kwargs.setdefault("excluded_fields", ["updated_at", *sorted(translated_base_fields(model))])
    register(model, **kwargs)


def translated_base_fields(model: type[models.Model]) -> set[str]:
    """Fields that modeltranslation splits into _ja/_en (their base names, e.g. {"title"})."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def mark_action(instance: models.Model, action_code: str, *, actor: Any = None) -> None:
    """Tell the next history row of `instance` which action made it and who acted."""
    instance._history_action_code = action_code  # type: ignore[attr-defined]
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]


@receiver(pre_create_historical_record)
def _fill_history_extras(sender, instance, history_instance, **kwargs) -> None:
    if hasattr(history_instance, "action_code"):
        history_instance.action_code = getattr(instance, "_history_action_code", "") or ""
        history_instance.request_id = current_request_id()
