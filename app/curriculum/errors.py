"""The refusals of curriculum operations (see app.domain: translated where they are shown)."""

from __future__ import annotations

from app.domain import DomainError


class CurriculumError(DomainError):
    """A refused curriculum operation."""
