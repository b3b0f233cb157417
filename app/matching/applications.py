"""Applying to a published job profile: a learner with one click (which lets the employer see their verified
record, as a consent does), or anyone with Open Badges 3.0 credential files, each verified with the platform's
verifier; a file that does not verify counts for nothing and the applicant is told why."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit import Actor, record
from app.certificates.verification import verify_document
from app.domain import N_
from app.json_limits import JSONLimitExceeded, loads_limited
from app.matching.consents import active_consents_of, grant_consent
from app.matching.errors import MatchingError
from app.matching.models import Application, JobProfile

APPLY_CONSENT_DAYS = 180
MAX_FILES = 10
MAX_FILE_BYTES = 512 * 1024
MAX_JSON_DEPTH = 40


def apply(session: Session, actor: Actor, learner: User, profile: JobProfile) -> Application:
    if not profile.published:
        raise MatchingError(N_("this job profile is not open for applications"))
    existing = session.scalar(
        select(Application).where(Application.job_profile_id == profile.id, Application.user_id == learner.id)
    )
    if existing is not None and existing.withdrawn_at is None:
        raise MatchingError(N_("you already applied to this job profile"))
    if not any(c.organisation_id == profile.organisation_id for c in active_consents_of(session, learner)):
        grant_consent(session, actor, learner, profile.organisation, days=APPLY_CONSENT_DAYS)
    application = existing or Application(job_profile_id=profile.id, user_id=learner.id, name=learner.name)
    application.withdrawn_at = None
    session.add(application)
    session.flush()
    _audit(session, actor, application, f"{learner.email} applied to {profile.title}")
    return application


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def check_credential(session: Session, upload: Upload) -> dict[str, Any]:
    """One file's outcome, as stored with the application: valid with the certificate's summary (its
    alignments, as issued and signed), or not, with the reasons (message ids, translated where shown)."""
    entry: dict[str, Any] = {"file": upload.filename[:200], "valid": False, "problems": []}
    if len(upload.data) > MAX_FILE_BYTES:
        entry["problems"].append(N_("the file is larger than 512 kB; a credential is much smaller"))
        return entry
    try:
        document = loads_limited(upload.data, max_bytes=MAX_FILE_BYTES, max_depth=MAX_JSON_DEPTH)
    except JSONLimitExceeded:
        entry["problems"].append(N_("the file nests deeper than a credential does"))
        return entry
    except (UnicodeDecodeError, ValueError):
        entry["problems"].append(N_("the file is not a JSON object"))
        return entry
    if not isinstance(document, dict):
        entry["problems"].append(N_("the file is not a JSON object"))
        return entry
    check = verify_document(session, document)
    if not check.signature_valid:
        entry["problems"].append(N_("its signature does not verify"))
    entry["problems"].extend(check.problems)
    if check.revoked:
        entry["problems"].append(N_("it was revoked by its issuer"))
    if check.valid and check.certificate is not None:
        cert = check.certificate
        entry.update(valid=True, problems=[], certificate=cert.number, issuer=cert.organisation.name,
                     holder=cert.holder_name, summary=cert.summary)  # fmt: skip
    return entry


def apply_with_credentials(
    session: Session, actor: Actor, profile: JobProfile, *, name: str, email: str, files: list[Upload]
) -> Application:
    if not profile.published:
        raise MatchingError(N_("this job profile is not open for applications"))
    if not name.strip() or len(name) > 200:
        raise MatchingError(N_("give your name"), field="name")
    if "@" not in email or len(email) > 254:
        raise MatchingError(N_("give an email address the employer can answer"), field="email")
    if not files:
        raise MatchingError(N_("choose at least one credential file"), field="files")
    if len(files) > MAX_FILES:
        raise MatchingError(N_("send at most %(n)s files"), field="files", n=MAX_FILES)
    started = time.perf_counter()
    outcomes = [check_credential(session, upload) for upload in files]
    application = Application(job_profile_id=profile.id, name=name.strip(), email=email.strip(), evidence=outcomes)
    session.add(application)
    session.flush()
    valid = sum(1 for o in outcomes if o["valid"])
    _audit(session, actor, application,
           f"{application.name} applied with {len(outcomes)} credential files, {valid} verified "
           f"({(time.perf_counter() - started) * 1000:.0f} ms)")  # fmt: skip
    return application


def withdraw(session: Session, actor: Actor, application: Application) -> None:
    from app.db import utcnow

    application.withdrawn_at = utcnow()
    session.flush()
    _audit(session, actor, application, "withdrawn")


def _audit(session: Session, actor: Actor, application: Application, summary: str) -> None:
    record(
        session,
        actor,
        "matching.apply",
        organisation_id=application.job_profile.organisation_id if application.job_profile else None,
        target_type="job_application",
        target_id=application.id,
        summary=summary,
    )
