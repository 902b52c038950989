"""Apps built with production settings (CSRF on, rate limits on), on their own database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from coalition.extensions import db
from tests.conftest import make_app, prepare_database

# -- apps configured as in production, on their own SQLite database --------------------------


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def strict_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A migrated SQLite database of its own, for apps built with production settings."""
    folder = tmp_path_factory.mktemp("strict")
    url = f"sqlite:///{folder / 'strict.sqlite3'}"
    app = make_app(url, folder / "instance")
    prepare_database(app)
    _dispose(app)
    return url, folder


@pytest.fixture(scope="session")
def csrf_app(strict_database: tuple[str, Path]) -> Iterator[Flask]:
    """An app with CSRF protection on, as in production."""
    url, folder = strict_database
    app = make_app(url, folder / "instance", WTF_CSRF_ENABLED=True)
    yield app
    _dispose(app)


@pytest.fixture
def rate_limited_app(strict_database: tuple[str, Path]) -> Iterator[Flask]:
    """An app whose login allows 3 attempts a minute.

    The limiter is one object shared by every app in the process and init_app() sets its
    `enabled` flag: it is switched off again and its counters cleared afterwards, so that
    the other tests' app is not rate limited.
    """
    from coalition.extensions import limiter

    url, folder = strict_database
    enabled = limiter.enabled
    app = make_app(
        url,
        folder / "instance",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        LOGIN_RATE_LIMIT="3 per minute",
    )
    try:
        yield app
    finally:
        limiter.reset()
        limiter.enabled = enabled
        _dispose(app)
