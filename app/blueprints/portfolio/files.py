"""An item's files and links: upload (rate-limited per person), remove, serve in a sandbox."""

from __future__ import annotations

from flask import abort, current_app, flash, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import Action, attachment_or_404, item_or_404
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.common import back_to_item, me
from app.blueprints.portfolio.forms import LinkForm, UploadForm
from app.domain import DomainError
from app.downloads import send_download
from app.errors import render_error, show_refusal
from app.extensions import db, limiter
from app.files.storage import storage_for
from app.portfolio import attachments
from app.portfolio.files import attachment_in_version, is_current
from app.portfolio.models import Attachment, EvidenceLink
from app.web import current_actor


def _uploader() -> str:
    return f"upload:{current_user.id}"  # the person, not the session: signing in again does not reset it


def _too_many_uploads() -> str:
    return _("You uploaded many files in a short time. Wait a few minutes and try again; this file is not saved.")


@bp.errorhandler(RateLimitExceeded)
def _rate_limited(exc: RateLimitExceeded) -> tuple[Response | str, int]:
    """A 429 page with the limit's own message (the app's handler shows only its generic one)."""
    return render_error(429, exc.description if exc.limit.error_message else None)


@bp.post("/portfolio/items/<int:item_id>/files")
@limiter.limit(
    lambda: current_app.config["UPLOAD_LIMIT_PER_PERSON"],
    key_func=_uploader,
    exempt_when=lambda: not current_user.is_authenticated,  # sent to the sign-in page instead
    error_message=_too_many_uploads,
)
def upload(item_id: int) -> Response:
    it = item_or_404(me(), item_id, Action.MANAGE)
    form = UploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors or [_("The upload did not arrive; try again.")]:
            flash(str(error), "error")
        return back_to_item(it.id, "#files")
    upload_file = form.file.data
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload_file.read(limit + 1)
    storage = storage_for(current_app)
    try:
        added = attachments.add_attachment(
            db.session, storage, current_actor(), it, upload_file.filename or "", data, limit
        )
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("%(name)s is added.", name=added.filename), "success")
    return back_to_item(it.id, "#files")


@bp.post("/portfolio/items/<int:item_id>/files/<int:attachment_id>/remove")
def remove_file(item_id: int, attachment_id: int) -> Response:
    it = item_or_404(me(), item_id, Action.MANAGE)
    attachment = attachment_or_404(me(), attachment_id)
    if attachment.item_id != it.id or attachment.removed_at is not None:
        abort(404)
    attachments.remove_attachment(db.session, current_actor(), attachment)
    flash(_("%(name)s is removed.", name=attachment.filename), "success")
    return back_to_item(it.id, "#files")


@bp.get("/portfolio/files/<int:attachment_id>")
def download(attachment_id: int) -> Response:
    attachment = attachment_or_404(me(), attachment_id)
    if not is_current(attachment):  # removed: served only as part of a judged version (version_file)
        abort(404)
    return send_attachment(attachment, thumbnail=request.args.get("thumb") == "1")


@bp.get("/portfolio/items/<int:item_id>/versions/<int:number>/files/<int:attachment_id>")
def version_file(item_id: int, number: int, attachment_id: int) -> Response:
    it = item_or_404(me(), item_id)
    attachment = attachment_in_version(db.session, it, number, attachment_id)
    if attachment is None:
        abort(404)
    return send_attachment(attachment)


def send_attachment(attachment: Attachment, thumbnail: bool = False) -> Response:
    """A stored file, never rendered by the browser as a page: download, or inline image/PDF in a sandbox."""
    storage = storage_for(current_app)
    if thumbnail:
        if not attachment.thumbnail_key:
            abort(404)
        data, mimetype, inline = storage.read(attachment.thumbnail_key), "image/jpeg", True
    else:
        data, mimetype = storage.read(attachment.sha256), attachment.content_type
        inline = attachment.kind == "image" or attachment.content_type == "application/pdf"
    response = send_download(data, attachment.filename, mimetype, inline=inline, etag=attachment.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/portfolio/items/<int:item_id>/links")
def add_link(item_id: int) -> Response:
    it = item_or_404(me(), item_id, Action.MANAGE)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            attachments.add_link(db.session, current_actor(), it, form.url.data, form.link_title.data or "")
        except DomainError as exc:
            show_refusal(exc)
    else:
        flash(_("Enter a web address."), "error")
    return back_to_item(it.id, "#files")


@bp.post("/portfolio/items/<int:item_id>/links/<int:link_id>/remove")
def remove_link(item_id: int, link_id: int) -> Response:
    it = item_or_404(me(), item_id, Action.MANAGE)
    link = db.session.get(EvidenceLink, link_id)
    if link is None or link.item_id != it.id:
        abort(404)
    attachments.remove_link(db.session, current_actor(), link)
    return back_to_item(it.id, "#files")
