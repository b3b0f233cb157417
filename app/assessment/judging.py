"""Judging: each assessor saves their own judgement of each element, then submits; when every assessor has
submitted, settling starts. Each verb checks the rules, writes, audits and flushes; the request commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.assessment.citing import check_carried, merged
from app.assessment.errors import AssessmentError, Conflict
from app.assessment.models import Assessment, AssessmentAssessor, AssessmentStatus, Judgement
from app.assessment.scope import criteria_of
from app.assessment.trail import audit, judgement_state
from app.audit import Actor
from app.db import utcnow
from app.domain import N_
from app.portfolio.models import Claim
from app.portfolio.programme import Programme, load_programme
from app.portfolio.queries import student_claims
from app.standards.models import ScaleLevel
from app.standards.queries import Node


@dataclass
class JudgementInput:
    element_key: str
    level_value: int | None
    criteria: dict[str, int | None]
    rationale: str = ""
    claim_ids: list[int] | None = None
    carried_keys: list[str] | None = None  # carried evidence cited ("judgement:12", "claim:7")
    expected_version: int | None = None  # the version the form was loaded with; None for a new judgement


def acting_user(actor: Actor) -> User:
    """The person behind ``actor``: assessment verbs are never run by the system."""
    if actor.user is None:
        raise AssessmentError(N_("only the assessors of this assessment judge it"))
    return actor.user


def assessor_of(assessment: Assessment, actor: Actor) -> AssessmentAssessor:
    entry = assessment.assessor_entry(acting_user(actor).id)
    if entry is None:
        raise AssessmentError(N_("only the assessors of this assessment judge it"))
    return entry


def node_in(programme: Programme, assessment: Assessment, key: str) -> Node:
    if key not in assessment.scope_keys:
        raise AssessmentError(N_("'%(key)s' is not judged in this assessment"), field="element", key=key)
    return programme.tree.by_key[key]


def level_of(programme: Programme, node: Node, value: int | None, criterion: str | None = None) -> ScaleLevel | None:
    if value is None:
        return None
    level = next((lv for lv in programme.scale_levels(node) if lv.value == value), None)
    if level is None:
        msgid = (
            N_("%(value)s is not a level of %(element)s's scale (criterion %(criterion)s)")
            if criterion
            else N_("%(value)s is not a level of %(element)s's scale")
        )
        raise AssessmentError(msgid, field="level", value=value, element=node.element.label, criterion=criterion)
    return level


def check_criteria(programme: Programme, node: Node, raw: dict[str, int | None]) -> dict[str, int]:
    keys = {c.key for c in criteria_of(node)}
    out: dict[str, int] = {}
    for key, value in raw.items():
        if key not in keys:
            raise AssessmentError(
                N_("'%(key)s' is not a criterion of %(element)s"), field="criteria", key=key, element=node.element.label
            )
        if value is None:
            continue
        level_of(programme, node, int(value), key)
        out[key] = int(value)
    return out


def check_claims(session: Session, assessment: Assessment, claim_ids: list[int]) -> list[int]:
    if not claim_ids:
        return []
    wanted = student_claims(assessment.candidate_id, assessment.cohort_id).where(Claim.id.in_(claim_ids))
    found = set(session.scalars(wanted.with_only_columns(Claim.id)))
    if found != set(claim_ids):
        raise AssessmentError(
            N_("a judgement can cite only the candidate's own evidence in this programme"), field="claims"
        )
    return sorted(found)


def _own_judgement(
    me: User, assessment: Assessment, node: Node, judgement: Judgement | None, expected_version: int | None
) -> Judgement:
    """The assessor's judgement to change: the one they loaded (same version), or a new one."""
    if judgement is None:
        if expected_version not in (None, 0):
            raise Conflict(N_("this judgement was removed in the meantime; reload the page"))
        judgement = Judgement(assessor_id=me.id, element_id=node.element.id)
        assessment.judgements.append(judgement)
    elif expected_version is not None and expected_version != judgement.version:
        raise Conflict(
            N_(
                "%(element)s was changed elsewhere (for example in another tab) after you opened it; "
                "reload to see the current judgement, then make your change again"
            ),
            element=node.element.label,
        )
    return judgement


def save_judgement(
    session: Session, actor: Actor, assessment: Assessment, data: JudgementInput, programme: Programme | None = None
) -> Judgement:
    if assessment.status != AssessmentStatus.OPEN:
        raise AssessmentError(N_("the judging is over: this assessment is being settled or is final"))
    entry = assessor_of(assessment, actor)
    me = acting_user(actor)
    if entry.submitted_at is not None:
        raise AssessmentError(N_("you have submitted your judgements; they can no longer change"))
    programme = programme or load_programme(session, assessment.cohort, assessment.framework)
    node = node_in(programme, assessment, data.element_key)
    level = level_of(programme, node, data.level_value)
    criteria = check_criteria(programme, node, data.criteria)
    claim_ids = check_claims(session, assessment, data.claim_ids or [])
    carried = check_carried(session, assessment, programme, node, data.carried_keys or [])
    existing = session.scalar(
        select(Judgement).where(
            Judgement.assessment_id == assessment.id,
            Judgement.assessor_id == me.id,
            Judgement.element_id == node.element.id,
        )
    )
    before = judgement_state(existing)
    judgement = _own_judgement(me, assessment, node, existing, data.expected_version)
    judgement.level_id = level.id if level else None
    judgement.criteria = criteria
    judgement.rationale = data.rationale.strip()
    judgement.claim_ids = claim_ids
    judgement.carried_cited = carried
    judgement.updated_at = utcnow()
    judgement.updated_by_id = me.id
    session.flush()
    after = judgement_state(judgement, level)
    if before != after:
        audit(session, actor, assessment, "assessment.judge", node.element.label, before=before, after=after)
    return judgement


def submit(session: Session, actor: Actor, assessment: Assessment) -> None:
    """The assessor is done: every element judged with a level. When all are done, settling starts."""
    if assessment.status != AssessmentStatus.OPEN:
        raise AssessmentError(N_("this assessment is no longer open"))
    entry = assessor_of(assessment, actor)
    me = acting_user(actor)
    mine = {j.element_id: j for j in assessment.judgements if j.assessor_id == me.id}
    programme = load_programme(session, assessment.cohort, assessment.framework)
    missing = [
        programme.tree.by_key[k].element.label
        for k in assessment.scope_keys
        if mine.get(programme.tree.by_key[k].element.id) is None
        or mine[programme.tree.by_key[k].element.id].level_id is None
    ]
    if missing:
        raise AssessmentError(N_("give an overall judgement first for: %(elements)s"), elements="; ".join(missing[:5]))
    entry.submitted_at = utcnow()
    audit(session, actor, assessment, "assessment.submit", me.email)
    if all(a.submitted_at for a in assessment.assessors):
        start_settling(session, assessment, programme)
    session.flush()


def start_settling(session: Session, assessment: Assessment, programme: Programme) -> None:
    """Settled judgements start from what the assessors agree on; where they differ, they stay open."""
    assessment.status = AssessmentStatus.SETTLING
    by_element: dict[int, list[Judgement]] = {}
    for j in assessment.judgements:
        if j.assessor_id is not None:
            by_element.setdefault(j.element_id, []).append(j)
    for key in assessment.scope_keys:
        element_id = programme.tree.by_key[key].element.id
        own = by_element.get(element_id, [])
        levels = {j.level_id for j in own}
        agreed = levels.pop() if len(levels) == 1 else None
        criteria = own[0].criteria if agreed and all(j.criteria == own[0].criteria for j in own) else {}
        assessment.judgements.append(
            Judgement(
                assessor_id=None,
                element_id=element_id,
                level_id=agreed,
                criteria=criteria,
                rationale="\n\n".join(j.rationale for j in own if j.rationale) if agreed else "",
                claim_ids=sorted({c for j in own for c in j.claim_ids}),
                carried_cited=merged(j.carried_cited for j in own),
            )
        )
