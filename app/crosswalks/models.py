"""Crosswalks: named sets of typed links between the elements of two standards, owned by an organisation or
platform-wide, draft or published. Links read "subject is <relation> object" (SKOS / CASE terms)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.accounts.models import Organisation, User
    from app.standards.models import Element, Framework, ScaleLevel


class CrosswalkStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class LinkRelation(enum.StrEnum):
    EXACT = "exact"
    CLOSE = "close"
    BROADER = "broader"
    NARROWER = "narrower"
    RELATED = "related"


def _enum_check(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Crosswalk(Base):
    __tablename__ = "crosswalks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only seeded crosswalks have a code: reloading the seed file updates the crosswalk it names.
    code: Mapped[str | None] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source_framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    target_framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    # None: platform-wide (authored by platform editors).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=CrosswalkStatus.DRAFT)
    # An editorial proposal of the Bekwaam team: shown as such, never as an official correspondence.
    editorial: Mapped[bool] = mapped_column(Boolean, default=False)
    source_ref: Mapped[str | None] = mapped_column(String(500))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None]

    source_framework: Mapped[Framework] = relationship("Framework", foreign_keys=[source_framework_id])
    target_framework: Mapped[Framework] = relationship("Framework", foreign_keys=[target_framework_id])
    organisation: Mapped[Organisation | None] = relationship("Organisation")
    author: Mapped[User | None] = relationship("User")
    links: Mapped[list[CrosswalkLink]] = relationship(
        back_populates="crosswalk", cascade="all, delete-orphan", passive_deletes=True, order_by="CrosswalkLink.id"
    )

    __table_args__ = (
        CheckConstraint(_enum_check("status", CrosswalkStatus), name="status_known"),
        CheckConstraint("source_framework_id <> target_framework_id", name="two_frameworks"),
    )

    @property
    def published(self) -> bool:
        return self.status == CrosswalkStatus.PUBLISHED

    @property
    def platform_wide(self) -> bool:
        return self.organisation_id is None


class CrosswalkLink(Base):
    """ "``subject`` is <relation> ``object``": the subject in the crosswalk's source standard, the object in
    its target. The condition is a minimum level (``min_level``, on one side's scale) and/or words."""

    __tablename__ = "crosswalk_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    crosswalk_id: Mapped[int] = mapped_column(ForeignKey("crosswalks.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"), index=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    min_level_id: Mapped[int | None] = mapped_column(ForeignKey("scale_levels.id", ondelete="SET NULL"))
    condition_text: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.8)
    note: Mapped[str] = mapped_column(Text, default="")
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    crosswalk: Mapped[Crosswalk] = relationship(back_populates="links")
    subject: Mapped[Element] = relationship("Element", foreign_keys=[subject_id])
    object: Mapped[Element] = relationship("Element", foreign_keys=[object_id])
    min_level: Mapped[ScaleLevel | None] = relationship("ScaleLevel")
    author: Mapped[User | None] = relationship("User")

    __table_args__ = (
        UniqueConstraint("crosswalk_id", "subject_id", "object_id"),
        CheckConstraint(_enum_check("relation", LinkRelation), name="relation_known"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        Index("ix_crosswalk_links_crosswalk_id", "crosswalk_id"),
    )


class CrosswalkRejection(Base):
    """A suggestion someone turned down: it is not suggested again for this crosswalk."""

    __tablename__ = "crosswalk_rejections"

    crosswalk_id: Mapped[int] = mapped_column(ForeignKey("crosswalks.id", ondelete="CASCADE"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"), primary_key=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"), primary_key=True)
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
