"""Test fixtures: one migrated database per run, each test inside a rolled-back transaction.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is
set (CI does both). The schema comes from the Alembic migrations, so every run also
checks that they build what the models describe.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coalition import create_app
from coalition.accounts.models import User
from coalition.caching import responses
from coalition.extensions import db
from coalition.participants.models import Participant, ParticipantKind
from coalition.representations.models import (
    Representation,
    RepresentationRole,
    RepresentationStatus,
)

PASSWORD = "correct horse battery"


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return (
            url.replace("postgresql://", "postgresql+psycopg://", 1)
            if url.startswith("postgresql://")
            else url
        )
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def make_app(database_url: str, instance_path: Path, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test secret key, not used anywhere else",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": None,
        "SERVER_NAME": "coalition.test",
        "PUBLIC_URL": "http://coalition.test",
        # Production's argon2 parameters cost about half the suite's time; one test
        # checks that production keeps them.
        "PASSWORD_HASH_PROFILE": "cheapest",
    }
    config.update(overrides)
    app = create_app(config)
    app.instance_path = str(instance_path)
    return app


def prepare_database(app: Flask) -> None:
    """A clean schema from the migrations, with every state loaded and committed."""
    from flask_migrate import downgrade, upgrade

    from coalition.participants.services import seed_states

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        upgrade()
        # Downgrade and upgrade again: every migration's downgrade() must work too.
        downgrade(revision="base")
        upgrade()
        seed_states()
        db.session.commit()
        db.session.remove()


@contextmanager
def fresh_database_app(tmp_path: Path, **overrides) -> Iterator[Flask]:
    """An app on a database of its own, migrated and seeded, with real commits: a new
    PostgreSQL database beside the test one (dropped at the end), or a new SQLite file.
    For tests that need real commits, several connections, or a connection to kill."""
    import uuid

    url = os.environ.get("TEST_DATABASE_URL", "")
    name = None
    if url.startswith("postgresql"):
        import psycopg

        server = url.rsplit("/", 1)[0]
        name = f"coalition_own_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = f"{server}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    else:
        database_url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    try:
        app = make_app(database_url, tmp_path, **overrides)
        prepare_database(app)
        yield app
        with app.app_context():
            db.engine.dispose()
    finally:
        if name:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = make_app(database_url, tmp_path_factory.mktemp("instance"))
    prepare_database(app)
    yield app
    # Close pooled connections now, not when garbage collection happens upon them
    # (psycopg warns of a connection deleted while open, and warnings are errors).
    with app.app_context():
        db.engine.dispose()


@contextmanager
def bound_to(app: Flask, connection: sa.Connection) -> Iterator[None]:
    """Run *app*'s sessions on *connection*, each commit releasing a savepoint.

    Flask-SQLAlchemy's Session.get_bind ignores Session(bind=...) but looks the default
    engine up in db.engines: the connection takes the engine's place there, and the
    session joins its transaction with a savepoint ("create_savepoint"), so that app
    commits become RELEASE SAVEPOINT and an app rollback returns to the savepoint.
    """
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        engines[None] = connection
    factory = db.session.session_factory
    factory.configure(join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        factory.kw.pop("join_transaction_mode")
        with app.app_context():
            db.engines[None] = engine


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each test inside an outer transaction, rolled back at the end.

    The code under test may commit: each commit releases a savepoint instead.
    Tests marked `committed` opt out (they need real commits, e.g. concurrency).
    """
    if "app" not in request.fixturenames or request.node.get_closest_marker("committed"):
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        # Data versions repeat from one rolled-back test to the next: start with no page kept.
        responses.clear()
        connection = db.engine.connect()
    transaction = connection.begin()
    try:
        with bound_to(app, connection):
            yield
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


# -- factories ---------------------------------------------------------------------------------

_sequence = count(1)
_password_hash: str | None = None


def _hash() -> str:
    global _password_hash
    if _password_hash is None:
        from coalition.accounts.services import hash_password

        _password_hash = hash_password(PASSWORD)
    return _password_hash


def state(code: str) -> Participant:
    return db.session.scalars(sa.select(Participant).where(Participant.code == code)).one()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """make_user(staff=False, admin=False, represent="GHA", focal_point=False, name=…)."""

    def factory(
        *,
        email: str | None = None,
        name: str | None = None,
        staff: bool = False,
        admin: bool = False,
        represent: str | Participant | None = None,
        focal_point: bool = False,
        locale: str | None = None,
    ) -> User:
        n = next(_sequence)
        with app.app_context():
            user = User(
                email=email or f"person{n}@example.org",
                name=name or f"Person {n}",
                password_hash=_hash(),
                is_staff=staff,
                is_admin=admin,
                locale=locale,
            )
            db.session.add(user)
            db.session.flush()
            if represent is not None:
                participant = represent if isinstance(represent, Participant) else state(represent)
                participant = db.session.merge(participant)
                db.session.add(
                    Representation(
                        user_id=user.id,
                        participant_id=participant.id,
                        role=RepresentationRole.FOCAL_POINT
                        if focal_point
                        else RepresentationRole.DELEGATE,
                        status=RepresentationStatus.VERIFIED,
                        decided_at=user.created_at,
                    )
                )
            db.session.commit()
            return user

    return factory


@pytest.fixture
def make_organization(app: Flask) -> Callable[..., Participant]:
    from coalition.participants.models import OrganizationCategory

    def factory(
        code: str | None = None,
        name: str | None = None,
        category: OrganizationCategory = OrganizationCategory.CIVIL_SOCIETY,
    ) -> Participant:
        n = next(_sequence)
        with app.app_context():
            org = Participant(
                kind=ParticipantKind.ORGANIZATION,
                code=code or f"org-{n}",
                name=name or f"Organization {n}",
                category=category,
            )
            db.session.add(org)
            db.session.commit()
            return org

    return factory


def endorse(participant: Participant | str, by: User | None = None) -> None:
    """The participant (or state code) endorses the Alliance, unless it already does
    (written directly: what is under test is elsewhere)."""
    from coalition.alliance.models import Endorsement

    if isinstance(participant, str):
        participant = state(participant)
    already = db.session.scalar(
        sa.select(Endorsement.id).where(
            Endorsement.participant_id == participant.id, Endorsement.withdrawn_at.is_(None)
        )
    )
    if already is None:
        db.session.add(
            Endorsement(participant_id=participant.id, endorsed_by_id=by.id if by else None)
        )
        db.session.flush()


def log_in(app: Flask, client: FlaskClient, user_id: int) -> FlaskClient:
    """Log the user in on *client* without going through the password form."""
    from flask import session
    from flask_login import login_user

    # The client's environ, so that Flask-Login's "strong" session protection
    # recognises the session identifier it computes on each request.
    with app.test_request_context(environ_base=client.environ_base):
        login_user(db.session.get(User, user_id))
        values = dict(session)
    with client.session_transaction() as sess:
        sess.update(values)
    return client


@pytest.fixture
def login_as(client: FlaskClient, app: Flask) -> Callable[[User], FlaskClient]:
    """Log *user* in on the test client without going through the password form."""
    return lambda user: log_in(app, client, user.id)


# -- reading back ----------------------------------------------------------------------------------


@pytest.fixture
def read(app: Flask) -> Callable[..., Any]:
    """read(fn) runs fn() in a new application context (fresh session) and returns it."""

    def run(fn: Callable[[], Any]) -> Any:
        with app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    return run


def audit_actions(object_type: str, object_id: int) -> list[str]:
    from coalition.audit.models import AuditEvent

    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id)
        )
    )


def notification_kinds(user: User) -> list[str]:
    from coalition.notifications.models import Notification

    return list(
        db.session.scalars(
            sa.select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


# -- measuring -----------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], contextmanager]:
    """with count_queries() as q: …; q.count is the number of SQL statements run.

    Pages are computed while counting, not served from the response cache: the counts
    are what a page costs when the data has changed (tests/test_response_cache.py
    counts what a kept one costs)."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def keep(statement: str, _parameters: object) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                counter.statements.append(statement)

        with _computed_statements(app, keep):
            yield counter

    return counting


@contextmanager
def statements_with_parameters(app: Flask) -> Iterator[list[tuple[str, object]]]:
    """The statements and their parameters, of pages computed (not served kept)."""
    seen: list[tuple[str, object]] = []
    with _computed_statements(
        app, lambda statement, parameters: seen.append((statement, parameters))
    ):
        yield seen


@contextmanager
def _computed_statements(app: Flask, keep: Callable[[str, object], None]) -> Iterator[None]:
    """Hand each statement run and its parameters to *keep*, with the response cache
    off: pages are computed, not served kept."""
    cached = app.config["RESPONSE_CACHE"]
    app.config["RESPONSE_CACHE"] = False
    with app.app_context():
        engine = db.engine

    def _before(conn, cursor, statement, parameters, context, executemany):
        keep(statement, parameters)

    sa.event.listen(engine, "before_cursor_execute", _before)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", _before)
        app.config["RESPONSE_CACHE"] = cached
