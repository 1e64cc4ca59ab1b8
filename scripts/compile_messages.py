"""Compile the gettext catalogues (.po -> .mo) with Babel, so no system gettext is needed.

Fuzzy entries are not compiled (a fuzzy translation is a guess); scripts/check_messages.py
fails CI on them.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "cleanasia" / "locale"


def main() -> None:
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        print(f"compiled {po_path.relative_to(LOCALE_DIR)} ({len(catalog)} messages)")


if __name__ == "__main__":
    main()
