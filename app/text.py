"""Plain-text rules shared by forms, services and downloads: single-line fields carry no control
characters (a CR/LF in a name once broke every PDF download of that student)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Cc: C0/C1 controls, DEL (tab, CR, LF, NUL, ESC …); Zl/Zp: U+2028/U+2029, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def is_control(ch: str) -> bool:
    return unicodedata.category(ch) in _REFUSED_CATEGORIES


def has_control_characters(value: str | None) -> bool:
    """True when ``value`` holds a line break, tab or other control character."""
    return value is not None and any(is_control(ch) for ch in value)


def strip_control_characters(value: str | None, replacement: str = " ") -> str:
    """``value`` with every control character replaced (for text from old rows, headers and file names)."""
    return "".join(replacement if is_control(ch) else ch for ch in value or "")


def single_line_message() -> str:
    from flask_babel import gettext as _

    return _("Use one line without line breaks, tabs or other control characters.")


def refuse_control_characters(value: str | None, field: str, error: Callable[..., Exception]) -> None:
    """Raise ``error(message, field=field)`` when ``value`` is not a single line: the guard for services
    that set names outside a form (CSV import, commands, the API)."""
    if has_control_characters(value):
        raise error(single_line_message(), field=field)
