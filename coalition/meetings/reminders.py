"""Reminders: every delegate of every invitee gets a mail REMINDER_HOURS (24) before a
meeting, in their language, with the time in their own zone and in the meeting's.

`flask --app coalition reminders send` (for cron) and the worker's job run `send_due`.
Each reminder is a row of the ledger (meeting, person, the start it was for) inserted
with ON CONFLICT DO NOTHING, and its mail is queued in the same transaction only when
the row was inserted: two runs at once, on one machine or two, send each reminder once
(the second waits for the first's row, then skips it). A meeting moved to a new start
is reminded again at that start; a cancelled one is never reminded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext
from sqlalchemy.orm import joinedload

from coalition import mail
from coalition.db import insert_or_skip, utcnow
from coalition.extensions import db
from coalition.i18n import is_known_zone
from coalition.meetings.invitations import OPEN
from coalition.meetings.models import Invitation, Meeting, MeetingStatus, Reminder
from coalition.meetings.times import shown

if TYPE_CHECKING:
    from coalition.accounts.models import User

#: Ledger rows inserted per statement (SQLite allows 32,766 parameters in one).
_CHUNK = 1000


def due(now: datetime) -> list[Meeting]:
    """Scheduled meetings starting within REMINDER_HOURS of *now* (1 query)."""
    window = timedelta(hours=current_app.config["REMINDER_HOURS"])
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
                Meeting.starts_at <= now + window,
            )
            .options(joinedload(Meeting.body))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def _recipients(meeting_ids: list[int]) -> list[tuple[User, int, str]]:
    """(person, meeting id, their participant's zone) for every verified delegate of
    every participant invited now (1 query)."""
    from coalition.accounts.models import User
    from coalition.participants.models import Participant
    from coalition.representations.models import Representation, RepresentationStatus

    rows = db.session.execute(
        sa.select(User, Invitation.meeting_id, Participant.timezone)
        .join(Representation, Representation.user_id == User.id)
        .join(Invitation, Invitation.participant_id == Representation.participant_id)
        .join(Participant, Participant.id == Representation.participant_id)
        .where(
            Invitation.meeting_id.in_(meeting_ids),
            OPEN,
            Representation.status == RepresentationStatus.VERIFIED,
            User.is_enabled.is_(True),
        )
        .order_by(Invitation.meeting_id, User.id)
    )
    return [(user, meeting_id, zone) for user, meeting_id, zone in rows]


def _claim(rows: list[dict]) -> set[tuple[int, int]]:
    """Insert the ledger rows not there yet; the (meeting, user) pairs this run inserted."""
    claimed: set[tuple[int, int]] = set()
    it = iter(rows)
    while chunk := list(islice(it, _CHUNK)):
        result = db.session.execute(
            insert_or_skip(Reminder, db.session)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["meeting_id", "user_id", "starts_at"])
            .returning(Reminder.meeting_id, Reminder.user_id)
        )
        claimed.update((meeting_id, user_id) for meeting_id, user_id in result)
    return claimed


def send_due(now: datetime | None = None) -> int:
    """Queue the reminders due at *now* that no run has sent; how many (never commits)."""
    now = now or utcnow()
    meetings = {m.id: m for m in due(now)}
    if not meetings:
        return 0
    recipients = _recipients(list(meetings))
    rows = [
        {"meeting_id": meeting_id, "user_id": user.id, "starts_at": meetings[meeting_id].starts_at}
        for user, meeting_id, _zone in recipients
    ]
    rows = list({(r["meeting_id"], r["user_id"]): r for r in rows}.values())
    claimed = _claim(rows)
    sent = 0
    for user, meeting_id, zone in recipients:
        if (meeting_id, user.id) not in claimed:
            continue
        claimed.discard((meeting_id, user.id))
        _mail(user, meetings[meeting_id], zone)
        sent += 1
    return sent


def _mail(user: User, meeting: Meeting, participant_zone: str | None) -> None:
    key = next((z for z in (user.timezone, participant_zone) if z and is_known_zone(z)), "UTC")
    with force_locale(user.locale or "en"):
        times = shown(meeting.starts_at, meeting.ends_at, meeting.timezone, reader=ZoneInfo(key))
        own = times.own_start or times.start
        own_zone = times.own_zone_name or times.zone_name
        facts = {
            "title": meeting.title,
            "when": times.start,
            "zone": times.zone_name,
            "own_when": own,
            "own_zone": f"{meeting.timezone}, {own_zone}" if times.own_zone_name else own_zone,
            "venue": meeting.venue or "—",
            "url": mail.absolute_url(meeting.path),
        }
        subject = gettext("Reminder: %(title)s, %(when)s", **facts)
        body = gettext(
            "%(title)s starts on %(when)s, your time (%(zone)s); in the meeting's own time "
            "zone, %(own_when)s (%(own_zone)s). Venue: %(venue)s.\n\nSee it on Coalition: "
            "%(url)s",
            **facts,
        )
    mail.queue(user.email, subject, body)


reminders_group = AppGroup("reminders", help="Meeting reminders.")


@reminders_group.command("send")
def send_command() -> None:
    """Send the meeting reminders that are due (idempotent: for cron, or run by the worker)."""
    count = send_due()
    db.session.commit()
    click.echo(f"reminders: {count} sent")
