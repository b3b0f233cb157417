"""Certificates: what a school certifies (a profile, a core task, a competence at a level), issued as a PDF
and as a signed Open Badges 3.0 credential; the organisation's signing keys; the revocation status list;
bulk issuing runs."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:  # the other packages' models, for types only (no import cycle at run time)
    from app.accounts.models import Cohort, Organisation, User


class IssuerKey(Base):
    """An Ed25519 key of an organisation. The private key lives in a file under the instance folder (never
    in the repository or the database); the public key travels in ``verification_method`` (did:key), so
    a rotated-out key still verifies the certificates it signed."""

    __tablename__ = "issuer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    verification_method: Mapped[str] = mapped_column(String(200), unique=True)
    key_file: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None]


class StatusList(Base):
    """An organisation's revocation list (W3C Bitstring Status List): certificate N owns bit N."""

    __tablename__ = "status_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), unique=True)
    size: Mapped[int] = mapped_column(default=131072)
    next_index: Mapped[int] = mapped_column(default=0)


class CertificateScope(enum.StrEnum):
    PROGRAMME = "programme"  # the whole profile or framework the cohort follows
    GROUP = "group"  # a core task, cluster or area
    ELEMENT = "element"  # one competence or work process, at its achieved level


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)  # in /verify/<public_id>; not guessable
    number: Mapped[str] = mapped_column(String(40), unique=True)  # printed: BKW-2026-000042
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    # The name as issued (what the signed credential says): the account's name can be edited later, the
    # certificate's cannot, so the verify page and every PDF print this one.
    holder_name: Mapped[str] = mapped_column(String(200))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="RESTRICT"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    scope_key: Mapped[str] = mapped_column(String(160))  # "*" or an element key
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)  # what the PDF and the verify page show
    credential_id: Mapped[str] = mapped_column(String(80), unique=True)  # urn:uuid:… inside the credential
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)  # the signed OpenBadgeCredential, as issued
    status_index: Mapped[int]
    pdf_key: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    candidate: Mapped[User] = relationship("User", foreign_keys=[candidate_id])
    cohort: Mapped[Cohort] = relationship("Cohort")
    organisation: Mapped[Organisation] = relationship("Organisation")

    __table_args__ = (
        CheckConstraint("scope IN ('programme', 'group', 'element')", name="scope"),
        UniqueConstraint("organisation_id", "status_index"),
        # Nothing is issued twice: one standing certificate per candidate, programme and scope.
        Index(
            "uq_certificates_standing",
            "candidate_id",
            "cohort_id",
            "scope_key",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )


class BatchStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class CertificateBatch(Base):
    """Certifying a cohort in one go, as a background job; one student's failure does not stop the rest."""

    __tablename__ = "certificate_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    scope_key: Mapped[str] = mapped_column(String(160))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=BatchStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    issued: Mapped[int] = mapped_column(default=0)
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # per student: issued/skipped/why
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    cohort: Mapped[Cohort] = relationship("Cohort")

    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done')", name="status"),)
