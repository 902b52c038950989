"""Browser tests: the real app served over HTTP on 127.0.0.1, driven by Debian's Chromium.

The live app has its own SQLite database with real commits (the rolled-back transaction
of the other tests cannot span a server thread), CSRF protection switched on as in
production, and no SERVER_NAME so that it answers on whatever port it got.

Chromium is the one Debian installs at /usr/bin/chromium; Playwright never downloads
a browser of its own.
Without it the tests skip, saying why, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask, got_request_exception
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import make_app, prepare_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Milliseconds Playwright waits for an element or a navigation before failing.
TIMEOUT_MS = 10_000


@dataclass
class LiveServer:
    app: Flask
    url: str
    #: Tracebacks of exceptions raised while serving, checked after each test: in the
    #: browser they only show as a 500 page and a locator that times out.
    errors: list[str] = field(default_factory=list)

    def run(self, function: Callable[[], object]) -> object:
        """Call *function* inside the live app's context and commit what it did."""
        from coalition.extensions import db

        with self.app.test_request_context():
            try:
                result = function()
                db.session.commit()
                return result
            finally:
                db.session.remove()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("e2e")
    app = make_app(
        f"sqlite:///{tmp}/e2e.sqlite3",
        tmp / "instance",
        SERVER_NAME=None,
        WTF_CSRF_ENABLED=True,
    )
    prepare_database(app)
    live = LiveServer(app=app, url="")

    def _record_error(_sender: Flask, exception: BaseException, **_extra: object) -> None:
        live.errors.append("".join(traceback.format_exception(exception)))

    got_request_exception.connect(_record_error, app)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    live.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield live
    finally:
        got_request_exception.disconnect(_record_error, app)
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            from coalition.extensions import db

            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server: LiveServer) -> Iterator[Callable[[], object]]:
    """new_page(): a page in a fresh browser context (its own cookies), on the live server."""
    contexts = []

    def factory():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()
    errors, live_server.errors[:] = list(live_server.errors), []
    if errors:
        pytest.fail("The live server raised:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()
