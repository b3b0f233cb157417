"""Certifying a whole cohort in the background. Starting a run only records it (the request commits, then
the job is queued). The job commits once per student, on purpose: each student's certificate and the run's
progress become visible together while the run goes on (the status page polls it), and a student who is
refused or fails is reported without undoing the certificates issued before. Outcomes are stored as
message ids with values and translated when the run is shown."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, User
from app.audit import Actor, record
from app.certificates import rules
from app.certificates.errors import CertificateError
from app.certificates.issuing import issue, standing
from app.certificates.models import BatchStatus, CertificateBatch
from app.db import utcnow
from app.domain import N_
from app.uow import unit_of_work


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
    enqueue(run_batch, batch.id)  # runs once this unit of work has committed
    return batch


def _params(params: dict[str, Any]) -> dict[str, Any]:
    """A refusal's values as JSON (the reasons as message ids with values)."""
    return {k: ([r.as_dict() for r in v] if isinstance(v, rules.Reasons) else v) for k, v in params.items()}


def _certify(session: Session, actor: Actor, batch: CertificateBatch, student: User) -> dict[str, Any]:
    """One student's outcome; a failure is rolled back to before this student and reported."""
    outcome: dict[str, Any] = {"student": student.name}
    try:
        existing = standing(session, student, batch.cohort, batch.scope_key)
        if existing is not None:
            return outcome | {"result": "skipped", "msgid": N_("already has %(number)s"),
                              "params": {"number": existing.number}}  # fmt: skip
        with session.begin_nested():
            cert = issue(session, actor, student, batch.cohort, batch.scope_key)
        return outcome | {"result": "issued", "detail": cert.number}
    except CertificateError as exc:
        return outcome | {"result": "refused", "msgid": exc.msgid, "params": _params(exc.params)}
    except Exception as exc:  # reported per student; the batch goes on
        current_app.logger.exception("certifying %s failed", student.name)
        return outcome | {"result": "failed", "detail": type(exc).__name__}


def run_batch(batch_id: int) -> None:
    """The job: every student of the cohort, one at a time, each in its own unit of work (see above).
    Students certified already are skipped: nothing twice."""
    from app.extensions import db

    session = db.session
    with unit_of_work():
        batch = session.get(CertificateBatch, batch_id)
        if batch is None or batch.status == BatchStatus.DONE:
            return
        batch.status = BatchStatus.RUNNING
        student_ids = [s.id for s in batch.cohort.students]
    requester = session.get(User, batch.requested_by_id) if batch.requested_by_id else None
    actor = Actor(user=requester, user_agent="bulk certification")
    for student_id in student_ids:
        with unit_of_work():
            student = session.get(User, student_id)
            if student is None:  # erased while the run was queued
                continue
            outcome = _certify(session, actor, batch, student)
            batch.done += 1
            batch.issued += int(outcome["result"] == "issued")
            batch.outcomes = [*batch.outcomes, outcome]
    with unit_of_work():
        batch.status = BatchStatus.DONE
        batch.finished_at = utcnow()


def outcome_detail(outcome: dict[str, Any]) -> str:
    """What the run page shows beside a student: the stored message in the viewer's language."""
    if "msgid" not in outcome:
        return str(outcome.get("detail", ""))
    params = dict(outcome.get("params") or {})
    if isinstance(params.get("reasons"), list):
        params["reasons"] = rules.Reasons(rules.Reason(r["msgid"], r.get("params") or {}) for r in params["reasons"])
    return rules.translate(outcome["msgid"], params)
