"""`cleanasia seed_demo`: the clearly marked, invented data that lets people try the platform."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cleanasia.core.demo import DemoDataError, seed_demo


class Command(BaseCommand):
    help = (
        "Generate demonstration data for every module that registers a generator (each app's demo.py). "
        "Deterministic: the same --seed and --scale give the same records on any database. Idempotent: running "
        "again with the same scale and seed changes nothing. Another scale or seed, or --reset, first removes the "
        "demonstration rows (only rows marked as demonstration data; real records stay) and generates them anew. "
        "Run `cleanasia load_reference` first. Ends with the demonstration sign-ins."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiplies the amount of data (1: ~40 organisations, ~400 people)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the pseudo-random generator (default 1).")
        parser.add_argument(
            "--reset", action="store_true", help="Remove the demonstration data first, then generate it again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seed"] < 0:
            raise CommandError("--seed must be 0 or more.")
        self.stdout.write(f"Demonstration data (scale {options['scale']}, seed {options['seed']}):")
        try:
            seed_demo(scale=options["scale"], seed=options["seed"], reset=options["reset"], stdout=self.stdout)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
