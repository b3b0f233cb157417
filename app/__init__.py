"""Bekwaam: competency and qualification assessment against official standards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from app.config import BASE_DIR, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
        instance_path=str(load_config(config)["INSTANCE_DIR"]),
    )
    app.config.from_mapping(load_config(config))
    register_proxies(app)
    register_request_handling(app)
    register_extensions(app)
    register_unit_of_work(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_commands(app)
    return app


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address and scheme from the headers they
    set (rate limits, audit log, secure cookies); with none, such headers are the client's and ignored.
    The host is not taken from them: links are built on PUBLIC_BASE_URL, never on the Host header."""
    raw = str(app.config.get("TRUSTED_PROXIES") or "0").strip()
    if not raw.isdigit():
        raise ValueError(
            f"TRUSTED_PROXIES must be the number of reverse proxies in front of Bekwaam (0 or more), not {raw!r}"
        )
    app.config["TRUSTED_PROXIES"] = proxies = int(raw)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def register_request_handling(app: Flask) -> None:
    """JSON bodies are parsed with a size and depth limit; a bad one is a 400 that names the problem."""
    from app.web import BekwaamRequest, LimitedJSONProvider

    app.request_class = BekwaamRequest
    app.json = LimitedJSONProvider(app)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401 - every model registered before Alembic looks
    from app.accounts.login import init_login
    from app.accounts.passwords import use_cheap_hashing_for_tests
    from app.extensions import babel, csrf, db, limiter, migrate
    from app.i18n import current_locale, select_locale

    if app.config.get("CHEAP_PASSWORD_HASHING"):
        use_cheap_hashing_for_tests()
    db.init_app(app)
    init_login(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_locale"] = current_locale


def register_unit_of_work(app: Flask) -> None:
    """One commit per successful request, none on a GET, rollback on anything else (app.uow)."""
    from app.uow import register

    register(app)


def register_blueprints(app: Flask) -> None:
    from app.authz import enforce_sign_in
    from app.blueprints.account import bp as account_bp
    from app.blueprints.api import bp as api_bp
    from app.blueprints.assess import bp as assess_bp
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.case import bp as case_bp
    from app.blueprints.certificates import bp as certificates_bp
    from app.blueprints.crosswalks import bp as crosswalks_bp
    from app.blueprints.curriculum import bp as curriculum_bp
    from app.blueprints.invitations import bp as invitations_bp
    from app.blueprints.main import bp as main_bp
    from app.blueprints.matching import bp as matching_bp
    from app.blueprints.orgs import bp as orgs_bp
    from app.blueprints.portfolio import bp as portfolio_bp
    from app.blueprints.standards import bp as standards_bp

    for bp in (
        main_bp,
        auth_bp,
        account_bp,
        orgs_bp,
        invitations_bp,
        portfolio_bp,
        assess_bp,
        certificates_bp,
        curriculum_bp,
        standards_bp,
        api_bp,
        case_bp,
        crosswalks_bp,
        matching_bp,
    ):
        app.register_blueprint(bp)
    app.before_request(enforce_sign_in)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_security(app: Flask) -> None:
    from app.security import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.accounts.cli import demo_command, users_cli
    from app.crosswalks.cli import crosswalks_cli
    from app.jobs import jobs_cli
    from app.standards.cli import standards_cli

    app.cli.add_command(standards_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(crosswalks_cli)
