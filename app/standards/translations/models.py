"""A translation of one text of a standard: an element's title or description, a level descriptor, or one of
the element's (or the framework's) further source texts. The source text stays where it is; this row only
sits beside it, marked with its language, who made it and whether it is official."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow

TRANSLATION_STATUSES = ("unofficial", "official")


class ElementTranslation(Base):
    """``field`` is ``title``, ``description`` or ``attributes.<path>`` (dotted keys and list indexes into the
    source attributes, ending at a text). ``element_id`` is empty for a text of the framework itself."""

    __tablename__ = "element_translations"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    element_id: Mapped[int | None] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    translator: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("framework_id", "element_id", "field", "language"),
        CheckConstraint("status IN ('unofficial', 'official')", name="status_known"),
        Index("ix_element_translations_element_id", "element_id"),
    )

    def __repr__(self) -> str:
        return f"<ElementTranslation {self.element_id}:{self.field} ({self.language})>"
