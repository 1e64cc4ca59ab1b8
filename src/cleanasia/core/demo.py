"""Demonstration data: a registry of per-module generators and the runner behind `cleanasia seed_demo`.

Each app may have a `demo.py` that calls `register(...)` at import time; the
runner imports them all with `autodiscover_modules("demo")`, so modules are
generated in INSTALLED_APPS order (accounts before directory before later
modules). A generator is `generate(rng, scale, stdout) -> summary dict`:

* `rng` is a `random.Random` seeded from the run's seed and the module name
  only, so adding a module never changes another module's data, and two fresh
  databases seeded alike hold the same records;
* every record it creates is marked `is_demo=True` (core.models.DemoMarked);
* it must order whatever it reads from the database, for the same reason.

One `DemoDataset` row per module records scale, seed and summary. Running
again with the same scale and seed changes nothing. Another scale or seed, or
`reset=True`, first deletes the demonstration rows (and their change history)
of every registered module, newest module first, then generates them anew.
Real records are never deleted.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.test.utils import override_settings
from django.utils.module_loading import autodiscover_modules

from . import cache
from .context import request_context
from .models import DemoDataset

Generator = Callable[[random.Random, int, TextIO], dict[str, Any]]


@dataclass(frozen=True)
class DemoModule:
    """A module's generator, the models it fills (deleted in this order on reset) and an optional epilogue."""

    name: str
    generate: Generator
    models: tuple[type[models.Model], ...]
    epilogue: Callable[[TextIO], None] | None = None
    before_reset: Callable[[], int] | None = None


class DemoDataError(Exception):
    """Demonstration data cannot be generated or removed (the message says why and what to do)."""


_REGISTRY: dict[str, DemoModule] = {}


def register(
    name: str,
    generate: Generator,
    *,
    models: Sequence[type[models.Model]] = (),
    epilogue: Callable[[TextIO], None] | None = None,
    before_reset: Callable[[], int] | None = None,
) -> None:
    """Register (or re-register, on a module reload) the generator of module `name`.

    `models` lists the models whose `is_demo` rows the module creates, in the
    order they can be deleted (dependants first). `epilogue(stdout)` runs at
    the end of every `seed_demo`, loaded or not (e.g. to print the demo sign-ins).
    `before_reset()` runs first on a reset, for rows that need more than one
    `filter(is_demo=True).delete()` per model (e.g. a tree whose children protect
    their parents); it returns how many rows it removed.
    """
    _REGISTRY[name] = DemoModule(
        name=name, generate=generate, models=tuple(models), epilogue=epilogue, before_reset=before_reset
    )


def autodiscover() -> list[DemoModule]:
    """Import every installed app's `demo` module; return the registered modules in registration order."""
    autodiscover_modules("demo")
    return list(_REGISTRY.values())


def module_rng(seed: int, module: str) -> random.Random:
    """The module's own deterministic generator (str seeds are hashed with SHA-512, stable across runs)."""
    return random.Random(f"cleanasia-demo:{seed}:{module}")


def _delete_demo_rows(module: DemoModule) -> dict[str, int]:
    counts: dict[str, int] = {}
    # The rows and their history go together, so recording their deletion in the history would only
    # cost time (tens of thousands of rows at large scales).
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        if module.before_reset is not None:
            counts[f"{module.name}.before_reset"] = module.before_reset()
        for model in module.models:
            try:
                deleted, _by_model = model._default_manager.filter(is_demo=True).delete()
            except (ProtectedError, RestrictedError) as exc:
                objs = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
                blockers = sorted({str(obj._meta.verbose_name) for obj in objs})
                raise DemoDataError(
                    f"Cannot remove the demonstration {model._meta.verbose_name_plural} of {module.name}: "
                    f"real records ({', '.join(blockers)}) refer to them. Remove or re-point those first."
                ) from exc
            counts[model._meta.label] = deleted
            history = getattr(model, "history", None)
            if history is not None and hasattr(history.model, "is_demo"):
                history.filter(is_demo=True).delete()
    return counts


def _tables_of(models_: Sequence[type[models.Model]]) -> list[str]:
    """The tables behind `models_`: their own, their many-to-many link tables and their history tables."""
    tables: list[str] = []
    for model in models_:
        tables.append(model._meta.db_table)
        tables += [field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many]
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    return list(dict.fromkeys(tables))


def refresh_planner_statistics(module: DemoModule) -> None:
    """ANALYZE the module's tables on PostgreSQL after bulk work.

    Inside the seeding transaction autovacuum sees none of the new rows, so the
    next module's queries (and the first requests after a reset) were planned for
    empty tables: nested scans over hundreds of thousands of rows. ANALYZE in the
    same transaction counts its own new rows. SQLite plans from its indexes alone.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in _tables_of(module.models):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def reset_demo_data(modules: Sequence[DemoModule], *, stdout: TextIO) -> None:
    """Delete the demonstration rows of `modules` (newest module first) and their DemoDataset records."""
    with transaction.atomic(), cache.bumps_deferred():
        for module in reversed(modules):
            counts = _delete_demo_rows(module)
            DemoDataset.objects.filter(module=module.name).delete()
            refresh_planner_statistics(module)
            removed = sum(counts.values())
            stdout.write(f"  {module.name}: removed {removed} demonstration rows\n")
        cache.bump_all()  # bulk deletes send no signals


def seed_demo(*, scale: int, seed: int, reset: bool, stdout: TextIO) -> dict[str, dict[str, Any]]:
    """Generate the demonstration data of every registered module; returns the summaries it generated."""
    if scale < 1:
        raise DemoDataError("The scale must be 1 or more.")
    modules = autodiscover()
    loaded = {d.module: d for d in DemoDataset.objects.filter(module__in=[m.name for m in modules])}
    mismatched = [d for d in loaded.values() if (d.scale, d.seed) != (scale, seed)]
    generated: dict[str, dict[str, Any]] = {}
    # One transaction: a generator that fails leaves the demonstration data as it was.
    with request_context(), transaction.atomic(), cache.bumps_deferred():
        if reset or mismatched:
            if mismatched and not reset:
                before = ", ".join(f"{d.module} (scale {d.scale}, seed {d.seed})" for d in mismatched)
                stdout.write(f"Replacing demonstration data loaded as {before} with scale {scale}, seed {seed}.\n")
            stdout.write("Removing demonstration data (real records are kept):\n")
            reset_demo_data(modules, stdout=stdout)
            loaded = {}
        for module in modules:
            if module.name in loaded:
                stdout.write(f"  {module.name}: already loaded (scale {scale}, seed {seed}); nothing changed\n")
                continue
            started = time.perf_counter()
            summary = module.generate(module_rng(seed, module.name), scale, stdout)
            refresh_planner_statistics(module)
            DemoDataset.objects.create(module=module.name, scale=scale, seed=seed, summary=summary)
            seconds = time.perf_counter() - started
            counts = ", ".join(f"{value} {key}" for key, value in summary.items())
            stdout.write(f"  {module.name}: generated {counts} in {seconds:.1f} s\n")
            generated[module.name] = summary
        if generated:
            cache.bump_all()  # bulk inserts send no signals: what was cached before is stale
        for module in modules:
            if module.epilogue is not None:
                module.epilogue(stdout)
    return generated
