"""Starting an assessment, and opening a correction of a final one. Each verb checks the rules, writes,
audits and flushes; the request (or job) commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortAssessor, CohortStudent, User
from app.assessment.errors import AssessmentError
from app.assessment.judging import assessor_of
from app.assessment.models import Assessment, AssessmentAssessor, AssessmentKind, AssessmentStatus, Judgement
from app.assessment.scope import assessors_required, scope_nodes, scope_subject
from app.assessment.trail import audit, summary
from app.audit import Actor
from app.domain import N_
from app.portfolio.programme import load_programme


@dataclass
class NewAssessment:
    kind: str
    scope_keys: list[str]
    assessor_ids: list[int]
    held_on: dt.date | None = None
    context: str = ""
    title: str = ""  # only a title the person typed; without one it is composed on display
    required_assessors: int | None = None


def _check_assessors(session: Session, candidate: User, cohort: Cohort, data: NewAssessment) -> tuple[list[int], int]:
    assessor_ids = list(dict.fromkeys(data.assessor_ids))
    if candidate.id in assessor_ids:
        raise AssessmentError(N_("a candidate cannot assess themselves"), field="assessors")
    cohort_assessors = set(session.scalars(select(CohortAssessor.user_id).where(CohortAssessor.cohort_id == cohort.id)))
    if any(i not in cohort_assessors for i in assessor_ids):
        raise AssessmentError(N_("every assessor must be an assessor of the cohort"), field="assessors")
    minimum = assessors_required(cohort.framework.kind, data.kind)
    required = max(minimum, data.required_assessors or minimum)
    if len(assessor_ids) < required:
        msgid = (
            N_("this summative assessment needs %(required)s assessors; %(chosen)s chosen")
            if data.kind == AssessmentKind.SUMMATIVE
            else N_("this formative assessment needs %(required)s assessors; %(chosen)s chosen")
        )
        raise AssessmentError(msgid, field="assessors", required=required, chosen=len(assessor_ids))
    return assessor_ids, required


def create_assessment(
    session: Session, actor: Actor, candidate: User, cohort: Cohort, data: NewAssessment
) -> Assessment:
    if data.kind not in {k.value for k in AssessmentKind}:
        raise AssessmentError(N_("unknown kind '%(kind)s'"), field="kind", kind=data.kind)
    if session.get(CohortStudent, (cohort.id, candidate.id)) is None:
        raise AssessmentError(
            N_("%(name)s is not a student of %(cohort)s"), field="candidate", name=candidate.name, cohort=cohort.name
        )
    programme = load_programme(session, cohort)
    nodes = scope_nodes(programme, data.scope_keys)
    assessor_ids, required = _check_assessors(session, candidate, cohort, data)
    assessment = Assessment(
        candidate_id=candidate.id,
        cohort_id=cohort.id,
        kind=data.kind,
        typed_title=data.title.strip()[:200],
        subject=scope_subject(nodes, programme)[:200],
        scope_keys=[n.key for n in nodes],
        held_on=data.held_on,
        context=data.context.strip(),
        required_assessors=required,
        created_by_id=actor.user.id if actor.user else None,
        assessors=[AssessmentAssessor(assessor_id=uid, position=i) for i, uid in enumerate(assessor_ids)],
    )
    session.add(assessment)
    session.flush()
    text = f"{assessment.typed_title or assessment.subject} · {candidate.email}"
    audit(session, actor, assessment, "assessment.create", text, after=summary(assessment))
    return assessment


def correct(session: Session, actor: Actor, final: Assessment, reason: str) -> Assessment:
    """A correction of a final assessment: a new assessment, linked to the one it replaces, that starts
    from its agreed judgements. Both stay visible; the old one counts until the new one is final."""
    if final.status != AssessmentStatus.FINAL:
        raise AssessmentError(N_("only a final assessment is corrected; a draft is simply changed"))
    if final.superseded_at is not None or session.scalar(
        select(Assessment.id).where(Assessment.supersedes_id == final.id)
    ):
        raise AssessmentError(N_("this assessment already has a correction"))
    me = assessor_of(final, actor).assessor_id
    if not reason.strip():
        raise AssessmentError(N_("say why the assessment is corrected"), field="reason")
    new = Assessment(
        candidate_id=final.candidate_id,
        cohort_id=final.cohort_id,
        kind=final.kind,
        typed_title=final.typed_title,
        subject=final.subject,
        scope_keys=list(final.scope_keys),
        held_on=final.held_on,
        context=final.context,
        required_assessors=final.required_assessors,
        supersedes_id=final.id,
        framework_id=final.framework_id,  # a correction is held on the version the final one was
        correction_reason=reason.strip(),
        created_by_id=me,
        assessors=[AssessmentAssessor(assessor_id=a.assessor_id, position=a.position) for a in final.assessors],
    )
    session.add(new)
    session.flush()
    for settled in (j for j in final.judgements if j.assessor_id is None):
        for entry in new.assessors:
            new.judgements.append(
                Judgement(
                    assessor_id=entry.assessor_id,
                    element_id=settled.element_id,
                    level_id=settled.level_id,
                    criteria=dict(settled.criteria),
                    rationale=settled.rationale,
                    claim_ids=list(settled.claim_ids),
                )
            )
    session.flush()
    audit(session, actor, new, "assessment.correct", f"corrects #{final.id}: {reason.strip()}")
    return new
