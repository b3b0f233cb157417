"""Job profiles of an employer, their requirements, learners' consents (and who viewed what under them),
and applications, by a learner or by someone who only has credential files."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.accounts.models import Organisation, User
    from app.standards.models import Element, ScaleLevel


def _enum_check(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class ProfileStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Weight(enum.StrEnum):
    ESSENTIAL = "essential"
    OPTIONAL = "optional"


class JobProfile(Base):
    """What an employer looks for: a title, a description and requirements on elements of any standard.
    ``public_token`` opens the public application page of a published profile (not a secret: it only keeps
    drafts and ids from being guessed)."""

    __tablename__ = "job_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ProfileStatus.DRAFT)
    public_token: Mapped[str] = mapped_column(String(40), unique=True)
    source: Mapped[str] = mapped_column(String(200), default="")  # "ecf-profile-…" when started from a standard
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship("Organisation")
    requirements: Mapped[list[Requirement]] = relationship(
        back_populates="job_profile", cascade="all, delete-orphan", order_by="Requirement.position"
    )

    __table_args__ = (CheckConstraint(_enum_check("status", ProfileStatus), name="status"),)

    @property
    def published(self) -> bool:
        return self.status == ProfileStatus.PUBLISHED


class Requirement(Base):
    """One element of a standard, at a level (a level of the element's own scale), essential or optional."""

    __tablename__ = "job_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_profile_id: Mapped[int] = mapped_column(ForeignKey("job_profiles.id", ondelete="CASCADE"))
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="RESTRICT"), index=True)
    level_id: Mapped[int | None] = mapped_column(ForeignKey("scale_levels.id", ondelete="RESTRICT"))
    weight: Mapped[str] = mapped_column(String(20), default=Weight.ESSENTIAL)
    position: Mapped[int] = mapped_column(default=0)

    job_profile: Mapped[JobProfile] = relationship(back_populates="requirements")
    element: Mapped[Element] = relationship("Element")
    level: Mapped[ScaleLevel | None] = relationship("ScaleLevel")

    __table_args__ = (
        UniqueConstraint("job_profile_id", "element_id"),
        CheckConstraint(_enum_check("weight", Weight), name="weight"),
    )


class Consent(Base):
    """A learner lets one employer organisation see their verified record until ``expires_at``.

    Scope: final results, certificates, and the portfolio items the learner chose (``item_ids``). Revoked
    or expired, it shows nothing any more, everywhere at once (every list asks for active consents)."""

    __tablename__ = "matching_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    results: Mapped[bool] = mapped_column(Boolean, default=True)
    certificates: Mapped[bool] = mapped_column(Boolean, default=True)
    item_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship("User")
    organisation: Mapped[Organisation] = relationship("Organisation")
    views: Mapped[list[ConsentView]] = relationship(
        order_by="ConsentView.viewed_at.desc()", viewonly=True, back_populates="consent"
    )

    __table_args__ = (Index("ix_matching_consents_org_revoked", "organisation_id", "revoked_at"),)

    def is_active(self, now: dt.datetime) -> bool:
        expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=dt.UTC)
        return self.revoked_at is None and expires > now


class ConsentView(Base):
    """Who at the employer viewed what of a learner's record, and when; shown to the learner."""

    __tablename__ = "matching_consent_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("matching_consents.id", ondelete="CASCADE"), index=True)
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    viewer_label: Mapped[str] = mapped_column(String(254), default="")
    what: Mapped[str] = mapped_column(String(40))
    job_profile_id: Mapped[int | None] = mapped_column(ForeignKey("job_profiles.id", ondelete="SET NULL"))
    viewed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    consent: Mapped[Consent] = relationship(back_populates="views")
    job_profile: Mapped[JobProfile | None] = relationship()


class Application(Base):
    """Someone applies to a published job profile: a learner with one click (their verified record is then
    visible for this profile, as under a consent), or a person without an account with credential files
    (``evidence``: what each file proved, or why it counted for nothing)."""

    __tablename__ = "job_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_profile_id: Mapped[int] = mapped_column(ForeignKey("job_profiles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None]

    job_profile: Mapped[JobProfile] = relationship()
    user: Mapped[User | None] = relationship("User")

    __table_args__ = (UniqueConstraint("job_profile_id", "user_id"),)

    @property
    def display_name(self) -> str:
        return self.user.name if self.user is not None else self.name
