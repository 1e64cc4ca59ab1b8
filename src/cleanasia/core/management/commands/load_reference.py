"""`cleanasia load_reference`: load the real reference data every installation ships with."""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from cleanasia.core.context import request_context


def reference_loaders() -> list[tuple[str, Any]]:
    """`load_reference` functions of the installed apps' `reference` modules, in INSTALLED_APPS order.

    The order matters: countries (directory) come before anything that refers to them.
    """
    loaders = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "reference"):
            module = importlib.import_module(f"{config.name}.reference")
            if hasattr(module, "load_reference"):
                loaders.append((config.label, module.load_reference))
    return loaders


class Command(BaseCommand):
    help = (
        "Load the platform's real reference data: every ISO 3166-1 country (pycountry, with Japanese names from "
        "its catalogue), the country groups ASEAN, EAS and ASEAN+3 with dated memberships, the organisations and "
        "people of the Clean Asia Initiative's public record, and the CAI policy framework, each with its source. "
        "Idempotent: a second run changes nothing and says so. It never overwrites an edit made on the platform: "
        "missing records are created; a record that differs from the data files is updated only if nobody edited "
        "it since it was loaded, otherwise it is kept and listed. Countries follow pycountry. Nothing is deleted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        tallies = []
        with request_context(), transaction.atomic():
            for _label, load in reference_loaders():
                tallies.extend(load())
        width = max(len(t.label) for t in tallies)
        for t in tallies:
            self.stdout.write(
                f"  {t.label:<{width}}  {t.total:>5} in data:  {t.created:>4} created, {t.updated:>3} updated, "
                f"{t.unchanged:>4} unchanged, {len(t.kept):>2} kept as edited"
            )
        kept = [line for t in tallies for line in t.kept]
        if kept:
            self.stdout.write(self.style.WARNING("Kept as they are (changed on the platform since loading):"))
            for line in kept:
                self.stdout.write(f"  - {line}")
        created = sum(t.created for t in tallies)
        updated = sum(t.updated for t in tallies)
        seconds = time.perf_counter() - started
        if created or updated:
            self.stdout.write(
                self.style.SUCCESS(f"Reference data loaded: {created} created, {updated} updated ({seconds:.1f} s).")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Reference data already up to date: nothing changed ({seconds:.1f} s).")
            )
