"""Compile the .po translation catalogues into .mo files, with no need for GNU gettext.

`make install` runs it, so a fresh machine needs nothing but Python.
"""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def main() -> int:
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
