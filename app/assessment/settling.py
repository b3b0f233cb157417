"""Settling and signing: the assessors agree on each element, sign with their password, and the last
required signature makes the assessment final (summative: the cited evidence is frozen). Each verb checks
the rules, writes, audits and flushes; the request commits, so signing and finalising are one unit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.passwords import verify_password
from app.assessment.citing import check_carried
from app.assessment.errors import AssessmentError, Conflict
from app.assessment.judging import (
    JudgementInput,
    acting_user,
    assessor_of,
    check_claims,
    check_criteria,
    level_of,
    node_in,
)
from app.assessment.models import Assessment, AssessmentKind, AssessmentStatus, Judgement
from app.assessment.trail import audit, judgement_state
from app.audit import Actor
from app.db import utcnow
from app.domain import N_
from app.portfolio.models import Claim
from app.portfolio.programme import load_programme


def settle(session: Session, actor: Actor, assessment: Assessment, data: JudgementInput, note: str = "") -> Judgement:
    """Set the agreed judgement of one element. Any change withdraws signatures already given."""
    if assessment.status != AssessmentStatus.SETTLING:
        raise AssessmentError(N_("settling starts when every assessor has submitted, and ends when final"))
    assessor_of(assessment, actor)
    me = acting_user(actor)
    programme = load_programme(session, assessment.cohort, assessment.framework)
    node = node_in(programme, assessment, data.element_key)
    level = level_of(programme, node, data.level_value)
    if level is None:
        raise AssessmentError(N_("choose the agreed level"), field="level")
    settled = next(j for j in assessment.judgements if j.assessor_id is None and j.element_id == node.element.id)
    if data.expected_version is not None and data.expected_version != settled.version:
        raise Conflict(
            N_(
                "the agreed judgement of %(element)s was changed by the other assessor after you opened it; "
                "reload to see it"
            ),
            element=node.element.label,
        )
    before = judgement_state(settled)
    settled.level_id = level.id
    settled.criteria = check_criteria(programme, node, data.criteria)
    text = note.strip() or data.rationale.strip()
    if text:
        settled.rationale = text
    settled.claim_ids = check_claims(session, assessment, data.claim_ids or settled.claim_ids)
    if data.carried_keys:
        settled.carried_cited = check_carried(session, assessment, programme, node, data.carried_keys)
    settled.updated_at = utcnow()
    settled.updated_by_id = me.id
    session.flush()
    after = judgement_state(settled, level)
    if before != after:
        for entry in assessment.assessors:
            entry.signed_at = None
        audit(session, actor, assessment, "assessment.settle", node.element.label, before=before, after=after)
    session.flush()
    return settled


def sign(session: Session, actor: Actor, assessment: Assessment, password: str) -> bool:
    """An assessor signs the settled judgements, confirming with their password. Returns True when this
    signature made the assessment final."""
    if assessment.status != AssessmentStatus.SETTLING:
        raise AssessmentError(N_("only a settled assessment can be signed"))
    entry = assessor_of(assessment, actor)
    me = acting_user(actor)
    if not verify_password(me.password_hash, password):
        raise AssessmentError(N_("that is not your password"), field="password")
    open_elements = [j for j in assessment.judgements if j.assessor_id is None and j.level_id is None]
    if open_elements:
        raise AssessmentError(N_("%(count)s elements still need an agreed judgement"), count=len(open_elements))
    entry.signed_at = utcnow()
    audit(session, actor, assessment, "assessment.sign", me.email)
    signed = [a for a in assessment.assessors if a.signed_at]
    final = len(signed) >= assessment.required_assessors and len(signed) == len(assessment.assessors)
    if final:
        _finalise(session, actor, assessment)
    session.flush()
    return final


def _finalise(session: Session, actor: Actor, assessment: Assessment) -> None:
    from app.portfolio.services import freeze_item

    now = utcnow()
    assessment.status = AssessmentStatus.FINAL
    assessment.finalised_at = now
    if assessment.supersedes is not None:
        assessment.supersedes.superseded_at = now
    if assessment.kind == AssessmentKind.SUMMATIVE:
        cited = {c for j in assessment.judgements if j.assessor_id is None for c in j.claim_ids}
        for claim in session.scalars(select(Claim).where(Claim.id.in_(cited))):
            freeze_item(session, claim, now)
    audit(session, actor, assessment, "assessment.final", assessment.typed_title or assessment.subject)
