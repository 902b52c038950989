"""A database that is down, frozen, slow or lost mid-request: 503 with Retry-After
(problem+json in the API and JSON files, a page in HTML), bounded waits, /health, and
nothing half-written once it is back.

The PostgreSQL server here is shared, so faults are simulated around it: a port where
nothing listens, a socket that accepts and never answers, a lock held by another
connection, a backend terminated from a second connection.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.audit.models import AuditEvent
from coalition.extensions import db
from tests.conftest import PASSWORD, fresh_database_app, make_app

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="connect and statement timeouts, and killing a backend, are PostgreSQL's",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unreachable_app(tmp_path) -> Flask:
    """An app whose PostgreSQL is down: nothing listens on its port."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/coalition"
    return make_app(url, tmp_path, DATABASE_CONNECT_TIMEOUT=2)


@pytest.fixture
def frozen_app(tmp_path) -> Iterator[Flask]:
    """An app whose PostgreSQL is frozen: the port accepts connections, nothing answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{listener.getsockname()[1]}/coalition"
    yield make_app(url, tmp_path, DATABASE_CONNECT_TIMEOUT=2)
    listener.close()


def _assert_unavailable(response, *, json: bool) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    if json:
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == 503
        assert "cannot reach its database" in problem["detail"]
    else:
        assert response.mimetype == "text/html"
        assert "cannot reach its database" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "json"),
    [
        ("/participants", False),
        ("/initiatives", False),
        ("/api/v1/participants", True),
        ("/api/v1/initiatives/anything", True),
        ("/data/participants.csv", False),
        ("/data/memberships.csv", False),
        ("/data/participants.json", True),
    ],
)
def test_a_database_that_is_down_is_a_503_everywhere(unreachable_app, path, json):
    _assert_unavailable(unreachable_app.test_client().get(path), json=json)


def test_a_signed_in_reader_gets_the_503_page_too(unreachable_app):
    from flask_login.utils import _create_identifier

    client = unreachable_app.test_client()
    with unreachable_app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()  # what "strong" session protection checks
    with client.session_transaction() as session:
        session.update({"_user_id": "1.fingerprint", "_fresh": True, "_id": identifier})

    _assert_unavailable(client.get("/dashboard"), json=False)


def test_a_write_while_the_database_is_down_is_a_503_problem(unreachable_app):
    response = unreachable_app.test_client().post(
        "/api/v1/initiatives", json={"title": "x"}, headers={"Authorization": "Bearer coa_x"}
    )
    _assert_unavailable(response, json=True)


def test_static_files_never_touch_the_database(unreachable_app):
    response = unreachable_app.test_client().get("/static/css/coalition.css")
    assert response.status_code == 200
    response.close()


def test_health_says_whether_the_database_answers(client, unreachable_app):
    ok = client.get("/health")
    assert ok.status_code == 200
    assert ok.get_json() == {"status": "ok", "database": "ok"}
    assert ok.headers["Cache-Control"] == "no-store"

    down = unreachable_app.test_client().get("/health")
    assert down.status_code == 503
    assert down.get_json() == {"status": "unavailable", "database": "unreachable"}
    assert down.headers["Retry-After"] == "30"


def test_a_frozen_database_costs_a_request_the_connect_timeout_not_forever(frozen_app):
    client = frozen_app.test_client()
    for path, json in (("/participants", False), ("/api/v1/participants", True)):
        started = time.monotonic()
        response = client.get(path)
        elapsed = time.monotonic() - started
        _assert_unavailable(response, json=json)
        assert elapsed < 6, f"{path} took {elapsed:.1f} s"
    static = client.get("/static/css/coalition.css")
    assert static.status_code == 200
    static.close()


def test_the_timeouts_come_from_the_configuration(tmp_path):
    app = make_app(
        "postgresql+psycopg://u@db.internal/coalition",
        tmp_path,
        DATABASE_CONNECT_TIMEOUT=3,
        DATABASE_STATEMENT_TIMEOUT=7.5,
    )
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_timeout"] == 3
    assert options["connect_args"]["connect_timeout"] == 3
    assert options["connect_args"]["options"] == "-c statement_timeout=7500"


# -- a statement that runs too long ---------------------------------------------------------------


@needs_postgres
@pytest.mark.committed
def test_a_statement_blocked_by_a_lock_is_cancelled_and_answered_503(app, database_url, tmp_path):
    """statement_timeout fires while another connection holds a lock on the table."""
    impatient = make_app(database_url, tmp_path, DATABASE_STATEMENT_TIMEOUT=1)
    client = impatient.test_client()
    plain_url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(plain_url) as locker:
            locker.execute("LOCK TABLE participants IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            response = client.get("/api/v1/participants")
            elapsed = time.monotonic() - started
            _assert_unavailable(response, json=True)
            assert elapsed < 5
            assert client.get("/health").status_code == 200  # the database itself answers
            locker.rollback()
        assert client.get("/api/v1/participants").status_code == 200
    finally:
        with impatient.app_context():
            db.engine.dispose()


# -- nothing half-written -----------------------------------------------------------------------


def _register(client, email: str):
    return client.post(
        "/register",
        data={"name": "Ama Mensah", "email": email, "password": PASSWORD, "confirm": PASSWORD},
    )


def _written(app: Flask, email: str) -> tuple[int, int]:
    """(users, user.register events) for *email*."""
    with app.app_context():
        users = db.session.scalar(sa.select(sa.func.count()).where(User.email == email))
        events = db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.action == "user.register", AuditEvent.object_label == email
            )
        )
        db.session.remove()
        return users, events


def test_a_write_interrupted_by_a_database_error_leaves_nothing_half_written(app, client):
    """The user row is flushed, then the audit event fails: neither is kept."""
    with app.app_context():
        engine = db.engine

    def fail_on_audit(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO audit_events"):
            raise sa.exc.OperationalError(statement, parameters, Exception("connection lost"))

    sa.event.listen(engine, "before_cursor_execute", fail_on_audit)
    try:
        _assert_unavailable(_register(client, "ama@example.org"), json=False)
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail_on_audit)
    assert _written(app, "ama@example.org") == (0, 0)

    # The database is back: the same registration goes through, once.
    assert _register(client, "ama@example.org").status_code == 302
    assert _written(app, "ama@example.org") == (1, 1)


@needs_postgres
@pytest.mark.committed
def test_a_session_killed_mid_write_leaves_nothing_half_written(tmp_path):
    """A second connection terminates the request's backend between two INSERTs."""
    with fresh_database_app(tmp_path) as own:
        with own.app_context():
            engine = db.engine
            url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        killed = []

        def kill_own_backend(conn, cursor, statement, parameters, context, executemany):
            if statement.startswith("INSERT INTO audit_events") and not killed:
                killed.append(cursor.connection.info.backend_pid)
                with psycopg.connect(url, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (killed[0],))

        client = own.test_client()
        sa.event.listen(engine, "before_cursor_execute", kill_own_backend)
        try:
            _assert_unavailable(_register(client, "kofi@example.org"), json=False)
        finally:
            sa.event.remove(engine, "before_cursor_execute", kill_own_backend)
        assert killed
        assert _written(own, "kofi@example.org") == (0, 0)

        # Back: the pool replaces the dead connection, and the act is whole, once.
        assert _register(client, "kofi@example.org").status_code == 302
        assert _written(own, "kofi@example.org") == (1, 1)
        assert client.get("/health").status_code == 200


def test_the_worker_outlives_a_database_that_is_away(unreachable_app):
    """Each turn fails, is logged, and the next turn tries again; --once says it failed."""
    import threading

    from coalition.worker import run_forever

    result = unreachable_app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 1
    assert "failed: mail.deliver, meetings.reminders, mail.purge" in result.output

    stop = threading.Event()
    turns = []
    threading.Timer(0.5, stop.set).start()
    with pytest.MonkeyPatch.context() as patch:
        import coalition.worker as worker

        real = worker.run_job
        patch.setattr(worker, "run_job", lambda app, job: turns.append(real(app, job)))
        run_forever(unreachable_app, stop, interval=0.05)
    assert turns
    assert not any(turns)
