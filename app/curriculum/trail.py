"""What curriculum verbs record in the audit log, and the checks every change shares."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.audit import Actor, record
from app.curriculum.errors import CurriculumError
from app.curriculum.models import Curriculum
from app.domain import N_


def audit(session: Session, actor: Actor, curriculum: Curriculum, action: str, text: str, **details: Any) -> None:
    record(
        session,
        actor,
        action,
        organisation_id=curriculum.organisation_id,
        target_type="curriculum",
        target_id=curriculum.id,
        summary=f"{curriculum.title} {curriculum.cohort_year} v{curriculum.version}: {text}",
        details=details,
    )


def ensure_draft(curriculum: Curriculum) -> None:
    """An adopted plan is never changed: a change is made in a new version."""
    if curriculum.adopted:
        raise CurriculumError(N_("this plan is adopted and cannot be changed; make a new version to change it"))


def clean_text(value: str | None, limit: int, field: str, required: bool = False) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise CurriculumError(N_("this field is required"), field=field)
    if len(text) > limit:
        raise CurriculumError(N_("at most %(limit)s characters"), field=field, limit=limit)
    return text
