"""Certificate operations, one module per noun: ``issuing`` (issue, revoke), ``batches`` (a whole cohort
in the background), ``keys`` (signing keys and public addresses), ``credential`` (the signed Open Badges
credential), ``status_lists`` (revocation list) and ``verification``. Each verb checks its rules, writes,
audits and flushes; the request (or the job's unit of work) commits.

This module gathers them under one name for callers that use ``services.<verb>``."""

from __future__ import annotations

from app.certificates.batches import outcome_detail, run_batch, start_batch
from app.certificates.errors import CertificateError
from app.certificates.issuing import issue, revoke, standing
from app.certificates.keys import (
    active_key,
    current_key,
    issuer_profile,
    organisation_keys,
    rotate_key,
    status_list_url,
    verify_url,
)
from app.certificates.status_lists import status_list_credential
from app.certificates.verification import Verification, verify_document

__all__ = [
    "CertificateError",
    "Verification",
    "active_key",
    "current_key",
    "issue",
    "issuer_profile",
    "organisation_keys",
    "outcome_detail",
    "revoke",
    "rotate_key",
    "run_batch",
    "standing",
    "start_batch",
    "status_list_credential",
    "status_list_url",
    "verify_document",
    "verify_url",
]
