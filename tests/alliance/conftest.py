"""Fixtures for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coalition.accounts.models import User
from coalition.extensions import db


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
