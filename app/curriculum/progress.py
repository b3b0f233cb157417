"""The plan tied to results: per cohort and instrument, who is planned, in progress, passed or failed, and
the students still waiting; a student's own standing per instrument. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortStudent, User
from app.assessment.models import Assessment, AssessmentStatus, Judgement
from app.curriculum.models import CohortCurriculum, Curriculum, ExamInstrument, InstrumentAssessment
from app.curriculum.queries import Plan
from app.standards.models import ScaleLevel

PLANNED, IN_PROGRESS, PASSED, FAILED = "planned", "in_progress", "passed", "failed"


@dataclass
class InstrumentProgress:
    cohort: Cohort
    instrument: ExamInstrument
    counts: dict[str, int] = field(default_factory=lambda: {PLANNED: 0, IN_PROGRESS: 0, PASSED: 0, FAILED: 0})
    waiting: list[User] = field(default_factory=list)


@dataclass
class StudentResult:
    instrument: ExamInstrument
    status: str
    held_on: dt.date | None = None
    assessment_id: int | None = None


def _results(session: Session, plan: Plan, cohort_ids: list[int]) -> dict[tuple[int, int], tuple[str, Assessment]]:
    """(instrument id, candidate id) → the standing of the latest assessment started from the instrument."""
    rows = session.execute(
        select(InstrumentAssessment.instrument_id, Assessment)
        .join(Assessment, Assessment.id == InstrumentAssessment.assessment_id)
        .where(
            InstrumentAssessment.instrument_id.in_([i.id for i in plan.instruments]),
            Assessment.cohort_id.in_(cohort_ids),
            Assessment.superseded_at.is_(None),
        )
        .order_by(Assessment.id)
    ).all()
    final_ids = [a.id for _i, a in rows if a.status == AssessmentStatus.FINAL]
    settled: dict[int, list[tuple[int, int | None]]] = {}
    for assessment_id, element_id, value in session.execute(
        select(Judgement.assessment_id, Judgement.element_id, ScaleLevel.value)
        .outerjoin(ScaleLevel, ScaleLevel.id == Judgement.level_id)
        .where(Judgement.assessment_id.in_(final_ids), Judgement.assessor_id.is_(None))
    ):
        settled.setdefault(assessment_id, []).append((element_id, value))
    required = {n.element.id: n.required.value for n in plan.tree if n.required is not None}
    out: dict[tuple[int, int], tuple[str, Assessment]] = {}
    for instrument_id, assessment in rows:
        if assessment.status != AssessmentStatus.FINAL:
            status = IN_PROGRESS
        else:
            judged = settled.get(assessment.id, [])
            ok = all(v is not None and v >= required.get(e, 0) for e, v in judged)
            status = PASSED if judged and ok else FAILED
        out[(instrument_id, assessment.candidate_id)] = (status, assessment)
    return out


def instrument_progress(session: Session, curriculum: Curriculum, plan: Plan) -> list[InstrumentProgress]:
    cohorts = session.scalars(
        select(Cohort)
        .join(CohortCurriculum, CohortCurriculum.cohort_id == Cohort.id)
        .where(CohortCurriculum.curriculum_id == curriculum.id)
        .order_by(Cohort.name)
    ).all()
    if not cohorts or not plan.instruments:
        return []
    students: dict[int, list[User]] = {}
    for cohort_id, user in session.execute(
        select(CohortStudent.cohort_id, User)
        .join(User, User.id == CohortStudent.user_id)
        .where(CohortStudent.cohort_id.in_([c.id for c in cohorts]))
        .order_by(User.name)
    ):
        students.setdefault(cohort_id, []).append(user)
    results = _results(session, plan, [c.id for c in cohorts])
    out = []
    for cohort in cohorts:
        for instrument in plan.instruments:
            row = InstrumentProgress(cohort, instrument)
            for student in students.get(cohort.id, []):
                status = results.get((instrument.id, student.id), (PLANNED, None))[0]
                row.counts[status] += 1
                if status == PLANNED:
                    row.waiting.append(student)
            out.append(row)
    return out


def student_results(session: Session, student: User, cohort: Cohort, plan: Plan) -> list[StudentResult]:
    results = _results(session, plan, [cohort.id])
    out = []
    for instrument in plan.instruments:
        status, assessment = results.get((instrument.id, student.id), (PLANNED, None))
        held_on = assessment.held_on if assessment else None
        out.append(StudentResult(instrument, status, held_on, assessment.id if assessment else None))
    return out
