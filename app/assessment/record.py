"""The learner record: per element the latest final judgement and its history, rolled up to core tasks,
clusters, profile and framework, in a fixed number of queries whatever the size of the class.

Roll-up rule (the default pass mark): an element is achieved when its agreed level reaches the level the
standard requires (mbo: voldoende; e-CF: the profile's target level; Competent/BK: beheerst); a group
(core task, cluster, area, profile) is achieved when every element in it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, User
from app.assessment.models import Assessment, AssessmentStatus, Judgement
from app.portfolio.programme import Programme, load_programme
from app.standards.models import ScaleLevel
from app.standards.queries import Node
from app.versioning.queries import carried_results

ACHIEVED, NOT_YET, NOT_ASSESSED = "achieved", "not_yet", "not_assessed"


@dataclass
class Outcome:
    """One element's standing: its latest final judgement and what came before."""

    node: Node
    level: ScaleLevel | None = None
    judged_at: dt.datetime | None = None
    assessment_id: int | None = None
    carried_from: str | None = None  # the standing came from a result carried from another version
    history: list[tuple[dt.datetime, ScaleLevel | None, int, bool]] = field(default_factory=list)

    @property
    def target(self) -> ScaleLevel | None:
        return self.node.required

    @property
    def status(self) -> str:
        if self.level is None:
            return NOT_ASSESSED
        return ACHIEVED if self.target is None or self.level.value >= self.target.value else NOT_YET

    @property
    def gap(self) -> int:
        """How many levels short of the target (0 when achieved or not assessed)."""
        if self.level is None or self.target is None:
            return 0
        return max(0, self.target.value - self.level.value)


@dataclass
class GroupOutcome:
    node: Node
    outcomes: list[Outcome]

    @property
    def achieved(self) -> int:
        return sum(1 for o in self.outcomes if o.status == ACHIEVED)

    @property
    def status(self) -> str:
        if self.outcomes and self.achieved == len(self.outcomes):
            return ACHIEVED
        if all(o.status == NOT_ASSESSED for o in self.outcomes):
            return NOT_ASSESSED
        return NOT_YET


@dataclass
class Record:
    student: User
    programme: Programme
    outcomes: list[Outcome]
    groups: list[GroupOutcome]

    @property
    def achieved(self) -> int:
        return sum(1 for o in self.outcomes if o.status == ACHIEVED)

    @property
    def complete(self) -> bool:
        return bool(self.outcomes) and self.achieved == len(self.outcomes)

    @property
    def missing(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != ACHIEVED]


@dataclass(frozen=True)
class Agreed:
    """One agreed judgement of a final assessment: the few columns a record needs, no ORM object."""

    element_id: int
    level: ScaleLevel | None
    assessment_id: int
    carried_from: str | None = None  # "<old version> <old code>" when carried from another version


def final_judgements(session: Session, cohort: Cohort, student_ids: Iterable[int]) -> dict[int, list]:
    """Agreed judgements of final assessments per student, oldest first: two queries for a whole class
    (the rows as plain columns, and the scale levels they point to), and one for results carried from an
    earlier version of the standard (older than any result on this version, so they come first)."""
    student_ids = list(student_ids)
    rows = session.execute(
        select(
            Judgement.element_id,
            Judgement.level_id,
            Judgement.assessment_id,
            Assessment.candidate_id,
            Assessment.finalised_at,
            Assessment.superseded_at,
        )
        .join(Assessment, Assessment.id == Judgement.assessment_id)
        .where(
            Assessment.cohort_id == cohort.id,
            Assessment.candidate_id.in_(list(student_ids)),
            Assessment.status == AssessmentStatus.FINAL,
            Judgement.assessor_id.is_(None),
        )
        .order_by(Assessment.finalised_at, Judgement.id)
    ).all()
    carried = carried_results(session, cohort.id, student_ids)  # from an earlier version of the standard
    level_ids = {row.level_id for row in rows if row.level_id is not None}
    level_ids |= {c.level_id for cs in carried.values() for c in cs if c.level_id is not None}
    levels = {lv.id: lv for lv in session.scalars(select(ScaleLevel).where(ScaleLevel.id.in_(level_ids)))}
    out: dict[int, list] = defaultdict(list)
    for candidate_id, cs in carried.items():
        for c in cs:
            level = levels.get(c.level_id) if c.level_id is not None else None
            agreed = Agreed(c.element_id, level, c.assessment_id, c.label)
            out[candidate_id].append((agreed, c.finalised_at, c.finalised_at if c.superseded else None))
    for element_id, level_id, assessment_id, candidate_id, finalised_at, superseded_at in rows:
        agreed = Agreed(element_id, levels.get(level_id) if level_id is not None else None, assessment_id)
        out[candidate_id].append((agreed, finalised_at, superseded_at))
    return out


def _layout(programme: Programme) -> list[tuple[Node, list[int]]]:
    """Each group (core task, cluster, area, profile part) with the claimable elements inside it: the same
    for every student, so worked out once per programme."""
    cached = getattr(programme, "_record_layout", None)
    if cached is not None:
        return cached
    claimable = {n.element.id for n in programme.claimable}
    layout = []
    for root in programme.roots:
        for node in [root, *root.descendants()]:
            if node.element.id in claimable:
                continue
            inside = [d.element.id for d in node.descendants() if d.element.id in claimable]
            if inside:
                layout.append((node, inside))
    programme._record_layout = layout  # type: ignore[attr-defined]
    return layout


def build_record(programme: Programme, student: User, judgements: list) -> Record:
    by_element: dict[int, Outcome] = {n.element.id: Outcome(n) for n in programme.claimable}
    for judgement, finalised_at, superseded_at in judgements:
        outcome = by_element.get(judgement.element_id)
        if outcome is None:
            continue
        outcome.history.append((finalised_at, judgement.level, judgement.assessment_id, superseded_at is not None))
        if superseded_at is None:  # a superseded result stays in the history, not in the standing
            outcome.level, outcome.judged_at, outcome.assessment_id = (
                judgement.level,
                finalised_at,
                judgement.assessment_id,
            )
            outcome.carried_from = getattr(judgement, "carried_from", None)
    outcomes = [by_element[n.element.id] for n in programme.claimable]
    groups = [GroupOutcome(node, [by_element[i] for i in inside]) for node, inside in _layout(programme)]
    return Record(student, programme, outcomes, groups)


def learner_record(session: Session, student: User, cohort: Cohort) -> Record:
    programme = load_programme(session, cohort)
    return build_record(programme, student, final_judgements(session, cohort, [student.id]).get(student.id, []))


def cohort_records(session: Session, cohort: Cohort) -> tuple[Programme, list[Record]]:
    """Every student's record for the cohort matrix, in a fixed number of queries."""
    programme = load_programme(session, cohort)
    students = list(cohort.students)
    judgements = final_judgements(session, cohort, [s.id for s in students])
    return programme, [build_record(programme, s, judgements.get(s.id, [])) for s in students]
