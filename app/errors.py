"""Friendly error pages, JSON under /api, never a stack trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.domain import DomainError
from app.uow import refused


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in to see this page."),
        403: _("You do not have access to this page."),
        404: _("We could not find that page."),
        405: _("That action is not allowed here."),
        413: _(
            "The upload is too large: a file may be at most %(mb)s MB. Nothing was saved.",
            mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
        ),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. It has been logged; please try again later."),
    }


def json_error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"status": status, "message": message}}), status


def render_error(status: int, description: str | None = None) -> tuple[Response | str, int]:
    message = description or _messages().get(status, _("Something went wrong."))
    if _wants_json():
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def handle_csrf(exc: CSRFError) -> tuple[Response | str, int]:
        return render_error(400, _("The form expired or was not sent from this site. Please try again."))

    @app.errorhandler(DomainError)
    def handle_refused(exc: DomainError) -> Any:
        """A refusal no view showed itself: nothing is written; JSON gets a 400 naming the problem, a page
        goes back where the person came from with the reason on top."""
        refused()
        if _wants_json():
            return json_error(400, exc.message)
        back = _same_site_referrer()
        if back is None:
            return render_error(400, exc.message)
        flash(exc.message, "error")
        return redirect(back, code=303)

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> tuple[Response | str, int]:
        status = exc.code or 500
        # Only our own, user-facing descriptions are shown; werkzeug's defaults are replaced.
        custom = getattr(exc, "bekwaam_message", None)
        return render_error(status, custom)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> tuple[Response | str, int]:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)


def _same_site_referrer() -> str | None:
    """The page the request came from, when it is one of ours (never a foreign or malformed address)."""
    from urllib.parse import urlsplit

    from app.urls import safe_next

    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    local = parts.path + (f"?{parts.query}" if parts.query else "")
    target = safe_next(local, default="")
    return target or None


def show_refusal(exc: DomainError, form: Any = None) -> None:
    """Show a refused operation where the person looks: on the form field it is about, else on top of the
    page. Nothing of the operation is committed."""
    refused()
    field = getattr(form, exc.field or "", None) if form is not None and exc.field else None
    if field is not None and hasattr(field, "errors"):
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(exc.message)
    else:
        flash(exc.message, "error")


def not_found(message: str) -> HTTPException:
    """A 404 whose message names what was not found (shown to the user, and in JSON under /api)."""
    from werkzeug.exceptions import NotFound

    exc = NotFound()
    exc.bekwaam_message = message  # type: ignore[attr-defined]
    return exc


def json_problem_message(exc: ValueError) -> str:
    """What is wrong with a JSON document, for the person who sent it."""
    from json import JSONDecodeError

    from app.json_limits import JSONLimitExceeded

    if isinstance(exc, JSONLimitExceeded) and exc.limit == "bytes":
        return _("The JSON document is too large: at most %(kb)s kB is accepted.", kb=exc.maximum // 1024)
    if isinstance(exc, JSONLimitExceeded):
        return _("The JSON document is nested too deeply: at most %(n)s levels are accepted.", n=exc.maximum)
    if isinstance(exc, JSONDecodeError):
        return _("This is not valid JSON: the error is at line %(line)s, column %(column)s.",
                 line=exc.lineno, column=exc.colno)  # fmt: skip
    return _("This is not valid JSON: it is not UTF-8 text.")


def bad_json(exc: ValueError) -> HTTPException:
    """A 400 naming what is wrong with a JSON body (JSON under /api or for a JSON request, else a page)."""
    from werkzeug.exceptions import BadRequest

    error = BadRequest()
    error.bekwaam_message = json_problem_message(exc)  # type: ignore[attr-defined]
    return error
