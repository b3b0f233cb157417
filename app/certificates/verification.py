"""Checking an uploaded credential against what was issued here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates.keys import organisation_keys
from app.certificates.models import Certificate
from app.credentials import proof
from app.domain import N_


@dataclass
class Verification:
    signature_valid: bool
    reason: str
    certificate: Certificate | None = None
    issuer_known: bool = False
    matches_record: bool = False
    revoked: bool = False
    problems: list[str] = field(default_factory=list)  # message ids, translated where shown

    @property
    def valid(self) -> bool:
        return self.signature_valid and self.issuer_known and self.matches_record and not self.revoked


def verify_document(session: Session, document: dict[str, Any]) -> Verification:
    """Check an uploaded credential: its proof, that the key belongs to the issuing organisation, that it
    is one we issued and unchanged, and whether it was revoked."""
    result = proof.verify(document)
    outcome = Verification(result.valid, result.reason)
    credential_id = document.get("id") if isinstance(document, dict) else None
    cert = None
    if isinstance(credential_id, str):
        cert = session.scalar(select(Certificate).where(Certificate.credential_id == credential_id[:80]))
    outcome.certificate = cert
    if cert is None:
        outcome.problems.append(N_("no certificate with this id was issued here"))
        return outcome
    outcome.issuer_known = result.verification_method in organisation_keys(session, cert.organisation_id)
    if not outcome.issuer_known:
        outcome.problems.append(N_("it is not signed with a key of the issuing organisation"))
    outcome.matches_record = _canonical(document) == _canonical(cert.credential)
    if not outcome.matches_record:
        outcome.problems.append(N_("it differs from the credential as issued"))
    outcome.revoked = cert.revoked_at is not None
    return outcome


def _canonical(document: Any) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
