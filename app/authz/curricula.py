"""Curricula: the school's curriculum leads and administrators edit; its assessors and exam committee read;
the exam committee (and administrators) adopt; a student reads the plan of their own cohort. Nobody of
another organisation learns a curriculum exists (404), platform administrators included."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, select

from app.accounts.models import Cohort, CohortStudent, Membership, Role, User
from app.authz.accounts import roles_in
from app.authz.routes import Action
from app.curriculum.models import Curriculum
from app.extensions import db

EDITORS = frozenset({Role.CURRICULUM_LEAD, Role.ORG_ADMIN})
READERS = EDITORS | {Role.ASSESSOR, Role.EXAM_COMMITTEE}
ADOPTERS = frozenset({Role.EXAM_COMMITTEE, Role.ORG_ADMIN})


def can_view_curricula_of(user: User, organisation_id: int) -> bool:
    return bool(roles_in(user, organisation_id) & READERS)


def can_edit_curricula_of(user: User, organisation_id: int) -> bool:
    return bool(roles_in(user, organisation_id) & EDITORS)


def can_view_curriculum(user: User, curriculum: Curriculum) -> bool:
    return can_view_curricula_of(user, curriculum.organisation_id)


def can_edit_curriculum(user: User, curriculum: Curriculum) -> bool:
    return can_edit_curricula_of(user, curriculum.organisation_id)


def can_adopt_curriculum(user: User, curriculum: Curriculum) -> bool:
    return bool(roles_in(user, curriculum.organisation_id) & ADOPTERS)


def curriculum_or_404(user: User, curriculum_id: int, action: Action = Action.VIEW) -> Curriculum:
    curriculum = db.session.get(Curriculum, curriculum_id)
    if curriculum is None or not can_view_curriculum(user, curriculum):
        abort(404)
    if action == Action.MANAGE and not can_edit_curriculum(user, curriculum):
        abort(403)
    return curriculum


def adoptable_curriculum_or_404(user: User, curriculum_id: int) -> Curriculum:
    curriculum = curriculum_or_404(user, curriculum_id)
    if not can_adopt_curriculum(user, curriculum):
        abort(403)
    return curriculum


def curricula_visible_to(user: User) -> Select[Curriculum]:
    """Every curriculum of the organisations where ``user`` reads curricula."""
    orgs = select(Membership.organisation_id).where(
        Membership.user_id == user.id, Membership.role.in_([r.value for r in READERS])
    )
    return select(Curriculum).where(Curriculum.organisation_id.in_(orgs))


def studied_cohort_or_404(user: User, cohort_id: int) -> Cohort:
    """A cohort ``user`` is a student of: their own exam plan."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not user.is_authenticated or db.session.get(CohortStudent, (cohort.id, user.id)) is None:
        abort(404)
    return cohort
