from __future__ import annotations

from flask import current_app, redirect, render_template, request, session
from werkzeug.wrappers import Response

from app.blueprints.main import bp
from app.blueprints.main.forms import LanguageForm
from app.extensions import db
from app.standards.queries import list_frameworks
from app.urls import safe_next


@bp.get("/")
def index() -> str:
    return render_template("main/index.html", frameworks=list_frameworks(db.session))


@bp.post("/language")
def set_language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
    return redirect(safe_next(request.form.get("next")))


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
