"""Shared fixtures.

The schema is built by the migrations (upgrade, downgrade to base, upgrade again) on a fresh
database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set. The real standards are loaded
once; every test then runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, event

from app import create_app
from app.extensions import db, limiter
from app.standards.loader import load_paths, seed_paths
from app.standards.translations.loader import layer_paths, load_layer_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file or folder of ../shared/ beside the checkout (public CASE, Moodle and Open Badges material).

    That folder is not part of the repository: a test that needs it skips where it is missing, except when
    REQUIRE_SHARED=1 (CI sets it), where a missing file is a failure, so those tests cannot quietly skip there.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing (shared material beside the checkout)"
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def make_app(database_url: str, instance_dir: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": str(instance_dir),
            "CHEAP_PASSWORD_HASHING": True,
            "JOBS_MODE": "eager",
            "MAIL_SERVER": None,
        }
    )


def build_database(app: Flask) -> None:
    """Schema through the migrations only, exercised both ways, then the real standards."""
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        load_paths(db.session, seed_paths(app.config["STANDARDS_SEED_DIR"]))
        load_layer_paths(db.session, layer_paths(app.config["TRANSLATIONS_SEED_DIR"]))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = make_app(database_url, tmp_path_factory.mktemp("instance"))
    build_database(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def module_transaction(app: Flask) -> Iterator[Connection]:
    """One connection and transaction for a whole test module, rolled back when the module ends.

    For a module that builds a costly world once (a module-scoped fixture that requests this one and
    commits its rows into it): each of its tests then runs in a savepoint of this transaction (see
    ``_transaction``), and the next module finds the database as empty as ever.
    """
    with app.app_context():
        engine = db.engine
        connection = engine.connect()
        transaction = connection.begin()
        db.engines[None] = connection  # type: ignore[index]
    try:
        yield connection
    finally:
        with app.app_context():
            db.session.remove()
            transaction.rollback()
            connection.close()
            db.engines[None] = engine  # type: ignore[index]


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Bind every session of the test to one connection whose transaction is rolled back.

    No app context stays pushed during the test, so each request gets its own, as in production.
    Inside a module that shares one world (``module_transaction``), the test's changes go into a
    savepoint of the module's transaction instead, rolled back after the test.
    """
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    if "module_transaction" in request.fixturenames:
        request.getfixturevalue("module_transaction")
    with application.app_context():
        bound = db.engines[None]
    if isinstance(bound, Connection):  # the module's shared transaction is open (even if this test did not ask)
        shared = bound
        savepoint = shared.begin_nested()
        try:
            yield
        finally:
            with application.app_context():
                limiter.reset()
                db.session.remove()
                # A failed test may leave savepoints of its own open above the test's one.
                while (inner := shared.get_nested_transaction()) is not None and inner is not savepoint:
                    inner.rollback()
                savepoint.rollback()
        return
    with application.app_context():
        engine = db.engine
        connection = engine.connect()
        transaction = connection.begin()
        db.engines[None] = connection  # type: ignore[index]
    try:
        yield
    finally:
        with application.app_context():
            limiter.reset()  # throttling state must not leak from one test into the next
            db.session.remove()
            transaction.rollback()
            connection.close()
            db.engines[None] = engine  # type: ignore[index]


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    """For tests that use the database directly, outside a request."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


_COUNTED = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[QueryCounter]:
    """Counts the SQL statements (not savepoints) that the code under test sends."""
    counter = QueryCounter()
    with app.app_context():
        connection = db.engines[None]

    def before(conn, cursor, statement, parameters, context, executemany):
        if _COUNTED.match(statement):
            counter.statements.append(statement)

    event.listen(connection, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(connection, "before_cursor_execute", before)


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
