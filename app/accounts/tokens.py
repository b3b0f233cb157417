"""Personal API tokens: created with scopes, shown once, stored as a hash, revocable."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.errors import AccountError
from app.accounts.links import hash_token
from app.accounts.models import ApiScope, ApiToken, User
from app.accounts.users import aware
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_

API_TOKEN_PREFIX = "bkw_"  # noqa: S105 - public prefix, not a secret
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)  # last_used_at is not written on every call


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_api_token(session: Session, actor: Actor, user: User, name: str, scopes: Iterable[str]) -> NewToken:
    name = (name or "").strip()
    if not name:
        raise AccountError(N_("give the token a name, so you recognise it later"), field="name")
    scopes = sorted(set(scopes))
    known = {s.value for s in ApiScope}
    unknown = [s for s in scopes if s not in known]
    if unknown:
        raise AccountError(N_("unknown scope(s): %(scopes)s"), field="scopes", scopes=", ".join(unknown))
    if not scopes:
        raise AccountError(N_("choose at least one scope"), field="scopes")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], prefix=secret[:12], token_hash=hash_token(secret), scopes=scopes)
    session.add(token)
    session.flush()
    record(
        session,
        actor,
        "api_token.created",
        target_type="api_token",
        target_id=token.id,
        summary=f"{name} ({', '.join(scopes)})",
    )
    return NewToken(token, secret)


def revoke_api_token(session: Session, actor: Actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, actor, "api_token.revoked", target_type="api_token", target_id=token.id, summary=token.name)
        session.flush()


def authenticate_api_token(session: Session, secret: str) -> ApiToken | None:
    """The active token with this secret; its ``last_used_at`` is brought up to date (at most once a minute),
    which the API's unit of work commits even on a GET (app.authz.api_token)."""
    if not secret.startswith(API_TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    last = aware(token.last_used_at) if token.last_used_at else None
    if last is None or now - last > LAST_USE_RESOLUTION:
        token.last_used_at = now
    return token
