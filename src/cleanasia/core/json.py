"""JSON stored as readable UTF-8, so that text search finds Japanese inside JSON fields.

Django's JSONField writes `json.dumps` output, which escapes every non-ASCII
character (`\\u74b0`); on SQLite a `__icontains` over such a column can then
never match Japanese. Fields that hold searchable text use this encoder.
"""

import json
from typing import Any


class UnicodeJSONEncoder(json.JSONEncoder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)
