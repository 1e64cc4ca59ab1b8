"""Validation errors: every problem of a request, each naming the field by its path.

The platform translates `code` (stable) and shows `message` (English) only as a fallback; `path` is the
request's own path (`project.activities[0].sulphur_content`) so a form or an importer can point at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    path: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class EvaluationError(ValueError):
    """A request that cannot be evaluated; `.errors` holds every problem found, not only the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in self.errors) or "invalid request")


@dataclass
class Errors:
    """Collects FieldErrors while a request is read, so all of them are reported together."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, path: str, code: str, message: str) -> None:
        error = FieldError(path, code, message)
        if error not in self.items:
            self.items.append(error)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise EvaluationError(self.items)
