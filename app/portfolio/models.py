"""Evidence portfolios: a student's items of evidence, their files and links, the claims that tie them to
elements of a programme, comments, versions, share links, notifications and PDF exports."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.accounts.models import Cohort, User
    from app.standards.models import Element, ScaleLevel


def _enum_check(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class EvidenceContext(enum.StrEnum):
    INTERNSHIP = "internship"
    SCHOOL_PROJECT = "school_project"
    JOB = "job"
    VOLUNTEERING = "volunteering"
    OTHER = "other"


class ClaimStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STARR_FIELDS = ("situation", "task", "action", "result", "reflection")


class EvidenceItem(Base):
    """Work a student did, with a structured (STARR) reflection. ``version`` counts the versions; once a
    claim on the item is judged in a final assessment the item is ``frozen_at`` and every later edit
    first keeps the frozen state as an :class:`EvidenceVersion`."""

    __tablename__ = "evidence_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(String(20), default=EvidenceContext.SCHOOL_PROJECT)
    context_detail: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    situation: Mapped[str] = mapped_column(Text, default="")
    task: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    reflection: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    frozen_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship("User")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="item", order_by="Attachment.id", cascade="all, delete-orphan", passive_deletes=True
    )
    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="item", order_by="EvidenceLink.id", cascade="all, delete-orphan", passive_deletes=True
    )
    claims: Mapped[list[Claim]] = relationship(
        back_populates="item", order_by="Claim.id", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(_enum_check("context", EvidenceContext), name="context"),
        CheckConstraint("ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="period"),
    )

    @property
    def current_attachments(self) -> list[Attachment]:
        return [a for a in self.attachments if a.removed_at is None]

    @property
    def current_links(self) -> list[EvidenceLink]:
        return [link for link in self.links if link.removed_at is None]

    @property
    def has_reflection(self) -> bool:
        return any(getattr(self, f) for f in STARR_FIELDS)


class Attachment(Base):
    """A file of an item, stored once under its SHA-256 (``sha256`` is the storage key). Removal from a
    frozen item only marks it removed, so that older versions still show it."""

    __tablename__ = "evidence_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]

    item: Mapped[EvidenceItem] = relationship(back_populates="attachments")


class EvidenceLink(Base):
    __tablename__ = "evidence_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]

    item: Mapped[EvidenceItem] = relationship(back_populates="links")


class EvidenceVersion(Base):
    """The state of an item as it was before an edit after freezing: readable forever."""

    __tablename__ = "evidence_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"))
    number: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("item_id", "number"),)


class Claim(Base):
    """'This item proves that element of my programme, at this level, because …'."""

    __tablename__ = "evidence_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"), index=True)
    self_level_id: Mapped[int | None] = mapped_column(ForeignKey("scale_levels.id", ondelete="SET NULL"))
    explanation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.DRAFT)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    judged_at: Mapped[dt.datetime | None]
    judged_version: Mapped[int | None]
    # Carried to a new version of the standard when the cohort moved: the claim it came from, and along which
    # version mapping (app.versioning). The old claim stays as it was.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_claims.id", ondelete="SET NULL"))
    version_mapping_id: Mapped[int | None] = mapped_column(ForeignKey("version_mappings.id", ondelete="SET NULL"))

    item: Mapped[EvidenceItem] = relationship(back_populates="claims")
    cohort: Mapped[Cohort] = relationship("Cohort")
    element: Mapped[Element] = relationship("Element")
    self_level: Mapped[ScaleLevel | None] = relationship("ScaleLevel")
    reviewed_by: Mapped[User | None] = relationship("User", foreign_keys=[reviewed_by_id])
    carried_from: Mapped[Claim | None] = relationship("Claim", remote_side="Claim.id")

    __table_args__ = (
        UniqueConstraint("item_id", "cohort_id", "element_id"),
        CheckConstraint(_enum_check("status", ClaimStatus), name="status"),
    )


class Comment(Base):
    """A comment in the thread of an item, or of one claim of it."""

    __tablename__ = "evidence_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_claims.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship("User")


class Notification(Base):
    """Something new for a user: a comment, a feedback request, a review, a finished export."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"))
    export_id: Mapped[int | None] = mapped_column(ForeignKey("portfolio_exports.id", ondelete="CASCADE"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]

    actor: Mapped[User | None] = relationship("User", foreign_keys=[actor_id])
    item: Mapped[EvidenceItem | None] = relationship()

    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)


class ShareLink(Base):
    """A read-only link to a student's portfolio for one programme, or to a selection of items."""

    __tablename__ = "portfolio_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    item_ids: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]

    cohort: Mapped[Cohort | None] = relationship("Cohort")
    accesses: Mapped[list[ShareAccess]] = relationship(order_by="ShareAccess.opened_at.desc()", viewonly=True)

    def is_open(self, now: dt.datetime) -> bool:
        expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=dt.UTC)
        return self.revoked_at is None and expires > now


class ShareAccess(Base):
    """Who opened a share link, and when (address truncated, as a log, not a tracker)."""

    __tablename__ = "portfolio_share_accesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("portfolio_shares.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    what: Mapped[str] = mapped_column(String(200), default="")


class PortfolioExport(Base):
    """A PDF export of a portfolio, made by a background job; the file is kept until downloaded."""

    __tablename__ = "portfolio_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=ExportStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    file_key: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    downloaded_at: Mapped[dt.datetime | None]

    cohort: Mapped[Cohort] = relationship("Cohort")

    __table_args__ = (CheckConstraint(_enum_check("status", ExportStatus), name="status"),)
