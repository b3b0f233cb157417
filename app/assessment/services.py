"""Assessment operations. Each verb checks the rules, writes, audits (before and after) and flushes; the
caller commits. Views check who may do what through ``app.authz`` first; these functions check the
domain rules that hold whoever calls them (an assessor never judges themselves, drafts stay hidden,
final is final)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortAssessor, CohortStudent, User
from app.accounts.passwords import verify_password
from app.assessment.models import (
    Assessment,
    AssessmentAssessor,
    AssessmentKind,
    AssessmentStatus,
    Judgement,
)
from app.audit import Actor, record
from app.db import utcnow
from app.domain import DomainError
from app.portfolio.models import Claim, EvidenceItem
from app.portfolio.programme import Programme, load_programme
from app.standards.models import ScaleLevel
from app.standards.queries import Node

# How many assessors a final summative judgement needs, per kind of framework (configurable through
# ASSESSORS_REQUIRED in the app config). Formative feedback needs one.
DEFAULT_ASSESSORS_REQUIRED = {"mbo_qualification_dossier": 2}
ALL = "*"


class AssessmentError(DomainError):
    """A refused assessment operation (see app.domain: translated where it is shown)."""


class Conflict(AssessmentError):
    """Someone else saved in between: the change is refused, nothing is overwritten."""


# --- rules ---------------------------------------------------------------------------------------


def assessors_required(framework_kind: str, kind: str) -> int:
    if kind == AssessmentKind.FORMATIVE:
        return 1
    rules = dict(DEFAULT_ASSESSORS_REQUIRED)
    if has_app_context():
        rules.update(current_app.config.get("ASSESSORS_REQUIRED", {}))
    return int(rules.get(framework_kind, 1))


def criteria_of(node: Node) -> list[Node]:
    """What an element is judged on, line by line: its behaviour lines (mbo Gedrag, Competent), or its
    activities (a BK competence). e-CF competences have level descriptors instead."""
    behaviours = node.children_of_type("behaviour")
    return behaviours or node.children_of_type("activity")


def scope_nodes(programme: Programme, keys: Iterable[str]) -> list[Node]:
    """The claimable elements a scope covers, in programme order: ``*`` is everything; a group (core task,
    cluster, area) covers its claimable descendants."""
    wanted = set(keys)
    if ALL in wanted:
        return list(programme.claimable)
    covered: set[int] = set()
    for key in wanted:
        node = programme.tree.by_key.get(key)
        if node is None:
            raise AssessmentError(f"{key!r} is not part of {programme.framework.title}", field="scope")
        inside = [node, *node.descendants()]
        claimable = [n for n in inside if n in programme.claimable]
        if not claimable:
            raise AssessmentError(f"{node.element.label} has nothing to judge", field="scope")
        covered.update(n.element.id for n in claimable)
    return [n for n in programme.claimable if n.element.id in covered]


def scope_choices(programme: Programme) -> list[tuple[str, str]]:
    """Whole programme, each group, each claimable element: what an assessment can be about."""
    out = [(ALL, f"{programme.framework.title}: {len(programme.claimable)}")]
    claimable = set(id(n) for n in programme.claimable)
    for root in programme.roots:
        for node in [root, *root.descendants()]:
            if id(node) in claimable:
                out.append((node.key, f"{node.element.code or ''} {node.element.title}".strip()))
            elif any(id(d) in claimable for d in node.descendants()):
                out.append((node.key, f"▸ {node.element.code or ''} {node.element.title}".strip()))
    return out


# --- creating ------------------------------------------------------------------------------------


@dataclass
class NewAssessment:
    kind: str
    scope_keys: list[str]
    assessor_ids: list[int]
    held_on: dt.date | None = None
    context: str = ""
    title: str = ""
    required_assessors: int | None = None


def create_assessment(
    session: Session, actor: Actor, candidate: User, cohort: Cohort, data: NewAssessment
) -> Assessment:
    if data.kind not in {k.value for k in AssessmentKind}:
        raise AssessmentError(f"unknown kind {data.kind!r}", field="kind")
    if session.get(CohortStudent, (cohort.id, candidate.id)) is None:
        raise AssessmentError(f"{candidate.name} is not a student of {cohort.name}", field="candidate")
    programme = load_programme(session, cohort)
    nodes = scope_nodes(programme, data.scope_keys)
    assessor_ids = list(dict.fromkeys(data.assessor_ids))
    if candidate.id in assessor_ids:
        raise AssessmentError("a candidate cannot assess themselves", field="assessors")
    cohort_assessors = set(session.scalars(select(CohortAssessor.user_id).where(CohortAssessor.cohort_id == cohort.id)))
    strangers = [i for i in assessor_ids if i not in cohort_assessors]
    if strangers:
        raise AssessmentError("every assessor must be an assessor of the cohort", field="assessors")
    minimum = assessors_required(cohort.framework.kind, data.kind)
    required = max(minimum, data.required_assessors or minimum)
    if len(assessor_ids) < required:
        raise AssessmentError(
            f"this {data.kind} assessment needs {required} assessors; {len(assessor_ids)} chosen", field="assessors"
        )
    title = data.title.strip() or _default_title(data.kind, nodes, programme)
    assessment = Assessment(
        candidate_id=candidate.id,
        cohort_id=cohort.id,
        kind=data.kind,
        title=title[:200],
        scope_keys=[n.key for n in nodes],
        held_on=data.held_on,
        context=data.context.strip(),
        required_assessors=required,
        created_by_id=actor.user.id if actor.user else None,
        assessors=[AssessmentAssessor(assessor_id=uid, position=i) for i, uid in enumerate(assessor_ids)],
    )
    session.add(assessment)
    session.flush()
    _audit(session, actor, assessment, "assessment.create", f"{title} · {candidate.email}", after=_summary(assessment))
    return assessment


def _default_title(kind: str, nodes: Sequence[Node], programme: Programme) -> str:
    label = "Exam" if kind == AssessmentKind.SUMMATIVE else "Feedback"
    if len(nodes) == 1:
        return f"{label}: {nodes[0].element.label}"
    parent = nodes[0].parent
    if parent is not None and all(n.parent is parent for n in nodes):
        siblings = [c for c in parent.children if c in programme.claimable]
        if len(siblings) == len(nodes):  # exactly one core task, cluster or area
            return f"{label}: {parent.element.label}"
    if len(nodes) <= 4:
        return f"{label}: " + ", ".join(n.element.code or n.key for n in nodes)
    whole = programme.cohort.profile_key or programme.framework.title
    return f"{label}: {whole} ({len(nodes)})"


# --- judging -------------------------------------------------------------------------------------


@dataclass
class JudgementInput:
    element_key: str
    level_value: int | None
    criteria: dict[str, int]
    rationale: str = ""
    claim_ids: list[int] | None = None
    expected_version: int | None = None  # the version the form was loaded with; None for a new judgement


def _assessor_of(assessment: Assessment, actor: Actor) -> AssessmentAssessor:
    entry = assessment.assessor_entry(actor.user.id) if actor.user else None
    if entry is None:
        raise AssessmentError("only the assessors of this assessment judge it")
    return entry


def _node(programme: Programme, assessment: Assessment, key: str) -> Node:
    if key not in assessment.scope_keys:
        raise AssessmentError(f"{key!r} is not judged in this assessment", field="element")
    return programme.tree.by_key[key]


def _level(programme: Programme, node: Node, value: int | None, what: str) -> ScaleLevel | None:
    if value is None:
        return None
    level = next((lv for lv in programme.scale_levels(node) if lv.value == value), None)
    if level is None:
        raise AssessmentError(f"{value} is not a level of {node.element.label}'s scale ({what})", field="level")
    return level


def save_judgement(
    session: Session, actor: Actor, assessment: Assessment, data: JudgementInput, programme: Programme | None = None
) -> Judgement:
    if assessment.status != AssessmentStatus.OPEN:
        raise AssessmentError("the judging is over: this assessment is being settled or is final")
    entry = _assessor_of(assessment, actor)
    if entry.submitted_at is not None:
        raise AssessmentError("you have submitted your judgements; they can no longer change")
    programme = programme or load_programme(session, assessment.cohort)
    node = _node(programme, assessment, data.element_key)
    level = _level(programme, node, data.level_value, "overall")
    criteria = _check_criteria(programme, node, data.criteria)
    claim_ids = _check_claims(session, assessment, node, data.claim_ids or [])
    judgement = session.scalar(
        select(Judgement).where(
            Judgement.assessment_id == assessment.id,
            Judgement.assessor_id == actor.user.id,
            Judgement.element_id == node.element.id,
        )
    )
    before = _judgement_state(judgement)
    if judgement is None:
        if data.expected_version not in (None, 0):
            raise Conflict("this judgement was removed in the meantime; reload the page")
        judgement = Judgement(assessor_id=actor.user.id, element_id=node.element.id)
        assessment.judgements.append(judgement)
    elif data.expected_version is not None and data.expected_version != judgement.version:
        raise Conflict(
            f"{node.element.label} was changed elsewhere (for example in another tab) after you opened it; "
            "reload to see the current judgement, then make your change again"
        )
    judgement.level_id = level.id if level else None
    judgement.criteria = criteria
    judgement.rationale = data.rationale.strip()
    judgement.claim_ids = claim_ids
    judgement.updated_at = utcnow()
    judgement.updated_by_id = actor.user.id
    session.flush()
    after = _judgement_state(judgement, level)
    if before != after:
        _audit(session, actor, assessment, "assessment.judge", node.element.label, before=before, after=after)
    return judgement


def _check_criteria(programme: Programme, node: Node, raw: dict[str, int]) -> dict[str, int]:
    keys = {c.key for c in criteria_of(node)}
    out: dict[str, int] = {}
    for key, value in raw.items():
        if key not in keys:
            raise AssessmentError(f"{key!r} is not a criterion of {node.element.label}", field="criteria")
        if value is None:
            continue
        _level(programme, node, int(value), f"criterion {key}")
        out[key] = int(value)
    return out


def _check_claims(session: Session, assessment: Assessment, node: Node, claim_ids: list[int]) -> list[int]:
    if not claim_ids:
        return []
    found = set(
        session.scalars(
            select(Claim.id)
            .join(EvidenceItem, EvidenceItem.id == Claim.item_id)
            .where(
                Claim.id.in_(claim_ids),
                Claim.cohort_id == assessment.cohort_id,
                EvidenceItem.owner_id == assessment.candidate_id,
            )
        )
    )
    if found != set(claim_ids):
        raise AssessmentError(
            "a judgement can cite only the candidate's own evidence in this programme", field="claims"
        )
    return sorted(found)


def submit(session: Session, actor: Actor, assessment: Assessment) -> None:
    """The assessor is done: every element judged with a level. When all are done, settling starts."""
    if assessment.status != AssessmentStatus.OPEN:
        raise AssessmentError("this assessment is no longer open")
    entry = _assessor_of(assessment, actor)
    mine = {j.element_id: j for j in assessment.judgements if j.assessor_id == actor.user.id}
    programme = load_programme(session, assessment.cohort)
    missing = [
        programme.tree.by_key[k].element.label
        for k in assessment.scope_keys
        if mine.get(programme.tree.by_key[k].element.id) is None
        or mine[programme.tree.by_key[k].element.id].level_id is None
    ]
    if missing:
        raise AssessmentError("give an overall judgement first for: " + "; ".join(missing[:5]))
    entry.submitted_at = utcnow()
    _audit(session, actor, assessment, "assessment.submit", actor.user.email)
    if all(a.submitted_at for a in assessment.assessors):
        _start_settling(session, assessment, programme)
    session.flush()


def _start_settling(session: Session, assessment: Assessment, programme: Programme) -> None:
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
            )
        )


def differences(assessment: Assessment) -> set[int]:
    """Element ids on which the assessors' overall judgements differ."""
    levels: dict[int, set[int | None]] = {}
    for j in assessment.judgements:
        if j.assessor_id is not None:
            levels.setdefault(j.element_id, set()).add(j.level_id)
    return {element_id for element_id, found in levels.items() if len(found) > 1}


def settle(session: Session, actor: Actor, assessment: Assessment, data: JudgementInput, note: str = "") -> Judgement:
    """Set the agreed judgement of one element. Any change withdraws signatures already given."""
    if assessment.status != AssessmentStatus.SETTLING:
        raise AssessmentError("settling starts when every assessor has submitted, and ends when final")
    _assessor_of(assessment, actor)
    programme = load_programme(session, assessment.cohort)
    node = _node(programme, assessment, data.element_key)
    level = _level(programme, node, data.level_value, "settled")
    if level is None:
        raise AssessmentError("choose the agreed level", field="level")
    settled = next(j for j in assessment.judgements if j.assessor_id is None and j.element_id == node.element.id)
    if data.expected_version is not None and data.expected_version != settled.version:
        raise Conflict(
            f"the agreed judgement of {node.element.label} was changed by the other assessor after you opened it; "
            "reload to see it"
        )
    before = _judgement_state(settled)
    settled.level_id = level.id
    settled.criteria = _check_criteria(programme, node, data.criteria)
    text = note.strip() or data.rationale.strip()
    if text:
        settled.rationale = text
    settled.claim_ids = _check_claims(session, assessment, node, data.claim_ids or settled.claim_ids)
    settled.updated_at = utcnow()
    settled.updated_by_id = actor.user.id
    session.flush()
    after = _judgement_state(settled, level)
    if before != after:
        for entry in assessment.assessors:
            entry.signed_at = None
        _audit(session, actor, assessment, "assessment.settle", node.element.label, before=before, after=after)
    session.flush()
    return settled


def sign(session: Session, actor: Actor, assessment: Assessment, password: str) -> bool:
    """An assessor signs the settled judgements, confirming with their password. Returns True when this
    signature made the assessment final."""
    if assessment.status != AssessmentStatus.SETTLING:
        raise AssessmentError("only a settled assessment can be signed")
    entry = _assessor_of(assessment, actor)
    if not verify_password(actor.user.password_hash, password):
        raise AssessmentError("that is not your password", field="password")
    open_elements = [j for j in assessment.judgements if j.assessor_id is None and j.level_id is None]
    if open_elements:
        raise AssessmentError(f"{len(open_elements)} elements still need an agreed judgement")
    entry.signed_at = utcnow()
    _audit(session, actor, assessment, "assessment.sign", actor.user.email)
    signed = [a for a in assessment.assessors if a.signed_at]
    if len(signed) >= assessment.required_assessors and len(signed) == len(assessment.assessors):
        _finalise(session, actor, assessment)
        session.flush()
        return True
    session.flush()
    return False


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
    _audit(session, actor, assessment, "assessment.final", assessment.title)


def correct(session: Session, actor: Actor, final: Assessment, reason: str) -> Assessment:
    """A correction of a final assessment: a new assessment, linked to the one it replaces, that starts
    from its agreed judgements. Both stay visible; the old one counts until the new one is final."""
    if final.status != AssessmentStatus.FINAL:
        raise AssessmentError("only a final assessment is corrected; a draft is simply changed")
    if final.superseded_at is not None or session.scalar(
        select(Assessment.id).where(Assessment.supersedes_id == final.id)
    ):
        raise AssessmentError("this assessment already has a correction")
    _assessor_of(final, actor)
    if not reason.strip():
        raise AssessmentError("say why the assessment is corrected", field="reason")
    new = Assessment(
        candidate_id=final.candidate_id,
        cohort_id=final.cohort_id,
        kind=final.kind,
        title=final.title,
        scope_keys=list(final.scope_keys),
        held_on=final.held_on,
        context=final.context,
        required_assessors=final.required_assessors,
        supersedes_id=final.id,
        correction_reason=reason.strip(),
        created_by_id=actor.user.id,
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
    _audit(session, actor, new, "assessment.correct", f"corrects #{final.id}: {reason.strip()}")
    return new


# --- what a viewer may see -----------------------------------------------------------------------


def visible_judgements(assessment: Assessment, viewer: User) -> list[Judgement]:
    """While judging is open an assessor sees only their own drafts, and nobody else sees any; afterwards
    everyone who may open the assessment sees all of them."""
    if assessment.status == AssessmentStatus.OPEN:
        return [j for j in assessment.judgements if j.assessor_id == viewer.id]
    if assessment.candidate_id == viewer.id and assessment.status != AssessmentStatus.FINAL:
        return []
    return list(assessment.judgements)


# --- audit ---------------------------------------------------------------------------------------


def _judgement_state(judgement: Judgement | None, level: ScaleLevel | None = None) -> dict[str, Any] | None:
    if judgement is None:
        return None
    label = level.label if level is not None else (judgement.level.label if judgement.level_id else None)
    return {
        "level": label,
        "criteria": dict(judgement.criteria),
        "rationale": judgement.rationale,
        "claims": list(judgement.claim_ids),
    }


def _summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "kind": assessment.kind,
        "scope": list(assessment.scope_keys),
        "assessors": [a.assessor_id for a in assessment.assessors],
        "required": assessment.required_assessors,
    }


def _audit(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    action: str,
    summary: str,
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
        summary=summary,
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
