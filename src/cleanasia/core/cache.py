"""Aggregates cached until the data under them changes.

A page like the progress dashboard aggregates hundreds of thousands of rows
but changes only when someone records something. `cached_aggregate` keeps
its result in the process's cache under a key that includes the current
generation of the data area (one primary-key read); `watch` connects the
area's models so that any save, delete or many-to-many change raises the
generation. Code that writes with raw SQL or bulk operations, which send no
signals, calls `bump` itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import CacheGeneration

T = TypeVar("T")
DEFAULT_TIMEOUT = 15 * 60
_watched: dict[str, set[type[models.Model]]] = {}
_deferred = threading.local()


def generation(namespace: str) -> str:
    """The area's current generation as a key part (one primary-key read).

    The change time goes with the counter: a bump inside a transaction that
    later rolls back returns the counter to its old value, and a later bump
    must not then find what was cached in between.
    """
    row = CacheGeneration.objects.filter(namespace=namespace).values_list("generation", "changed_at").first()
    return "0" if row is None else f"{row[0]}-{row[1].timestamp():.6f}"


def bump(namespace: str) -> None:
    """Make every cached aggregate of `namespace` stale (inside the caller's transaction, if any)."""
    pending = getattr(_deferred, "namespaces", None)
    if pending is not None:
        pending.add(namespace)
        return
    updated = CacheGeneration.objects.filter(namespace=namespace).update(
        generation=F("generation") + 1, changed_at=timezone.now()
    )
    if not updated:
        CacheGeneration.objects.get_or_create(namespace=namespace, defaults={"generation": 1})


def bump_all() -> None:
    """Make every watched area's cached aggregates stale: after bulk work that sends no signals."""
    for namespace in sorted(_watched):
        bump(namespace)


def cached_aggregate(
    namespace: str, key_parts: Iterable[Any], compute: Callable[[], T], *, timeout: int = DEFAULT_TIMEOUT
) -> T:
    """`compute()`, or its cached result for the same key parts and the same data generation."""
    digest = hashlib.sha256(repr(tuple(key_parts)).encode()).hexdigest()[:32]
    key = f"aggregate:{namespace}:{generation(namespace)}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout)
    return found


def cached_file(namespace: str, name: str, build: Callable[[], bytes]) -> tuple[Path, str]:
    """A large export built once per data generation and kept on disk (shared by every worker process).

    Returns the file and its generation (usable as an ETag). The file is
    written under a temporary name and renamed, so a reader never sees half
    a file; older generations of the same export are removed.
    """
    current = generation(namespace)
    folder = Path(settings.DATA_DIR) / "cache" / namespace
    stem, dot, suffix = name.rpartition(".")
    path = folder / f"{stem}-{current}{dot}{suffix}"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        content = build()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".building-")
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
        for old in folder.glob(f"{stem}-*{dot}{suffix}"):
            if old != path:
                old.unlink(missing_ok=True)
    return path, current


@contextlib.contextmanager
def bumps_deferred() -> Iterator[None]:
    """Within the block, count each area's changes once: one bump per area at the end, not one per row.

    For bulk work (demonstration data removes and loads hundreds of thousands of
    watched rows, each of which would otherwise update the generation row).
    """
    if getattr(_deferred, "namespaces", None) is not None:  # nested: the outer block bumps
        yield
        return
    _deferred.namespaces = set()
    try:
        yield
    finally:
        pending, _deferred.namespaces = _deferred.namespaces, None
    for namespace in sorted(pending):
        bump(namespace)


def watch(namespace: str, senders: Iterable[type[models.Model]]) -> None:
    """Raise `namespace`'s generation whenever one of `senders` is saved, deleted or its relations change."""
    watched = _watched.setdefault(namespace, set())
    for sender in senders:
        if sender in watched:
            continue
        watched.add(sender)
        uid = f"cache-generation:{namespace}:{sender._meta.label}"
        post_save.connect(_bumper(namespace), sender=sender, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(_bumper(namespace), sender=sender, weak=False, dispatch_uid=uid + ":delete")
        for field in sender._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_bumper(namespace), sender=through, weak=False, dispatch_uid=uid + ":" + field.name)


def _bumper(namespace: str) -> Callable[..., None]:
    def handler(sender: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):  # fixtures: nothing is cached yet
            return
        if kwargs.get("action", "post_").startswith("pre_"):
            return
        bump(namespace)

    return handler
