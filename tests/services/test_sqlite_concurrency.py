"""The embedded default, SQLite on a file, survives background writers while people sign in.

Runs on its own small database file (not the suite's shared per-test transaction, which serialises
everything on one connection), whatever TEST_DATABASE_URL says: SQLite is always the embedded default.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from app.accounts import services
from app.accounts.models import AuditEvent
from app.audit import Actor, record
from app.extensions import db
from tests.conftest import csrf_token, make_app
from tests.factories import PASSWORD

SIGN_INS = 12
WRITERS = 3


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[Flask]:
    application = make_app(f"sqlite:///{tmp_path / 'embedded.sqlite'}", tmp_path / "instance")
    with application.app_context():
        db.create_all()  # the schema's migrations are tested elsewhere; here only concurrency matters
        services.create_user(
            db.session, Actor.system("tests"), email="owner@test.example", name="Owner", password=PASSWORD
        )
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(file_app: Flask) -> None:
    with file_app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_sign_in_succeeds_while_background_jobs_write(file_app: Flask) -> None:
    """A job or parallel uploads write while people sign in: nobody gets `database is locked`."""
    stop = threading.Event()
    errors: list[BaseException] = []
    writes = [0] * WRITERS

    def writer(n: int) -> None:
        with file_app.app_context():
            try:
                while not stop.is_set():
                    # Read, then write in the same transaction: what a job's progress update or an upload does.
                    db.session.scalar(select(func.count()).select_from(AuditEvent))
                    record(db.session, Actor.system(f"writer {n}"), "test.write", summary=f"write {writes[n]}")
                    db.session.commit()
                    writes[n] += 1
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    statuses = []
    try:
        for _ in range(SIGN_INS):
            client = file_app.test_client()
            token = csrf_token(client, "/sign-in")
            resp = client.post(
                "/sign-in", data={"email": "owner@test.example", "password": PASSWORD, "csrf_token": token}
            )
            statuses.append(resp.status_code)
            assert client.get("/account/").status_code == 200
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, errors
    assert statuses == [302] * SIGN_INS
    assert all(writes), writes  # every writer got its turn
    with file_app.app_context():
        signed_in = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "auth.signed_in")
        )
        assert signed_in == SIGN_INS
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
