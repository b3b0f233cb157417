"""Background jobs.

``enqueue(task, *args)`` runs ``task(*args)`` later inside an application context:

- ``thread`` (the embedded default): in a small in-process thread pool;
- ``rq`` (when ``REDIS_URL`` is set): on a Redis queue, run by ``flask jobs worker``;
- ``eager`` (tests): at once, in the caller's context.

A task is a module-level function taking plain, JSON-able arguments (ids, not objects). It records its
own progress and failure in the database: the queue only carries it there.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

log = logging.getLogger(__name__)
QUEUE_NAME = "bekwaam"
JOB_TIMEOUT_SECONDS = 15 * 60


def task_path(task: Callable[..., Any]) -> str:
    path = f"{task.__module__}:{task.__qualname__}"
    if "<" in path:
        raise ValueError(f"{path} is not a module-level function and cannot be queued")
    return path


def resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def enqueue(task: Callable[..., Any], *args: Any) -> None:
    """Queue ``task(*args)``; inside a unit of work (a request, a job, a command) only once it has committed,
    so that a job never runs before its rows are visible, and never for work that was rolled back."""
    from app.uow import after_commit

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app behind the proxy
    path = task_path(task)
    mode = app.config["JOBS_MODE"]
    if mode not in ("eager", "thread", "rq"):
        raise ValueError(f"unknown JOBS_MODE {mode!r}: use thread, rq or eager")
    after_commit(lambda: _dispatch(app, task, path, args, mode))


def _dispatch(app: Flask, task: Callable[..., Any], path: str, args: tuple[Any, ...], mode: str) -> None:
    if mode == "eager":
        task(*args)
    elif mode == "thread":
        _executor(app).submit(_run_in_app, app, path, args)
    elif mode == "rq":
        _queue(app).enqueue(run_job, path, list(args), job_timeout=JOB_TIMEOUT_SECONDS)


def _executor(app: Flask) -> ThreadPoolExecutor:
    executor = app.extensions.get("bekwaam_jobs")
    if executor is None:
        executor = app.extensions["bekwaam_jobs"] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="job")
    return executor


def _run_in_app(app: Flask, path: str, args: tuple[Any, ...]) -> None:
    with app.app_context():
        try:
            resolve(path)(*args)
        except Exception:  # the task records its own failure; this keeps the pool alive and logs why
            log.exception("background job %s%r failed", path, args)
        finally:
            from app.extensions import db

            db.session.remove()


def _queue(app: Flask) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


def run_job(path: str, args: list[Any]) -> None:
    """Entry point of an RQ job: a worker process builds its own app."""
    from app import create_app

    _run_in_app(create_app(), path, tuple(args))


jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run a worker for the Redis queue (needed only when REDIS_URL is set)."""
    from rq import Worker

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker is needed.")
    queue = _queue(current_app)
    Worker([queue], connection=queue.connection).work(burst=burst)
