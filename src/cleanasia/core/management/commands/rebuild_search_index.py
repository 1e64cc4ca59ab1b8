"""`cleanasia rebuild_search_index`: rebuild the search index from the records, in bulk."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from cleanasia.core import search
from cleanasia.core.context import request_context


class Command(BaseCommand):
    help = (
        "Rebuild the search index (core.search) of every model the apps register in their search.py, or of the "
        "models named with --model app_label.Model. Saving a record keeps its entry current; run this after "
        "loading or changing records in bulk (bulk inserts and updates send no signals) or to repair the index. "
        "Safe to run again: each model's entries are replaced in one transaction (searches wait for it on "
        "PostgreSQL). Prints progress and, per model, the records, entries and grams indexed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--model",
            action="append",
            default=[],
            metavar="APP_LABEL.MODEL",
            help="Only this model (repeatable), e.g. --model meetings.Element. Default: every registered model.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        registered = {s.model for s in search.autodiscover()}
        only = None
        if options["model"]:
            only = []
            for label in options["model"]:
                try:
                    model = apps.get_model(label)
                except (LookupError, ValueError) as exc:
                    raise CommandError(
                        f"No model {label!r}: write it as app_label.Model, e.g. meetings.Element."
                    ) from exc
                if model not in registered:
                    names = ", ".join(sorted(m._meta.label for m in registered)) or "none"
                    raise CommandError(f"{model._meta.label} is not searchable. Searchable models: {names}.")
                only.append(model)
        started = time.perf_counter()
        with request_context():
            tallies = search.rebuild(only, stdout=self.stdout)
        records = sum(t.records for t in tallies.values())
        entries = sum(t.entries for t in tallies.values())
        grams = sum(t.grams for t in tallies.values())
        self.stdout.write(
            f"Search index rebuilt: {records:,} records, {entries:,} entries, {grams:,} grams "
            f"in {time.perf_counter() - started:.1f} s."
        )
