"""The invitee's side: an organisation's invitation, accepted or declined by the account's owner, signed in."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts import invitations
from app.accounts.models import Invitation
from app.accounts.queries import pending_for
from app.authz import own_invitation_or_404
from app.blueprints.invitations import bp
from app.blueprints.invitations.forms import AnswerForm
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


@bp.get("/")
def index() -> str:
    pending = pending_for(current_user._get_current_object())
    return render_template("invitations/index.html", pending=pending, form=AnswerForm())


def _answer(invitation_id: int, verb: str) -> Response:
    invitation = own_invitation_or_404(current_user._get_current_object(), invitation_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for("invitations.index"))
    try:
        (invitations.accept if verb == "accept" else invitations.decline)(db.session, current_actor(), invitation)
    except DomainError as exc:
        show_refusal(exc)
        return redirect(url_for("invitations.index"))
    if verb == "accept":
        flash(_("You joined %(org)s.", org=invitation.organisation.name), "success")
        return redirect(url_for("orgs.show", org_id=invitation.organisation_id))
    flash(_("You declined the invitation of %(org)s.", org=invitation.organisation.name), "info")
    return redirect(url_for("invitations.index"))


@bp.post("/<int:invitation_id>/accept")
def accept(invitation_id: int) -> Response:
    return _answer(invitation_id, "accept")


@bp.post("/<int:invitation_id>/decline")
def decline(invitation_id: int) -> Response:
    return _answer(invitation_id, "decline")


def respond_to_link(invitation: Invitation) -> str:
    """The page behind an invitation link to an existing account: only its owner, signed in, can answer."""
    owner = current_user.is_authenticated and current_user.id == invitation.user_id
    return render_template("invitations/respond.html", invitation=invitation, owner=owner, form=AnswerForm())
