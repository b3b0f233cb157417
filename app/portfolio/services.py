"""Portfolio operations. Each verb validates, writes, audits and flushes; the caller commits once.

Views call these after the authorization checks in ``app.authz``; the functions themselves check the
domain rules (a claim must name a claimable element of one of the owner's programmes, a frozen item is
versioned before it changes, a share link shows only what it was made for).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortAssessor, CohortStudent, Membership, Role, User
from app.addresses import anonymise_address
from app.audit import Actor, record
from app.db import utcnow
from app.domain import DomainError
from app.files.content import check_size, detect, safe_filename
from app.files.storage import Storage
from app.files.thumbnails import make_thumbnail
from app.portfolio.models import (
    STARR_FIELDS,
    Attachment,
    Claim,
    ClaimStatus,
    Comment,
    EvidenceContext,
    EvidenceItem,
    EvidenceLink,
    EvidenceVersion,
    Notification,
    ShareAccess,
    ShareLink,
)
from app.portfolio.programme import claimable_element
from app.standards.models import Element, ScaleLevel

MAX_ATTACHMENTS_PER_ITEM = 20
MAX_SHARE_DAYS = 365


class PortfolioError(DomainError):
    """A refused portfolio operation (see app.domain: translated where it is shown)."""


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- programmes ----------------------------------------------------------------------------------


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


# --- items ---------------------------------------------------------------------------------------


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
            raise PortfolioError("a title is required", field="title")
        if len(self.title) > 200:
            raise PortfolioError("the title is longer than 200 characters", field="title")
        if self.context not in {c.value for c in EvidenceContext}:
            raise PortfolioError(f"unknown context {self.context!r}", field="context")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise PortfolioError("the end date lies before the start date", field="ended_on")


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


def _before_change(session: Session, actor: Actor, item: EvidenceItem) -> None:
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
    _before_change(session, actor, item)
    for key, value in fields.items():
        setattr(item, key, value)
    item.updated_at = utcnow()
    session.flush()
    record(session, actor, "evidence.update", target_type="evidence_item", target_id=item.id, summary=item.title)


def delete_item(session: Session, actor: Actor, item: EvidenceItem) -> None:
    if item.frozen_at is not None or any(c.judged_at for c in item.claims):
        raise PortfolioError("this item was used in a final assessment and cannot be deleted")
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


# --- files and links -----------------------------------------------------------------------------


def add_attachment(
    session: Session, storage: Storage, actor: Actor, item: EvidenceItem, filename: str, data: bytes, limit: int
) -> Attachment:
    """Refuses (PortfolioError on field ``file``) what is too large or not an allowed type by content."""
    from app.files.content import UploadRefused

    name = safe_filename(filename)
    try:
        check_size(len(data), limit, name)
        detected = detect(data, name)
    except UploadRefused as exc:
        raise PortfolioError(str(exc), field="file") from exc
    if len(item.current_attachments) >= MAX_ATTACHMENTS_PER_ITEM:
        raise PortfolioError(f"an item holds at most {MAX_ATTACHMENTS_PER_ITEM} files", field="file")
    _before_change(session, actor, item)
    key = storage.save(data)
    thumbnail_key = None
    if detected.kind == "image":
        thumb = make_thumbnail(data)
        thumbnail_key = storage.save(thumb) if thumb else None
    if not name.lower().endswith("." + detected.extension):
        stem = name.rsplit(".", 1)[0] if "." in name else name
        name = f"{stem}.{detected.extension}"
    attachment = Attachment(
        item_id=item.id,
        filename=name,
        content_type=detected.mime,
        kind=detected.kind,
        size=len(data),
        sha256=key,
        thumbnail_key=thumbnail_key,
        uploaded_by_id=actor.user.id if actor.user else None,
    )
    session.add(attachment)
    item.updated_at = utcnow()
    session.flush()
    session.refresh(item, ["attachments"])
    record(
        session,
        actor,
        "evidence.file_add",
        target_type="evidence_item",
        target_id=item.id,
        summary=f"{name} ({detected.mime}, {len(data)} bytes, sha256 {key[:12]})",
    )
    return attachment


def remove_attachment(session: Session, actor: Actor, attachment: Attachment) -> None:
    """The file stays in storage (older versions or other items may show it); the item no longer lists it."""
    item = attachment.item
    _before_change(session, actor, item)
    attachment.removed_at = utcnow()
    item.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "evidence.file_remove",
        target_type="evidence_item",
        target_id=item.id,
        summary=attachment.filename,
    )


def check_url(raw: str) -> str:
    url = raw.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PortfolioError("a link must be a full web address starting with https:// or http://", field="url")
    if len(url) > 2000:
        raise PortfolioError("the address is longer than 2000 characters", field="url")
    return url


def add_link(session: Session, actor: Actor, item: EvidenceItem, url: str, title: str = "") -> EvidenceLink:
    clean = check_url(url)
    _before_change(session, actor, item)
    link = EvidenceLink(item_id=item.id, url=clean, title=title.strip()[:200])
    session.add(link)
    item.updated_at = utcnow()
    session.flush()
    session.refresh(item, ["links"])
    return link


def remove_link(session: Session, actor: Actor, link: EvidenceLink) -> None:
    _before_change(session, actor, link.item)
    link.removed_at = utcnow()
    session.flush()


# --- claims --------------------------------------------------------------------------------------


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
        raise PortfolioError("you do not follow this programme", field="cohort")
    found = claimable_element(session, cohort, element_key)
    if found is None:
        raise PortfolioError(
            f"{element_key!r} is not an element you can prove in {cohort.name}: choose a work process or competence",
            field="element",
        )
    element, required = found
    level = None
    if level_value is not None:
        level = next((lv for lv in required.scale.levels if lv.value == level_value), None)
        if level is not None and scale_id is not None and level.scale_id != scale_id:
            raise PortfolioError(
                f"that level belongs to another scale: {element.label} is rated on {level.scale.title}",
                field="level",
            )
        if level is None:
            raise PortfolioError(f"{level_value} is not a level of this element's scale", field="level")
    existing = session.scalar(
        select(Claim).where(Claim.item_id == item.id, Claim.cohort_id == cohort.id, Claim.element_id == element.id)
    )
    if existing is not None:
        raise PortfolioError(f"this item already proves {element.label}", field="element")
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


def update_claim(session: Session, actor: Actor, claim: Claim, level_value: int | None, explanation: str) -> None:
    if claim.judged_at is not None:
        raise PortfolioError("this claim has been judged and can no longer change")
    level = None
    if level_value is not None:
        level = session.scalar(
            select(ScaleLevel).where(
                ScaleLevel.scale_id == _claim_scale_id(session, claim), ScaleLevel.value == level_value
            )
        )
        if level is None:
            raise PortfolioError(f"{level_value} is not a level of this element's scale", field="level")
    claim.self_level_id = level.id if level else None
    claim.explanation = explanation.strip()
    claim.updated_at = utcnow()
    session.flush()


def _claim_scale_id(session: Session, claim: Claim) -> int | None:
    from app.standards.models import RequiredLevel

    return session.scalar(
        select(ScaleLevel.scale_id)
        .join(RequiredLevel, RequiredLevel.scale_level_id == ScaleLevel.id)
        .where(RequiredLevel.element_id == claim.element_id)
    )


def remove_claim(session: Session, actor: Actor, claim: Claim) -> None:
    if claim.judged_at is not None or claim.status == ClaimStatus.REVIEWED:
        raise PortfolioError("a reviewed or judged claim stays: it is part of the record")
    item = claim.item
    session.delete(claim)
    session.flush()
    session.refresh(item, ["claims"])


def request_feedback(session: Session, actor: Actor, item: EvidenceItem) -> int:
    """Submits the item's draft claims for review and tells the staff of those cohorts. Returns how many."""
    drafts = [c for c in item.claims if c.status == ClaimStatus.DRAFT]
    if not drafts:
        raise PortfolioError("link the item to at least one work process or competence before asking for feedback")
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
        raise PortfolioError("the student has not submitted this claim yet")
    claim.status = ClaimStatus.REVIEWED
    claim.reviewed_at = utcnow()
    claim.reviewed_by_id = actor.user.id if actor.user else None
    owner = session.get(User, claim.item.owner_id)
    if owner is not None and actor.user is not None and owner.id != actor.user.id:
        notify(session, owner, "claim_reviewed", actor, claim.item)
    session.flush()


# --- comments and notifications ------------------------------------------------------------------


def add_comment(session: Session, actor: Actor, item: EvidenceItem, body: str, claim: Claim | None = None) -> Comment:
    text = body.strip()
    if not text:
        raise PortfolioError("write something first", field="body")
    if len(text) > 5000:
        raise PortfolioError("a comment is at most 5000 characters", field="body")
    if claim is not None and claim.item_id != item.id:
        raise PortfolioError("that claim belongs to another item", field="claim")
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


def unread_count(session: Session, user: User) -> int:
    from sqlalchemy import func

    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_all_read(session: Session, user: User) -> None:
    from sqlalchemy import update

    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


# --- sharing -------------------------------------------------------------------------------------


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
    if not label.strip():
        raise PortfolioError("say who the link is for, e.g. the employer's name", field="label")
    if not 1 <= days <= MAX_SHARE_DAYS:
        raise PortfolioError(f"a link is valid between 1 and {MAX_SHARE_DAYS} days", field="days")
    ids = sorted(set(item_ids or []))
    if cohort is None and not ids:
        raise PortfolioError("choose a programme or at least one item to share", field="cohort")
    if cohort is not None and session.get(CohortStudent, (cohort.id, owner.id)) is None:
        raise PortfolioError("you do not follow this programme", field="cohort")
    if ids:
        own = set(
            session.scalars(select(EvidenceItem.id).where(EvidenceItem.owner_id == owner.id, EvidenceItem.id.in_(ids)))
        )
        if own != set(ids):
            raise PortfolioError("you can share only your own items", field="items")
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


def element_for(session: Session, element_id: int) -> Element | None:
    return session.get(Element, element_id)
