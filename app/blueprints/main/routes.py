from __future__ import annotations

from flask import current_app, redirect, render_template, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.models import LinkPurpose, Role
from app.accounts.queries import dashboard, pending_for
from app.authz import audience_of, public
from app.blueprints.main import bp
from app.blueprints.main.forms import LanguageForm
from app.extensions import db
from app.standards.queries import list_frameworks
from app.urls import safe_next

# The account enums every template compares against (never the literal strings).
bp.add_app_template_global(Role, "Role")
bp.add_app_template_global(LinkPurpose, "LinkPurpose")


@bp.get("/")
@public
def index() -> str:
    my_orgs: list = []
    my_cohorts: list = []
    waiting: list = []
    if current_user.is_authenticated:
        my_orgs, my_cohorts = dashboard(current_user._get_current_object())
        waiting = pending_for(current_user._get_current_object())
    return render_template(
        "main/index.html",
        frameworks=list_frameworks(db.session, audience=audience_of(current_user)),
        my_orgs=my_orgs,
        my_cohorts=my_cohorts,
        invitations=waiting,
    )


@bp.post("/language")
@public
def set_language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated and current_user.language != form.lang.data:
            current_user.language = form.lang.data  # the choice follows the account to its next sign-in
    return redirect(safe_next(request.form.get("next")))


@bp.get("/healthz")
@public
def healthz() -> dict[str, str]:
    return {"status": "ok"}
