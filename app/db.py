"""Typed declarative base with a constraint naming convention (stable names for Alembic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            dict[str, Any]: JSON,
            dt.datetime: DateTime(timezone=True),
        },
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# How long a SQLite connection waits for another one's write to finish before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15_000


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite ignores foreign keys unless asked, on every connection; and pysqlite's own
    transaction handling breaks SAVEPOINT, so SQLAlchemy emits BEGIN itself (see _sqlite_begin).

    WAL lets readers go on while one connection writes, and the busy timeout makes a writer wait its
    turn instead of failing with `database is locked` (a background job, parallel uploads)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")  # in-memory databases answer "memory" and stay so
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    """BEGIN IMMEDIATE takes the write lock up front, waiting (busy timeout) while another connection
    holds it. A deferred BEGIN would read first and then fail at once, without waiting, when it tries
    to write after another connection's commit (SQLITE_BUSY_SNAPSHOT): sign-in reads the account and
    then writes the audit entry. Transactions on the embedded default thus take turns."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
