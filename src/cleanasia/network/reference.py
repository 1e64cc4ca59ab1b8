"""Loads the network's fields (data/fields.json): the seven fields every installation starts with.

A missing field is created (found by code); an existing one is left as it is, since the secretariat edits
the list on the platform (names, order, retiring a field). Nothing is deleted.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from cleanasia.core.reference import Tally

from .models import Field
from .services import groups as group_services

FIELDS_FILE = Path(__file__).resolve().parent / "data" / "fields.json"


def read_fields() -> list[dict[str, str]]:
    return json.loads(FIELDS_FILE.read_text(encoding="utf-8"))["fields"]


def load_fields() -> Tally:
    tally = Tally("network fields")
    existing = set(Field.objects.values_list("code", flat=True))
    for spec in read_fields():
        if spec["code"] in existing:
            tally.unchanged += 1
        else:
            group_services.field_create(actor=None, **spec)
            tally.created += 1
    return tally


def load_reference() -> list[Tally]:
    """Entry point found by `cleanasia load_reference`."""
    with transaction.atomic():
        return [load_fields()]
