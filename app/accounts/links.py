"""Single-use links: the set-password link of a new account and the password-reset link.

Only a hash of each link's token is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.errors import AccountError
from app.accounts.models import LinkPurpose, OneTimeLink, User
from app.accounts.users import aware, set_password
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_

INVITATION_TTL = dt.timedelta(days=7)
RESET_TTL = dt.timedelta(hours=2)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_link(
    session: Session, actor: Actor, user: User, purpose: LinkPurpose, organisation_id: int | None = None
) -> str:
    """A single-use link token; only its hash is stored. Earlier unused links of the same kind expire."""
    now = utcnow()
    for old in session.scalars(
        select(OneTimeLink).where(
            OneTimeLink.user_id == user.id, OneTimeLink.purpose == purpose, OneTimeLink.used_at.is_(None)
        )
    ):
        old.expires_at = min(aware(old.expires_at), now)
    raw = secrets.token_urlsafe(32)
    ttl = INVITATION_TTL if purpose == LinkPurpose.INVITATION else RESET_TTL
    session.add(
        OneTimeLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(raw),
            created_by_id=actor.user.id if actor.user else None,
            expires_at=now + ttl,
        )
    )
    record(
        session,
        actor,
        "user.invited" if purpose == LinkPurpose.INVITATION else "user.password_reset_requested",
        organisation_id=organisation_id,
        target_type="user",
        target_id=user.id,
        summary=user.email,
    )
    session.flush()
    return raw


def find_link(session: Session, raw: str, purpose: LinkPurpose) -> OneTimeLink | None:
    """The link if it exists, is of this kind, unused and not expired."""
    link = session.scalar(select(OneTimeLink).where(OneTimeLink.token_hash == hash_token(raw or "")))
    if link is None or link.purpose != purpose or link.used_at is not None:
        return None
    if aware(link.expires_at) <= utcnow():
        return None
    return link


def use_link(session: Session, actor: Actor, raw: str, purpose: LinkPurpose, password: str) -> User:
    link = find_link(session, raw, purpose)
    if link is None:
        raise AccountError(N_("this link is invalid, was used already or has expired"))
    user = link.user
    set_password(session, Actor(user, actor.ip, actor.user_agent), user, password)
    link.used_at = utcnow()
    session.flush()
    return user
