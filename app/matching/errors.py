"""The matching domain's refusal."""

from __future__ import annotations

from app.domain import DomainError


class MatchingError(DomainError):
    """A refused matching operation (see app.domain: an English msgid, translated where it is shown)."""
