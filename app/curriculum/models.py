"""Curricula: a school's programme for one cohort year, mapped onto a standard (and optionally further ones).

A curriculum holds a tree of units (years and periods, modules, learning activities) and its exam
instruments (examenonderdelen); links map a unit or an instrument onto an element of a standard with an
intensity (introduced, practised, assessed). A cohort follows one curriculum version; an adopted
(vastgesteld) version is never changed: a change makes a new version."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.accounts.models import Organisation, User
    from app.standards.models import Element, Framework


def _enum_check(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class CurriculumStatus(enum.StrEnum):
    DRAFT = "draft"
    ADOPTED = "adopted"  # vastgesteld by the exam committee: read-only
    SUPERSEDED = "superseded"  # a newer version of the same plan replaced it


class UnitKind(enum.StrEnum):
    YEAR = "year"
    PERIOD = "period"
    MODULE = "module"  # onderwijseenheid
    ACTIVITY = "activity"  # leeractiviteit


class InstrumentKind(enum.StrEnum):
    PROEVE = "proeve"  # proeve van bekwaamheid
    PRACTICAL = "practical"  # praktijkexamen
    INTERVIEW = "interview"  # criteriumgericht interview
    PORTFOLIO = "portfolio"  # portfolio assessment
    KNOWLEDGE_TEST = "knowledge_test"
    OTHER = "other"


class Intensity(enum.StrEnum):
    INTRODUCED = "introduced"
    PRACTISED = "practised"
    ASSESSED = "assessed"


class Curriculum(Base):
    __tablename__ = "curricula"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    profile_key: Mapped[str | None] = mapped_column(String(160))
    title: Mapped[str] = mapped_column(String(200))
    cohort_year: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=CurriculumStatus.DRAFT)
    # Summatively assessed more often than this is flagged as over-assessed (the school sets it).
    over_assessed_threshold: Mapped[int] = mapped_column(default=2)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("curricula.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    adopted_at: Mapped[dt.datetime | None]
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship("Organisation")
    framework: Mapped[Framework] = relationship("Framework")
    adopted_by: Mapped[User | None] = relationship("User")
    previous: Mapped[Curriculum | None] = relationship(remote_side="Curriculum.id")
    further: Mapped[list[CurriculumFramework]] = relationship(
        back_populates="curriculum", cascade="all, delete-orphan", passive_deletes=True
    )
    units: Mapped[list[CurriculumUnit]] = relationship(
        back_populates="curriculum", cascade="all, delete-orphan", passive_deletes=True, order_by="CurriculumUnit.id"
    )
    instruments: Mapped[list[ExamInstrument]] = relationship(
        back_populates="curriculum", cascade="all, delete-orphan", passive_deletes=True, order_by="ExamInstrument.id"
    )

    __table_args__ = (
        UniqueConstraint("organisation_id", "title", "cohort_year", "version"),
        CheckConstraint(_enum_check("status", CurriculumStatus), name="status_known"),
        CheckConstraint("over_assessed_threshold BETWEEN 1 AND 20", name="threshold_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_curricula_organisation_id", "organisation_id"),
    )

    @property
    def adopted(self) -> bool:
        return self.status != CurriculumStatus.DRAFT


class CurriculumFramework(Base):
    """A further standard the programme is mapped onto (an mbo programme onto e-CF, say)."""

    __tablename__ = "curriculum_frameworks"

    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id", ondelete="CASCADE"), primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"), primary_key=True)
    profile_key: Mapped[str | None] = mapped_column(String(160))

    curriculum: Mapped[Curriculum] = relationship(back_populates="further")
    framework: Mapped[Framework] = relationship("Framework")


class CurriculumUnit(Base):
    """A year, period, module (onderwijseenheid) or learning activity; periods give the programme its time."""

    __tablename__ = "curriculum_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("curriculum_units.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[int | None]
    credits: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    curriculum: Mapped[Curriculum] = relationship(back_populates="units")

    __table_args__ = (
        CheckConstraint(_enum_check("kind", UnitKind), name="kind_known"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_positive"),
        CheckConstraint("credits IS NULL OR credits >= 0", name="credits_positive"),
        Index("ix_curriculum_units_curriculum_id", "curriculum_id"),
        Index("ix_curriculum_units_parent_id", "parent_id"),
    )

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title


class ExamInstrument(Base):
    """An examenonderdeel: what kind, when (a period), on what scale, its pass rule (cesuur), by how many."""

    __tablename__ = "exam_instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id", ondelete="CASCADE"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("curriculum_units.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    scale: Mapped[str] = mapped_column(String(200), default="")
    pass_rule: Mapped[str] = mapped_column(Text, default="")
    assessors_required: Mapped[int] = mapped_column(default=1)
    summative: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(default=0)

    curriculum: Mapped[Curriculum] = relationship(back_populates="instruments")
    period: Mapped[CurriculumUnit | None] = relationship()

    __table_args__ = (
        CheckConstraint(_enum_check("kind", InstrumentKind), name="kind_known"),
        CheckConstraint("assessors_required BETWEEN 1 AND 5", name="assessors_range"),
        Index("ix_exam_instruments_curriculum_id", "curriculum_id"),
    )

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title


class CurriculumLink(Base):
    """A unit or an instrument mapped onto an element, with an intensity and optionally the level aimed at."""

    __tablename__ = "curriculum_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("curriculum_units.id", ondelete="CASCADE"))
    instrument_id: Mapped[int | None] = mapped_column(ForeignKey("exam_instruments.id", ondelete="CASCADE"))
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"))
    intensity: Mapped[str] = mapped_column(String(20))
    target_level: Mapped[int | None]

    element: Mapped[Element] = relationship("Element")

    __table_args__ = (
        CheckConstraint(_enum_check("intensity", Intensity), name="intensity_known"),
        CheckConstraint("(unit_id IS NULL) <> (instrument_id IS NULL)", name="one_source"),
        CheckConstraint("instrument_id IS NULL OR intensity = 'assessed'", name="instruments_assess"),
        CheckConstraint("target_level IS NULL OR target_level BETWEEN 1 AND 8", name="target_level_range"),
        UniqueConstraint("unit_id", "element_id"),
        UniqueConstraint("instrument_id", "element_id"),
        Index("ix_curriculum_links_curriculum_id", "curriculum_id"),
        Index("ix_curriculum_links_element_id", "element_id"),
    )


class CohortCurriculum(Base):
    """The curriculum version a cohort follows (one per cohort)."""

    __tablename__ = "cohort_curricula"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id", ondelete="CASCADE"), index=True)

    curriculum: Mapped[Curriculum] = relationship()


class InstrumentAssessment(Base):
    """An assessment started from an exam instrument: the result traces back to the plan."""

    __tablename__ = "instrument_assessments"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("exam_instruments.id", ondelete="CASCADE"), index=True)
