"""Read-side queries about people, organisations and their audit trail, each in a fixed number of
statements. Views read through these; services write."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.invitations import is_open
from app.accounts.models import (
    ApiToken,
    AuditEvent,
    Cohort,
    CohortAssessor,
    CohortStudent,
    Invitation,
    InvitationStatus,
    Membership,
    Organisation,
    Role,
    User,
)
from app.extensions import db
from app.standards.models import Element, Framework
from app.standards.queries import Audience, get_framework
from app.standards.text import escape_like
from app.standards.versions import current_ids

AUDIT_PAGE_SIZE = 50
SIGN_IN_ACTIONS = ("auth.signed_in", "auth.sign_in_failed", "auth.signed_out")
SIGN_IN_HISTORY = 20


def dashboard(user: User) -> tuple[list[tuple[Organisation, set[Role]]], list[tuple[Cohort, str]]]:
    """The user's organisations with their roles, and their cohorts with the role they have in each."""
    rows = db.session.execute(
        select(Organisation, Membership.role)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name)
    ).all()
    roles: dict[int, set[Role]] = defaultdict(set)
    orgs: dict[int, Organisation] = {}
    for org, role in rows:
        orgs[org.id] = org
        roles[org.id].add(Role(role))
    cohorts: list[tuple[Cohort, str]] = []
    for table, role in ((CohortStudent, Role.STUDENT), (CohortAssessor, Role.ASSESSOR)):
        found = db.session.scalars(
            select(Cohort)
            .join(table, table.cohort_id == Cohort.id)
            .where(table.user_id == user.id)
            .options(selectinload(Cohort.framework))
            .order_by(Cohort.name)
        ).all()
        cohorts.extend((c, role.value) for c in found)
    return [(orgs[i], roles[i]) for i in orgs], cohorts


# --- invitations ---------------------------------------------------------------------------------


def pending_for(user: User) -> list[Invitation]:
    """Open invitations addressed to ``user``, newest first."""
    rows = db.session.scalars(
        select(Invitation)
        .where(Invitation.user_id == user.id, Invitation.status == InvitationStatus.PENDING)
        .options(selectinload(Invitation.organisation), selectinload(Invitation.cohort))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    return [i for i in rows if is_open(i)]


def pending_of(organisation: Organisation) -> list[Invitation]:
    """What an organisation has asked and not yet been answered (it sees the typed address only)."""
    rows = db.session.scalars(
        select(Invitation)
        .where(Invitation.organisation_id == organisation.id, Invitation.status == InvitationStatus.PENDING)
        .options(selectinload(Invitation.cohort))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    return list(rows)


# --- an organisation's people --------------------------------------------------------------------


def role_counts(organisation: Organisation) -> dict[str, int]:
    """How many people hold each role in ``organisation``."""
    rows = db.session.execute(
        select(Membership.role, func.count(Membership.id))
        .where(Membership.organisation_id == organisation.id)
        .group_by(Membership.role)
    ).all()
    return {role: count for role, count in rows}


def members_of(organisation: Organisation, role: str | None = None) -> list[User]:
    """The organisation's people by name, all or those with ``role`` (an unknown role filters nothing)."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id)
        .options(selectinload(User.memberships))
        .order_by(User.name)
        .distinct()
    )
    if role in {r.value for r in Role}:
        query = query.where(Membership.role == role)
    return list(db.session.scalars(query))


def member_roles(organisation: Organisation) -> list[dict[str, Any]]:
    """Each member with their roles, for the API."""
    rows = db.session.execute(
        select(User.id, User.email, User.name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id)
        .order_by(User.name, Membership.role)
    ).all()
    people: dict[int, dict[str, Any]] = {}
    for uid, email, name, role in rows:
        people.setdefault(uid, {"id": uid, "email": email, "name": name, "roles": []})["roles"].append(role)
    return list(people.values())


def cohorts_of_person(organisation: Organisation, person: User) -> list[Cohort]:
    """The organisation's cohorts in which ``person`` studies or assesses, by name."""
    studies = select(CohortStudent.cohort_id).where(CohortStudent.user_id == person.id)
    assesses = select(CohortAssessor.cohort_id).where(CohortAssessor.user_id == person.id)
    return list(
        db.session.scalars(
            select(Cohort)
            .where(Cohort.organisation_id == organisation.id, or_(Cohort.id.in_(studies), Cohort.id.in_(assesses)))
            .order_by(Cohort.name)
        )
    )


# --- cohorts and programmes ----------------------------------------------------------------------


def cohort_profile(cohort: Cohort) -> Element | None:
    """The profile of its standard that the cohort follows, if it follows one."""
    if not cohort.profile_key:
        return None
    return db.session.scalar(
        select(Element).where(Element.framework_id == cohort.framework_id, Element.key == cohort.profile_key)
    )


def programme_choices(organisation: Organisation) -> dict[str, str]:
    """What a cohort of ``organisation`` can follow: each standard's profiles, or the standard itself when it
    has none; platform-wide standards and the organisation's own private ones (``Audience.of_owner``)."""
    choices: dict[str, str] = {}
    current = list(current_ids(db.session).values())  # a new cohort follows the current version of a standard
    visible = Audience.of_owner(organisation.id).filter()
    frameworks = db.session.scalars(
        select(Framework)
        .where(Framework.kind != "competence_model", Framework.id.in_(current), visible)
        .order_by(Framework.title)
    ).all()
    profiles = db.session.execute(
        select(Framework.code, Element.key, Element.code, Element.title)
        .join(Element.framework)
        .where(Element.type == "profile", Element.retired_at.is_(None), Framework.id.in_(current), visible)
        .order_by(Framework.code, Element.sort_order)
    ).all()
    by_fw: dict[str, list[tuple[str, str | None, str]]] = {}
    for fw_code, key, code, title in profiles:
        by_fw.setdefault(fw_code, []).append((key, code, title))
    for fw in frameworks:
        if fw.code in by_fw:
            for key, code, title in by_fw[fw.code]:
                choices[f"{fw.code}::{key}"] = f"{fw.title} — {code or ''} {title}".strip()
        else:
            choices[f"{fw.code}::"] = fw.title
    return choices


def framework_by_code(code: str, organisation: Organisation) -> Framework | None:
    """The current version of the standard with this code that a cohort of ``organisation`` may follow."""
    return get_framework(db.session, code, audience=Audience.of_owner(organisation.id))


# --- audit trail ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int


def _filtered(query: Select[Any], wanted: AuditFilter) -> Select[Any]:
    if wanted.action:
        query = query.where(AuditEvent.action.like(escape_like(wanted.action.strip()) + "%", escape="\\"))
    if wanted.actor:
        query = query.where(AuditEvent.actor_label == wanted.actor.strip().lower())
    if wanted.date_from:
        query = query.where(AuditEvent.occurred_at >= dt.datetime.combine(wanted.date_from, dt.time.min, dt.UTC))
    if wanted.date_to:
        end = dt.datetime.combine(wanted.date_to + dt.timedelta(days=1), dt.time.min, dt.UTC)
        query = query.where(AuditEvent.occurred_at < end)
    return query


def audit_page(organisation: Organisation, wanted: AuditFilter, page: int) -> AuditPage:
    """One page of what happened in this organisation's context, newest first. Sign-in events carry no
    organisation: they are their person's own (``sign_in_events``), never in an organisation's log.
    Past the last page: an empty page that links back, never an error."""
    query = _filtered(select(AuditEvent).where(AuditEvent.organisation_id == organisation.id), wanted)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + AUDIT_PAGE_SIZE - 1) // AUDIT_PAGE_SIZE, 1)
    page = min(max(page, 1), pages + 1)
    events = db.session.scalars(
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE_SIZE)
        .offset((page - 1) * AUDIT_PAGE_SIZE)
    ).all()
    return AuditPage(list(events), page, pages, total)


def sign_in_events(user: User, limit: int = SIGN_IN_HISTORY) -> list[AuditEvent]:
    """The person's own recent sign-ins, failed attempts with their address and sign-outs. These events
    belong to no organisation, so they are shown on the person's account page and in no organisation's log."""
    mine = or_(
        AuditEvent.actor_id == user.id,
        and_(AuditEvent.actor_id.is_(None), func.lower(AuditEvent.actor_label) == user.email.lower()),
    )
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(SIGN_IN_ACTIONS), AuditEvent.organisation_id.is_(None), mine)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def api_tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()))
    )
