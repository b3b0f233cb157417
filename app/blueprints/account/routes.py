"""The signed-in person's own account: profile, password, sessions and API tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import and_, func, or_, select
from werkzeug.wrappers import Response

from app.accounts import services
from app.accounts.models import ApiToken, AuditEvent, User
from app.accounts.passwords import verify_password
from app.addresses import network_label
from app.authz import token_or_404
from app.blueprints.account import bp
from app.blueprints.account.forms import ProfileForm, TokenForm, scope_choices
from app.blueprints.auth.forms import ChangePasswordForm, password_problem_messages
from app.extensions import db
from app.uow import refused
from app.web import current_actor


def _me():
    return current_user._get_current_object()


SIGN_IN_ACTIONS = ("auth.signed_in", "auth.sign_in_failed", "auth.signed_out")
SIGN_IN_HISTORY = 20


def sign_in_events(user: User, limit: int = SIGN_IN_HISTORY) -> list[AuditEvent]:
    """The person's own recent sign-ins, failed attempts with their address and sign-outs. These events
    belong to no organisation, so they are shown here and in no organisation's audit log."""
    mine = or_(
        AuditEvent.actor_id == user.id,
        and_(AuditEvent.actor_id.is_(None), func.lower(AuditEvent.actor_label) == user.email.lower()),
    )
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(SIGN_IN_ACTIONS), AuditEvent.organisation_id.is_(None), mine)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def _profile_page(form: ProfileForm, password_form: ChangePasswordForm, me: User) -> str:
    return render_template("account/profile.html", form=form, password_form=password_form, me=me,
                           sign_ins=sign_in_events(me), network=network_label)  # fmt: skip


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    me = _me()
    form = ProfileForm(obj=me)
    if form.validate_on_submit():
        me.name = form.name.data.strip()
        me.language = form.language.data
        session["lang"] = me.language
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("account.profile"))
    return _profile_page(form, ChangePasswordForm(), me)


@bp.post("/password")
@login_required
def change_password() -> str | Response:
    me = _me()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(me.password_hash, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            try:
                services.set_password(db.session, current_actor(), me, form.password.data)
            except services.PasswordRejected as exc:
                form.password.errors.extend(password_problem_messages(exc.problems))
            else:
                db.session.commit()
                login_user(me)  # this session continues with the new session token; all others end
                flash(_("Your password is changed. You are signed out on every other device."), "success")
                return redirect(url_for("account.profile"))
    return _profile_page(ProfileForm(obj=me), form, me), 400


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> str | Response:
    me = _me()
    form = TokenForm()
    form.scopes.choices = scope_choices()
    new_secret = None
    if form.validate_on_submit():
        try:
            new = services.create_api_token(db.session, current_actor(), me, form.name.data, form.scopes.data)
        except services.AccountError as exc:
            refused()  # nothing of the refused operation is committed
            getattr(form, exc.field or "name").errors.append(exc.message)
        else:
            db.session.commit()
            new_secret = new.secret
            form = TokenForm(formdata=None)
            form.scopes.choices = scope_choices()
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == me.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("account/tokens.html", form=form, tokens=rows, new_secret=new_secret)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    token = token_or_404(_me(), token_id)
    services.revoke_api_token(db.session, current_actor(), token)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("account.tokens"))
