"""What the portfolio views share: the signed-in person, the way back to an item."""

from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.models import User


def me() -> User:
    return current_user._get_current_object()


def back_to_item(item_id: int, anchor: str = "") -> Response:
    """The item's page, at ``anchor`` (e.g. ``#files``)."""
    return redirect(url_for("portfolio.item", item_id=item_id) + anchor)
