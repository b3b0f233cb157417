"""The standards as a typed tree, after 1EdTech CASE: a framework (CFDocument), its elements
(CFItem with a type), rating scales, required levels and alignments between elements (CFAssociation)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # for types only (no import cycle at run time)
    from app.accounts.models import Organisation

ALIGNMENT_RELATIONS = ("exact", "close", "broader", "narrower", "related")

FRAMEWORK_KINDS = (
    "competent_job_sheet",
    "mbo_qualification_dossier",
    "competence_model",
    "ecf_catalogue",
    "ecf_role_profile",
    "professional_qualification",
    "imported_framework",
)


class Framework(Base):
    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    # A standard is its code and version: a new version of a dossier loads beside the old one.
    code: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    version: Mapped[str | None] = mapped_column(String(80))
    validated_on: Mapped[dt.date | None] = mapped_column(Date)
    level: Mapped[str | None] = mapped_column(String(20))
    level_scale: Mapped[str | None] = mapped_column(String(20))
    eqf_level: Mapped[int | None]
    publisher: Mapped[str | None] = mapped_column(String(200))
    source_ref: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The organisation whose private standard this is; NULL for a platform-wide standard. Never SET NULL on
    # delete: a private standard must not turn public (app.standards.queries.Audience decides who sees it).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)

    organisation: Mapped[Organisation | None] = relationship("Organisation", lazy="joined")
    elements: Mapped[list[Element]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", passive_deletes=True, order_by="Element.sort_order"
    )
    scales: Mapped[list[RatingScale]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", passive_deletes=True, order_by="RatingScale.position"
    )
    notes: Mapped[list[SourceNote]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", passive_deletes=True, order_by="SourceNote.position"
    )

    __table_args__ = (
        CheckConstraint("eqf_level IS NULL OR (eqf_level BETWEEN 1 AND 8)", name="eqf_level_range"),
        UniqueConstraint("code", "version"),
    )

    def __repr__(self) -> str:
        return f"<Framework {self.code} {self.version or ''}>"

    @property
    def version_label(self) -> str:
        return self.version or "-"

    @property
    def private(self) -> bool:
        return self.organisation_id is not None


class Element(Base):
    __tablename__ = "elements"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"))
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    key: Mapped[str] = mapped_column(String(160))
    code: Mapped[str | None] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)
    depth: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Set when a reload of the source no longer has the element: kept for what points at it, hidden from new work.
    retired_at: Mapped[dt.datetime | None]

    framework: Mapped[Framework] = relationship(back_populates="elements")

    __table_args__ = (
        UniqueConstraint("framework_id", "key"),
        Index("ix_elements_framework_sort", "framework_id", "sort_order"),
        Index("ix_elements_parent_id", "parent_id"),
    )

    def __repr__(self) -> str:
        return f"<Element {self.key} ({self.type})>"

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class RatingScale(Base):
    __tablename__ = "rating_scales"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    code: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="scales")
    levels: Mapped[list[ScaleLevel]] = relationship(
        back_populates="scale", cascade="all, delete-orphan", passive_deletes=True, order_by="ScaleLevel.value"
    )

    __table_args__ = (UniqueConstraint("framework_id", "code"),)


class ScaleLevel(Base):
    __tablename__ = "scale_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    scale_id: Mapped[int] = mapped_column(ForeignKey("rating_scales.id", ondelete="CASCADE"))
    value: Mapped[int]
    code: Mapped[str | None] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    eqf_level: Mapped[str | None] = mapped_column(String(10))
    passing: Mapped[bool | None]

    scale: Mapped[RatingScale] = relationship(back_populates="levels")

    __table_args__ = (UniqueConstraint("scale_id", "value"),)


class RequiredLevel(Base):
    """The level a profile requires of one of its elements (e-CF target level, mbo 'voldoende')."""

    __tablename__ = "required_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"), unique=True)
    scale_level_id: Mapped[int] = mapped_column(ForeignKey("scale_levels.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(Text)

    element: Mapped[Element] = relationship()
    scale_level: Mapped[ScaleLevel] = relationship()


class Alignment(Base):
    """A typed link between two elements, usually of different frameworks.

    ``declared_by`` is the framework whose seed file states the link: reloading that file replaces
    exactly the links it declares.
    """

    __tablename__ = "alignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))

    source: Mapped[Element] = relationship(foreign_keys=[source_id])
    target: Mapped[Element] = relationship(foreign_keys=[target_id])

    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "relation"),
        CheckConstraint("relation IN ('exact', 'close', 'broader', 'narrower', 'related')", name="relation_known"),
        Index("ix_alignments_target_id", "target_id"),
    )


class SourceNote(Base):
    """What the transcription found in the source: an inconsistency kept as written, or a decision."""

    __tablename__ = "source_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    element_id: Mapped[int | None] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="notes")
    element: Mapped[Element | None] = relationship()
