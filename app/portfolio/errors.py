"""The portfolio domain's refusal."""

from __future__ import annotations

from app.domain import DomainError


class PortfolioError(DomainError):
    """A refused portfolio operation (see app.domain: an English msgid, translated where it is shown)."""
