"""Reads of the portfolio domain that views, PDFs and other domains need (no writes, no request).

"The claims of a student in a cohort" is asked by the portfolio pages, the portfolio PDF, the assessment
page and the check of which evidence a judgement may cite: it is answered here, once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from app.portfolio.models import Claim, EvidenceItem


def student_claims(student_id: int, cohort_id: int) -> Select[tuple[Claim]]:
    """The statement behind ``claims_of_student``: the claims on the student's own items in the cohort.

    For callers that narrow it further, e.g. ``student_claims(s, c).where(Claim.id.in_(ids))``, or that
    need only ids (``.with_only_columns(Claim.id)``)."""
    return (
        select(Claim)
        .join(EvidenceItem, EvidenceItem.id == Claim.item_id)
        .where(Claim.cohort_id == cohort_id, EvidenceItem.owner_id == student_id)
        .order_by(Claim.id)
    )


def claims_of_student(
    session: Session, student_id: int, cohort_id: int, load: Iterable[LoaderOption] = ()
) -> list[Claim]:
    """The student's claims in the cohort, oldest first, with their item and self-assessed level loaded
    (three queries whatever the number of claims); ``load`` adds loader options (e.g. the reviewer)."""
    options = (selectinload(Claim.item), selectinload(Claim.self_level), *load)
    return list(session.scalars(student_claims(student_id, cohort_id).options(*options)))


def claims_by_element(
    session: Session, student_id: int, cohort_id: int, load: Iterable[LoaderOption] = ()
) -> dict[int, list[Claim]]:
    """``claims_of_student`` grouped by the element each claim proves (element id → claims, oldest first)."""
    grouped: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims_of_student(session, student_id, cohort_id, load):
        grouped[claim.element_id].append(claim)
    return grouped
