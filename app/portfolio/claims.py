"""Claims: an item proves an element of a programme its owner follows, with a self-assessment; the owner
asks for feedback, the programme's staff mark claims reviewed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortStudent, User
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_
from app.portfolio.errors import PortfolioError
from app.portfolio.models import Claim, ClaimStatus, EvidenceItem
from app.portfolio.notifications import notify
from app.portfolio.programme import claimable_element
from app.portfolio.queries import staff_of_cohort
from app.standards.models import Element, RequiredLevel, ScaleLevel

NOT_A_LEVEL = N_("%(level)s is not a level of this element's scale")


def add_claim(
    session: Session,
    actor: Actor,
    item: EvidenceItem,
    cohort: Cohort,
    element_key: str,
    level_value: int | None,
    explanation: str,
    scale_id: int | None = None,
) -> Claim:
    """Link ``item`` to a claimable element of a programme its owner follows, with a self-assessment."""
    if session.get(CohortStudent, (cohort.id, item.owner_id)) is None:
        raise PortfolioError(N_("you do not follow this programme"), field="cohort")
    found = claimable_element(session, cohort, element_key)
    if found is None:
        raise PortfolioError(
            N_("%(key)s is not an element you can prove in %(programme)s: choose a work process or competence"),
            field="element",
            key=repr(element_key),
            programme=cohort.name,
        )
    element, required = found
    level = _self_level(element, required, level_value, scale_id)
    existing = session.scalar(
        select(Claim).where(Claim.item_id == item.id, Claim.cohort_id == cohort.id, Claim.element_id == element.id)
    )
    if existing is not None:
        raise PortfolioError(N_("this item already proves %(element)s"), field="element", element=element.label)
    claim = Claim(
        item_id=item.id,
        cohort_id=cohort.id,
        element_id=element.id,
        self_level_id=level.id if level else None,
        explanation=explanation.strip(),
    )
    session.add(claim)
    session.flush()
    session.refresh(item, ["claims"])
    record(
        session,
        actor,
        "evidence.claim_add",
        organisation_id=cohort.organisation_id,
        target_type="evidence_item",
        target_id=item.id,
        summary=f"{element.label} in {cohort.name}",
    )
    return claim


def _self_level(
    element: Element, required: ScaleLevel, level_value: int | None, scale_id: int | None
) -> ScaleLevel | None:
    """The level of the element's scale the student chose (None for no self-assessment)."""
    if level_value is None:
        return None
    level = next((lv for lv in required.scale.levels if lv.value == level_value), None)
    if level is not None and scale_id is not None and level.scale_id != scale_id:
        raise PortfolioError(
            N_("that level belongs to another scale: %(element)s is rated on %(scale)s"),
            field="level",
            element=element.label,
            scale=level.scale.title,
        )
    if level is None:
        raise PortfolioError(NOT_A_LEVEL, field="level", level=level_value)
    return level


def update_claim(session: Session, actor: Actor, claim: Claim, level_value: int | None, explanation: str) -> None:
    if claim.judged_at is not None:
        raise PortfolioError(N_("this claim has been judged and can no longer change"))
    level = None
    if level_value is not None:
        level = session.scalar(
            select(ScaleLevel).where(
                ScaleLevel.scale_id == _claim_scale_id(session, claim), ScaleLevel.value == level_value
            )
        )
        if level is None:
            raise PortfolioError(NOT_A_LEVEL, field="level", level=level_value)
    claim.self_level_id = level.id if level else None
    claim.explanation = explanation.strip()
    claim.updated_at = utcnow()
    session.flush()


def _claim_scale_id(session: Session, claim: Claim) -> int | None:
    return session.scalar(
        select(ScaleLevel.scale_id)
        .join(RequiredLevel, RequiredLevel.scale_level_id == ScaleLevel.id)
        .where(RequiredLevel.element_id == claim.element_id)
    )


def remove_claim(session: Session, actor: Actor, claim: Claim) -> None:
    if claim.judged_at is not None or claim.status == ClaimStatus.REVIEWED:
        raise PortfolioError(N_("a reviewed or judged claim stays: it is part of the record"))
    item = claim.item
    session.delete(claim)
    session.flush()
    session.refresh(item, ["claims"])


def request_feedback(session: Session, actor: Actor, item: EvidenceItem) -> int:
    """Submits the item's draft claims for review and tells the staff of those cohorts. Returns how many."""
    drafts = [c for c in item.claims if c.status == ClaimStatus.DRAFT]
    if not drafts:
        raise PortfolioError(N_("link the item to at least one work process or competence before asking for feedback"))
    now = utcnow()
    for claim in drafts:
        claim.status = ClaimStatus.SUBMITTED
        claim.submitted_at = now
    cohorts = {c.cohort_id: c.cohort for c in drafts}
    told: set[int] = set()
    for cohort in cohorts.values():
        for person in staff_of_cohort(session, cohort):
            if person.id not in told and person.id != item.owner_id:
                told.add(person.id)
                notify(session, person, "feedback_requested", actor, item)
    session.flush()
    record(
        session,
        actor,
        "evidence.feedback_request",
        target_type="evidence_item",
        target_id=item.id,
        summary=f"{len(drafts)} claims submitted",
    )
    return len(drafts)


def mark_reviewed(session: Session, actor: Actor, claim: Claim) -> None:
    if claim.status == ClaimStatus.DRAFT:
        raise PortfolioError(N_("the student has not submitted this claim yet"))
    claim.status = ClaimStatus.REVIEWED
    claim.reviewed_at = utcnow()
    claim.reviewed_by_id = actor.user.id if actor.user else None
    owner = session.get(User, claim.item.owner_id)
    if owner is not None and actor.user is not None and owner.id != actor.user.id:
        notify(session, owner, "claim_reviewed", actor, claim.item)
    session.flush()
