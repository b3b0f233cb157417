"""Signing in and out, invitations and password resets."""

from __future__ import annotations

import hashlib
import ipaddress
from functools import partial

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.accounts import services
from app.accounts.invitations import find_by_token as find_invitation
from app.accounts.models import LinkPurpose
from app.audit import record
from app.authz import public
from app.blueprints.auth import bp
from app.blueprints.auth.forms import ForgotPasswordForm, NewPasswordForm, SignInForm, password_problem_messages
from app.blueprints.invitations.routes import respond_to_link
from app.extensions import db, limiter
from app.mail import mail_configured, send_mail
from app.uow import after_commit, refused
from app.urls import public_url, safe_next
from app.web import current_actor


def _account_key() -> str:
    """The account named in the form, hashed: a key of fixed size whatever was typed."""
    email = (request.form.get("email") or "").strip().lower()
    return "sign-in:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()


def _client_key() -> str:
    """The client's address; for IPv6 its /64, which one household or server usually holds whole, so
    stepping through its addresses does not make one client many."""
    address = get_remote_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:203.0.113.7 is an IPv4 client
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


def _account_client_key() -> str:
    return _account_key() + ":" + _client_key()


def _failed(response: Response) -> bool:
    """Only a wrong email or password counts; a throttled (429) attempt does not, so one client that
    keeps trying cannot push the account-wide count towards its ceiling."""
    return bool(g.get("sign_in_failed"))


# Tightest first: one client against one account, then the account from anywhere (ASVS 2.2.1: at most
# 100 failures an hour, far beyond one client's reach), then one client against many accounts.
@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_CLIENT"], key_func=_client_key, methods=["POST"], deduct_when=_failed
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_CLIENT"],
    key_func=_account_client_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            session.clear()  # no session fixation: a fresh session for the signed-in user
            login_user(user, remember=form.remember.data)
            session["lang"] = user.language
            record(db.session, current_actor(user), "auth.signed_in", target_type="user", target_id=user.id)
            return redirect(safe_next(request.args.get("next")))
        g.sign_in_failed = True
        record(
            db.session,
            current_actor(None),
            "auth.sign_in_failed",
            actor_label=(form.email.data or "")[:254],
            summary="wrong email or password",
        )  # the page answers 200, so the unit of work commits the failure to the audit log
        form.password.errors.append(_("The email address or password is not right."))
    return render_template("auth/sign_in.html", form=form, mail=mail_configured())


@bp.post("/sign-out")
@public
def logout() -> Response:
    if current_user.is_authenticated:
        services.sign_out(db.session, current_actor(), current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.post("/sign-out-everywhere")
def logout_everywhere() -> Response:
    services.sign_out_everywhere(db.session, current_actor(), current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("main.index"))


def _set_password_page(raw: str, purpose: LinkPurpose, template: str) -> ResponseReturnValue:
    link = services.find_link(db.session, raw, purpose)
    if link is None and purpose == LinkPurpose.INVITATION:
        # The same address shape serves invitations to existing accounts, which only their owner answers.
        invitation = find_invitation(db.session, raw)
        if invitation is not None:
            return respond_to_link(invitation)
    if link is None:
        return render_template("auth/link_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.use_link(db.session, current_actor(None), raw, purpose, form.password.data)
        except services.PasswordRejected as exc:
            refused()  # one line per problem on the field, instead of show_refusal's single message
            form.password.errors.extend(password_problem_messages(exc.problems))
        else:
            session.clear()
            login_user(user)
            session["lang"] = user.language
            flash(_("Your password is set. Welcome to Bekwaam."), "success")
            return redirect(url_for("main.index"))
    return render_template(template, form=form, user=link.user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> ResponseReturnValue:
    return _set_password_page(token, LinkPurpose.INVITATION, "auth/invitation.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> ResponseReturnValue:
    return _set_password_page(token, LinkPurpose.PASSWORD_RESET, "auth/reset.html")


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("5 per 15 minutes", methods=["POST"])
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if not mail_configured():
        return render_template("auth/forgot.html", form=None)
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        if user is not None and user.active:
            raw = services.create_link(db.session, current_actor(None), user, LinkPurpose.PASSWORD_RESET)
            link = public_url("auth.reset_password", token=raw)
            subject = _("Set a new Bekwaam password")
            body = _("Use this link within two hours to set a new password:") + f"\n\n{link}\n"
            after_commit(partial(send_mail, user.email, subject, body))  # never a link that was not stored
        flash(_("If an account exists for that address, we have sent it a link to set a new password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)
