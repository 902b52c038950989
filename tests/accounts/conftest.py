"""Fixtures for these tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coalition.accounts.models import User
from coalition.extensions import db
from tests.conftest import make_app, prepare_database


@pytest.fixture
def login_as(client: FlaskClient, app: Flask) -> Callable[[User], FlaskClient]:
    """Like tests/conftest.py's login_as, but the session is made for the test client's
    own address and user agent: Flask-Login's "strong" session protection drops a
    session whose identifier does not match the request's, as the shared one's does not.
    Remove once tests/conftest.py passes environ_base=client.environ_base itself.
    """

    def login(user: User) -> FlaskClient:
        from flask import session
        from flask_login import login_user

        with app.test_request_context(environ_base=client.environ_base):
            login_user(db.session.get(User, user.id))
            values = dict(session)
        with client.session_transaction() as sess:
            sess.update(values)
        return client

    return login


# -- apps configured as in production, on their own SQLite database --------------------------


@pytest.fixture(scope="session")
def strict_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A migrated SQLite database of its own, for apps built with production settings."""
    folder = tmp_path_factory.mktemp("strict")
    url = f"sqlite:///{folder / 'strict.sqlite3'}"
    prepare_database(make_app(url, folder / "instance"))
    return url, folder


@pytest.fixture(scope="session")
def csrf_app(strict_database: tuple[str, Path]) -> Flask:
    """An app with CSRF protection on, as in production."""
    url, folder = strict_database
    return make_app(url, folder / "instance", WTF_CSRF_ENABLED=True)


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
