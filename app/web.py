"""Small helpers that turn the request into plain data for services."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from app.audit import Actor

_UNSET: Any = object()


def current_actor(user: Any = _UNSET) -> Actor:
    """The acting user (default: the signed-in one) with the client address and user agent."""
    if user is _UNSET:
        user = current_user._get_current_object() if current_user.is_authenticated else None
    return Actor(user=user, ip=request.remote_addr, user_agent=request.user_agent.string or None)
