"""Accounts: creating them, their names and languages, passwords, signing in and out, (de)activation.

Each verb validates, writes, audits and flushes; the unit of work (app.uow) commits once."""

from __future__ import annotations

import datetime as dt
import secrets

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.errors import AccountError, PasswordRejected
from app.accounts.models import Organisation, User
from app.accounts.passwords import hash_password, needs_rehash, password_problems, verify_password
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_
from app.text import refuse_control_characters

LANGUAGES = ("en", "nl")


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def normalise_email(raw: str) -> str:
    """Lower-cased, validated syntax (no DNS look-up). Raises AccountError naming the problem."""
    address = (raw or "").strip()
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError(N_("'%(address)s' is not a valid email address"), field="email", address=address) from exc
    return result.normalized.lower()


def check_name(name: str) -> str:
    """A person's name, stripped; raises AccountError naming the problem."""
    name = (name or "").strip()
    if not name:
        raise AccountError(N_("a name is required"), field="name")
    if len(name) > 200:
        raise AccountError(N_("the name is longer than 200 characters"), field="name")
    refuse_control_characters(name, "name", AccountError)
    return name


def check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise AccountError(
            N_("language must be one of %(languages)s"), field="language", languages=", ".join(LANGUAGES)
        )


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    session: Session,
    actor: Actor,
    *,
    email: str,
    name: str,
    language: str = "en",
    password: str | None = None,
    platform_admin: bool = False,
    created_by_organisation: Organisation | None = None,
) -> User:
    email = normalise_email(email)
    name = check_name(name)
    check_language(language)
    if find_user_by_email(session, email):
        raise AccountError(N_("an account with %(email)s already exists"), field="email", email=email)
    user = User(
        email=email,
        name=name,
        language=language,
        active=True,
        is_platform_admin=platform_admin,
        session_token=new_session_token(),
        created_by_organisation_id=created_by_organisation.id if created_by_organisation else None,
    )
    if password is not None:
        _check_password(password, user)
        user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    record(session, actor, "user.created", target_type="user", target_id=user.id, summary=f"created {email}")
    return user


def _check_password(password: str, user: User) -> None:
    problems = password_problems(password, [user.email, user.name])
    if problems:
        raise PasswordRejected(problems)


def set_password(session: Session, actor: Actor, user: User, password: str) -> None:
    """New password, and every other session of this user ends."""
    _check_password(password, user)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    record(session, actor, "user.password_changed", target_type="user", target_id=user.id)
    session.flush()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user when the password matches an active account; None otherwise (in constant-ish time)."""
    try:
        email = normalise_email(email)
    except AccountError:
        verify_password(None, password)
        return None
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def sign_out(session: Session, actor: Actor, user: User) -> None:
    """Ends the sign-in on the server, not only in this browser: the session token rotates, so a copied
    session or remember-me cookie is refused. There is one token per user, so other devices sign out too."""
    user.session_token = new_session_token()
    record(session, actor, "auth.signed_out", target_type="user", target_id=user.id)
    session.flush()


def sign_out_everywhere(session: Session, actor: Actor, user: User) -> None:
    user.session_token = new_session_token()
    record(session, actor, "user.signed_out_everywhere", target_type="user", target_id=user.id)
    session.flush()


def set_active(session: Session, actor: Actor, user: User, active: bool, organisation_id: int | None = None) -> None:
    if user.active == active:
        return
    user.active = active
    user.session_token = new_session_token()
    record(
        session,
        actor,
        "user.activated" if active else "user.deactivated",
        organisation_id=organisation_id,
        target_type="user",
        target_id=user.id,
        summary=user.email,
    )
    session.flush()


def update_profile(session: Session, actor: Actor, user: User, *, name: str, language: str) -> None:
    """The person's own name and language."""
    name = check_name(name)
    check_language(language)
    user.name, user.language = name, language
    session.flush()
