"""Who assesses: cohort membership is the authority.

An assessor taken off a cohort is taken off its unfinished assessments at the same moment (their drafts go,
settling starts again from the remaining assessors' own judgements), and the remaining assessors and the
cohort's administrators are told. An exam that now has fewer assessors than it requires says so and cannot
become final until the cohort's staff add another assessor of the cohort.

Each verb validates, writes, audits and flushes; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortAssessor, Membership, Role, User
from app.assessment.errors import AssessmentError
from app.assessment.judging import start_settling
from app.assessment.models import Assessment, AssessmentAssessor, AssessmentStatus
from app.assessment.trail import audit
from app.audit import Actor
from app.domain import N_
from app.portfolio.models import Notification
from app.portfolio.programme import load_programme

UNFINISHED = (AssessmentStatus.OPEN, AssessmentStatus.SETTLING)


def lacking(assessment: Assessment) -> int:
    """How many assessors an unfinished assessment still needs (0 when it has enough)."""
    if assessment.status not in UNFINISHED:
        return 0
    return max(assessment.required_assessors - len(assessment.assessors), 0)


def _notify(session: Session, actor: Actor, assessment: Assessment, kind: str, user_ids: set[int]) -> None:
    for user_id in sorted(user_ids - {actor.user.id if actor.user else None}):
        session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                actor_id=actor.user.id if actor.user else None,
                assessment_id=assessment.id,
            )
        )


def _cohort_admins(session: Session, cohort: Cohort) -> set[int]:
    return set(
        session.scalars(
            select(Membership.user_id).where(
                Membership.organisation_id == cohort.organisation_id, Membership.role == Role.ORG_ADMIN
            )
        )
    )


def _reopen_without(session: Session, assessment: Assessment, assessor_id: int) -> None:
    """Drop one assessor's entry and judgements; a settling assessment starts settling again without them."""
    entry = assessment.assessor_entry(assessor_id)
    if entry is not None:
        assessment.assessors.remove(entry)
    for judgement in list(assessment.judgements):
        if judgement.assessor_id == assessor_id or (
            assessment.status == AssessmentStatus.SETTLING and judgement.assessor_id is None
        ):
            assessment.judgements.remove(judgement)
    if assessment.status == AssessmentStatus.SETTLING:
        assessment.status = AssessmentStatus.OPEN
        for other in assessment.assessors:
            other.signed_at = None
    session.flush()
    if assessment.assessors and all(a.submitted_at for a in assessment.assessors):
        start_settling(session, assessment, load_programme(session, assessment.cohort, assessment.framework))


def withdraw_assessor(session: Session, actor: Actor, cohort: Cohort, user: User) -> list[Assessment]:
    """Take ``user`` off every unfinished assessment of ``cohort``; returns the assessments changed."""
    changed = list(
        session.scalars(
            select(Assessment)
            .join(AssessmentAssessor, AssessmentAssessor.assessment_id == Assessment.id)
            .where(
                Assessment.cohort_id == cohort.id,
                Assessment.status.in_([s.value for s in UNFINISHED]),
                AssessmentAssessor.assessor_id == user.id,
            )
            .order_by(Assessment.id)
        )
    )
    admins = _cohort_admins(session, cohort) if changed else set()
    for assessment in changed:
        before = [a.assessor_id for a in assessment.assessors]
        _reopen_without(session, assessment, user.id)
        audit(
            session,
            actor,
            assessment,
            "assessment.assessor_removed",
            f"{user.email} left {cohort.name}",
            before={"assessors": before},
            after={"assessors": [a.assessor_id for a in assessment.assessors], "status": assessment.status},
        )
        _notify(session, actor, assessment, "assessor_removed", {a.assessor_id for a in assessment.assessors} | admins)
    session.flush()
    return changed


def add_assessor(session: Session, actor: Actor, assessment: Assessment, user: User) -> None:
    """Another assessor of the cohort joins an open assessment (e.g. to replace one who left)."""
    if assessment.status != AssessmentStatus.OPEN:
        raise AssessmentError(N_("assessors are added only while the assessment is open"), field="assessor")
    if user.id == assessment.candidate_id:
        raise AssessmentError(N_("a candidate cannot assess themselves"), field="assessor")
    if session.get(CohortAssessor, (assessment.cohort_id, user.id)) is None:
        raise AssessmentError(N_("every assessor must be an assessor of the cohort"), field="assessor")
    if assessment.assessor_entry(user.id) is not None:
        raise AssessmentError(N_("%(name)s already assesses this"), field="assessor", name=user.name)
    before = [a.assessor_id for a in assessment.assessors]
    assessment.assessors.append(AssessmentAssessor(assessor_id=user.id, position=len(assessment.assessors)))
    session.flush()
    audit(
        session,
        actor,
        assessment,
        "assessment.assessor_added",
        user.email,
        before={"assessors": before},
        after={"assessors": [a.assessor_id for a in assessment.assessors]},
    )
    _notify(session, actor, assessment, "assessor_added", {user.id})
    session.flush()


def candidates_to_add(session: Session, assessment: Assessment) -> list[User]:
    """The cohort's assessors who could join this assessment."""
    taken = {a.assessor_id for a in assessment.assessors} | {assessment.candidate_id}
    return [
        u
        for u in session.scalars(
            select(User)
            .join(CohortAssessor, CohortAssessor.user_id == User.id)
            .where(CohortAssessor.cohort_id == assessment.cohort_id, User.active)
            .order_by(User.name)
        )
        if u.id not in taken
    ]
