"""Carried evidence for a learner record: the learner's final results and portfolio claims on other standards,
carried to the elements of this programme through published crosswalks (app.crosswalks.carrying has the
rules; a claim is never more than supporting).

Whose evidence: the learner's agreed judgements of final assessments, and their portfolio claims, in cohorts
of the same organisation as the programme's cohort (the staff reading this record may read those), on
standards other than this one. A fixed number of queries whatever the number of links, results or claims:
the published links (one), the results (one), the source elements' required levels (one), the claims (one)
and the assessors (one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.accounts.models import Cohort, User
from app.assessment.models import Assessment, AssessmentAssessor, AssessmentStatus, Judgement
from app.crosswalks.carrying import RELATIONS, Carried, Condition, Evidence, Link, Strength, carry
from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkStatus
from app.portfolio.models import Claim, EvidenceItem
from app.portfolio.programme import Programme
from app.standards.models import Element, Framework, RequiredLevel, ScaleLevel


@dataclass(frozen=True)
class LinkInfo:
    id: int
    crosswalk_id: int
    crosswalk_name: str
    editorial: bool
    relation: str
    note: str
    confidence: float
    condition_text: str
    min_level: str | None
    subject: str
    object: str
    subject_framework: str
    object_framework: str


@dataclass(frozen=True)
class ResultInfo:
    """A final result (``kind`` "result") or a portfolio claim ("claim": the level is the learner's own
    self-assessment, ``judged_at`` when the claim was last changed)."""

    framework_code: str
    element: str
    level_code: str | None
    level_label: str | None
    judged_at: dt.datetime | None
    cohort_name: str
    assessment_id: int | None
    assessors: tuple[str, ...] = ()
    kind: str = "result"
    item_title: str = ""
    claim_status: str | None = None

    @property
    def is_claim(self) -> bool:
        return self.kind == "claim"


@dataclass(frozen=True)
class CarriedView:
    """One carried result as the page shows it: the result, whose judgement, the chain of links."""

    carried: Carried
    result: ResultInfo
    links: tuple[LinkInfo, ...]

    @property
    def carries_level(self) -> bool:
        return self.carried.strength == Strength.LEVEL

    @property
    def key(self) -> str:
        """What an assessor cites: the result or the claim ("judgement:12", "claim:7")."""
        return self.carried.evidence.id

    final = False


def _label(code: str | None, title: str) -> str:
    return f"{code} {title}" if code else title


@cache
def _published_links_statement() -> Any:
    """Built once per process: composing this five-way join was a good part of every record's time."""
    subject, obj = aliased(Element), aliased(Element)
    subject_fw, object_fw = aliased(Framework), aliased(Framework)
    return (
        select(
            CrosswalkLink.id,
            Crosswalk.name,
            Crosswalk.editorial,
            subject.code,
            subject.title,
            obj.code,
            obj.title,
            subject_fw.code,
            object_fw.code,
            ScaleLevel.value,
            ScaleLevel.scale_id,
            ScaleLevel.code,
            ScaleLevel.label,
            CrosswalkLink.crosswalk_id,
            CrosswalkLink.subject_id,
            CrosswalkLink.object_id,
            CrosswalkLink.relation,
            CrosswalkLink.condition_text,
            CrosswalkLink.note,
            CrosswalkLink.confidence,
        )
        .join(Crosswalk, Crosswalk.id == CrosswalkLink.crosswalk_id)
        .join(subject, subject.id == CrosswalkLink.subject_id)
        .join(obj, obj.id == CrosswalkLink.object_id)
        .join(subject_fw, subject_fw.id == subject.framework_id)
        .join(object_fw, object_fw.id == obj.framework_id)
        .outerjoin(ScaleLevel, ScaleLevel.id == CrosswalkLink.min_level_id)
        .where(Crosswalk.status == CrosswalkStatus.PUBLISHED)
        .order_by(CrosswalkLink.id)
    )


def published_links(session: Session, ids: Iterable[int] | None = None) -> tuple[list[Link], dict[int, LinkInfo]]:
    """Every link of a published crosswalk (or those of ``ids``), as carrying facts and as display data:
    one query."""
    statement = _published_links_statement()
    if ids is not None:
        statement = statement.where(CrosswalkLink.id.in_(sorted(set(ids))))
    rows: Sequence[Any] = session.execute(statement).all()
    links, infos = [], {}
    for row in rows:
        link_id = row[0]
        crosswalk_id, subject_id, object_id, relation, condition_text, note, confidence = tuple(row)[13:]
        condition = Condition(row[9], row[10], condition_text or "")
        links.append(Link(link_id, crosswalk_id, subject_id, object_id, RELATIONS[relation], condition))
        infos[link_id] = LinkInfo(
            link_id,
            crosswalk_id,
            row[1],
            row[2],
            relation,
            note,
            confidence,
            condition_text,
            (row[11] or row[12]) if row[9] is not None else None,
            _label(row[3], row[4]),
            _label(row[5], row[6]),
            row[7],
            row[8],
        )
    return links, infos


def _results(session: Session, student: User, cohort: Cohort) -> tuple[list[Evidence], dict[str, ResultInfo]]:
    rows: Sequence[Any] = session.execute(
        select(
            Judgement.id,
            Judgement.element_id,
            Judgement.assessment_id,
            Assessment.finalised_at,
            Cohort.name,
            Element.code,
            Element.title,
            Framework.code,
            ScaleLevel.value,
            ScaleLevel.scale_id,
            ScaleLevel.code,
            ScaleLevel.label,
        )
        .join(Assessment, Assessment.id == Judgement.assessment_id)
        .join(Cohort, Cohort.id == Assessment.cohort_id)
        .join(Element, Element.id == Judgement.element_id)
        .join(Framework, Framework.id == Element.framework_id)
        .outerjoin(ScaleLevel, ScaleLevel.id == Judgement.level_id)
        .where(
            Assessment.candidate_id == student.id,
            Assessment.status == AssessmentStatus.FINAL,
            Assessment.superseded_at.is_(None),
            Judgement.assessor_id.is_(None),
            Cohort.organisation_id == cohort.organisation_id,
            Element.framework_id != cohort.framework_id,
        )
        .order_by(Assessment.finalised_at, Judgement.id)
    ).all()
    required = dict(
        session.execute(
            select(RequiredLevel.element_id, ScaleLevel.value)
            .join(ScaleLevel, ScaleLevel.id == RequiredLevel.scale_level_id)
            .where(RequiredLevel.element_id.in_({r[1] for r in rows}))
        ).all()
    )
    latest: dict[int, Any] = {}
    for row in rows:  # the latest final result per element stands
        latest[row[1]] = row
    evidence, infos = [], {}
    for row in latest.values():
        level, target = row[8], required.get(row[1])
        meets = None if level is None else (target is None or level >= target)
        key = f"judgement:{row[0]}"
        evidence.append(Evidence(key, row[1], "result", level, row[9], meets))
        infos[key] = ResultInfo(row[7], _label(row[5], row[6]), row[10], row[11], row[3], row[4], row[2])
    return evidence, infos


def _claims(session: Session, student: User, cohort: Cohort) -> tuple[list[Evidence], dict[str, ResultInfo]]:
    """The learner's portfolio claims on other standards: supporting evidence only, whatever their level."""
    rows: Sequence[Any] = session.execute(
        select(
            Claim.id,
            Claim.element_id,
            Claim.updated_at,
            Claim.status,
            EvidenceItem.title,
            Cohort.name,
            Element.code,
            Element.title,
            Framework.code,
            ScaleLevel.code,
            ScaleLevel.label,
        )
        .join(EvidenceItem, EvidenceItem.id == Claim.item_id)
        .join(Cohort, Cohort.id == Claim.cohort_id)
        .join(Element, Element.id == Claim.element_id)
        .join(Framework, Framework.id == Element.framework_id)
        .outerjoin(ScaleLevel, ScaleLevel.id == Claim.self_level_id)
        .where(
            EvidenceItem.owner_id == student.id,
            Cohort.organisation_id == cohort.organisation_id,
            Element.framework_id != cohort.framework_id,
        )
        .order_by(Claim.id)
    ).all()
    evidence, infos = [], {}
    for claim_id, element_id, updated, status, item, cohort_name, code, title, fw, level_code, level_label in rows:
        key = f"claim:{claim_id}"
        evidence.append(Evidence(key, element_id, "claim"))
        infos[key] = ResultInfo(
            fw, _label(code, title), level_code, level_label, updated, cohort_name, None, (), "claim", item, status
        )
    return evidence, infos


def _assessors(session: Session, assessment_ids: set[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for assessment_id, name in session.execute(
        select(AssessmentAssessor.assessment_id, User.name)
        .join(User, User.id == AssessmentAssessor.assessor_id)
        .where(AssessmentAssessor.assessment_id.in_(assessment_ids))
        .order_by(AssessmentAssessor.assessment_id, AssessmentAssessor.position)
    ):
        out.setdefault(assessment_id, []).append(name)
    return out


def carried_evidence(session: Session, student: User, programme: Programme) -> dict[int, list[CarriedView]]:
    """Per claimable element of the programme, the results and claims that reach it through published
    crosswalks (results first: level-carrying ones, then the shorter chains)."""
    links, link_infos = published_links(session)
    if not links:
        return {}
    evidence, result_infos = _results(session, student, programme.cohort)
    claims, claim_infos = _claims(session, student, programme.cohort)
    evidence += claims
    result_infos |= claim_infos
    if not evidence:
        return {}
    carried = carry(evidence, links, {n.element.id for n in programme.claimable})
    used = {
        assessment_id
        for items in carried.values()
        for c in items
        if (assessment_id := result_infos[c.evidence.id].assessment_id) is not None
    }
    assessors = _assessors(session, used) if used else {}
    out: dict[int, list[CarriedView]] = {}
    for element_id, items in carried.items():
        views = []
        for c in items:
            info = result_infos[c.evidence.id]
            if info.assessment_id is not None:
                info = ResultInfo(**{**info.__dict__, "assessors": tuple(assessors.get(info.assessment_id, []))})
            chain = tuple(link_infos[s.links[0].id] for s in c.path)
            views.append(CarriedView(c, info, chain))
        views.sort(key=lambda v: (not v.carries_level, v.result.is_claim, len(v.links)))  # stable: results first
        out[element_id] = views
    return out
