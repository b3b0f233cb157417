"""PDF exports as background jobs: requested, run (in-process or on Redis), kept until downloaded."""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, User
from app.audit import Actor, record
from app.db import utcnow
from app.extensions import db
from app.files.storage import storage_for
from app.jobs import enqueue
from app.portfolio import pdf
from app.portfolio.models import ExportStatus, PortfolioExport
from app.portfolio.notifications import notify
from app.uow import transactional, unit_of_work

log = logging.getLogger(__name__)


def request_export(session: Session, actor: Actor, student: User, cohort: Cohort) -> PortfolioExport:
    """Creates the export and queues it. The caller has checked that the actor may read the portfolio.
    The job is queued to start once the request has committed (``enqueue`` waits for the commit)."""
    export = PortfolioExport(
        owner_id=student.id,
        requested_by_id=actor.user.id if actor.user else None,
        cohort_id=cohort.id,
        total=3,
    )
    session.add(export)
    session.flush()
    record(session, actor, "portfolio.export", target_type="portfolio_export", target_id=export.id,
           summary=f"{student.email} · {cohort.name}")  # fmt: skip
    enqueue(run_export, export.id)
    return export


def run_export(export_id: int) -> None:
    """The job: renders the PDF, stores it, records progress and the outcome.

    Three units of work, not one: the export is marked running (committed, so the status page shows it at
    once), the PDF is rendered and stored (one unit; its progress is committed as it goes, the only commits
    inside it, because the person watching the status page polls for them while the job runs), and a
    failure is recorded in a unit of its own after the rendering's unit was rolled back."""
    if not _start(export_id):
        return
    try:
        with unit_of_work():
            _render(export_id)
    except Exception as exc:
        _record_failure(export_id, exc)
        log.exception("portfolio export %s failed", export_id)


@transactional
def _start(export_id: int) -> bool:
    export = db.session.get(PortfolioExport, export_id)
    if export is None or export.status not in (ExportStatus.QUEUED, ExportStatus.FAILED):
        return False
    export.status, export.progress = ExportStatus.RUNNING, 0
    return True


def _render(export_id: int) -> None:
    session = db.session
    export = session.get_one(PortfolioExport, export_id)
    student = session.get_one(User, export.owner_id)
    cohort = session.get_one(Cohort, export.cohort_id)
    requester = session.get(User, export.requested_by_id) if export.requested_by_id else student

    def progress(done: int, total: int) -> None:
        export.progress, export.total = done, total
        session.commit()  # progress must be visible to the status page while the job runs (see run_export)

    with force_locale(requester.language if requester else "en"):
        doc = pdf.gather(session, student, cohort)
        data = pdf.write_pdf(doc, storage_for(current_app), _now_label(), progress)
    export.file_key = storage_for(current_app).save(data)
    export.size = len(data)
    export.status = ExportStatus.DONE
    export.finished_at = utcnow()
    if requester is not None:
        notify(session, requester, "export_ready", Actor.system("export"), export_id=export.id)


@transactional
def _record_failure(export_id: int, exc: Exception) -> None:
    export = db.session.get(PortfolioExport, export_id)
    if export is None:  # removed while it ran
        return
    export.status = ExportStatus.FAILED
    export.error = f"{type(exc).__name__}: {exc}"[:2000]
    export.finished_at = utcnow()


def _now_label() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def mark_downloaded(session: Session, export: PortfolioExport) -> None:
    if export.downloaded_at is None:
        export.downloaded_at = utcnow()
        session.flush()
