"""Certificates: issuing (previewed, then confirmed: one student or a whole cohort), downloads, revocation
(confirmed with the password). The public side is in ``public``, the register in ``register``."""

from __future__ import annotations

import json

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.accounts.models import Cohort, User
from app.assessment.record import cohort_records
from app.authz import (
    Action,
    can_issue,
    certificate_or_404,
    cohorts_issuable_by,
    issuing_cohort_or_404,
    organisations_issuable_by,
)
from app.blueprints.certificates import bp
from app.certificates import rules, services
from app.certificates.badge_image import badge_png
from app.certificates.models import BatchStatus, Certificate, CertificateBatch
from app.credentials.baking import bake
from app.downloads import send_download
from app.errors import show_refusal
from app.extensions import db
from app.files.storage import storage_for
from app.web import current_actor


def _me() -> User:
    return current_user._get_current_object()


@bp.get("/certificates/")
def index() -> str:
    me = _me()
    mine = db.session.scalars(
        select(Certificate)
        .where(Certificate.candidate_id == me.id)
        .options(selectinload(Certificate.organisation))
        .order_by(Certificate.issued_at.desc())
    ).all()
    cohorts = db.session.scalars(cohorts_issuable_by(me)).all()
    registers = db.session.scalars(organisations_issuable_by(me)).all()
    return render_template("certificates/index.html", mine=mine, cohorts=cohorts, registers=registers)


def _standing_rows(cohort_: Cohort, scope_key: str) -> tuple[list[tuple[str, str]], str, list[tuple]]:
    """The certifiable scopes, the chosen one (the programme when unknown) and per student: the record,
    the decision and the standing certificate (or None)."""
    programme, records = cohort_records(db.session, cohort_)
    scopes = rules.certifiable_scopes(records[0]) if records else [(rules.PROGRAMME, programme.framework.title)]
    if scope_key not in {k for k, _label in scopes}:
        scope_key = rules.PROGRAMME
    certificates = {
        c.candidate_id: c
        for c in db.session.scalars(
            select(Certificate).where(
                Certificate.cohort_id == cohort_.id,
                Certificate.scope_key == scope_key,
                Certificate.revoked_at.is_(None),
            )
        )
    }
    rows = [(r, rules.decide(r, scope_key), certificates.get(r.student.id)) for r in records]
    return scopes, scope_key, rows


@bp.get("/certificates/cohorts/<int:cohort_id>")
def cohort(cohort_id: int) -> str:
    cohort_ = issuing_cohort_or_404(_me(), cohort_id)
    scopes, scope_key, rows = _standing_rows(cohort_, request.args.get("scope", rules.PROGRAMME))
    batches = db.session.scalars(
        select(CertificateBatch)
        .where(CertificateBatch.cohort_id == cohort_.id)
        .order_by(CertificateBatch.id.desc())
        .limit(5)
    ).all()
    return render_template(
        "certificates/cohort.html", cohort=cohort_, scopes=scopes, scope_key=scope_key, rows=rows, batches=batches
    )


@bp.get("/certificates/cohorts/<int:cohort_id>/preview")
def preview(cohort_id: int) -> str:
    """Before anything is issued: who gets which certificate, who has it already and who has not earned it;
    the committee confirms from here (one student, or everyone who earned it in a background run)."""
    cohort_ = issuing_cohort_or_404(_me(), cohort_id)
    scopes, scope_key, rows = _standing_rows(cohort_, request.args.get("scope", rules.PROGRAMME))
    student = request.args.get("student", "")
    if student:
        rows = [row for row in rows if str(row[0].student.id) == student]
        if not rows:
            abort(404)
    title = dict(scopes)[scope_key]
    to_issue = [row for row in rows if row[1].allowed and row[2] is None]
    return render_template("certificates/preview.html", cohort=cohort_, scope_key=scope_key, title=title, rows=rows,
                           to_issue=to_issue, single=bool(student))  # fmt: skip


def _unconfirmed(cohort_: Cohort, scope_key: str, student: str | None = None) -> Response | None:
    """Issuing only from the preview's confirm button: any other post is taken to the preview first."""
    if request.form.get("confirm") == "1":
        return None
    return redirect(url_for("certificates.preview", cohort_id=cohort_.id, scope=scope_key, student=student or None))


@bp.post("/certificates/cohorts/<int:cohort_id>/issue")
def issue(cohort_id: int) -> Response:
    me = _me()
    cohort_ = issuing_cohort_or_404(me, cohort_id)
    scope_key = request.form.get("scope", rules.PROGRAMME)
    student = next((s for s in cohort_.students if str(s.id) == request.form.get("student")), None)
    if student is None:
        flash(_("Choose a student of this cohort."), "error")
        return redirect(url_for("certificates.cohort", cohort_id=cohort_.id, scope=scope_key))
    if (unconfirmed := _unconfirmed(cohort_, scope_key, str(student.id))) is not None:
        return unconfirmed
    try:
        cert = services.issue(db.session, current_actor(), student, cohort_, scope_key)
    except services.CertificateError as exc:
        show_refusal(exc)
    else:
        flash(_("Certificate %(number)s is issued to %(name)s.", number=cert.number, name=student.name), "success")
    return redirect(url_for("certificates.cohort", cohort_id=cohort_.id, scope=scope_key))


@bp.post("/certificates/cohorts/<int:cohort_id>/batch")
def batch(cohort_id: int) -> Response:
    cohort_ = issuing_cohort_or_404(_me(), cohort_id)
    scope_key = request.form.get("scope", rules.PROGRAMME)
    if (unconfirmed := _unconfirmed(cohort_, scope_key)) is not None:
        return unconfirmed
    run = services.start_batch(db.session, current_actor(), cohort_, scope_key)
    return redirect(url_for("certificates.batch_status", batch_id=run.id))


def _batch_or_404(batch_id: int) -> CertificateBatch:
    run = db.session.get(CertificateBatch, batch_id)
    if run is None or not can_issue(_me(), run.cohort):
        abort(404)
    return run


def outcome_rows(run: CertificateBatch) -> list[dict[str, str]]:
    """Each student's outcome as the run page shows it, in the viewer's language."""
    labels = {"issued": _("issued"), "skipped": _("already certified"), "refused": _("not earned"),
              "failed": _("failed")}  # fmt: skip
    return [
        {
            "student": o["student"],
            "result": o["result"],
            "label": labels.get(o["result"], o["result"]),
            "detail": services.outcome_detail(o),
        }
        for o in run.outcomes
    ]


@bp.get("/certificates/batches/<int:batch_id>")
def batch_status(batch_id: int) -> str:
    run = _batch_or_404(batch_id)
    return render_template("certificates/batch.html", run=run, rows=outcome_rows(run), statuses=BatchStatus)


@bp.get("/certificates/batches/<int:batch_id>/status")
def batch_progress(batch_id: int) -> dict[str, object]:
    """The run as it goes (the run page polls it and adds each student's row as it comes in)."""
    run = _batch_or_404(batch_id)
    done = run.status == BatchStatus.DONE
    return {
        "status": "done" if done else run.status,
        "progress": run.done,
        "total": run.total,
        "download": None,
        "issued": run.issued,
        "outcomes": outcome_rows(run),
        "message": _("Done: %(issued)s issued of %(total)s.", issued=run.issued, total=run.total)
        if done
        else _("Running: %(done)s of %(total)s students.", done=run.done, total=run.total),
    }


@bp.get("/certificates/<int:cert_id>/certificate.pdf")
def pdf(cert_id: int) -> Response:
    cert = certificate_or_404(_me(), cert_id)
    data = storage_for(current_app).read(cert.pdf_key) if cert.pdf_key else None
    if data is None or cert.revoked_at is not None:
        from app.certificates.pdf import render_certificate

        data = render_certificate(cert)  # a revoked certificate is shown with its watermark
    response = send_download(data, f"{cert.number}.pdf", "application/pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/certificates/<int:cert_id>/credential.json")
def credential(cert_id: int) -> Response:
    cert = certificate_or_404(_me(), cert_id)
    body = json.dumps(cert.credential, ensure_ascii=False, indent=2).encode("utf-8")
    response = send_download(body, f"{cert.number}.credential.json", "application/ld+json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/certificates/<int:cert_id>/badge.png")
def baked_badge(cert_id: int) -> Response:
    """The badge image with the signed credential baked in (Open Badges 3.0 baking): one file a learner
    keeps, shows and hands to a wallet or verifier."""
    cert = certificate_or_404(_me(), cert_id)
    fw = cert.summary["framework"]
    image = badge_png(cert.organisation.name, cert.credential["credentialSubject"]["achievement"].get("humanCode")
                      or fw["code"])  # fmt: skip
    body = bake(image, json.dumps(cert.credential, ensure_ascii=False, separators=(",", ":")))
    response = send_download(body, f"{cert.number}.badge.png", "image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/certificates/<int:cert_id>/revoke")
def revoke(cert_id: int) -> Response:
    cert = certificate_or_404(_me(), cert_id, Action.MANAGE)
    try:
        services.revoke(
            db.session, current_actor(), cert, request.form.get("reason", ""), request.form.get("password", "")
        )
    except services.CertificateError as exc:
        show_refusal(exc)
    else:
        flash(_("%(number)s is revoked; the verification page and the status list say so.", number=cert.number),
              "success")  # fmt: skip
    return redirect(url_for("certificates.cohort", cohort_id=cert.cohort_id, scope=cert.scope_key))
