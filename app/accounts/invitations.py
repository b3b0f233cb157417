"""Bringing people into an organisation without taking anyone's account.

An organisation may create accounts (the invitation form, a cohort import, "add assessor" with an unknown
address); those it controls while they belong to it alone. An account that already exists belongs to its
owner: the organisation only *asks*, with an invitation the owner accepts or declines while signed in.
Until then the organisation knows nothing but the address it typed, and every answer it gets reads the
same whether that address had an account or not (no enumeration).

Each verb validates, writes, audits and flushes; the unit of work (app.uow) commits once.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.cohorts import add_to_cohort
from app.accounts.errors import AccountError
from app.accounts.links import INVITATION_TTL, create_link, hash_token
from app.accounts.models import (
    Cohort,
    Invitation,
    InvitationStatus,
    LinkPurpose,
    Organisation,
    Role,
    User,
)
from app.accounts.organisations import grant_role
from app.accounts.users import aware, check_language, check_name, create_user, find_user_by_email, normalise_email
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_

COHORT_ROLES = (Role.STUDENT, Role.ASSESSOR)


class Outcome(enum.StrEnum):
    INVITED = "invited"  # a new account, or someone else's account asked: the inviter cannot tell which
    UPDATED = "updated"  # a member of the organisation got the roles or cohort place directly


@dataclass(frozen=True)
class InviteResult:
    email: str  # as the inviter typed it (normalised): all the inviter may learn
    outcome: Outcome
    token: str | None  # a single-use link token to pass on, when there is one
    recipient_id: int  # for sending mail to the owner's address; never shown to the inviter


def is_member(user: User, organisation: Organisation) -> bool:
    return bool(user.roles_in(organisation.id))


def controls_account(organisation: Organisation, user: User) -> bool:
    """The organisation created this account and it belongs to no other organisation."""
    if user.is_platform_admin or user.created_by_organisation_id != organisation.id:
        return False
    return all(m.organisation_id == organisation.id for m in user.memberships)


def _attach(
    session: Session,
    actor: Actor,
    organisation: Organisation,
    user: User,
    roles: Iterable[Role],
    cohort: Cohort | None,
    cohort_role: Role | None,
) -> None:
    for role in sorted(set(roles)):
        grant_role(session, actor, user, organisation, role)
    if cohort is not None and cohort_role is not None:
        add_to_cohort(session, actor, cohort, user, cohort_role)


def _check(organisation: Organisation, roles: Iterable[Role], cohort: Cohort | None, cohort_role: Role | None) -> None:
    if cohort is not None and cohort.organisation_id != organisation.id:
        raise AccountError(N_("this cohort belongs to another organisation"), field="cohort")
    if (cohort is None) != (cohort_role is None):
        raise AccountError(N_("a cohort place needs both a cohort and a role"), field="role")
    if cohort_role is not None and cohort_role not in COHORT_ROLES:
        raise AccountError(N_("only students and assessors are added to a cohort"), field="role")
    if not list(roles) and cohort is None:
        raise AccountError(N_("choose at least one role"), field="roles")


def invite(
    session: Session,
    actor: Actor,
    organisation: Organisation,
    *,
    email: str,
    name: str = "",
    language: str = "nl",
    roles: Iterable[Role] = (),
    cohort: Cohort | None = None,
    cohort_role: Role | None = None,
) -> InviteResult:
    """Invite ``email`` into ``organisation`` with ``roles`` (and a place in ``cohort``).

    - unknown address: the organisation creates the account, gives it the roles and a set-password link;
    - a member of the organisation: the roles or cohort place are given directly;
    - anyone else's account: a pending invitation its owner accepts or declines.
    """
    roles = [Role(r) for r in roles]
    _check(organisation, roles, cohort, cohort_role)
    address = normalise_email(email)
    # The same checks whatever the address: a refusal must not depend on whether it has an account.
    name = check_name(name) if (name or "").strip() else ""
    check_language(language)
    user = find_user_by_email(session, address)
    if user is None:
        user = create_user(
            session,
            actor,
            email=address,
            name=name or address.split("@", 1)[0],
            language=language,
            created_by_organisation=organisation,
        )
        _attach(session, actor, organisation, user, roles, cohort, cohort_role)
        token = create_link(session, actor, user, LinkPurpose.INVITATION, organisation_id=organisation.id)
        return InviteResult(address, Outcome.INVITED, token, user.id)
    if is_member(user, organisation):
        _attach(session, actor, organisation, user, roles, cohort, cohort_role)
        fresh: str | None = None  # a new set-password link for an account it controls that has no password yet
        if user.password_hash is None and controls_account(organisation, user):
            fresh = create_link(session, actor, user, LinkPurpose.INVITATION, organisation_id=organisation.id)
        return InviteResult(address, Outcome.UPDATED, fresh, user.id)
    _invitation, token = ask_owner(session, actor, organisation, user, address, roles, cohort, cohort_role)
    return InviteResult(address, Outcome.INVITED, token, user.id)


def ask_owner(
    session: Session,
    actor: Actor,
    organisation: Organisation,
    user: User,
    address: str,
    roles: list[Role],
    cohort: Cohort | None,
    cohort_role: Role | None,
) -> tuple[Invitation, str]:
    """A pending invitation; an earlier pending one of this organisation for this person is merged into it."""
    now = utcnow()
    wanted = set(roles) | ({cohort_role} if cohort_role else set())
    for earlier in session.scalars(
        select(Invitation).where(
            Invitation.organisation_id == organisation.id,
            Invitation.user_id == user.id,
            Invitation.status == InvitationStatus.PENDING,
            Invitation.cohort_id.is_(None) if cohort is None else Invitation.cohort_id == cohort.id,
        )
    ):
        wanted |= {Role(r) for r in earlier.roles}
        earlier.status = InvitationStatus.WITHDRAWN
        earlier.decided_at = now
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_id=organisation.id,
        email=address,
        user_id=user.id,
        roles=sorted(r.value for r in wanted),
        cohort_id=cohort.id if cohort else None,
        cohort_role=cohort_role.value if cohort_role else None,
        token_hash=hash_token(raw),
        status=InvitationStatus.PENDING,
        invited_by_id=actor.user.id if actor.user else None,
        expires_at=now + INVITATION_TTL,
    )
    session.add(invitation)
    session.flush()
    # The same event as for a new account, so the organisation's own log does not tell them apart either.
    record(
        session,
        actor,
        "user.invited",
        organisation_id=organisation.id,
        target_type="invitation",
        target_id=invitation.id,
        summary=address,
    )
    return invitation, raw


def is_open(invitation: Invitation) -> bool:
    return invitation.status == InvitationStatus.PENDING and aware(invitation.expires_at) > utcnow()


def find_by_token(session: Session, raw: str) -> Invitation | None:
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(raw or "")))
    return invitation if invitation is not None and is_open(invitation) else None


def _owned(invitation: Invitation, actor: Actor) -> None:
    if actor.user is None or invitation.user_id != actor.user.id:
        raise AccountError(N_("this invitation is addressed to someone else"))
    if not is_open(invitation):
        raise AccountError(N_("this invitation was withdrawn, answered already or has expired"))


def _decide(session: Session, actor: Actor, invitation: Invitation, status: InvitationStatus) -> None:
    """The invitation's answer, in the inviting organisation's audit log."""
    invitation.status = status
    invitation.decided_at = utcnow()
    record(
        session,
        actor,
        f"invitation.{status}",
        organisation_id=invitation.organisation_id,
        target_type="invitation",
        target_id=invitation.id,
        summary=invitation.email,
    )
    session.flush()


def accept(session: Session, actor: Actor, invitation: Invitation) -> None:
    """The owner says yes: only now are the roles and the cohort place attached."""
    _owned(invitation, actor)
    assert actor.user is not None
    cohort_role = Role(invitation.cohort_role) if invitation.cohort_role else None
    roles = [Role(r) for r in invitation.roles if Role(r) != cohort_role]
    _attach(session, actor, invitation.organisation, actor.user, roles, invitation.cohort, cohort_role)
    _decide(session, actor, invitation, InvitationStatus.ACCEPTED)


def decline(session: Session, actor: Actor, invitation: Invitation) -> None:
    _owned(invitation, actor)
    _decide(session, actor, invitation, InvitationStatus.DECLINED)


def withdraw(session: Session, actor: Actor, invitation: Invitation) -> None:
    if invitation.status != InvitationStatus.PENDING:
        raise AccountError(N_("this invitation was answered or withdrawn already"))
    _decide(session, actor, invitation, InvitationStatus.WITHDRAWN)


def expires_in_days(invitation: Invitation) -> int:
    return max((aware(invitation.expires_at) - utcnow()) // dt.timedelta(days=1), 0)
