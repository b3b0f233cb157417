"""Share links: the owner's list, and what a link opens (read-only, anonymous, expiring, revocable, logged).

Opening a link records the access, so those GET views write on purpose (``@writes_on_get``)."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.authz import public, share_or_404
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.common import me
from app.blueprints.portfolio.files import send_attachment
from app.blueprints.portfolio.forms import ShareForm
from app.db import utcnow
from app.domain import DomainError
from app.errors import not_found, show_refusal
from app.extensions import db
from app.portfolio import queries, sharing
from app.portfolio.models import Attachment, Claim, ShareLink
from app.portfolio.programme import load_programme
from app.uow import writes_on_get
from app.urls import public_url
from app.web import current_actor

# --- the owner's share links ---------------------------------------------------------------------


@bp.route("/portfolio/shares", methods=["GET", "POST"])
def shares() -> str | Response:
    user = me()
    form = ShareForm()
    programmes = queries.programmes_of(db.session, user)
    form.cohort.choices = [("", _("— a selection of items —"))] + [(str(c.id), c.name) for c in programmes]
    form.items.choices = [(it.id, it.title) for it in queries.items_by_title(db.session, user)]
    if request.method == "GET" and request.args.get("cohort", "").isdigit():
        form.cohort.data = request.args["cohort"]
    new_link = None
    if form.validate_on_submit():
        cohort = next((c for c in programmes if str(c.id) == form.cohort.data), None)
        try:
            created = sharing.create_share(
                db.session,
                current_actor(),
                user,
                label=form.label.data,
                days=form.days.data,
                cohort=cohort,
                item_ids=form.items.data if cohort is None else None,
            )
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            new_link = public_url("portfolio.shared", token=created.token)
    links = queries.share_links_of(db.session, user)
    return render_template("portfolio/shares.html", form=form, links=links, new_link=new_link, now=utcnow())


@bp.post("/portfolio/shares/<int:share_id>/revoke")
def revoke_share(share_id: int) -> Response:
    share = share_or_404(me(), share_id)
    sharing.revoke_share(db.session, current_actor(), share)
    flash(_("The link no longer opens."), "success")
    return redirect(url_for("portfolio.shares"))


# --- what a share link opens (no sign-in) --------------------------------------------------------


def _open_share(token: str, what: str | None) -> ShareLink:
    """The open share for the token, else a 404. ``what`` is logged as an access (thumbnails are not)."""
    share = sharing.find_share(db.session, token)
    if share is None:
        raise not_found(_("This link has expired, was revoked, or never existed. Ask the student for a new one."))
    if what:
        sharing.record_share_access(db.session, share, request.remote_addr, request.user_agent.string, what)
    return share


@bp.get("/s/<token>")
@public
@writes_on_get  # the visit is recorded for the owner
def shared(token: str) -> Response:
    share = _open_share(token, "portfolio")
    ids = sharing.shared_item_ids(db.session, share)
    items = queries.items_with_files(db.session, ids)
    claims = queries.claims_on_items(db.session, ids)
    if share.cohort_id is not None:
        claims = [c for c in claims if c.cohort_id == share.cohort_id]
    by_item: dict[int, list[Claim]] = defaultdict(list)
    by_element: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_item[claim.item_id].append(claim)
        by_element[claim.element_id].append(claim)
    page = render_template(
        "portfolio/shared.html",
        share=share,
        token=token,
        owner=db.session.get(User, share.owner_id),
        items=items,
        claims_by_item=by_item,
        programme=load_programme(db.session, share.cohort) if share.cohort is not None else None,
        claims_by_element=by_element,
    )
    return _private(make_response(page))


@bp.app_template_global()
def share_access_label(what: str) -> str:
    """What an access opened, in the reader's language (stored as a code: "portfolio" or "file <id>")."""
    if what == "portfolio":
        return _("the portfolio")
    kind, _sep, number = what.partition(" ")
    if kind == "file" and number.isdigit():
        return _("file %(id)s", id=number)
    return what


def _private(response: Response) -> Response:
    """The token is the key: never sent on as a referrer, never indexed, never cached."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/s/<token>/files/<int:attachment_id>")
@public
@writes_on_get  # opening a file is recorded for the owner (thumbnails are not)
def shared_file(token: str, attachment_id: int) -> Response:
    thumbnail = request.args.get("thumb") == "1"
    share = _open_share(token, None if thumbnail else f"file {attachment_id}")
    attachment = db.session.get(Attachment, attachment_id)
    if (
        attachment is None
        or attachment.removed_at is not None
        or attachment.item_id not in sharing.shared_item_ids(db.session, share)
    ):
        abort(404)
    return _private(send_attachment(attachment, thumbnail=thumbnail))
