"""Signing keys of an organisation and the public addresses a credential names. A key is created on the
organisation's first issue (or by rotation), never by reading: the public profile and status list only
read the keys there are. Private keys live in the instance folder, never in the database."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, User
from app.audit import Actor, record
from app.certificates.models import Certificate, IssuerKey
from app.credentials import keys
from app.db import utcnow
from app.urls import public_url


def _key_dir() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "keys"


def current_key(session: Session, org: Organisation) -> IssuerKey | None:
    """The organisation's current signing key, if it has one (reads only)."""
    return session.scalar(
        select(IssuerKey)
        .where(IssuerKey.organisation_id == org.id, IssuerKey.retired_at.is_(None))
        .order_by(IssuerKey.id.desc())
    )


def private_key(row: IssuerKey) -> Any:
    return keys.load_private_pem((_key_dir() / row.key_file).read_bytes())


def active_key(session: Session, org: Organisation) -> tuple[IssuerKey, Any]:
    """The key to sign with when issuing: the current one, generated on the organisation's first issue."""
    row = current_key(session, org)
    if row is None:
        return _new_key(session, org)
    return row, private_key(row)


def _new_key(session: Session, org: Organisation) -> tuple[IssuerKey, Any]:
    private = keys.generate_key()
    method = keys.verification_method(private.public_key())
    name = f"org-{org.id}/{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.pem"
    path = _key_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "xb") as fh:  # never overwrite a key
        fh.write(keys.private_pem(private))
    path.chmod(0o600)
    row = IssuerKey(organisation_id=org.id, verification_method=method, key_file=name)
    session.add(row)
    session.flush()
    return row, private


def rotate_key(session: Session, actor: Actor, org: Organisation) -> IssuerKey:
    """Retire the current key and start a new one. Certificates signed before keep verifying: their
    proof names the old key, which stays in the organisation's key history."""
    for row in session.scalars(
        select(IssuerKey).where(IssuerKey.organisation_id == org.id, IssuerKey.retired_at.is_(None))
    ):
        row.retired_at = utcnow()
    row, _ = _new_key(session, org)
    record(session, actor, "certificate.key_rotate", organisation_id=org.id, target_type="issuer_key",
           target_id=row.id, summary=row.verification_method)  # fmt: skip
    return row


def organisation_keys(session: Session, org_id: int) -> set[str]:
    return set(session.scalars(select(IssuerKey.verification_method).where(IssuerKey.organisation_id == org_id)))


# --- public addresses ----------------------------------------------------------------------------


def issuer_profile(org: Organisation, verification_method: str | None = None) -> dict[str, Any]:
    """The issuer as a credential names it. Its id is the did:key that controls the signing key (what a
    standard verifier checks); ``url`` leads to the organisation's profile listing all its keys."""
    profile_url = public_url("certificates.issuer", org_id=org.id)
    return {
        "id": verification_method.split("#", 1)[0] if verification_method else profile_url,
        "type": ["Profile"],
        "name": org.name,
        "url": profile_url,
        "image": {"id": public_url("certificates.issuer_image", org_id=org.id), "type": "Image", "caption": org.name},
    }


def holder_ref(user: User) -> str:
    """A stable, unguessable reference to an account for the address credentials name their holder by: it
    says nothing about the account (not its id, nor its order of creation) to anyone without the app's
    secret key."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, f"bekwaam:holder:{user.id}".encode(), hashlib.sha256).hexdigest()[:32]


def holder_url(user: User) -> str:
    """The account's address in a credential (``credentialSubject.id``); it leads its owner, signed in, to
    their certificates and shows nobody else anything."""
    return public_url("certificates.holder", ref=holder_ref(user))


def badge_url(org_id: int, code: str, scope_key: str) -> str:
    return public_url("certificates.badge_image", org_id=org_id, code=code, scope=scope_key)


def status_list_url(org_id: int) -> str:
    return public_url("certificates.status_list", org_id=org_id)


def verify_url(cert: Certificate) -> str:
    return public_url("certificates.verify", public_id=cert.public_id)
