"""Reads about assessments that views and exports use."""

from __future__ import annotations

from app.accounts.models import User
from app.assessment.models import Assessment, AssessmentStatus, Judgement


def visible_judgements(assessment: Assessment, viewer: User) -> list[Judgement]:
    """While judging is open an assessor sees only their own drafts, and nobody else sees any; afterwards
    everyone who may open the assessment sees all of them."""
    if assessment.status == AssessmentStatus.OPEN:
        return [j for j in assessment.judgements if j.assessor_id == viewer.id]
    if assessment.candidate_id == viewer.id and assessment.status != AssessmentStatus.FINAL:
        return []
    return list(assessment.judgements)


def differences(assessment: Assessment) -> set[int]:
    """Element ids on which the assessors' overall judgements differ."""
    levels: dict[int, set[int | None]] = {}
    for j in assessment.judgements:
        if j.assessor_id is not None:
            levels.setdefault(j.element_id, set()).add(j.level_id)
    return {element_id for element_id, found in levels.items() if len(found) > 1}
