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
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import make_app, prepare_database
from tests.live import LiveServer, serving

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
    try:
        with serving(app) as live:
            yield live
    finally:
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
    """new_page(**options): a page in a fresh browser context (its own cookies), on the
    live server; *options* go to the context (timezone_id="Asia/Kathmandu")."""
    contexts = []

    def factory(**options):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
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
