"""Fail when the translation catalogue lags behind the code.

Run by `make test` (and so by CI), with the extraction keywords of `make messages`:

    python scripts/check-catalogue.py -k _l -k N_ ...

It fails, naming the messages, when
- a Dutch entry is untranslated (an empty msgstr, or an empty plural form) or marked fuzzy;
- translations/messages.pot is stale: extracting the code afresh yields message ids the template lacks,
  or the template keeps ids the code no longer has;
- a message id of the template is missing from the Dutch catalogue (`pybabel update` was not run).

The fix is `make messages`, then translating what it reports as new or fuzzy.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "translations" / "messages.pot"
LOCALES = ["nl"]
# The same folders `make messages` extracts from.
SOURCES = ["app", "templates", "templates/_macros"]
SHOWN = 15


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog: Catalog) -> set[tuple[str | None, str]]:
    """Message ids (with their context) of every real entry, the header left out."""
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def _label(key: tuple[str | None, str]) -> str:
    context, msgid = key
    return f"[{context}] {msgid!r}" if context else repr(msgid)


def _extract(keywords: list[str]) -> Catalog:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "messages.pot"
        argv = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *keywords, "-o", str(output)]
        argv += ["--no-location", "--sort-output", *(str(ROOT / source) for source in SOURCES)]
        CommandLineInterface().run(argv)
        return _read(output)


def _untranslated(catalog: Catalog) -> tuple[list[str], list[str]]:
    empty, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        key = _label((message.context, message.id if isinstance(message.id, str) else message.id[0]))
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(strings):
            empty.append(key)
        if message.fuzzy:
            fuzzy.append(key)
    return empty, fuzzy


def _report(problems: list[str], title: str, keys: list[str]) -> None:
    if not keys:
        return
    lines = [f"{title} ({len(keys)}):"] + [f"    {key}" for key in sorted(keys)[:SHOWN]]
    if len(keys) > SHOWN:
        lines.append(f"    ... and {len(keys) - SHOWN} more")
    problems.append("\n".join(lines))


def check(keywords: list[str]) -> list[str]:
    problems: list[str] = []
    template = _ids(_read(TEMPLATE))
    fresh = _ids(_extract(keywords))
    _report(problems, "in the code but not in messages.pot", [_label(k) for k in fresh - template])
    _report(problems, "in messages.pot but no longer in the code", [_label(k) for k in template - fresh])
    for locale in LOCALES:
        path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
        catalog = _read(path)
        _report(problems, f"{locale}: missing from the catalogue", [_label(k) for k in fresh - _ids(catalog)])
        empty, fuzzy = _untranslated(catalog)
        _report(problems, f"{locale}: untranslated", empty)
        _report(problems, f"{locale}: fuzzy", fuzzy)
    return problems


def main(argv: list[str]) -> int:
    problems = check(argv)
    if problems:
        print("The translation catalogue lags behind the code:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        print("Run `make messages` and translate what is new or fuzzy.", file=sys.stderr)
        return 1
    print("Translation catalogue complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
