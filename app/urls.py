"""Redirect targets that stay on this site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """Accept only a local path: '//evil.example', '/\\evil.example' and absolute URLs are refused."""
    if not target:
        return default
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or target.startswith("/\\"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute URL under the configured public address (PUBLIC_BASE_URL), never the request's Host
    header: certificates and credentials carry these URLs for years, and jobs build them with no request."""
    from flask import current_app, url_for

    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
