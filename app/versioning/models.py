"""A reviewed mapping from one version of a standard to the next, and the results carried along it."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.versioning.proposal import Relation

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.accounts.models import User
    from app.standards.models import Element, Framework, ScaleLevel


class MappingStatus(enum.StrEnum):
    DRAFT = "draft"  # proposed; rows are reviewed and changed
    CONFIRMED = "confirmed"  # a person confirmed every row: cohorts may move along it; no longer changes


def _in(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class VersionMapping(Base):
    __tablename__ = "version_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    to_framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), default=MappingStatus.DRAFT)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[dt.datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    from_framework: Mapped[Framework] = relationship("Framework", foreign_keys=[from_framework_id])
    to_framework: Mapped[Framework] = relationship("Framework", foreign_keys=[to_framework_id])
    confirmed_by: Mapped[User | None] = relationship("User", foreign_keys=[confirmed_by_id])
    rows: Mapped[list[MappingRow]] = relationship(
        back_populates="mapping", cascade="all, delete-orphan", order_by="MappingRow.position"
    )

    __table_args__ = (
        UniqueConstraint("from_framework_id", "to_framework_id"),
        CheckConstraint(_in("status", MappingStatus), name="status"),
        CheckConstraint("from_framework_id <> to_framework_id", name="two_versions"),
    )

    @property
    def confirmed(self) -> bool:
        return self.status == MappingStatus.CONFIRMED


class MappingRow(Base):
    """One old element and its successor (``new_element_id`` NULL with relation ``none``: no successor).

    ``proposed_*`` keep what the diff proposed; ``reviewed_by``/``reviewed_at`` who decided the row."""

    __tablename__ = "version_mapping_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    mapping_id: Mapped[int] = mapped_column(ForeignKey("version_mappings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    old_element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"))
    new_element_id: Mapped[int | None] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"))
    relation: Mapped[str] = mapped_column(String(20))
    proposed_element_id: Mapped[int | None] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"))
    proposed_relation: Mapped[str] = mapped_column(String(20))
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    mapping: Mapped[VersionMapping] = relationship(back_populates="rows")
    old_element: Mapped[Element] = relationship("Element", foreign_keys=[old_element_id])
    new_element: Mapped[Element | None] = relationship("Element", foreign_keys=[new_element_id])

    __table_args__ = (
        UniqueConstraint("mapping_id", "old_element_id"),
        CheckConstraint(_in("relation", Relation), name="relation"),
        CheckConstraint(_in("proposed_relation", Relation), name="proposed_relation"),
        CheckConstraint("(relation = 'none') = (new_element_id IS NULL)", name="successor"),
    )

    @property
    def changed_by_reviewer(self) -> bool:
        return (self.new_element_id, self.relation) != (self.proposed_element_id, self.proposed_relation)


class CarriedResult(Base):
    """A final result carried to the new version when its cohort moved: the settled judgement it came from
    stays as it was (in its final assessment, on the old element); this row stands for it on the new element
    in the learner record and progress, marked with where it came from."""

    __tablename__ = "carried_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"))
    level_id: Mapped[int | None] = mapped_column(ForeignKey("scale_levels.id", ondelete="RESTRICT"))
    carried_from_id: Mapped[int] = mapped_column(ForeignKey("judgements.id", ondelete="RESTRICT"))
    mapping_id: Mapped[int] = mapped_column(ForeignKey("version_mappings.id", ondelete="RESTRICT"))
    finalised_at: Mapped[dt.datetime]  # when the result it came from was final
    superseded: Mapped[bool] = mapped_column(default=False)
    carried_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    element: Mapped[Element] = relationship("Element")
    level: Mapped[ScaleLevel | None] = relationship("ScaleLevel")
    mapping: Mapped[VersionMapping] = relationship("VersionMapping")

    __table_args__ = (
        UniqueConstraint("cohort_id", "carried_from_id", "element_id"),
        Index("ix_carried_results_cohort_id", "cohort_id"),
    )
