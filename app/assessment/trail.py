"""The audit trail of an assessment: what each verb records (before and after), and the trail as a viewer
may read it (it must not leak drafts that ``queries.visible_judgements`` hides)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.assessment.models import Assessment, AssessmentStatus, Judgement
from app.audit import Actor, record
from app.standards.models import ScaleLevel


def judgement_state(judgement: Judgement | None, level: ScaleLevel | None = None) -> dict[str, Any] | None:
    if judgement is None:
        return None
    if level is None and judgement.level_id is not None:  # only then: reading it caches the relationship
        level = judgement.level
    label = level.label if level is not None else None
    return {
        "level": label,
        "criteria": dict(judgement.criteria),
        "rationale": judgement.rationale,
        "claims": list(judgement.claim_ids),
        "carried": [dict(c) for c in judgement.carried_cited or []],
    }


def summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "kind": assessment.kind,
        "scope": list(assessment.scope_keys),
        "assessors": [a.assessor_id for a in assessment.assessors],
        "required": assessment.required_assessors,
    }


def audit(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    action: str,
    text: str,
    before: Any = None,
    after: Any = None,
) -> None:
    record(
        session,
        actor,
        action,
        organisation_id=assessment.cohort.organisation_id if assessment.cohort else None,
        target_type="assessment",
        target_id=assessment.id,
        summary=text,
        details={"before": before, "after": after} if (before is not None or after is not None) else {},
    )


def history(session: Session, assessment: Assessment) -> list[Any]:
    from app.accounts.models import AuditEvent

    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.target_type == "assessment", AuditEvent.target_id == assessment.id)
            .order_by(AuditEvent.id)
        )
    )


def visible_history(session: Session, assessment: Assessment, viewer: User) -> list[Any]:
    """The audit trail as ``viewer`` may see it: it must not leak drafts that ``visible_judgements`` hides."""
    events = history(session, assessment)
    if assessment.status == AssessmentStatus.FINAL:
        return events
    hidden = {"assessment.judge"} if assessment.status == AssessmentStatus.OPEN else set()
    if assessment.candidate_id == viewer.id:
        hidden |= {"assessment.judge", "assessment.settle"}
    return [e for e in events if e.action not in hidden or (e.actor_id == viewer.id and e.action == "assessment.judge")]
