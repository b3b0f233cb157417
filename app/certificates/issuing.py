"""Issuing and revoking certificates. Each verb checks its rules, writes, audits and flushes; the request
(or the batch job's unit of work) commits, so a refused issue leaves nothing behind. Who may issue is
checked in ``app.authz``; whether the learner earned it, here (``rules``)."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortStudent, Organisation, User
from app.accounts.passwords import verify_password
from app.assessment.record import learner_record
from app.audit import Actor, record
from app.certificates import rules
from app.certificates.credential import signed_credential, summary_of, uuid_from
from app.certificates.errors import CertificateError
from app.certificates.models import Certificate
from app.certificates.status_lists import allocate_index
from app.db import utcnow
from app.domain import N_


def _number(session: Session, org: Organisation, when: dt.datetime) -> str:
    count = session.scalar(select(func.count()).select_from(Certificate).where(Certificate.organisation_id == org.id))
    return f"BKW-{org.id:03d}-{when:%Y}-{(count or 0) + 1:06d}"


def standing(session: Session, candidate: User, cohort: Cohort, scope_key: str) -> Certificate | None:
    return session.scalar(
        select(Certificate).where(
            Certificate.candidate_id == candidate.id,
            Certificate.cohort_id == cohort.id,
            Certificate.scope_key == scope_key,
            Certificate.revoked_at.is_(None),
        )
    )


def issue(session: Session, actor: Actor, candidate: User, cohort: Cohort, scope_key: str) -> Certificate:
    """Issue the certificate for ``scope_key`` if the final judgements earn it; refuse with the reasons."""
    if session.get(CohortStudent, (cohort.id, candidate.id)) is None:
        raise CertificateError(N_("%(name)s is not a student of %(cohort)s"), name=candidate.name, cohort=cohort.name)
    existing = standing(session, candidate, cohort, scope_key)
    if existing is not None:
        raise CertificateError(
            N_("already issued to %(name)s: %(number)s"), name=candidate.name, number=existing.number
        )
    learner = learner_record(session, candidate, cohort)
    decision = rules.decide(learner, scope_key)
    if not decision.allowed:
        raise CertificateError(
            N_("%(name)s has not earned %(title)s: %(reasons)s"),
            name=candidate.name,
            title=decision.title,
            reasons=rules.Reasons(decision.reasons[:6]),
        )
    org = cohort.organisation
    now = utcnow().replace(microsecond=0)
    public_id = secrets.token_urlsafe(18)
    cert = Certificate(
        public_id=public_id,
        credential_id=f"urn:uuid:{uuid_from(public_id)}",
        number=_number(session, org, now),
        organisation_id=org.id,
        candidate_id=candidate.id,
        holder_name=candidate.name,
        cohort_id=cohort.id,
        scope=decision.scope,
        scope_key=scope_key,
        title=decision.title,
        summary=summary_of(learner, decision),
        credential={},
        status_index=allocate_index(session, org),
        issued_at=now,
        issued_by_id=actor.user.id if actor.user else None,
    )
    session.add(cert)
    session.flush()
    cert.credential = signed_credential(session, cert, candidate, org, decision, now, signatory=actor.user)
    from app.certificates.pdf import render_certificate
    from app.files.storage import storage_for

    cert.pdf_key = storage_for(current_app).save(render_certificate(cert))
    session.flush()
    record(session, actor, "certificate.issue", organisation_id=org.id, target_type="certificate", target_id=cert.id,
           summary=f"{cert.number} · {candidate.email} · {cert.title}")  # fmt: skip
    return cert


def revoke(session: Session, actor: Actor, cert: Certificate, reason: str, password: str) -> None:
    """Revoke ``cert``, confirmed with the revoking person's password (as an assessor signs): a revocation
    is published in the status list at once and cannot be undone."""
    if cert.revoked_at is not None:
        raise CertificateError(N_("%(number)s was revoked already"), number=cert.number)
    if not reason.strip():
        raise CertificateError(N_("say why the certificate is revoked"), field="reason")
    if actor.user is None or not verify_password(actor.user.password_hash, password):
        raise CertificateError(N_("that is not your password"), field="password")
    cert.revoked_at = utcnow()
    cert.revoked_reason = reason.strip()[:2000]
    cert.revoked_by_id = actor.user.id if actor.user else None
    session.flush()
    record(session, actor, "certificate.revoke", organisation_id=cert.organisation_id, target_type="certificate",
           target_id=cert.id, summary=f"{cert.number}: {cert.revoked_reason}")  # fmt: skip
