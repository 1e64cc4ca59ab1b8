"""Fail when the Japanese catalogue has an untranslated, fuzzy or placeholder-broken entry.

Run after `makemessages` has refreshed the catalogue from the source, so a new
UI string without a Japanese translation fails CI.
"""

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "cleanasia" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def problems_in(po_path: Path) -> list[str]:
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"{po_path.name}: {ids[0]!r}"
        if message.fuzzy:
            found.append(f"fuzzy      {where}")
        elif not all(strings):
            found.append(f"missing    {where}")
        elif set(PLACEHOLDER.findall(ids[0])) != set(PLACEHOLDER.findall(strings[0])):
            found.append(f"placeholder {where}")
    return found


def main() -> int:
    catalogues = sorted(LOCALE_DIR.glob("ja/LC_MESSAGES/*.po"))
    if not catalogues:
        print("no Japanese catalogue found", file=sys.stderr)
        return 1
    problems = [p for po in catalogues for p in problems_in(po)]
    for line in problems:
        print(line)
    print(f"Japanese catalogue: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
