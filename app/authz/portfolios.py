"""Portfolios: a student's evidence is theirs; the staff of a cohort read what is claimed in it."""

from __future__ import annotations

from flask import abort
from sqlalchemy import CompoundSelect, Select, or_, select

from app.accounts.models import (
    Cohort,
    CohortAssessor,
    CohortStudent,
    Membership,
    Role,
    User,
)
from app.authz.accounts import roles_in
from app.authz.routes import Action
from app.extensions import db
from app.portfolio.models import Attachment, Claim, EvidenceItem, PortfolioExport, ShareLink

# --- portfolios ----------------------------------------------------------------------------------
# A student's evidence is theirs. Staff of a cohort (its assessors, the school's curriculum leads and
# administrators) read an item once it is linked by a claim to their cohort's programme, and comment on
# it; only the owner changes it. Platform administrators get no reading right on evidence by virtue of
# their role. Share links (anonymous, read-only) are checked in app.portfolio.services.find_share.


def staff_cohort_ids(user: User) -> CompoundSelect[int]:
    """Ids of the cohorts whose portfolios ``user`` may read as staff."""
    assessed = select(CohortAssessor.cohort_id).where(CohortAssessor.user_id == user.id)
    led = (
        select(Cohort.id)
        .join(Membership, Membership.organisation_id == Cohort.organisation_id)
        .where(Membership.user_id == user.id, Membership.role.in_([Role.CURRICULUM_LEAD, Role.ORG_ADMIN]))
    )
    return assessed.union(led)


def is_cohort_staff(user: User, cohort: Cohort) -> bool:
    if not user.is_authenticated:
        return False
    if db.session.get(CohortAssessor, (cohort.id, user.id)) is not None:
        return True
    return bool(roles_in(user, cohort.organisation_id) & {Role.CURRICULUM_LEAD, Role.ORG_ADMIN})


def items_visible_to(user: User) -> Select[EvidenceItem]:
    """Evidence items ``user`` may read: their own, and those claimed in a cohort they are staff of."""
    claimed = select(Claim.item_id).where(Claim.cohort_id.in_(staff_cohort_ids(user)))
    return select(EvidenceItem).where(or_(EvidenceItem.owner_id == user.id, EvidenceItem.id.in_(claimed)))


def can_view_item(user: User, item: EvidenceItem) -> bool:
    if not user.is_authenticated:
        return False
    if item.owner_id == user.id:
        return True
    claimed_in = {claim.cohort_id for claim in item.claims}
    if not claimed_in:
        return False
    return (
        db.session.scalar(
            select(Cohort.id).where(Cohort.id.in_(claimed_in), Cohort.id.in_(staff_cohort_ids(user))).limit(1)
        )
        is not None
    )


def can_edit_item(user: User, item: EvidenceItem) -> bool:
    return bool(user.is_authenticated and item.owner_id == user.id)


def can_comment_item(user: User, item: EvidenceItem) -> bool:
    return can_view_item(user, item)


def can_review_claim(user: User, claim: Claim) -> bool:
    return claim.item.owner_id != user.id and is_cohort_staff(user, claim.cohort)


def can_view_portfolio(user: User, student: User, cohort: Cohort) -> bool:
    """A student's portfolio for one programme: the student, and the cohort's staff."""
    if not user.is_authenticated or db.session.get(CohortStudent, (cohort.id, student.id)) is None:
        return False
    return student.id == user.id or is_cohort_staff(user, cohort)


def item_or_404(user: User, item_id: int, action: Action = Action.VIEW) -> EvidenceItem:
    item = db.session.get(EvidenceItem, item_id)
    if item is None or not can_view_item(user, item):
        abort(404)
    if action == Action.MANAGE and not can_edit_item(user, item):
        abort(403)
    return item


def attachment_or_404(user: User, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_view_item(user, attachment.item):
        abort(404)
    return attachment


def claim_or_404(user: User, claim_id: int, action: Action = Action.VIEW) -> Claim:
    claim = db.session.get(Claim, claim_id)
    if claim is None or not can_view_item(user, claim.item):
        abort(404)
    if action == Action.MANAGE and not can_edit_item(user, claim.item):
        abort(403)
    return claim


def portfolio_or_404(user: User, student_id: int, cohort_id: int) -> tuple[User, Cohort]:
    student, cohort = db.session.get(User, student_id), db.session.get(Cohort, cohort_id)
    if student is None or cohort is None or not can_view_portfolio(user, student, cohort):
        abort(404)
    return student, cohort


def share_or_404(user: User, share_id: int) -> ShareLink:
    share = db.session.get(ShareLink, share_id)
    if share is None or share.owner_id != user.id:
        abort(404)
    return share


def can_view_export(user: User, export: PortfolioExport) -> bool:
    """The owner always; whoever requested it only while they may still read that portfolio (a member of staff
    taken off the cohort loses the exports they made of its students)."""
    if not user.is_authenticated:
        return False
    if export.owner_id == user.id:
        return True
    if export.requested_by_id != user.id or export.cohort is None:
        return False
    owner = db.session.get(User, export.owner_id)
    return owner is not None and can_view_portfolio(user, owner, export.cohort)


def export_or_404(user: User, export_id: int) -> PortfolioExport:
    export = db.session.get(PortfolioExport, export_id)
    if export is None or not can_view_export(user, export):
        abort(404)
    return export
