"""Per-request context (request id, acting user) that services and history read.

A contextvar rather than a thread-local so that it is right under ASGI too.
Commands and jobs set it themselves with `acting_as`.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("cleanasia_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


@contextlib.contextmanager
def request_context(request_id: str | None = None) -> Iterator[str]:
    """Run a block (a request, a command, a job) under one request id."""
    token = _request_id.set(request_id or new_request_id())
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)
