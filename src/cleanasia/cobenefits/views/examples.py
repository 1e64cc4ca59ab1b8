"""Worked examples shipped with the calculator: data/examples/<key>.json, each {title, description, request}."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "examples"


@dataclass(frozen=True)
class Example:
    key: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    request: dict[str, Any]

    def _in_language(self, texts: dict[str, str]) -> str:
        language = (get_language() or "en")[:2]
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")

    @property
    def title(self) -> str:
        return self._in_language(self.titles)

    @property
    def description(self) -> str:
        return self._in_language(self.descriptions)

    def request_text(self) -> str:
        """The request as the textarea shows it: indented JSON, Japanese left readable."""
        return json.dumps(self.request, indent=2, ensure_ascii=False)


@functools.cache
def examples() -> dict[str, Example]:
    """Every example by key (the file's name), in the files' order."""
    found = {}
    for path in sorted(EXAMPLES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = Example(path.stem, data["title"], data.get("description", {}), data["request"])
    return found
