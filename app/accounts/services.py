"""Account operations. Each verb validates, writes, audits and flushes; the caller commits once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import (
    ApiScope,
    ApiToken,
    Cohort,
    CohortAssessor,
    CohortStudent,
    LinkPurpose,
    Membership,
    OneTimeLink,
    Organisation,
    OrgKind,
    Role,
    User,
)
from app.accounts.passwords import PasswordProblem, hash_password, needs_rehash, password_problems, verify_password
from app.audit import Actor, record
from app.db import utcnow
from app.domain import DomainError
from app.text import refuse_control_characters

LANGUAGES = ("en", "nl")
INVITATION_TTL = dt.timedelta(days=7)
RESET_TTL = dt.timedelta(hours=2)
API_TOKEN_PREFIX = "bkw_"  # noqa: S105 - public prefix, not a secret


class AccountError(DomainError):
    """A refused account operation (see app.domain: translated where it is shown)."""


class PasswordRejected(AccountError):
    def __init__(self, problems: list[PasswordProblem]):
        super().__init__("password rejected: " + ", ".join(problems), field="password")
        self.problems = problems


def normalise_email(raw: str) -> str:
    """Lower-cased, validated syntax (no DNS look-up). Raises AccountError naming the problem."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError(str(exc), field="email") from exc
    return result.normalized.lower()


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


# --- users -------------------------------------------------------------------------------------


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
        raise AccountError(f"an account with {email} already exists", field="email")
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


def check_name(name: str) -> str:
    """A person's name, stripped; raises AccountError naming the problem."""
    name = (name or "").strip()
    if not name:
        raise AccountError("a name is required", field="name")
    if len(name) > 200:
        raise AccountError("the name is longer than 200 characters", field="name")
    refuse_control_characters(name, "name", AccountError)
    return name


def check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise AccountError(f"language must be one of {', '.join(LANGUAGES)}", field="language")


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


# --- one-time links: invitations and password resets -------------------------------------------


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
        old.expires_at = min(_aware(old.expires_at), now)
    raw = secrets.token_urlsafe(32)
    ttl = INVITATION_TTL if purpose == LinkPurpose.INVITATION else RESET_TTL
    session.add(
        OneTimeLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=_hash_token(raw),
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
    link = session.scalar(select(OneTimeLink).where(OneTimeLink.token_hash == _hash_token(raw or "")))
    if link is None or link.purpose != purpose or link.used_at is not None:
        return None
    if _aware(link.expires_at) <= utcnow():
        return None
    return link


def use_link(session: Session, actor: Actor, raw: str, purpose: LinkPurpose, password: str) -> User:
    link = find_link(session, raw, purpose)
    if link is None:
        raise AccountError("this link is invalid, was used already or has expired")
    user = link.user
    set_password(session, Actor(user, actor.ip, actor.user_agent), user, password)
    link.used_at = utcnow()
    session.flush()
    return user


# --- organisations, roles, cohorts ---------------------------------------------------------------


def create_organisation(session: Session, actor: Actor, *, name: str, kind: str) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise AccountError("a name is required", field="name")
    if kind not in {k.value for k in OrgKind}:
        raise AccountError("unknown kind of organisation", field="kind")
    if session.scalar(select(Organisation).where(Organisation.name == name)):
        raise AccountError(f"an organisation named {name} already exists", field="name")
    org = Organisation(name=name, kind=kind)
    session.add(org)
    session.flush()
    record(
        session,
        actor,
        "organisation.created",
        organisation_id=org.id,
        target_type="organisation",
        target_id=org.id,
        summary=name,
    )
    return org


def grant_role(session: Session, actor: Actor, user: User, organisation: Organisation, role: Role) -> bool:
    """Give a role; False when the user already had it."""
    exists = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id, Membership.role == role
        )
    )
    if exists:
        return False
    session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    record(
        session,
        actor,
        "membership.granted",
        organisation_id=organisation.id,
        target_type="user",
        target_id=user.id,
        summary=f"{user.email}: {role}",
        details={"role": str(role)},
    )
    session.flush()
    return True


def revoke_role(session: Session, actor: Actor, user: User, organisation: Organisation, role: Role) -> bool:
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id, Membership.role == role
        )
    )
    if membership is None:
        return False
    if role == Role.ORG_ADMIN and actor.user is not None and actor.user.id == user.id:
        raise AccountError("you cannot remove your own administrator role", field="role")
    session.delete(membership)
    record(
        session,
        actor,
        "membership.revoked",
        organisation_id=organisation.id,
        target_type="user",
        target_id=user.id,
        summary=f"{user.email}: {role}",
        details={"role": str(role)},
    )
    session.flush()
    return True


def set_roles(session: Session, actor: Actor, user: User, organisation: Organisation, roles: Iterable[Role]) -> None:
    wanted = set(roles)
    current = user.roles_in(organisation.id)
    for role in sorted(current - wanted):
        revoke_role(session, actor, user, organisation, role)
    for role in sorted(wanted - current):
        grant_role(session, actor, user, organisation, role)
    session.expire(user, ["memberships"])


def create_cohort(
    session: Session,
    actor: Actor,
    organisation: Organisation,
    *,
    name: str,
    year: str,
    framework_id: int,
    profile_key: str | None,
) -> Cohort:
    name, year = (name or "").strip(), (year or "").strip()
    if not name:
        raise AccountError("a name is required", field="name")
    if not year:
        raise AccountError("a year is required, e.g. 2026-2027", field="year")
    duplicate = session.scalar(
        select(Cohort).where(Cohort.organisation_id == organisation.id, Cohort.name == name, Cohort.year == year)
    )
    if duplicate:
        raise AccountError(f"{organisation.name} already has a cohort {name} in {year}", field="name")
    cohort = Cohort(
        organisation_id=organisation.id, name=name, year=year, framework_id=framework_id, profile_key=profile_key
    )
    session.add(cohort)
    session.flush()
    record(
        session,
        actor,
        "cohort.created",
        organisation_id=organisation.id,
        target_type="cohort",
        target_id=cohort.id,
        summary=f"{name} {year}",
    )
    return cohort


def add_to_cohort(session: Session, actor: Actor, cohort: Cohort, user: User, role: Role) -> bool:
    """Add a student or an assessor; the person gets that role in the cohort's organisation too."""
    table = CohortStudent if role == Role.STUDENT else CohortAssessor
    if role not in (Role.STUDENT, Role.ASSESSOR):
        raise AccountError("only students and assessors are added to a cohort", field="role")
    if session.get(table, (cohort.id, user.id)):
        return False
    if role == Role.ASSESSOR and session.get(CohortStudent, (cohort.id, user.id)):
        raise AccountError(f"{user.email} is a student of this cohort and cannot assess it", field="email")
    session.add(table(cohort_id=cohort.id, user_id=user.id))
    grant_role(session, actor, user, cohort.organisation, role)
    record(
        session,
        actor,
        f"cohort.{role}_added",
        organisation_id=cohort.organisation_id,
        target_type="cohort",
        target_id=cohort.id,
        summary=f"{user.email} → {cohort.name}",
        details={"user_id": user.id},
    )
    session.flush()
    return True


def remove_from_cohort(session: Session, actor: Actor, cohort: Cohort, user: User, role: Role) -> bool:
    table = CohortStudent if role == Role.STUDENT else CohortAssessor
    row = session.get(table, (cohort.id, user.id))
    if row is None:
        return False
    session.delete(row)
    if role == Role.ASSESSOR:
        from app.assessment.staffing import withdraw_assessor  # assessment builds on accounts, not the reverse

        withdraw_assessor(session, actor, cohort, user)
    record(
        session,
        actor,
        f"cohort.{role}_removed",
        organisation_id=cohort.organisation_id,
        target_type="cohort",
        target_id=cohort.id,
        summary=f"{user.email} ← {cohort.name}",
        details={"user_id": user.id},
    )
    session.flush()
    return True


# --- API tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_api_token(session: Session, actor: Actor, user: User, name: str, scopes: Iterable[str]) -> NewToken:
    name = (name or "").strip()
    if not name:
        raise AccountError("give the token a name, so you recognise it later", field="name")
    scopes = sorted(set(scopes))
    known = {s.value for s in ApiScope}
    unknown = [s for s in scopes if s not in known]
    if unknown:
        raise AccountError(f"unknown scope(s): {', '.join(unknown)}", field="scopes")
    if not scopes:
        raise AccountError("choose at least one scope", field="scopes")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name[:100], prefix=secret[:12], token_hash=_hash_token(secret), scopes=scopes
    )
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
    if not secret.startswith(API_TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    last = _aware(token.last_used_at) if token.last_used_at else None
    if last is None or now - last > dt.timedelta(minutes=1):  # do not write on every call
        token.last_used_at = now
    return token
