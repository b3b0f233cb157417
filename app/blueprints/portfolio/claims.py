"""Claims (what an item proves), feedback requests, reviews and comments."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.accounts.models import Cohort
from app.authz import Action, can_comment_item, can_review_claim, claim_or_404, item_or_404
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.common import back_to_item, me
from app.blueprints.portfolio.forms import ClaimForm, CommentForm
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.portfolio import claims, comments
from app.portfolio.models import Claim
from app.web import current_actor


@bp.post("/portfolio/items/<int:item_id>/claims")
def add_claim(item_id: int) -> Response:
    it = item_or_404(me(), item_id, Action.MANAGE)
    form = ClaimForm()
    cohort = db.session.get(Cohort, form.cohort_id) if form.validate_on_submit() else None
    if cohort is None:
        flash(_("Choose the work process or competence this item proves."), "error")
        return back_to_item(it.id, "#claims")
    try:
        claims.add_claim(
            db.session,
            current_actor(),
            it,
            cohort,
            form.element_key,
            form.level_value,
            form.explanation.data or "",
            scale_id=form.scale_id,
        )
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Linked."), "success")
    return back_to_item(it.id, "#claims")


@bp.post("/portfolio/claims/<int:claim_id>/remove")
def remove_claim(claim_id: int) -> Response:
    claim = claim_or_404(me(), claim_id, Action.MANAGE)
    item_id = claim.item_id
    try:
        claims.remove_claim(db.session, current_actor(), claim)
    except DomainError as exc:
        show_refusal(exc)
    return back_to_item(item_id, "#claims")


@bp.post("/portfolio/items/<int:item_id>/feedback")
def request_feedback(item_id: int) -> Response:
    it = item_or_404(me(), item_id, Action.MANAGE)
    try:
        n = claims.request_feedback(db.session, current_actor(), it)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Feedback requested on %(n)s links; your assessors are told.", n=n), "success")
    return back_to_item(it.id)


@bp.post("/portfolio/claims/<int:claim_id>/reviewed")
def mark_reviewed(claim_id: int) -> Response:
    user = me()
    claim = claim_or_404(user, claim_id)
    if not can_review_claim(user, claim):
        abort(403)
    try:
        claims.mark_reviewed(db.session, current_actor(), claim)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Marked as reviewed."), "success")
    return back_to_item(claim.item_id, "#claims")


@bp.post("/portfolio/items/<int:item_id>/comments")
def add_comment(item_id: int) -> Response:
    user = me()
    it = item_or_404(user, item_id)
    if not can_comment_item(user, it):
        abort(403)
    form = CommentForm()
    claim = None
    raw = form.claim_id.data or ""
    if raw:
        claim = db.session.get(Claim, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
        if claim is None or claim.item_id != it.id:
            abort(404)
    if form.validate_on_submit():
        try:
            comments.add_comment(db.session, current_actor(), it, form.body.data, claim)
        except DomainError as exc:
            show_refusal(exc)
    else:
        flash(_("Write a comment first."), "error")
    return back_to_item(it.id, f"#claim-{claim.id}" if claim else "#comments")
