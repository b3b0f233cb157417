"""Notifications: what a person is told about (a comment, a review, a feedback request, a finished export).

A notification stores its kind and who and what it is about, never a sentence: the page composes the text
in the reader's language."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit import Actor
from app.db import utcnow
from app.portfolio.models import EvidenceItem, Notification


def notify(
    session: Session,
    user: User,
    kind: str,
    actor: Actor,
    item: EvidenceItem | None = None,
    export_id: int | None = None,
) -> Notification:
    note = Notification(
        user_id=user.id,
        kind=kind,
        actor_id=actor.user.id if actor.user else None,
        item_id=item.id if item else None,
        export_id=export_id,
    )
    session.add(note)
    return note


def mark_all_read(session: Session, user: User) -> None:
    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
