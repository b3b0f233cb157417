"""A live server on its own database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import ROOT, build_database, make_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # When Chromium drops a connection mid-response (it does, on navigation), werkzeug's development
            # server leaves that static file handle to the garbage collector: a ResourceWarning raised in the
            # server thread, not in the code under test.
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # SQLite on its own file: the server thread needs its own connections (not the per-test transaction).
    db_file = tmp_path_factory.mktemp("e2e") / "e2e.sqlite"
    application = make_app(f"sqlite:///{db_file}", tmp_path_factory.mktemp("e2e-instance"))
    application.config["JOBS_MODE"] = "thread"  # exports run in the background, as on `make run`
    build_database(application)
    with application.app_context():
        from app.accounts.cli import create_demo
        from app.extensions import db
        from app.standards.models import Framework

        create_demo({f.code: f for f in db.session.scalars(select(Framework))})
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    application.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; install it with 'apt-get install chromium'")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(base_url=live_server, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(msg) -> None:
        # A page that answers 404 on purpose logs its own status; any other failed load is an error.
        if msg.type == "error" and not (
            msg.text.startswith("Failed to load resource") and msg.location.get("url") == page.url
        ):
            errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot(page, f"FAILED-{request.node.name}")
    context.close()
    assert errors == [], f"browser errors: {errors}"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
