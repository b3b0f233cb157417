"""Text folding for search: case and diacritics do not matter ('enquete' finds 'enquêtes')."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics, unify quotes and collapse white space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(stripped.casefold().split())


def escape_like(term: str) -> str:
    """Escape LIKE wildcards so a user's '%' or '_' is matched literally (with ESCAPE '\\')."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
