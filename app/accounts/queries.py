"""Read-side queries about people, each in a fixed number of statements."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Cohort, CohortAssessor, CohortStudent, Membership, Organisation, Role, User
from app.extensions import db


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
