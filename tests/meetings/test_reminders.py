"""Reminders: each invitee's delegates are mailed REMINDER_HOURS before a meeting, in
their language and zone with the meeting's own zone too; running twice sends nothing
twice; a moved meeting is reminded at its new time, a cancelled one never; the CLI
and the worker's job send them. Two runs at once: test_reminder_races."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.meetings import reminders, services
from coalition.meetings.models import Reminder
from coalition.outbox.models import OutgoingMail
from coalition.worker import JOBS
from tests.meetings.conftest import schedule


def _mail_to(email: str) -> list[OutgoingMail]:
    return list(
        db.session.scalars(
            sa.select(OutgoingMail)
            .where(
                OutgoingMail.recipient == email,
                sa.or_(
                    OutgoingMail.subject.like("Reminder:%"), OutgoingMail.subject.like("Rappel%")
                ),
            )
            .order_by(OutgoingMail.id)
        )
    )


def _soon(mw, hours: float = 20, timezone: str = "UTC"):
    start = (datetime.now(UTC) + timedelta(hours=hours)).astimezone(ZoneInfo(timezone))
    return schedule(
        mw,
        start=start.strftime("%Y-%m-%dT%H:%M"),
        end=(start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        timezone=timezone,
    )


def test_each_delegate_is_reminded_once_in_its_language_and_zone(mw, app):
    member = db.session.get(User, mw.member.id)
    member.locale, member.timezone = "fr", "Europe/Paris"
    db.session.commit()
    meeting = _soon(mw, timezone="Africa/Accra")
    assert reminders.send_due() == 2  # GHA's and FRA's delegates
    db.session.commit()
    assert reminders.send_due() == 0
    db.session.commit()
    [french] = _mail_to(member.email)
    assert french.subject.startswith("Rappel")
    # Summer or winter time, in French.
    assert "d\N{RIGHT SINGLE QUOTATION MARK}Europe centrale, UTC+0" in french.body
    assert "Africa/Accra" in french.body
    [english] = _mail_to(mw.co_chair.email)
    assert "your time" in english.body
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Reminder.id)).where(Reminder.meeting_id == meeting.id)
        )
        == 2
    )


def test_only_meetings_within_the_window_are_reminded(mw, app):
    _soon(mw, hours=30)
    assert reminders.send_due() == 0
    app.config["REMINDER_HOURS"] = 48
    try:
        assert reminders.send_due() == 2
    finally:
        app.config["REMINDER_HOURS"] = 24


def test_a_moved_meeting_is_reminded_at_its_new_time_a_cancelled_one_never(mw):
    meeting = _soon(mw)
    assert reminders.send_due() == 2
    new_start = meeting.starts_at + timedelta(hours=2)
    services.change(
        meeting,
        actor=mw.co_chair,
        start=new_start.strftime("%Y-%m-%dT%H:%M"),
        end=(new_start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    db.session.commit()
    assert reminders.send_due() == 2
    assert len(_mail_to(mw.member.email)) == 2
    other = _soon(mw, hours=10)
    services.cancel(other, actor=mw.co_chair)
    db.session.commit()
    assert reminders.send_due() == 0


def test_the_cli_sends_and_says_how_many(mw, runner):
    _soon(mw)
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "2 sent" in first.output
    second = runner.invoke(args=["reminders", "send"])
    assert "0 sent" in second.output


def test_the_worker_runs_the_reminders():
    assert "meetings.reminders" in [job.name for job in JOBS]
