"""Cohorts: a group of students following one programme, and the assessors who judge their work.

Each verb validates, writes, audits and flushes; the unit of work (app.uow) commits once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.errors import AccountError
from app.accounts.models import Cohort, CohortAssessor, CohortStudent, Organisation, Role, User
from app.accounts.organisations import grant_role
from app.audit import Actor, record
from app.domain import N_


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
        raise AccountError(N_("a name is required"), field="name")
    if not year:
        raise AccountError(N_("a year is required, e.g. 2026-2027"), field="year")
    duplicate = session.scalar(
        select(Cohort).where(Cohort.organisation_id == organisation.id, Cohort.name == name, Cohort.year == year)
    )
    if duplicate:
        raise AccountError(
            N_("%(organisation)s already has a cohort %(name)s in %(year)s"),
            field="name",
            organisation=organisation.name,
            name=name,
            year=year,
        )
    _check_programme(session, organisation, framework_id)
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


def _check_programme(session: Session, organisation: Organisation, framework_id: int) -> None:
    """A cohort follows a platform-wide standard or one private to its own organisation, never another's
    (refused as if the standard did not exist)."""
    from app.standards.models import Framework
    from app.standards.queries import Audience

    framework = session.get(Framework, framework_id)
    if framework is None or not Audience.of_owner(organisation.id).sees(framework):
        raise AccountError(N_("Choose a programme from the list."), field="programme")


def add_to_cohort(session: Session, actor: Actor, cohort: Cohort, user: User, role: Role) -> bool:
    """Add a student or an assessor; the person gets that role in the cohort's organisation too."""
    table = CohortStudent if role == Role.STUDENT else CohortAssessor
    if role not in (Role.STUDENT, Role.ASSESSOR):
        raise AccountError(N_("only students and assessors are added to a cohort"), field="role")
    if session.get(table, (cohort.id, user.id)):
        return False
    studies_here = session.get(CohortStudent, (cohort.id, user.id)) is not None
    if role == Role.ASSESSOR and studies_here:
        raise AccountError(
            N_("%(email)s is a student of this cohort and cannot assess it"), field="email", email=user.email
        )
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
