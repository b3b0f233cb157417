"""Evidence items: created, changed, deleted, frozen when judged, and versioned once frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_
from app.portfolio.errors import PortfolioError
from app.portfolio.models import STARR_FIELDS, Claim, EvidenceContext, EvidenceItem, EvidenceVersion


@dataclass
class ItemData:
    title: str
    description: str = ""
    context: str = EvidenceContext.SCHOOL_PROJECT
    context_detail: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    reflection: str = ""

    def check(self) -> None:
        if not self.title.strip():
            raise PortfolioError(N_("a title is required"), field="title")
        if len(self.title) > 200:
            raise PortfolioError(N_("the title is longer than 200 characters"), field="title")
        if self.context not in {c.value for c in EvidenceContext}:
            raise PortfolioError(N_("unknown context %(context)s"), field="context", context=repr(self.context))
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise PortfolioError(N_("the end date lies before the start date"), field="ended_on")


def snapshot(item: EvidenceItem) -> dict[str, Any]:
    """The item as it stands, for a version: texts, files and links (files by fingerprint)."""
    return {
        "version": item.version,
        "title": item.title,
        "description": item.description,
        "context": item.context,
        "context_detail": item.context_detail,
        "started_on": item.started_on.isoformat() if item.started_on else None,
        "ended_on": item.ended_on.isoformat() if item.ended_on else None,
        **{name: getattr(item, name) for name in STARR_FIELDS},
        "attachments": [
            {"id": a.id, "filename": a.filename, "sha256": a.sha256, "size": a.size, "content_type": a.content_type}
            for a in item.current_attachments
        ],
        "links": [{"url": link.url, "title": link.title} for link in item.current_links],
        "taken_at": utcnow().isoformat(),
    }


def before_change(session: Session, actor: Actor, item: EvidenceItem) -> None:
    """A frozen item keeps its judged state as a version; the change then makes the next version."""
    if item.frozen_at is None:
        return
    session.add(
        EvidenceVersion(
            item_id=item.id,
            number=item.version,
            snapshot=snapshot(item),
            created_by_id=actor.user.id if actor.user else None,
        )
    )
    item.version += 1
    item.frozen_at = None


def create_item(session: Session, actor: Actor, owner: User, data: ItemData) -> EvidenceItem:
    data.check()
    item = EvidenceItem(owner_id=owner.id, **_fields(data))
    session.add(item)
    session.flush()
    record(session, actor, "evidence.create", target_type="evidence_item", target_id=item.id, summary=item.title)
    return item


def _fields(data: ItemData) -> dict[str, Any]:
    return {
        "title": data.title.strip(),
        "description": data.description.strip(),
        "context": data.context,
        "context_detail": data.context_detail.strip(),
        "started_on": data.started_on,
        "ended_on": data.ended_on,
        **{name: getattr(data, name).strip() for name in STARR_FIELDS},
    }


def update_item(session: Session, actor: Actor, item: EvidenceItem, data: ItemData) -> None:
    data.check()
    fields = _fields(data)
    if all(getattr(item, k) == v for k, v in fields.items()):
        return
    before_change(session, actor, item)
    for key, value in fields.items():
        setattr(item, key, value)
    item.updated_at = utcnow()
    session.flush()
    record(session, actor, "evidence.update", target_type="evidence_item", target_id=item.id, summary=item.title)


def delete_item(session: Session, actor: Actor, item: EvidenceItem) -> None:
    if item.frozen_at is not None or any(c.judged_at for c in item.claims):
        raise PortfolioError(N_("this item was used in a final assessment and cannot be deleted"))
    record(session, actor, "evidence.delete", target_type="evidence_item", target_id=item.id, summary=item.title)
    session.delete(item)
    session.flush()


def freeze_item(session: Session, claim: Claim, judged_at: dt.datetime | None = None) -> None:
    """Called when a claim is judged in a final assessment: the evidence behind it is frozen."""
    item = claim.item
    moment = judged_at or utcnow()
    claim.judged_at = moment
    claim.judged_version = item.version
    item.frozen_at = item.frozen_at or moment
    session.flush()
