"""Reads of the portfolio domain that views, PDFs and other domains need (no writes, no request).

"The claims of a student in a cohort" is asked by the portfolio pages, the portfolio PDF, the assessment
page and the check of which evidence a judgement may cite: it is answered here, once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from app.accounts.models import Cohort, CohortAssessor, CohortStudent, Membership, Role, User
from app.portfolio.items import snapshot
from app.portfolio.models import Claim, Comment, EvidenceItem, EvidenceVersion, Notification, ShareLink
from app.standards.models import Element


def student_claims(student_id: int, cohort_id: int) -> Select[Claim]:
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


# --- programmes and the people around them -------------------------------------------------------


def programmes_of(session: Session, student: User) -> list[Cohort]:
    """The cohorts a student follows, each tied to a standard (or one profile of it)."""
    return list(
        session.scalars(
            select(Cohort)
            .join(CohortStudent, CohortStudent.cohort_id == Cohort.id)
            .where(CohortStudent.user_id == student.id)
            .order_by(Cohort.year.desc(), Cohort.name)
        )
    )


def staff_of_cohort(session: Session, cohort: Cohort) -> list[User]:
    """Who reads and comments on the cohort's portfolios: its assessors, the school's curriculum leads."""
    assessors = select(CohortAssessor.user_id).where(CohortAssessor.cohort_id == cohort.id)
    leads = select(Membership.user_id).where(
        Membership.organisation_id == cohort.organisation_id, Membership.role == Role.CURRICULUM_LEAD
    )
    return list(
        session.scalars(select(User).where(User.active, User.id.in_(assessors.union(leads))).order_by(User.name))
    )


def staff_cohorts(session: Session, cohort_ids: Any) -> list[Cohort]:
    """The cohorts whose portfolios a member of staff reads (``cohort_ids``: a list or a select of ids, e.g.
    ``app.authz.staff_cohort_ids``), with their students and organisation."""
    return list(
        session.scalars(
            select(Cohort)
            .where(Cohort.id.in_(cohort_ids))
            .options(selectinload(Cohort.students), selectinload(Cohort.organisation))
            .order_by(Cohort.year.desc(), Cohort.name)
        )
    )


# --- items ---------------------------------------------------------------------------------------


def items_of(session: Session, owner: User) -> list[EvidenceItem]:
    """The owner's items, most recently changed first, with their claims and files."""
    return list(
        session.scalars(
            select(EvidenceItem)
            .where(EvidenceItem.owner_id == owner.id)
            .options(selectinload(EvidenceItem.claims), selectinload(EvidenceItem.attachments))
            .order_by(EvidenceItem.updated_at.desc())
        )
    )


def items_by_title(session: Session, owner: User) -> list[EvidenceItem]:
    return list(
        session.scalars(select(EvidenceItem).where(EvidenceItem.owner_id == owner.id).order_by(EvidenceItem.title))
    )


def items_with_files(session: Session, item_ids: Iterable[int]) -> list[EvidenceItem]:
    """The items with their files and links, in the order they happened."""
    return list(
        session.scalars(
            select(EvidenceItem)
            .where(EvidenceItem.id.in_(list(item_ids)))
            .options(selectinload(EvidenceItem.attachments), selectinload(EvidenceItem.links))
            .order_by(EvidenceItem.started_on, EvidenceItem.id)
        )
    )


def claims_on_items(session: Session, item_ids: Iterable[int]) -> list[Claim]:
    """The claims on these items, with what they prove, in which programme, at which self-assessed level."""
    return list(
        session.scalars(
            select(Claim)
            .where(Claim.item_id.in_(list(item_ids)))
            .options(selectinload(Claim.element), selectinload(Claim.self_level), selectinload(Claim.cohort))
            .order_by(Claim.id)
        )
    )


def share_links_of(session: Session, owner: User) -> list[ShareLink]:
    """The owner's share links, newest first, with their accesses."""
    return list(
        session.scalars(
            select(ShareLink)
            .where(ShareLink.owner_id == owner.id)
            .options(selectinload(ShareLink.accesses), selectinload(ShareLink.cohort))
            .order_by(ShareLink.created_at.desc())
        )
    )


def claims_of_item(session: Session, item: EvidenceItem) -> list[Claim]:
    return list(
        session.scalars(
            select(Claim)
            .where(Claim.item_id == item.id)
            .options(selectinload(Claim.element), selectinload(Claim.cohort), selectinload(Claim.self_level))
            .order_by(Claim.id)
        )
    )


def comments_by_claim(session: Session, item: EvidenceItem) -> dict[int | None, list[Comment]]:
    """The item's comments with their authors, by the claim they are about (None: the item itself)."""
    grouped: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in session.scalars(
        select(Comment).where(Comment.item_id == item.id).options(selectinload(Comment.author)).order_by(Comment.id)
    ):
        grouped[comment.claim_id].append(comment)
    return grouped


def comment_counts(session: Session, item_ids: Iterable[int]) -> dict[int, int]:
    rows = session.execute(
        select(Comment.item_id, func.count()).where(Comment.item_id.in_(list(item_ids))).group_by(Comment.item_id)
    )
    return {item_id: count for item_id, count in rows}


def version_of(session: Session, item: EvidenceItem, number: int) -> dict[str, Any] | None:
    if number == item.version:
        return snapshot(item)
    version = session.scalar(
        select(EvidenceVersion).where(EvidenceVersion.item_id == item.id, EvidenceVersion.number == number)
    )
    return version.snapshot if version else None


def versions_of(session: Session, item: EvidenceItem) -> list[EvidenceVersion]:
    return list(
        session.scalars(
            select(EvidenceVersion).where(EvidenceVersion.item_id == item.id).order_by(EvidenceVersion.number)
        )
    )


def element_for(session: Session, element_id: int) -> Element | None:
    return session.get(Element, element_id)


# --- notifications -------------------------------------------------------------------------------


def notifications_of(session: Session, user: User, limit: int = 100) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .options(selectinload(Notification.actor), selectinload(Notification.item))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )
