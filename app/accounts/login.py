"""Flask-Login wiring: sessions are keyed by a per-user token that rotates on sign-out everywhere."""

from __future__ import annotations

from flask import Flask, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        if not session_token:
            return None
        return db.session.scalar(select(User).where(User.session_token == session_token, User.active.is_(True)))

    @login_manager.unauthorized_handler
    def unauthorized():
        from app.errors import json_error
        from app.urls import safe_next

        if request.path.startswith("/api/"):
            return json_error(401, "sign-in or an API token is required")
        flash(_l("Please sign in to see this page."), "info")
        return redirect(url_for("auth.login", next=safe_next(request.full_path.rstrip("?"))))
