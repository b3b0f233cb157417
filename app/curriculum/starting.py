"""Starting assessments from an exam instrument: scope, kind and number of assessors come from the plan, and
each assessment is recorded as the instrument's, so its result shows in the plan's progress."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.accounts.models import Cohort, User
from app.assessment.creation import NewAssessment, create_assessment
from app.assessment.models import Assessment, AssessmentKind
from app.audit import Actor
from app.curriculum.errors import CurriculumError
from app.curriculum.models import ExamInstrument, InstrumentAssessment
from app.curriculum.queries import Plan
from app.domain import N_


def instrument_scope(plan: Plan, instrument: ExamInstrument) -> list[str]:
    keys = [plan.element_by_id[link.element_id].key for link in plan.links if link.instrument_id == instrument.id]
    order = {n.key: i for i, n in enumerate(plan.elements)}
    return sorted(keys, key=lambda k: order.get(k, 0))


def start_from_instrument(
    session: Session,
    actor: Actor,
    plan: Plan,
    instrument: ExamInstrument,
    cohort: Cohort,
    students: list[User],
    assessor_ids: list[int],
    held_on: dt.date | None = None,
) -> list[Assessment]:
    scope = instrument_scope(plan, instrument)
    if not scope:
        raise CurriculumError(N_("this exam instrument examines nothing yet: map it first"))
    if not students:
        raise CurriculumError(N_("select at least one student"), field="students")
    data = NewAssessment(
        kind=AssessmentKind.SUMMATIVE if instrument.summative else AssessmentKind.FORMATIVE,
        scope_keys=scope,
        assessor_ids=assessor_ids,
        held_on=held_on,
        context=instrument.label,
        required_assessors=instrument.assessors_required,
    )
    created = []
    for student in students:
        assessment = create_assessment(session, actor, student, cohort, data)
        session.add(InstrumentAssessment(assessment_id=assessment.id, instrument_id=instrument.id))
        created.append(assessment)
    session.flush()
    return created
