"""Configuration read from the environment. Nothing secret is hard-coded."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent


def _instance_dir() -> Path:
    return Path(os.environ.get("BEKWAAM_INSTANCE_DIR", BASE_DIR / "instance"))


def _secret_key(instance_dir: Path) -> str:
    """Use SECRET_KEY from the environment, else one generated once and kept under instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance_dir.mkdir(parents=True, exist_ok=True)
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _database_url(instance_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        instance_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_dir / 'bekwaam.sqlite'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _mail_settings() -> dict[str, Any]:
    """Outgoing mail (app.mail): without MAIL_SERVER, links are shown to the person who made them."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Bekwaam <no-reply@bekwaam.invalid>"),
    }


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    instance_dir = Path(overrides.get("INSTANCE_DIR") or _instance_dir())
    env = os.environ.get("BEKWAAM_ENV", os.environ.get("FLASK_ENV", "development"))
    config: dict[str, Any] = {
        "ENV_NAME": env,
        "INSTANCE_DIR": str(instance_dir),
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_dir),
        "SQLALCHEMY_DATABASE_URI": overrides.get("SQLALCHEMY_DATABASE_URI") or _database_url(instance_dir),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLALCHEMY_RECORD_QUERIES": False,
        "STANDARDS_SEED_DIR": str(BASE_DIR / "seeds" / "standards"),
        "TRANSLATIONS_SEED_DIR": str(BASE_DIR / "seeds" / "translations"),
        "CROSSWALK_SEED_DIR": str(BASE_DIR / "seeds" / "crosswalks"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(BASE_DIR / "translations"),
        "LANGUAGES": {"en": "English", "nl": "Nederlands"},
        # Evidence uploads: the per-file limit, and a request limit just above it for the form around the file.
        "UPLOAD_MAX_BYTES": int(os.environ.get("UPLOAD_MAX_MB", "25")) * 1024 * 1024,
        "FILE_STORAGE_DIR": os.environ.get("FILE_STORAGE_DIR") or str(instance_dir / "files"),
        # Uploads per signed-in person: a full item (20 files) in a minute, six an hour; beyond that a 429.
        "UPLOAD_LIMIT_PER_PERSON": "20 per minute; 120 per hour",
        # Background jobs: in-process threads by default, RQ on Redis when REDIS_URL is set.
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "JOBS_MODE": os.environ.get("JOBS_MODE") or ("rq" if os.environ.get("REDIS_URL") else "thread"),
        "SHARE_LINK_DAYS": 30,
        # The address the world reaches this installation at: printed in certificates and credentials.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "PREFERRED_URL_SCHEME": "https" if env == "production" else "http",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "JSON_SORT_KEYS": False,
        "SEARCH_RESULT_LIMIT": 50,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        # Failed sign-ins, counted across all workers (Redis in production): per account from one client
        # first, so one client cannot reach the account-wide ceiling (ASVS 2.2.1) and lock the owner out.
        "LOGIN_LIMIT_PER_ACCOUNT_CLIENT": "10 per 15 minutes; 20 per hour",
        "LOGIN_LIMIT_PER_ACCOUNT": "100 per hour",
        "LOGIN_LIMIT_PER_CLIENT": "30 per 15 minutes; 300 per hour",
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none, use the peer).
        "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", "0"),
        # JSON bodies: larger or deeper documents are refused with a 400 that names the limit.
        "JSON_MAX_BYTES": 1024 * 1024,
        "JSON_MAX_DEPTH": 32,
        **_mail_settings(),
        "CHEAP_PASSWORD_HASHING": False,
    }
    config.update(overrides)
    config.setdefault("MAX_CONTENT_LENGTH", config["UPLOAD_MAX_BYTES"] + 512 * 1024)
    return config
