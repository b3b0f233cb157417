"""Share links: read-only, anonymous, expiring, revocable and logged; a link shows exactly what it was
made for (one programme's portfolio, or a selection of the owner's items)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortStudent, User
from app.addresses import anonymise_address
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_
from app.portfolio.errors import PortfolioError
from app.portfolio.models import Claim, EvidenceItem, ShareAccess, ShareLink

MAX_SHARE_DAYS = 365


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass
class NewShare:
    share: ShareLink
    token: str


def create_share(
    session: Session,
    actor: Actor,
    owner: User,
    *,
    label: str,
    days: int,
    cohort: Cohort | None = None,
    item_ids: Iterable[int] | None = None,
) -> NewShare:
    """A read-only link to one programme's portfolio, or to a selection of the owner's items."""
    ids = sorted(set(item_ids or []))
    _check_share(session, owner, label, days, cohort, ids)
    token = secrets.token_urlsafe(24)
    share = ShareLink(
        owner_id=owner.id,
        token_hash=_hash_token(token),
        label=label.strip()[:200],
        cohort_id=cohort.id if cohort else None,
        item_ids=ids or None,
        expires_at=utcnow() + dt.timedelta(days=days),
    )
    session.add(share)
    session.flush()
    record(
        session,
        actor,
        "portfolio.share_create",
        target_type="portfolio_share",
        target_id=share.id,
        summary=f"{share.label}, {days} days",
    )
    return NewShare(share, token)


def _check_share(session: Session, owner: User, label: str, days: int, cohort: Cohort | None, ids: list[int]) -> None:
    if not label.strip():
        raise PortfolioError(N_("say who the link is for, e.g. the employer's name"), field="label")
    if not 1 <= days <= MAX_SHARE_DAYS:
        raise PortfolioError(N_("a link is valid between 1 and %(days)s days"), field="days", days=MAX_SHARE_DAYS)
    if cohort is None and not ids:
        raise PortfolioError(N_("choose a programme or at least one item to share"), field="cohort")
    if cohort is not None and session.get(CohortStudent, (cohort.id, owner.id)) is None:
        raise PortfolioError(N_("you do not follow this programme"), field="cohort")
    if ids:
        own = set(
            session.scalars(select(EvidenceItem.id).where(EvidenceItem.owner_id == owner.id, EvidenceItem.id.in_(ids)))
        )
        if own != set(ids):
            raise PortfolioError(N_("you can share only your own items"), field="items")


def find_share(session: Session, token: str, now: dt.datetime | None = None) -> ShareLink | None:
    """The open share for a token, or None when unknown, expired or revoked (all look the same)."""
    if not token or len(token) > 100:
        return None
    share = session.scalar(select(ShareLink).where(ShareLink.token_hash == _hash_token(token)))
    if share is None or not share.is_open(now or utcnow()):
        return None
    return share


def revoke_share(session: Session, actor: Actor, share: ShareLink) -> None:
    if share.revoked_at is None:
        share.revoked_at = utcnow()
        record(
            session,
            actor,
            "portfolio.share_revoke",
            target_type="portfolio_share",
            target_id=share.id,
            summary=share.label,
        )
        session.flush()


def record_share_access(
    session: Session, share: ShareLink, address: str | None, user_agent: str | None, what: str
) -> None:
    session.add(
        ShareAccess(
            share_id=share.id,
            address=anonymise_address(address),
            user_agent=(user_agent or "")[:200],
            what=what[:200],
        )
    )
    session.flush()


def shared_item_ids(session: Session, share: ShareLink) -> set[int]:
    """Exactly the items a share shows: its selection, or the items with claims in its programme."""
    if share.item_ids:
        return set(
            session.scalars(
                select(EvidenceItem.id).where(
                    EvidenceItem.owner_id == share.owner_id, EvidenceItem.id.in_(share.item_ids)
                )
            )
        )
    return set(
        session.scalars(
            select(Claim.item_id)
            .join(EvidenceItem, EvidenceItem.id == Claim.item_id)
            .where(Claim.cohort_id == share.cohort_id, EvidenceItem.owner_id == share.owner_id)
        )
    )
