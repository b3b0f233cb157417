"""Which of an item's files may be served, and as part of what.

A file the student removed is no longer part of the item, so it is not served as one. It stays readable
only as part of a stored version of the item: versions are stored of judged evidence alone (a judgement
freezes the item, and the first change after that keeps the frozen state as an EvidenceVersion, see
``items.before_change``), so a removed file stays readable exactly where a judgement rests on it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.portfolio.models import Attachment, EvidenceItem, EvidenceVersion


def is_current(attachment: Attachment) -> bool:
    """A file the item shows now; only these are served on their own (``/portfolio/files/<id>``)."""
    return attachment.removed_at is None


def attachment_in_version(session: Session, item: EvidenceItem, number: int, attachment_id: int) -> Attachment | None:
    """The file as part of version ``number`` of ``item``, or None when that version does not hold it:
    the current version holds the current files; a stored (judged) version holds the files it lists."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.item_id != item.id:
        return None
    if number == item.version:
        return attachment if is_current(attachment) else None
    snapshot = session.scalar(
        select(EvidenceVersion.snapshot).where(EvidenceVersion.item_id == item.id, EvidenceVersion.number == number)
    )
    listed = {(entry.get("id"), entry.get("sha256")) for entry in (snapshot or {}).get("attachments", [])}
    return attachment if (attachment.id, attachment.sha256) in listed else None
