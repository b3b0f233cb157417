"""The refusal of a certificate operation (see app.domain: translated where it is shown)."""

from __future__ import annotations

from app.domain import DomainError


class CertificateError(DomainError):
    """A refused certificate operation."""
