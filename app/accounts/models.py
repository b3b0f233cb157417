"""People, organisations, roles, cohorts, one-time links, API tokens and the audit log."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.standards.models import Framework


class OrgKind(enum.StrEnum):
    SCHOOL = "school"
    EMPLOYER = "employer"
    EXAM_BODY = "exam_body"


class Role(enum.StrEnum):
    STUDENT = "student"
    ASSESSOR = "assessor"
    CURRICULUM_LEAD = "curriculum_lead"
    HR = "hr"
    EXAM_COMMITTEE = "exam_committee"  # issues and revokes the organisation's certificates
    ORG_ADMIN = "org_admin"


def _enum_check(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation", passive_deletes=True)
    cohorts: Mapped[list[Cohort]] = relationship(back_populates="organisation", order_by="Cohort.name")

    __table_args__ = (CheckConstraint(_enum_check("kind", OrgKind), name="kind_known"),)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Flask-Login stores this, not the primary key: rotating it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # The organisation that created this account (by invitation or import), if any. Its administrators keep
    # account-wide powers over it only while the account belongs to that organisation alone (app.authz).
    created_by_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", passive_deletes=True, foreign_keys="Membership.user_id"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def roles_in(self, organisation_id: int) -> set[Role]:
        return {Role(m.role) for m in self.memberships if m.organisation_id == organisation_id}

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(Base):
    """A role a person holds in an organisation; one row per role."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id", "role"),
        CheckConstraint(_enum_check("role", Role), name="role_known"),
        Index("ix_memberships_organisation_id", "organisation_id"),
    )


class Cohort(Base):
    """A school's class or group of students for a programme and year, with its assessors."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[str] = mapped_column(String(20))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    profile_key: Mapped[str | None] = mapped_column(String(160))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="cohorts")
    framework: Mapped[Framework] = relationship("Framework")
    students: Mapped[list[User]] = relationship(secondary="cohort_students", order_by="User.name")
    assessors: Mapped[list[User]] = relationship(secondary="cohort_assessors", order_by="User.name")

    __table_args__ = (UniqueConstraint("organisation_id", "name", "year"),)


class CohortStudent(Base):
    __tablename__ = "cohort_students"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_cohort_students_user_id", "user_id"),)


class CohortAssessor(Base):
    __tablename__ = "cohort_assessors"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_cohort_assessors_user_id", "user_id"),)


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a secret


class OneTimeLink(Base):
    """Invitation or password-reset link: only a hash is stored; single use; expires."""

    __tablename__ = "one_time_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (CheckConstraint(_enum_check("purpose", LinkPurpose), name="purpose_known"),)


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Invitation(Base):
    """An organisation asks an existing account to take roles (and possibly a cohort place) in it.

    Nothing is attached until the owner accepts while signed in. The inviting organisation sees only the
    address it typed (``email``), never the account behind it (``user_id`` is for the invitee's own view)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    cohort_role: Mapped[str | None] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=InvitationStatus.PENDING)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    decided_at: Mapped[dt.datetime | None]

    organisation: Mapped[Organisation] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    __table_args__ = (
        CheckConstraint(_enum_check("status", InvitationStatus), name="status_known"),
        CheckConstraint("cohort_role IS NULL OR cohort_role IN ('student', 'assessor')", name="cohort_role_known"),
        Index("ix_invitations_user_status", "user_id", "status"),
        Index("ix_invitations_organisation_status", "organisation_id", "status"),
    )


class ApiScope(enum.StrEnum):
    PROFILE_READ = "profile:read"
    ORGANISATION_READ = "organisation:read"
    CROSSWALKS_READ = "crosswalks:read"
    MATCHING_READ = "matching:read"
    CURRICULUM_READ = "curriculum:read"


class ApiToken(Base):
    """A personal API token: shown once, stored as a hash, revocable, with its last use."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_api_tokens_user_id", "user_id"),)


class AuditEvent(Base):
    """Append-only record of who did what, when and from where (UTC)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        Index("ix_audit_events_org_time", "organisation_id", "occurred_at"),
        Index("ix_audit_events_action", "action"),
        Index("ix_audit_events_actor_id", "actor_id"),
    )
