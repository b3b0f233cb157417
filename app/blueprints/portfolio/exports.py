"""PDF exports of a programme's portfolio: requested, followed while they run, downloaded.

Downloading marks the export as fetched, so that GET view writes on purpose (``@writes_on_get``)."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.accounts.models import Cohort, User
from app.authz import export_or_404, portfolio_or_404
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.common import me
from app.downloads import send_download
from app.extensions import db
from app.files.storage import storage_for
from app.portfolio import exports
from app.portfolio.models import ExportStatus
from app.uow import writes_on_get
from app.web import current_actor


@bp.post("/portfolio/students/<int:student_id>/programmes/<int:cohort_id>/export")
def export(student_id: int, cohort_id: int) -> Response:
    student, cohort = portfolio_or_404(me(), student_id, cohort_id)
    job = exports.request_export(db.session, current_actor(), student, cohort)
    return redirect(url_for("portfolio.export_status", export_id=job.id))


@bp.get("/portfolio/exports/<int:export_id>")
def export_status(export_id: int) -> str:
    job = export_or_404(me(), export_id)
    owner = db.session.get(User, job.owner_id)
    return render_template("portfolio/export.html", job=job, owner=owner, cohort=db.session.get(Cohort, job.cohort_id))


@bp.get("/portfolio/exports/<int:export_id>/status")
def export_progress(export_id: int) -> dict[str, object]:
    job = export_or_404(me(), export_id)
    return {
        "status": job.status,
        "progress": job.progress,
        "total": job.total,
        "download": url_for("portfolio.export_download", export_id=job.id) if job.status == ExportStatus.DONE else None,
    }


@bp.get("/portfolio/exports/<int:export_id>/download")
@writes_on_get  # the download is recorded on the export
def export_download(export_id: int) -> Response:
    job = export_or_404(me(), export_id)
    if job.status != ExportStatus.DONE or not job.file_key:
        abort(404)
    data = storage_for(current_app).read(job.file_key)
    exports.mark_downloaded(db.session, job)
    owner = db.session.get_one(User, job.owner_id)
    name = f"portfolio-{owner.name}-{job.created_at:%Y%m%d}.pdf".replace(" ", "-")
    response = send_download(data, name, "application/pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
