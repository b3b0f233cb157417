"""The one error type a service raises when it refuses an operation.

A service names what is wrong in English, as a message id with ``%(name)s`` placeholders, plus the
values and the input it is about; the person reads it in their own language because the message is
translated where it is shown (``message``), never where it is raised. Mark message ids with ``N_`` so
that ``make messages`` extracts them.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Marks ``message`` for extraction; it is translated when shown, not here."""
    return message


class DomainError(ValueError):
    """A refused operation: ``msgid`` with ``params``, about the input ``field`` (or the whole action)."""

    def __init__(self, message: str, field: str | None = None, **params: Any):
        self.msgid = message
        self.field = field
        self.params = params
        super().__init__(_interpolate(message, params))

    @property
    def message(self) -> str:
        """The message in the language of the current request (English outside one)."""
        from flask import has_request_context

        if not has_request_context():
            return _interpolate(self.msgid, self.params)
        from flask_babel import gettext

        return gettext(self.msgid, **self.params) if self.params else gettext(self.msgid)


def _interpolate(message: str, params: dict[str, Any]) -> str:
    return message % params if params else message
