"""Organisations and the roles people hold in them.

Each verb validates, writes, audits and flushes; the unit of work (app.uow) commits once."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.errors import AccountError
from app.accounts.models import Membership, Organisation, OrgKind, Role, User
from app.audit import Actor, record
from app.domain import N_


def create_organisation(session: Session, actor: Actor, *, name: str, kind: str) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise AccountError(N_("a name is required"), field="name")
    if kind not in {k.value for k in OrgKind}:
        raise AccountError(N_("unknown kind of organisation"), field="kind")
    if session.scalar(select(Organisation).where(Organisation.name == name)):
        raise AccountError(N_("an organisation named %(name)s already exists"), field="name", name=name)
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


def _membership(session: Session, user: User, organisation: Organisation, role: Role) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id, Membership.role == role
        )
    )


def _record_membership(
    session: Session, actor: Actor, user: User, organisation: Organisation, role: Role, action: str
) -> None:
    """A role given or taken, in the organisation's audit log."""
    record(
        session,
        actor,
        action,
        organisation_id=organisation.id,
        target_type="user",
        target_id=user.id,
        summary=f"{user.email}: {role}",
        details={"role": str(role)},
    )
    session.flush()


def grant_role(session: Session, actor: Actor, user: User, organisation: Organisation, role: Role) -> bool:
    """Give a role; False when the user already had it."""
    if _membership(session, user, organisation, role):
        return False
    session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    _record_membership(session, actor, user, organisation, role, "membership.granted")
    return True


def revoke_role(session: Session, actor: Actor, user: User, organisation: Organisation, role: Role) -> bool:
    membership = _membership(session, user, organisation, role)
    if membership is None:
        return False
    if role == Role.ORG_ADMIN and actor.user is not None and actor.user.id == user.id:
        raise AccountError(N_("you cannot remove your own administrator role"), field="role")
    session.delete(membership)
    _record_membership(session, actor, user, organisation, role, "membership.revoked")
    return True


def set_roles(session: Session, actor: Actor, user: User, organisation: Organisation, roles: Iterable[Role]) -> None:
    wanted = set(roles)
    current = user.roles_in(organisation.id)
    for role in sorted(current - wanted):
        revoke_role(session, actor, user, organisation, role)
    for role in sorted(wanted - current):
        grant_role(session, actor, user, organisation, role)
    session.expire(user, ["memberships"])
