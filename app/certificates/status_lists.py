"""The organisation's revocation list (a W3C Bitstring Status List): positions are handed out at random
when issuing, and the signed list is built when read, without writing anything."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Organisation
from app.certificates.errors import CertificateError
from app.certificates.keys import current_key, private_key, status_list_url
from app.certificates.models import Certificate, IssuerKey, StatusList
from app.credentials import proof, status
from app.db import utcnow
from app.domain import N_

DEFAULT_SIZE = 131072


def allocate_index(session: Session, org: Organisation) -> int:
    """A random, never used position in the organisation's status list: positions reveal nothing about
    issuing order or volume, and the unique constraint (organisation, index) keeps them from being reused."""
    lst = session.scalar(select(StatusList).where(StatusList.organisation_id == org.id).with_for_update())
    if lst is None:
        lst = StatusList(organisation_id=org.id)
        session.add(lst)
        session.flush()
    if lst.next_index >= lst.size // 2:
        raise CertificateError(N_("the organisation's status list is half full: start a new list before issuing more"))
    while True:  # at most half full, so each try succeeds with probability over 1/2
        index = secrets.randbelow(lst.size)
        taken = session.scalar(
            select(Certificate.id).where(Certificate.organisation_id == org.id, Certificate.status_index == index)
        )
        if taken is None:
            break
    lst.next_index += 1  # counts positions handed out
    return index


def _signing_row(session: Session, org: Organisation) -> IssuerKey | None:
    """The current key, else the newest one: reading the list never creates a key."""
    return current_key(session, org) or session.scalar(
        select(IssuerKey).where(IssuerKey.organisation_id == org.id).order_by(IssuerKey.id.desc())
    )


def status_list_credential(session: Session, org: Organisation) -> dict[str, Any] | None:
    """The signed status list, built now from the revoked certificates (reads only); None when the
    organisation has never issued (it has no key to sign with)."""
    key_row = _signing_row(session, org)
    if key_row is None:
        return None
    revoked = set(
        session.scalars(
            select(Certificate.status_index).where(
                Certificate.organisation_id == org.id, Certificate.revoked_at.is_not(None)
            )
        )
    )
    lst = session.scalar(select(StatusList).where(StatusList.organisation_id == org.id))
    size = lst.size if lst else DEFAULT_SIZE
    url = status_list_url(org.id)
    issuer = key_row.verification_method.split("#", 1)[0]  # a bare DID: the list uses the VC context only
    document = status.status_list_credential(url, issuer, status.encode_bitstring(revoked, size), utcnow())
    return proof.sign(document, private_key(key_row), key_row.verification_method)
