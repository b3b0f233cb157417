"""Small helpers that turn the request into plain data for services."""

from __future__ import annotations

from typing import Any

from flask import Request, request
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user

from app.audit import Actor
from app.json_limits import loads_limited

_UNSET: Any = object()


def current_actor(user: Any = _UNSET) -> Actor:
    """The acting user (default: the signed-in one) with the client address and user agent."""
    if user is _UNSET:
        user = current_user._get_current_object() if current_user.is_authenticated else None
    return Actor(user=user, ip=request.remote_addr, user_agent=request.user_agent.string or None)


class LimitedJSONProvider(DefaultJSONProvider):
    """Every JSON body the app parses (``request.get_json``, ``current_app.json.loads``) has a size and
    a depth limit (JSON_MAX_BYTES, JSON_MAX_DEPTH): deep nesting would otherwise exhaust the stack."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        config = self._app.config
        return loads_limited(s, max_bytes=config["JSON_MAX_BYTES"], max_depth=config["JSON_MAX_DEPTH"], **kwargs)


class BekwaamRequest(Request):
    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """A bad JSON body is a 400 whose message says what is wrong (too large, too deep, where malformed)."""
        if e is None:  # not sent as JSON: werkzeug's 415
            return super().on_json_loading_failed(e)
        from app.errors import bad_json

        raise bad_json(e) from e

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Outside /api the only reader of a JSON body is Flask-WTF, which takes it as a form's fields: a
        body that is not an object of text fields is a 400 there, not a TypeError inside WTForms."""
        value = super().get_json(force=force, silent=silent, cache=cache)
        if value is None or self.path.startswith("/api/") or _text_fields(value):
            return value
        if silent:
            return None
        from werkzeug.exceptions import BadRequest

        raise BadRequest()


def _text_fields(value: Any) -> bool:
    """An object whose values are strings or lists of strings, the shape of a posted form."""
    return isinstance(value, dict) and all(
        isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)) for v in value.values()
    )
