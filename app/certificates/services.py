"""Issuing, revoking and verifying certificates. Each verb checks its rules, writes, audits and flushes;
the caller commits. Who may issue is checked in ``app.authz``; whether the learner earned it, here."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, CohortStudent, Organisation, User
from app.assessment.record import learner_record
from app.audit import Actor, record
from app.certificates import rules
from app.certificates.models import BatchStatus, Certificate, CertificateBatch, IssuerKey, StatusList
from app.credentials import badges, keys, proof, status
from app.db import utcnow
from app.domain import DomainError
from app.urls import public_url


class CertificateError(DomainError):
    """A refused certificate operation (see app.domain: translated where it is shown)."""


# --- keys ----------------------------------------------------------------------------------------


def _key_dir() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "keys"


def active_key(session: Session, org: Organisation) -> tuple[IssuerKey, Any]:
    """The organisation's current signing key, generated on first use."""
    row = session.scalar(
        select(IssuerKey)
        .where(IssuerKey.organisation_id == org.id, IssuerKey.retired_at.is_(None))
        .order_by(IssuerKey.id.desc())
    )
    if row is None:
        return _new_key(session, org)
    return row, keys.load_private_pem((_key_dir() / row.key_file).read_bytes())


def _new_key(session: Session, org: Organisation) -> tuple[IssuerKey, Any]:
    private = keys.generate_key()
    method = keys.verification_method(private.public_key())
    name = f"org-{org.id}/{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.pem"
    path = _key_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "xb") as fh:  # never overwrite a key
        fh.write(keys.private_pem(private))
    path.chmod(0o600)
    row = IssuerKey(organisation_id=org.id, verification_method=method, key_file=name)
    session.add(row)
    session.flush()
    return row, private


def rotate_key(session: Session, actor: Actor, org: Organisation) -> IssuerKey:
    """Retire the current key and start a new one. Certificates signed before keep verifying: their
    proof names the old key, which stays in the organisation's key history."""
    for row in session.scalars(
        select(IssuerKey).where(IssuerKey.organisation_id == org.id, IssuerKey.retired_at.is_(None))
    ):
        row.retired_at = utcnow()
    row, _ = _new_key(session, org)
    record(session, actor, "certificate.key_rotate", organisation_id=org.id, target_type="issuer_key",
           target_id=row.id, summary=row.verification_method)  # fmt: skip
    return row


def organisation_keys(session: Session, org_id: int) -> set[str]:
    return set(session.scalars(select(IssuerKey.verification_method).where(IssuerKey.organisation_id == org_id)))


# --- urls ----------------------------------------------------------------------------------------


def issuer_profile(org: Organisation, verification_method: str | None = None) -> dict[str, Any]:
    """The issuer as a credential names it. Its id is the did:key that controls the signing key (what a
    standard verifier checks); ``url`` leads to the organisation's profile listing all its keys."""
    profile_url = public_url("certificates.issuer", org_id=org.id)
    return {
        "id": verification_method.split("#", 1)[0] if verification_method else profile_url,
        "type": ["Profile"],
        "name": org.name,
        "url": profile_url,
    }


def status_list_url(org_id: int) -> str:
    return public_url("certificates.status_list", org_id=org_id)


def verify_url(cert: Certificate) -> str:
    return public_url("certificates.verify", public_id=cert.public_id)


# --- issuing -------------------------------------------------------------------------------------


def _allocate_index(session: Session, org: Organisation) -> int:
    """A random, never used position in the organisation's status list: positions reveal nothing about
    issuing order or volume, and the unique constraint (organisation, index) keeps them from being reused."""
    lst = session.scalar(select(StatusList).where(StatusList.organisation_id == org.id).with_for_update())
    if lst is None:
        lst = StatusList(organisation_id=org.id)
        session.add(lst)
        session.flush()
    if lst.next_index >= lst.size // 2:
        raise CertificateError("the organisation's status list is half full: start a new list before issuing more")
    while True:  # at most half full, so each try succeeds with probability over 1/2
        index = secrets.randbelow(lst.size)
        taken = session.scalar(
            select(Certificate.id).where(Certificate.organisation_id == org.id, Certificate.status_index == index)
        )
        if taken is None:
            break
    lst.next_index += 1  # counts positions handed out
    return index


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
        raise CertificateError(f"{candidate.name} is not a student of {cohort.name}")
    existing = standing(session, candidate, cohort, scope_key)
    if existing is not None:
        raise CertificateError(f"already issued to {candidate.name}: {existing.number}")
    learner = learner_record(session, candidate, cohort)
    decision = rules.decide(learner, scope_key)
    if not decision.allowed:
        raise CertificateError(f"{candidate.name} has not earned {decision.title}: " + "; ".join(decision.reasons[:6]))
    org = cohort.organisation
    now = utcnow().replace(microsecond=0)
    public_id = secrets.token_urlsafe(18)
    cert = Certificate(
        public_id=public_id,
        credential_id=f"urn:uuid:{_uuid_from(public_id)}",
        number=_number(session, org, now),
        organisation_id=org.id,
        candidate_id=candidate.id,
        holder_name=candidate.name,
        cohort_id=cohort.id,
        scope=decision.scope,
        scope_key=scope_key,
        title=decision.title,
        summary=_summary(learner, decision),
        credential={},
        status_index=_allocate_index(session, org),
        issued_at=now,
        issued_by_id=actor.user.id if actor.user else None,
    )
    session.add(cert)
    session.flush()
    cert.credential = _signed_credential(session, cert, candidate, org, decision, now)
    from app.certificates.pdf import render_certificate
    from app.files.storage import storage_for

    cert.pdf_key = storage_for(current_app).save(render_certificate(cert))
    session.flush()
    record(session, actor, "certificate.issue", organisation_id=org.id, target_type="certificate", target_id=cert.id,
           summary=f"{cert.number} · {candidate.email} · {cert.title}")  # fmt: skip
    return cert


def _summary(learner: Any, decision: rules.Decision) -> dict[str, Any]:
    fw = learner.programme.framework
    profile_key = learner.programme.cohort.profile_key
    profile = learner.programme.tree.by_key.get(profile_key) if profile_key else None
    level = fw.level or (profile.element.attributes.get("niveau") if profile else None)  # mbo: the profile's
    return {
        "framework": {"code": fw.code, "title": fw.title, "language": fw.language, "kind": fw.kind,
                      "level": level, "level_scale": fw.level_scale, "eqf_level": fw.eqf_level},
        "profile": learner.programme.cohort.profile_key,
        "elements": [
            {
                "key": o.node.key,
                "code": o.node.element.code,
                "title": o.node.element.title,
                "level": o.level.label if o.level else None,
                "level_code": o.level.code if o.level else None,
                "target": o.target.label if o.target else None,
                "target_code": o.target.code if o.target else None,
                "judged_on": o.judged_at.date().isoformat() if o.judged_at else None,
            }
            for o in decision.outcomes
        ],
    }  # fmt: skip


def _signed_credential(
    session: Session, cert: Certificate, candidate: User, org: Organisation, decision: rules.Decision, now: dt.datetime
) -> dict[str, Any]:
    """The OpenBadgeCredential: the achievement aligned to each element of the standard (code, framework,
    the element's public page), one rubric per element with the achieved level as the result."""
    fw = cert.summary["framework"]
    achievement_id = public_url("certificates.achievement", org_id=org.id, code=fw["code"], scope=cert.scope_key)
    alignments, descriptions, results = [], [], []
    for n, e in enumerate(cert.summary["elements"], start=1):
        code = e["code"] or e["key"]
        alignments.append(
            badges.alignment(
                target_name=e["title"],
                target_url=public_url("standards.element_page", code=fw["code"], key=e["key"]),
                target_code=code,
                target_framework=fw["title"],
            )
        )
        description_id = f"{achievement_id}#result-{n}"
        levels, level_ids = [], {}
        for label, level_code in ((e["target"], e["target_code"]), (e["level"], e["level_code"])):
            if label and label not in level_ids:
                level_ids[label] = f"{description_id}-level-{len(level_ids) + 1}"
                levels.append(badges.rubric_criterion_level(level_id=level_ids[label], name=label, level=level_code))
        descriptions.append(
            badges.result_description(
                description_id=description_id,
                name=f"{code} {e['title']}",
                result_type="RubricCriterionLevel",
                levels=levels,
                required_level=level_ids.get(e["target"]),
            )
        )
        results.append(badges.result(result_description_id=description_id, achieved_level=level_ids.get(e["level"])))
    eqf = f" · EQF {fw['eqf_level']}" if fw["eqf_level"] else ""
    achievement = badges.achievement(
        achievement_id=achievement_id,
        name=cert.title,
        description=f"{fw['title']}{eqf}",
        criteria_narrative="Final judgements by the programme's assessors reach the level the standard requires "
        "for every element listed in the alignments.",
        alignments=alignments,
        result_descriptions=descriptions,
        human_code=cert.scope_key if cert.scope_key != rules.PROGRAMME else (cert.summary.get("profile") or fw["code"]),
    )
    key_row, private = active_key(session, org)
    credential = badges.open_badge_credential(
        credential_id=cert.credential_id,
        issuer=issuer_profile(org, key_row.verification_method),
        subject_id=None,
        subject_name=cert.holder_name,
        achievement=achievement,
        valid_from=now,
        status=status.status_entry(status_list_url(org.id), cert.status_index),
        results=results,
        name=cert.title,
        awarded_date=now,
    )
    return proof.sign(credential, private, key_row.verification_method, created=now)


def _uuid_from(public_id: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bekwaam:certificate:{public_id}"))


def revoke(session: Session, actor: Actor, cert: Certificate, reason: str) -> None:
    if cert.revoked_at is not None:
        raise CertificateError(f"{cert.number} was revoked already")
    if not reason.strip():
        raise CertificateError("say why the certificate is revoked", field="reason")
    cert.revoked_at = utcnow()
    cert.revoked_reason = reason.strip()[:2000]
    cert.revoked_by_id = actor.user.id if actor.user else None
    session.flush()
    record(session, actor, "certificate.revoke", organisation_id=cert.organisation_id, target_type="certificate",
           target_id=cert.id, summary=f"{cert.number}: {cert.revoked_reason}")  # fmt: skip


# --- the status list -----------------------------------------------------------------------------


def status_list_credential(session: Session, org: Organisation) -> dict[str, Any]:
    revoked = set(
        session.scalars(
            select(Certificate.status_index).where(
                Certificate.organisation_id == org.id, Certificate.revoked_at.is_not(None)
            )
        )
    )
    lst = session.scalar(select(StatusList).where(StatusList.organisation_id == org.id))
    size = lst.size if lst else 131072
    url = status_list_url(org.id)
    key_row, private = active_key(session, org)
    issuer = key_row.verification_method.split("#", 1)[0]  # a bare DID: the list uses the VC context only
    document = status.status_list_credential(url, issuer, status.encode_bitstring(revoked, size), utcnow())
    return proof.sign(document, private, key_row.verification_method)


# --- verification --------------------------------------------------------------------------------


@dataclass
class Verification:
    signature_valid: bool
    reason: str
    certificate: Certificate | None = None
    issuer_known: bool = False
    matches_record: bool = False
    revoked: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.signature_valid and self.issuer_known and self.matches_record and not self.revoked


def verify_document(session: Session, document: dict[str, Any]) -> Verification:
    """Check an uploaded credential: its proof, that the key belongs to the issuing organisation, that it
    is one we issued and unchanged, and whether it was revoked."""
    result = proof.verify(document)
    outcome = Verification(result.valid, result.reason)
    credential_id = document.get("id") if isinstance(document, dict) else None
    cert = None
    if isinstance(credential_id, str):
        cert = session.scalar(select(Certificate).where(Certificate.credential_id == credential_id[:80]))
    outcome.certificate = cert
    if cert is None:
        outcome.problems.append("no certificate with this id was issued here")
        return outcome
    outcome.issuer_known = result.verification_method in organisation_keys(session, cert.organisation_id)
    if not outcome.issuer_known:
        outcome.problems.append("it is not signed with a key of the issuing organisation")
    outcome.matches_record = _canonical(document) == _canonical(cert.credential)
    if not outcome.matches_record:
        outcome.problems.append("it differs from the credential as issued")
    outcome.revoked = cert.revoked_at is not None
    return outcome


def _canonical(document: Any) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- bulk ----------------------------------------------------------------------------------------


def start_batch(session: Session, actor: Actor, cohort: Cohort, scope_key: str) -> CertificateBatch:
    from app.jobs import enqueue

    batch = CertificateBatch(
        cohort_id=cohort.id,
        scope_key=scope_key,
        requested_by_id=actor.user.id if actor.user else None,
        total=len(cohort.students),
    )
    session.add(batch)
    session.flush()
    record(session, actor, "certificate.batch", organisation_id=cohort.organisation_id,
           target_type="certificate_batch", target_id=batch.id, summary=f"{cohort.name} · {scope_key}")  # fmt: skip
    session.commit()
    enqueue(run_batch, batch.id)
    return batch


def run_batch(batch_id: int) -> None:
    """The job: every student of the cohort, one at a time, each in its own transaction, so that one
    failure is reported and the rest go on. Students certified already are skipped: nothing twice."""
    from app.extensions import db

    session = db.session
    batch = session.get(CertificateBatch, batch_id)
    if batch is None or batch.status == BatchStatus.DONE:
        return
    batch.status = BatchStatus.RUNNING
    session.commit()
    requester = session.get(User, batch.requested_by_id) if batch.requested_by_id else None
    actor = Actor(user=requester, user_agent="bulk certification")
    cohort = batch.cohort
    students = [(s.id, s.name) for s in cohort.students]
    outcomes: list[dict[str, Any]] = []
    issued = 0
    for student_id, name in students:
        student = session.get(User, student_id)
        try:
            existing = standing(session, student, cohort, batch.scope_key)
            if existing is not None:
                outcomes.append({"student": name, "result": "skipped", "detail": f"already has {existing.number}"})
            else:
                with session.begin_nested():
                    cert = issue(session, actor, student, cohort, batch.scope_key)
                outcomes.append({"student": name, "result": "issued", "detail": cert.number})
                issued += 1
        except CertificateError as exc:
            outcomes.append({"student": name, "result": "refused", "detail": exc.message})
        except Exception as exc:  # reported per student; the batch goes on
            current_app.logger.exception("certifying %s failed", name)
            outcomes.append({"student": name, "result": "failed", "detail": type(exc).__name__})
        batch.done += 1
        batch.issued = issued
        batch.outcomes = list(outcomes)
        session.commit()
    batch.status = BatchStatus.DONE
    batch.finished_at = utcnow()
    session.commit()
