"""An app on a database of its own, with real commits, dropped at the end: for tests whose
requests commit (concurrency, contract checks that write through the API) and so cannot
run inside the rolled-back transaction of the other tests.

PostgreSQL when TEST_DATABASE_URL names a server (a database created for the purpose on
it), else a SQLite file in a temporary folder.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from flask import Flask

from coalition.extensions import db
from tests.conftest import make_app, prepare_database

URL = os.environ.get("TEST_DATABASE_URL", "")


def fresh_database_app(tmp_path_factory: pytest.TempPathFactory, **overrides) -> Iterator[Flask]:
    """The body of a module-scoped fixture: yields the app, migrated, states loaded."""
    tmp = tmp_path_factory.mktemp("own-database")
    if not URL.startswith("postgresql"):
        app = make_app(f"sqlite:///{tmp / 'own.sqlite3'}", tmp / "instance", **overrides)
        prepare_database(app)
        yield app
        with app.app_context():
            db.engine.dispose()
        return
    server = URL.rsplit("/", 1)[0]
    name = f"coalition_own_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        app = make_app(
            f"{server}/{name}".replace("postgresql://", "postgresql+psycopg://", 1),
            tmp / "instance",
            **overrides,
        )
        prepare_database(app)
        yield app
        with app.app_context():
            db.engine.dispose()
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
