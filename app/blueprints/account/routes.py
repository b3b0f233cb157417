"""The signed-in person's own account: profile, password, sessions and API tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from app.accounts import services
from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.accounts.queries import api_tokens_of, sign_in_events
from app.addresses import network_label
from app.authz import token_or_404
from app.blueprints.account import bp
from app.blueprints.account.forms import ProfileForm, TokenForm, scope_choices
from app.blueprints.auth.forms import ChangePasswordForm, password_problem_messages
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.uow import refused
from app.web import current_actor


def _me() -> User:
    return current_user._get_current_object()


def _profile_page(form: ProfileForm, password_form: ChangePasswordForm, me: User) -> str:
    return render_template("account/profile.html", form=form, password_form=password_form, me=me,
                           sign_ins=sign_in_events(me), network=network_label)  # fmt: skip


@bp.route("/", methods=["GET", "POST"])
def profile() -> str | Response:
    me = _me()
    form = ProfileForm(obj=me)
    if form.validate_on_submit():
        try:
            services.update_profile(db.session, current_actor(), me, name=form.name.data, language=form.language.data)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            session["lang"] = me.language
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("account.profile"))
    return _profile_page(form, ChangePasswordForm(), me)


@bp.post("/password")
def change_password() -> ResponseReturnValue:
    me = _me()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(me.password_hash, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            try:
                services.set_password(db.session, current_actor(), me, form.password.data)
            except services.PasswordRejected as exc:
                refused()  # one line per problem on the field, instead of show_refusal's single message
                form.password.errors.extend(password_problem_messages(exc.problems))
            else:
                login_user(me)  # this session continues with the new session token; all others end
                flash(_("Your password is changed. You are signed out on every other device."), "success")
                return redirect(url_for("account.profile"))
    return _profile_page(ProfileForm(obj=me), form, me), 400


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> str | Response:
    me = _me()
    form = TokenForm()
    form.scopes.choices = scope_choices()
    new_secret = None
    if form.validate_on_submit():
        try:
            new = services.create_api_token(db.session, current_actor(), me, form.name.data, form.scopes.data)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            new_secret = new.secret
            form = TokenForm(formdata=None)
            form.scopes.choices = scope_choices()
    return render_template("account/tokens.html", form=form, tokens=api_tokens_of(me), new_secret=new_secret)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> Response:
    token = token_or_404(_me(), token_id)
    services.revoke_api_token(db.session, current_actor(), token)
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("account.tokens"))
