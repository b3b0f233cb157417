"""What every form shares: the single-line rule for names, titles and other one-line fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

from app.text import has_control_characters


class SingleLine:
    """Refuses line breaks, tabs and other control characters, saying so on the field."""

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, str) and has_control_characters(field.data):
            raise ValidationError(
                self.message or _l("Use one line without line breaks, tabs or other control characters.")
            )
