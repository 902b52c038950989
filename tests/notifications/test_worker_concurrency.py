"""Several workers at once deliver each message exactly once (real commits, a real SMTP
server counting what arrives).

On PostgreSQL the workers really overlap (FOR UPDATE SKIP LOCKED and the conditional
UPDATE decide); on SQLite, whose writers take turns, the same test checks that the
claims still hold when workers interleave.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition import mail
from coalition.extensions import db
from coalition.outbox.delivery import Pass, deliver_due
from coalition.outbox.models import MailStatus, OutgoingMail
from tests.conftest import fresh_database_app

pytestmark = pytest.mark.committed

MESSAGES = 40
WORKERS = 3


@pytest.fixture
def own_app(tmp_path) -> Iterator[Flask]:
    with fresh_database_app(tmp_path) as app:
        yield app


@pytest.fixture
def counting_smtp(own_app: Flask):
    from aiosmtpd.controller import Controller

    from tests.notifications.conftest import _Collector, _free_port

    collector = _Collector()
    collector.delay = 0.01  # long enough for the workers to overlap
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    own_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield collector
    controller.stop()


def test_workers_running_at_once_deliver_each_message_exactly_once(own_app, counting_smtp):
    with own_app.app_context():
        for n in range(MESSAGES):
            mail.queue(f"reader{n}@example.org", f"Message {n}", "Body")
        db.session.commit()
    barrier = threading.Barrier(WORKERS)
    passes: list[Pass | Exception] = [Pass()] * WORKERS

    def work(i: int) -> None:
        with own_app.app_context():
            barrier.wait()
            try:
                passes[i] = deliver_due(worker=f"worker-{i}")
            except Exception as error:  # a crash must fail the test, not vanish in a thread
                passes[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert all(isinstance(p, Pass) for p in passes), passes
    arrived = Counter(m["Message-ID"] for m in counting_smtp.messages)
    assert len(arrived) == MESSAGES
    assert set(arrived.values()) == {1}, [k for k, v in arrived.items() if v > 1]
    assert sum(p.sent for p in passes) == MESSAGES
    with own_app.app_context():
        rows = db.session.execute(sa.select(OutgoingMail.status, OutgoingMail.attempts)).all()
        assert Counter(rows) == Counter({(MailStatus.SENT, 1): MESSAGES})
        if db.engine.dialect.name == "postgresql":
            # They really ran side by side, each taking part of the queue.
            assert sum(1 for p in passes if p.sent) >= 2, passes
