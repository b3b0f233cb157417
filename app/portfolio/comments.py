"""Comments on an item or on one of its claims; everyone else in the conversation is told."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit import Actor
from app.domain import N_
from app.portfolio.errors import PortfolioError
from app.portfolio.models import Claim, Comment, EvidenceItem
from app.portfolio.notifications import notify


def add_comment(session: Session, actor: Actor, item: EvidenceItem, body: str, claim: Claim | None = None) -> Comment:
    text = body.strip()
    if not text:
        raise PortfolioError(N_("write something first"), field="body")
    if len(text) > 5000:
        raise PortfolioError(N_("a comment is at most 5000 characters"), field="body")
    if claim is not None and claim.item_id != item.id:
        raise PortfolioError(N_("that claim belongs to another item"), field="claim")
    author = actor.user
    comment = Comment(
        item_id=item.id, claim_id=claim.id if claim else None, author_id=author.id if author else None, body=text
    )
    session.add(comment)
    session.flush()
    # Tell the others in the conversation: the owner, and whoever commented before.
    earlier = set(
        session.scalars(select(Comment.author_id).where(Comment.item_id == item.id, Comment.author_id.is_not(None)))
    )
    recipients = (earlier | {item.owner_id}) - {author.id if author else None}
    for user in session.scalars(select(User).where(User.id.in_(recipients), User.active)):
        notify(session, user, "comment", actor, item)
    session.flush()
    return comment
