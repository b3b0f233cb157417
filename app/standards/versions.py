"""Versions of a standard side by side: which one a bare code means, and finding a given one.

A standard is identified by its code and version. ``/standards/<code>``, the API and the CASE provider's
code-based addresses mean the *current* version of the code: the highest version in natural order ("2.10"
after "2.9", "2026" after "2025"), the most recently loaded one among equals. Older versions stay in place,
addressed as ``/standards/<code>/versions/<version>``; cohorts keep pointing at their own version's row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.standards.models import Framework

# How a framework without a version is named in an address (a version of its own cannot be empty).
NO_VERSION = "-"


def version_key(version: str | None) -> tuple[tuple[int, int, str], ...]:
    """Natural order of version strings: numbers compare as numbers, text as folded text."""
    parts = [p for p in re.split(r"(\d+)", version or "") if p]
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts)


def newest(frameworks: Iterable[Framework]) -> Framework | None:
    return max(frameworks, key=lambda fw: (version_key(fw.version), fw.id), default=None)


def version_from_url(value: str) -> str | None:
    return None if value == NO_VERSION else value


def version_in_url(version: str | None) -> str:
    return version if version else NO_VERSION


def same_version(version: str | None):  # type: ignore[no-untyped-def]
    """The SQL condition for a framework row of this version (no version matches NULL)."""
    return Framework.version.is_(None) if version is None else Framework.version == version


def current_ids(session: Session, codes: Iterable[str] | None = None) -> dict[str, int]:
    """The id of the current version of each code (of the codes given, or of all): one query."""
    query = select(Framework.id, Framework.code, Framework.version)
    if codes is not None:
        query = query.where(Framework.code.in_(list(codes)))
    best: dict[str, tuple[tuple[tuple[int, int, str], ...], int]] = {}
    for fw_id, code, version in session.execute(query):
        rank = (version_key(version), fw_id)
        if code not in best or rank > best[code]:
            best[code] = rank
    return {code: rank[1] for code, rank in best.items()}


def versions_of(session: Session, code: str) -> list[Framework]:
    """Every loaded version of a code, newest first."""
    rows = session.scalars(select(Framework).where(Framework.code == code)).all()
    return sorted(rows, key=lambda fw: (version_key(fw.version), fw.id), reverse=True)


def is_first_of_code(session: Session, framework: Framework) -> bool:
    """Whether the framework is the first version of its code loaded here (it derives identifiers from the
    code alone, as every standard did before versions; see identity.derivation_code)."""
    first = session.scalar(select(Framework.id).where(Framework.code == framework.code).order_by(Framework.id).limit(1))
    return first is None or first == framework.id
