"""An item's files and web links. A change to a frozen (judged) item first keeps it as a version."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_
from app.files.content import FileType, UploadRefused, check_size, detect, safe_filename
from app.files.storage import Storage
from app.files.thumbnails import make_thumbnail
from app.portfolio.errors import PortfolioError
from app.portfolio.items import before_change
from app.portfolio.models import Attachment, EvidenceItem, EvidenceLink

MAX_ATTACHMENTS_PER_ITEM = 20


def add_attachment(
    session: Session, storage: Storage, actor: Actor, item: EvidenceItem, filename: str, data: bytes, limit: int
) -> Attachment:
    """Refuses (PortfolioError on field ``file``) what is too large or not an allowed type by content."""
    name = safe_filename(filename)
    try:
        check_size(len(data), limit, name)
        detected = detect(data, name)
    except UploadRefused as exc:
        raise PortfolioError(exc.msgid, field="file", **exc.params) from exc
    if len(item.current_attachments) >= MAX_ATTACHMENTS_PER_ITEM:
        raise PortfolioError(N_("an item holds at most %(n)s files"), field="file", n=MAX_ATTACHMENTS_PER_ITEM)
    before_change(session, actor, item)
    key = storage.save(data)
    thumbnail_key = None
    if detected.kind == "image":
        thumb = make_thumbnail(data)
        thumbnail_key = storage.save(thumb) if thumb else None
    name = _with_extension(name, detected)
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
    summary = f"{name} ({detected.mime}, {len(data)} bytes, sha256 {key[:12]})"
    record(session, actor, "evidence.file_add", target_type="evidence_item", target_id=item.id, summary=summary)
    return attachment


def _with_extension(name: str, detected: FileType) -> str:
    """The download name ends in the extension of what the file really is."""
    if name.lower().endswith("." + detected.extension):
        return name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{detected.extension}"


def remove_attachment(session: Session, actor: Actor, attachment: Attachment) -> None:
    """The file stays in storage (older versions or other items may show it); the item no longer lists it."""
    item = attachment.item
    before_change(session, actor, item)
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
        raise PortfolioError(N_("a link must be a full web address starting with https:// or http://"), field="url")
    if len(url) > 2000:
        raise PortfolioError(N_("the address is longer than 2000 characters"), field="url")
    return url


def add_link(session: Session, actor: Actor, item: EvidenceItem, url: str, title: str = "") -> EvidenceLink:
    clean = check_url(url)
    before_change(session, actor, item)
    link = EvidenceLink(item_id=item.id, url=clean, title=title.strip()[:200])
    session.add(link)
    item.updated_at = utcnow()
    session.flush()
    session.refresh(item, ["links"])
    return link


def remove_link(session: Session, actor: Actor, link: EvidenceLink) -> None:
    before_change(session, actor, link.item)
    link.removed_at = utcnow()
    session.flush()
