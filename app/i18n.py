"""Interface language: the visitor's choice, else the browser's preference, else English."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # jobs and commands: the default, unless they force a locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale) if locale else "en"
