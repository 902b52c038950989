"""The outgoing-mail queue and its worker: nothing lost, nothing stalls.

Messages are written with the act, delivered by `flask worker` with retries and an
exponential back-off, given up on (and kept) after MAIL_MAX_ATTEMPTS; a dead worker's
claim expires; a request never talks to the mail server.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from coalition import mail
from coalition.audit.models import AuditEvent
from coalition.db import utcnow
from coalition.extensions import db
from coalition.outbox import services
from coalition.outbox.delivery import deliver_due
from coalition.outbox.models import MailStatus, OutgoingMail


def _rows() -> list[OutgoingMail]:
    return list(db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))


@pytest.fixture
def mail_down(app) -> Iterator[None]:
    """The mail server refuses connections (nothing listens on port 1)."""
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    yield
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved


@pytest.fixture
def frozen_mail_server(app) -> Iterator[socket.socket]:
    """A mail server that accepts connections and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    saved = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=listener.getsockname()[1])
    yield listener
    app.config.update(saved)
    listener.close()


def test_a_request_returns_without_waiting_for_a_frozen_mail_server(
    app, client, make_user, frozen_mail_server
):
    make_user(email="hurried@example.org")

    started = time.monotonic()
    response = client.post("/password/forgot", data={"email": "hurried@example.org"})
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 2, f"the request took {elapsed:.1f} s"
    with app.app_context():
        [queued] = _rows()
        assert (queued.recipient, queued.status, queued.attempts) == (
            "hurried@example.org",
            MailStatus.QUEUED,
            0,
        )
    # The worker, not the request, waits for the server — MAIL_TIMEOUT at most.
    app.config["MAIL_TIMEOUT"] = 0.5
    with app.app_context():
        outcome = deliver_due()
        [queued] = _rows()
        assert (outcome.sent, outcome.failed_attempts) == (0, 1)
        assert queued.status == MailStatus.QUEUED
        assert "timed out" in queued.last_error


def test_retries_back_off_exponentially_then_the_message_fails_and_is_kept(app, app_ctx, mail_down):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_DELAY=60)
    try:
        mail.queue("someone@example.org", "Subject", "Body")
        db.session.commit()
        t0 = utcnow()

        assert deliver_due(now=t0).failed_attempts == 1
        [message] = _rows()
        assert message.attempts == 1
        assert message.next_attempt_at == t0 + timedelta(seconds=60)

        # Not due yet: nobody tries.
        assert deliver_due(now=t0 + timedelta(seconds=59)).failed_attempts == 0
        t1 = t0 + timedelta(seconds=61)
        assert deliver_due(now=t1).failed_attempts == 1
        db.session.refresh(message)
        assert message.attempts == 2
        assert message.next_attempt_at == t1 + timedelta(seconds=120)  # doubled

        t2 = t1 + timedelta(seconds=121)
        deliver_due(now=t2)
        db.session.refresh(message)
        assert (message.status, message.attempts) == (MailStatus.FAILED, 3)
        assert "ConnectionRefusedError" in message.last_error
        assert deliver_due(now=t2 + timedelta(days=1)).failed_attempts == 0  # given up

        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "mail.fail"))
        assert (event.object_type, event.object_id, event.actor_id) == ("mail", message.id, None)
    finally:
        app.config.update(MAIL_MAX_ATTEMPTS=8)


def test_the_back_off_is_capped(app, app_ctx):
    app.config.update(MAIL_RETRY_DELAY=60, MAIL_RETRY_MAX_DELAY=3600)
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 6, 7, 20)] == [
        60,
        120,
        240,
        1920,
        3600,
        3600,
    ]
    app.config["MAIL_RETRY_MAX_DELAY"] = 6 * 3600


def test_when_the_server_is_down_a_pass_stops_at_the_first_message(app, app_ctx, mail_down):
    for n in range(3):
        mail.queue(f"r{n}@example.org", "Subject", "Body")
    db.session.commit()

    assert deliver_due().failed_attempts == 1

    assert [m.attempts for m in _rows()] == [1, 0, 0]  # the others keep their attempts


def test_a_refused_recipient_fails_alone_and_the_others_go_out(app, app_ctx, smtp_server):
    smtp_server.refuse.add("gone@example.org")
    for to in ("gone@example.org", "here@example.org"):
        mail.queue(to, "Subject", "Body")
    db.session.commit()

    outcome = deliver_due()

    assert (outcome.sent, outcome.failed_attempts) == (1, 1)
    assert [m["To"] for m in smtp_server.messages] == ["here@example.org"]
    gone, here = _rows()
    assert gone.status == MailStatus.QUEUED
    assert gone.last_error.startswith("550")
    assert here.status == MailStatus.SENT


def test_a_dead_workers_claim_expires_and_the_message_goes_out_once(app, app_ctx, smtp_server):
    mail.queue("someone@example.org", "Subject", "Body")
    db.session.commit()
    t0 = utcnow()
    assert services.claim_next("worker-that-dies", now=t0) is not None
    db.session.commit()  # ...and the worker dies before sending

    assert deliver_due(now=t0 + timedelta(seconds=10)).sent == 0  # the claim holds
    lease = app.config["MAIL_LEASE"]
    assert deliver_due(now=t0 + timedelta(seconds=lease + 1)).sent == 1

    assert len(smtp_server.messages) == 1
    [message] = _rows()
    assert (message.status, message.attempts, message.locked_by) == (MailStatus.SENT, 2, None)


def test_without_a_mail_server_the_worker_shows_mail_on_the_console(app, client, make_user, runner):
    make_user(email="local@example.org")
    client.post("/password/forgot", data={"email": "local@example.org"})

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "e-mail (not sent: MAIL_SERVER unset)" in result.output
    assert "To: local@example.org" in result.output
    assert "http://coalition.test/password/reset/" in result.output
    with app.app_context():
        assert [m.status for m in _rows()] == [MailStatus.SENT]


def test_sent_mail_is_purged_after_the_keeping_period(app, app_ctx):
    for to in ("old@example.org", "recent@example.org", "waiting@example.org"):
        mail.queue(to, "Subject", "Body")
    db.session.flush()
    old, recent, _waiting = _rows()
    now = utcnow()
    for message, sent_at in ((old, now - timedelta(days=31)), (recent, now - timedelta(days=1))):
        message.status, message.sent_at = MailStatus.SENT, sent_at
    db.session.commit()

    assert services.purge_sent(now=now) == 1

    assert [m.recipient for m in _rows()] == ["recent@example.org", "waiting@example.org"]


def test_the_development_server_runs_a_worker_beside_it(tmp_path, capfd):
    """`make run` (COALITION_WORKER_THREAD=1): mail shows on the server's console."""
    from tests.conftest import fresh_database_app, make_app

    with fresh_database_app(tmp_path) as prepared:
        served = make_app(
            prepared.config["DATABASE_URL"], tmp_path, WORKER_THREAD=True, WORKER_INTERVAL=0.1
        )
        worker = served.extensions["coalition.worker"]
        try:
            with served.app_context():
                mail.queue("console@example.org", "Shown locally", "Body")
                db.session.commit()
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    status = db.session.scalar(sa.select(OutgoingMail.status))
                    db.session.rollback()
                    if status == MailStatus.SENT:
                        break
                    time.sleep(0.05)
                assert status == MailStatus.SENT
        finally:
            worker.stop.set()
            worker.thread.join(timeout=10)
            with served.app_context():
                db.engine.dispose()
    assert "Subject: Shown locally" in capfd.readouterr().out
    assert isinstance(worker.thread, threading.Thread)
