"""Share links (read-only, anonymous, expiring, revocable, logged) and PDF exports."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.accounts.models import Cohort, User
from app.authz import export_or_404, portfolio_or_404, public, share_or_404
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.forms import ShareForm
from app.blueprints.portfolio.routes import send_attachment
from app.db import utcnow
from app.downloads import send_download
from app.errors import not_found
from app.extensions import db
from app.files.storage import storage_for
from app.portfolio import exports, services
from app.portfolio.models import Attachment, Claim, EvidenceItem, ExportStatus, ShareLink
from app.portfolio.programme import load_programme
from app.uow import refused
from app.urls import public_url
from app.web import current_actor


def _me() -> User:
    return current_user._get_current_object()


# --- the owner's share links ---------------------------------------------------------------------


@bp.route("/portfolio/shares", methods=["GET", "POST"])
def shares() -> str | Response:
    me = _me()
    form = ShareForm()
    programmes = services.programmes_of(db.session, me)
    form.cohort.choices = [("", _("— a selection of items —"))] + [(str(c.id), c.name) for c in programmes]
    my_items = db.session.scalars(
        select(EvidenceItem).where(EvidenceItem.owner_id == me.id).order_by(EvidenceItem.title)
    ).all()
    form.items.choices = [(it.id, it.title) for it in my_items]
    if request.method == "GET" and request.args.get("cohort", "").isdigit():
        form.cohort.data = request.args["cohort"]
    new_link = None
    if form.validate_on_submit():
        cohort = next((c for c in programmes if str(c.id) == form.cohort.data), None)
        try:
            created = services.create_share(
                db.session,
                current_actor(),
                me,
                label=form.label.data,
                days=form.days.data,
                cohort=cohort,
                item_ids=form.items.data if cohort is None else None,
            )
        except services.PortfolioError as exc:
            refused()  # nothing of the refused operation is committed
            getattr(form, exc.field or "label", form.label).errors.append(exc.message)
        else:
            db.session.commit()
            new_link = public_url("portfolio.shared", token=created.token)
    links = db.session.scalars(
        select(ShareLink)
        .where(ShareLink.owner_id == me.id)
        .options(selectinload(ShareLink.accesses), selectinload(ShareLink.cohort))
        .order_by(ShareLink.created_at.desc())
    ).all()
    return render_template("portfolio/shares.html", form=form, links=links, new_link=new_link, now=utcnow())


@bp.post("/portfolio/shares/<int:share_id>/revoke")
def revoke_share(share_id: int) -> Response:
    share = share_or_404(_me(), share_id)
    services.revoke_share(db.session, current_actor(), share)
    db.session.commit()
    flash(_("The link no longer opens."), "success")
    return redirect(url_for("portfolio.shares"))


# --- what a share link opens (no sign-in) --------------------------------------------------------


def _open_share(token: str, what: str | None) -> ShareLink:
    """The open share for the token, else a 404. ``what`` is logged as an access (thumbnails are not)."""
    share = services.find_share(db.session, token)
    if share is None:
        raise not_found(_("This link has expired, was revoked, or never existed. Ask the student for a new one."))
    if what:
        services.record_share_access(db.session, share, request.remote_addr, request.user_agent.string, what)
        db.session.commit()
    return share


@bp.get("/s/<token>")
@public
def shared(token: str) -> Response:
    share = _open_share(token, "portfolio")
    owner = db.session.get(User, share.owner_id)
    ids = services.shared_item_ids(db.session, share)
    items = db.session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.id.in_(ids))
        .options(selectinload(EvidenceItem.attachments), selectinload(EvidenceItem.links))
        .order_by(EvidenceItem.started_on, EvidenceItem.id)
    ).all()
    claims = db.session.scalars(
        select(Claim)
        .where(Claim.item_id.in_(ids))
        .options(selectinload(Claim.element), selectinload(Claim.self_level), selectinload(Claim.cohort))
        .order_by(Claim.id)
    ).all()
    if share.cohort_id is not None:
        claims = [c for c in claims if c.cohort_id == share.cohort_id]
    by_item: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_item[claim.item_id].append(claim)
    programme = load_programme(db.session, share.cohort) if share.cohort is not None else None
    by_element: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_element[claim.element_id].append(claim)
    response = make_response(
        render_template(
            "portfolio/shared.html",
            share=share,
            token=token,
            owner=owner,
            items=items,
            claims_by_item=by_item,
            programme=programme,
            claims_by_element=by_element,
        )
    )
    return _private(response)


def _private(response: Response) -> Response:
    """The token is the key: never sent on as a referrer, never indexed, never cached."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/s/<token>/files/<int:attachment_id>")
@public
def shared_file(token: str, attachment_id: int) -> Response:
    thumbnail = request.args.get("thumb") == "1"
    share = _open_share(token, None if thumbnail else f"file {attachment_id}")
    attachment = db.session.get(Attachment, attachment_id)
    if (
        attachment is None
        or attachment.removed_at is not None
        or attachment.item_id not in services.shared_item_ids(db.session, share)
    ):
        abort(404)
    return _private(send_attachment(attachment, thumbnail=thumbnail))


# --- PDF export ----------------------------------------------------------------------------------


@bp.post("/portfolio/students/<int:student_id>/programmes/<int:cohort_id>/export")
def export(student_id: int, cohort_id: int) -> Response:
    student, cohort = portfolio_or_404(_me(), student_id, cohort_id)
    job = exports.request_export(db.session, current_actor(), student, cohort)
    return redirect(url_for("portfolio.export_status", export_id=job.id))


@bp.get("/portfolio/exports/<int:export_id>")
def export_status(export_id: int) -> str:
    job = export_or_404(_me(), export_id)
    owner = db.session.get(User, job.owner_id)
    return render_template("portfolio/export.html", job=job, owner=owner, cohort=db.session.get(Cohort, job.cohort_id))


@bp.get("/portfolio/exports/<int:export_id>/status")
def export_progress(export_id: int) -> dict[str, object]:
    job = export_or_404(_me(), export_id)
    return {
        "status": job.status,
        "progress": job.progress,
        "total": job.total,
        "download": url_for("portfolio.export_download", export_id=job.id) if job.status == ExportStatus.DONE else None,
    }


@bp.get("/portfolio/exports/<int:export_id>/download")
def export_download(export_id: int) -> Response:
    job = export_or_404(_me(), export_id)
    if job.status != ExportStatus.DONE or not job.file_key:
        abort(404)
    data = storage_for(current_app).read(job.file_key)
    exports.mark_downloaded(db.session, job)
    db.session.commit()
    owner = db.session.get(User, job.owner_id)
    name = f"portfolio-{owner.name}-{job.created_at:%Y%m%d}.pdf".replace(" ", "-")
    response = send_download(data, name, "application/pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
