"""Route-level rules: closed by default, public on purpose, API tokens with scopes."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db, login_manager
from app.uow import writes_on_get

F = TypeVar("F", bound=Callable[..., Any])


class Action(enum.StrEnum):
    VIEW = "view"
    MANAGE = "manage"


# --- route level ---------------------------------------------------------------------------------


def public(view: F) -> F:
    """Open to everyone, signed in or not."""
    view.authz_public = True  # type: ignore[attr-defined]
    return view


def platform_admin_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def api_token(scope: str) -> Callable[[F], F]:
    """JSON API route authenticated by a personal token (``Authorization: Bearer bkw_…``) with ``scope``.

    Authenticating records the token's last use (``last_used_at``), so these views are ``@writes_on_get``:
    their unit of work commits that one column after a successful call (the views themselves only read)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from app.accounts.services import authenticate_api_token
            from app.errors import json_error

            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                return json_error(401, _("missing API token: send 'Authorization: Bearer <token>'"))
            token = authenticate_api_token(db.session, header.removeprefix("Bearer ").strip())
            if token is None:
                return json_error(401, _("invalid or revoked API token"))
            if scope not in token.scopes:
                return json_error(403, _("this token lacks the scope %(scope)s", scope=scope))
            g.api_token = token
            g.api_user = token.user
            return view(*args, **kwargs)

        wrapped.authz_api_token = scope  # type: ignore[attr-defined]
        return writes_on_get(wrapped)  # type: ignore[return-value]

    return decorator


def enforce_sign_in() -> Any:
    """before_request: default deny for anonymous visitors."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    view = current_app.view_functions.get(endpoint)
    if view is None or getattr(view, "authz_public", False) or getattr(view, "authz_api_token", None):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None
