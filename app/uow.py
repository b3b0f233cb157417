"""One unit of work per request, per job and per command (as Indico's request handler does it).

- A request commits once, after its view returned a successful response (status below 400), and rolls
  back on anything else: an exception, an error page, or a refused operation shown to the person
  (``refused``). Services only ``flush()``; views never commit.
- A GET or HEAD never writes: its session is rolled back, unless the view is marked ``@writes_on_get``
  (access logs of public links, which record that a page was opened).
- Work that must see committed rows (background jobs, mail) is registered with ``after_commit`` and runs
  only once the commit succeeded; after a rollback it is dropped.
- Jobs and CLI commands use ``unit_of_work()``, the same rule as a context manager.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request

from app.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def writes_on_get(view: F) -> F:
    """This GET view writes on purpose (it records an access); its unit of work commits."""
    view.uow_writes_on_get = True  # type: ignore[attr-defined]
    return view


def after_commit(callback: Callable[[], Any]) -> None:
    """Run ``callback`` once the current unit of work has committed (at once when there is none)."""
    if in_unit_of_work():
        g.setdefault("uow_after_commit", []).append(callback)
    else:
        callback()


def in_unit_of_work() -> bool:
    return has_app_context() and bool(g.get("uow_active"))


def start_request() -> None:
    """before_request: the request is a unit of work."""
    g.uow_active = True


def refused() -> None:
    """A service refused the operation and the view shows why: nothing of it may be committed."""
    db.session.rollback()
    if has_request_context():
        g.uow_rollback = True


def _run_after_commit() -> None:
    for callback in g.pop("uow_after_commit", []):
        callback()


def _view_writes_on_get() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "uow_writes_on_get", False))


def finish_request(response: Response) -> Response:
    """after_request: commit a successful unsafe request (or a marked GET), roll back everything else."""
    failed = response.status_code >= 400 or g.pop("uow_rollback", False)
    read_only = request.method in SAFE_METHODS and not _view_writes_on_get()
    if failed or read_only:
        db.session.rollback()
        g.pop("uow_after_commit", None)
        return response
    db.session.commit()
    _run_after_commit()
    return response


def teardown_request(exc: BaseException | None) -> None:
    if exc is not None:
        db.session.rollback()
        g.pop("uow_after_commit", None)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """For jobs and commands: commit once when the block ends normally, roll back on any exception."""
    outer = g.get("uow_active", False)
    g.uow_active = True
    try:
        yield
    except BaseException:
        db.session.rollback()
        g.pop("uow_after_commit", None)
        raise
    else:
        db.session.commit()
        _run_after_commit()
    finally:
        g.uow_active = outer


def transactional(func: F) -> F:
    """Decorator form of ``unit_of_work`` for job entry points and commands."""

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with unit_of_work():
            return func(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def register(app: Flask) -> None:
    app.before_request(start_request)
    app.after_request(finish_request)
    app.teardown_request(teardown_request)
