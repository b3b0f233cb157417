"""The exam committee adopts (stelt vast) the exam plan, confirming with its password as for signing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.accounts.passwords import verify_password
from app.audit import Actor
from app.curriculum.errors import CurriculumError
from app.curriculum.models import Curriculum, CurriculumStatus
from app.curriculum.plans import supersede_previous
from app.curriculum.trail import audit
from app.db import utcnow
from app.domain import N_


def adopt(session: Session, actor: Actor, curriculum: Curriculum, password: str, complete: bool) -> None:
    """Adopts the plan (it becomes read-only). ``complete`` is the exam plan check's verdict: an incomplete
    plan is refused, so an adopted plan always examines what the standard requires."""
    if curriculum.adopted:
        raise CurriculumError(N_("this plan is already adopted"))
    if actor.user is None or not verify_password(actor.user.password_hash, password or ""):
        raise CurriculumError(N_("that is not your password"), field="password")
    if not complete:
        raise CurriculumError(N_("the exam plan is not complete: resolve the violations first"))
    curriculum.status = CurriculumStatus.ADOPTED
    curriculum.adopted_at = utcnow()
    curriculum.adopted_by_id = actor.user.id
    supersede_previous(session, curriculum)
    session.flush()
    audit(session, actor, curriculum, "curriculum.adopt", actor.user.email)
