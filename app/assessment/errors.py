"""The refusals of assessment operations (see app.domain: translated where they are shown)."""

from __future__ import annotations

from app.domain import DomainError


class AssessmentError(DomainError):
    """A refused assessment operation."""


class Conflict(AssessmentError):
    """Someone else saved in between: the change is refused, nothing is overwritten."""
