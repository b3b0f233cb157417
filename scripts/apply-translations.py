"""Apply pending Dutch translations to the catalogue.

Work done on a branch keeps its new Dutch in ``translations/pending/<topic>.json``
(``{"English msgid": "Nederlandse tekst"}``, or a list of forms for a plural
msgid) instead of editing ``messages.po``, so that branches never conflict on the
catalogue. After merging, run ``make messages`` and then this script: it fills
every entry it knows, clears the fuzzy mark on them and reports entries the
pending files name that the catalogue no longer holds.

Usage: python scripts/apply-translations.py [--keep]
       (``--keep`` leaves the pending files in place; by default they are removed
       once applied.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
PENDING = ROOT / "translations" / "pending"


def main(argv: list[str]) -> int:
    files = sorted(PENDING.glob("*.json"))
    if not files:
        print("no pending translations")
        return 0
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="nl")
    applied = 0
    unknown: list[str] = []
    for path in files:
        entries = json.loads(path.read_text(encoding="utf-8"))
        for msgid, text in entries.items():
            message = catalogue.get(msgid)
            if message is None:
                unknown.append(f"{path.name}: {msgid}")
                continue
            message.string = tuple(text) if isinstance(text, list) else text
            message.flags.discard("fuzzy")
            applied += 1
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalogue, width=120, omit_header=False, no_location=True, sort_output=True)
    print(f"applied {applied} translations from {len(files)} file(s)")
    for line in unknown:
        print(f"  not in the catalogue (run make messages first?): {line}")
    if "--keep" not in argv:
        for path in files:
            path.unlink()
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
