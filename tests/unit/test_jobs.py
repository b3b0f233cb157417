"""Background jobs: at once in tests, in a thread by default, and on a real Redis queue with RQ."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from flask import Flask

from app.jobs import enqueue, resolve, task_path

DONE = threading.Event()


def write_marker(path: str, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")
    DONE.set()


def test_a_task_is_named_by_its_module_and_resolved_back() -> None:
    assert task_path(write_marker) == "tests.unit.test_jobs:write_marker"
    assert resolve("tests.unit.test_jobs:write_marker") is write_marker
    with pytest.raises(ValueError, match="not a module-level function"):
        task_path(lambda: None)


def test_thread_mode_runs_the_task_in_the_background(app: Flask, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(app.config, "JOBS_MODE", "thread")
    DONE.clear()
    with app.app_context():
        enqueue(write_marker, str(tmp_path / "thread.txt"), "ok")
    assert DONE.wait(10)
    assert (tmp_path / "thread.txt").read_text() == "ok"


def test_rq_mode_puts_the_task_on_redis_and_a_worker_runs_it(app: Flask, monkeypatch, tmp_path: Path) -> None:
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown
    from rq import Queue, SimpleWorker

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    connection = Redis.from_url(url)
    try:
        connection.ping()
    except RedisDown:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    monkeypatch.setitem(app.config, "JOBS_MODE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    # The worker builds its own app from the environment: point it at scratch places.
    monkeypatch.setenv("BEKWAAM_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'worker.sqlite'}")
    queue = Queue("bekwaam", connection=connection)
    queue.empty()
    with app.app_context():
        enqueue(write_marker, str(tmp_path / "rq.txt"), "from the worker")
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert (tmp_path / "rq.txt").read_text() == "from the worker"
    queue.empty()
