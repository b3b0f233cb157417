"""Assessments: a candidate judged on elements of a programme by one or more assessors, independently, then
settled, signed and final. Final is immutable; a correction is a new assessment that supersedes it."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.accounts.models import Cohort, User
    from app.standards.models import Element, Framework, ScaleLevel


def _enum_check(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class AssessmentKind(enum.StrEnum):
    FORMATIVE = "formative"
    SUMMATIVE = "summative"


class AssessmentStatus(enum.StrEnum):
    OPEN = "open"  # assessors judge, each on their own
    SETTLING = "settling"  # every assessor submitted: differences are settled, then signed
    FINAL = "final"  # signed by the required number of assessors; immutable


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Only what a person typed is stored as the title; without one, the title is composed on display in the
    # viewer's language ("Exam: …", "Examen: …") from ``subject``, the scope's label in the standard's words.
    typed_title: Mapped[str] = mapped_column("title", String(200), default="")
    subject: Mapped[str] = mapped_column(String(200), default="", server_default="")
    scope_keys: Mapped[list[str]] = mapped_column(JSON)  # element keys judged, in programme order
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    context: Mapped[str] = mapped_column(Text, default="")
    required_assessors: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=AssessmentStatus.OPEN)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="RESTRICT"))
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finalised_at: Mapped[dt.datetime | None]
    superseded_at: Mapped[dt.datetime | None]
    lock_version: Mapped[int] = mapped_column(default=1)
    # The version of the standard it was held on, once its cohort moved to another (NULL: the cohort's own);
    # its scope keys and judgements keep being read in that version.
    framework_id: Mapped[int | None] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))

    candidate: Mapped[User] = relationship("User", foreign_keys=[candidate_id])
    cohort: Mapped[Cohort] = relationship("Cohort")
    framework: Mapped[Framework | None] = relationship("Framework")
    assessors: Mapped[list[AssessmentAssessor]] = relationship(
        back_populates="assessment", order_by="AssessmentAssessor.position", cascade="all, delete-orphan"
    )
    judgements: Mapped[list[Judgement]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Judgement.id"
    )
    supersedes: Mapped[Assessment | None] = relationship(remote_side="Assessment.id")

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012 - SQLAlchemy reads it once
    __table_args__ = (
        CheckConstraint(_enum_check("kind", AssessmentKind), name="kind"),
        CheckConstraint(_enum_check("status", AssessmentStatus), name="status"),
        CheckConstraint("required_assessors BETWEEN 1 AND 5", name="required_assessors"),
    )

    def assessor_entry(self, user_id: int) -> AssessmentAssessor | None:
        return next((a for a in self.assessors if a.assessor_id == user_id), None)

    @property
    def title(self) -> str:
        """The title in the viewer's language: the typed one, else "Exam: <subject>" composed now."""
        return self.typed_title or compose_title(self.kind, self.subject)


def compose_title(kind: str, subject: str) -> str:
    """The default title of an assessment, translated for the current request (English outside one)."""
    from flask import has_request_context

    from app.domain import N_

    msgid = N_("Exam: %(subject)s") if kind == AssessmentKind.SUMMATIVE else N_("Feedback: %(subject)s")
    if not has_request_context():
        return msgid % {"subject": subject}
    from flask_babel import gettext

    return gettext(msgid, subject=subject)


class AssessmentAssessor(Base):
    __tablename__ = "assessment_assessors"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[dt.datetime | None]
    signed_at: Mapped[dt.datetime | None]

    assessment: Mapped[Assessment] = relationship(back_populates="assessors")
    assessor: Mapped[User] = relationship("User")

    __table_args__ = (Index("ix_assessment_assessors_assessor_id", "assessor_id"),)


class Judgement(Base):
    """One assessor's judgement of one element, or (``assessor_id`` NULL) the settled one.

    ``criteria`` maps criterion keys (the element's behaviour lines or activities) to a scale value;
    ``claim_ids`` cites the portfolio claims the judgement rests on, ``carried_cited`` the evidence carried
    from other standards through crosswalks. ``version`` guards against lost
    updates: a save must name the version it started from."""

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"), index=True)
    level_id: Mapped[int | None] = mapped_column(ForeignKey("scale_levels.id", ondelete="RESTRICT"))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rationale: Mapped[str] = mapped_column(Text, default="")
    claim_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Evidence carried through published crosswalks that the judgement cites (issue 14): a snapshot of each
    # cited result or claim, {"key": "judgement:12" | "claim:7", "label": what was cited, as it read then}.
    # Cited, never counted: the level is the assessor's own.
    carried_cited: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="judgements")
    element: Mapped[Element] = relationship("Element")
    level: Mapped[ScaleLevel | None] = relationship("ScaleLevel")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it once
    __table_args__ = (
        UniqueConstraint("assessment_id", "assessor_id", "element_id"),
        Index("ix_judgements_assessment_id", "assessment_id"),
        # One settled judgement per element (NULLs are distinct in the unique constraint above).
        Index(
            "uq_judgements_settled",
            "assessment_id",
            "element_id",
            unique=True,
            sqlite_where=text("assessor_id IS NULL"),
            postgresql_where=text("assessor_id IS NULL"),
        ),
    )

    @property
    def settled(self) -> bool:
        return self.assessor_id is None
