"""Two `reminders send` at once, with real commits (PostgreSQL: SQLite serializes every
writer), send each reminder once: the ledger's unique key lets one run insert a
(meeting, person, start) row and the others skip it, and the mail is queued in the
transaction of the row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.extensions import db
from coalition.meetings import reminders
from coalition.meetings.models import Meeting, Reminder
from coalition.outbox.models import OutgoingMail
from tests.meetings.test_races import _setup
from tests.race import POSTGRES_ONLY, fresh_database_app, race

pytestmark = POSTGRES_ONLY


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from fresh_database_app(tmp_path_factory)


@pytest.mark.parametrize("attempt", range(3))
def test_runs_at_once_send_each_reminder_once(race_app, attempt):
    meeting_id, _tokens = _setup(race_app)
    with race_app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.starts_at = datetime.now(UTC) + timedelta(hours=3)
        meeting.ends_at = meeting.starts_at + timedelta(hours=1)
        db.session.commit()
        expected = len(reminders._recipients([meeting_id]))
        # Earlier attempts' meetings are due too: their new delegates get theirs now.
        ledger_before = db.session.scalar(sa.select(sa.func.count(Reminder.id)))
        last_mail = db.session.scalar(sa.select(sa.func.max(OutgoingMail.id))) or 0

    def run(_client) -> int:
        with race_app.app_context():
            count = reminders.send_due()
            db.session.commit()
            return count

    results = race(race_app, [run, run, run])
    assert not [r for r in results if isinstance(r, Exception)], results
    with race_app.app_context():
        ledger = db.session.scalar(
            sa.select(sa.func.count(Reminder.id)).where(Reminder.meeting_id == meeting_id)
        )
        ledger_after = db.session.scalar(sa.select(sa.func.count(Reminder.id)))
        mails = db.session.scalars(
            sa.select(OutgoingMail.recipient).where(OutgoingMail.id > last_mail)
        ).all()
    assert expected >= 3  # the delegates of GHA and of FRA
    assert ledger == expected
    assert sum(results) == ledger_after - ledger_before == len(mails)
