"""Fairness over a body's meetings: how often each participant was called outside its
working hours, and at night, by the meetings of the body held and scheduled (not the
cancelled ones) that it was invited to, so that the planner can spread the burden.

"Inside" and "at night" mean what they mean for a candidate start (coalition.planner.
clocks.fits, and the participant's working days); the working hours are those of the
planner's request. A participant's *burden* is its meetings outside working hours
plus its meetings at night: a night meeting weighs twice. However many meetings and
participants: two queries. Each participant's seat at a meeting is kept
between requests (a zone, a country, an instant: the answer does not change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import sqlalchemy as sa

from coalition.extensions import db
from coalition.meetings.invitations import OPEN
from coalition.meetings.models import Invitation, Meeting, MeetingStatus
from coalition.participants.models import Participant
from coalition.planner.calendars import WorkCalendar
from coalition.planner.clocks import EPOCH, fits
from coalition.planner.service import Attendee, WorkingHours, zone_info

if TYPE_CHECKING:
    from coalition.bodies.models import Body


@dataclass
class Load:
    attendee: Attendee
    meetings: int = 0
    outside: int = 0
    night: int = 0

    @property
    def burden(self) -> int:
        return self.outside + self.night


@dataclass
class Fairness:
    body: Body
    #: Meetings of the body counted (held or scheduled, with a participant of the plan).
    meetings: int
    #: Every participant of the plan, the most burdened first.
    loads: list[Load] = field(default_factory=list)

    def burdens(self) -> dict[str, int]:
        return {load.attendee.code: load.burden for load in self.loads}


def body_fairness(
    body: Body, attendees: Sequence[Attendee], hours: WorkingHours, calendar: WorkCalendar
) -> Fairness:
    """The load each of *attendees* carries from *body*'s meetings (2 queries: the
    meetings, then who was invited to which)."""
    by_code = {a.code: a for a in attendees}
    counted = Meeting.body_id == body.id, Meeting.status != MeetingStatus.CANCELLED
    meetings = {
        meeting_id: (int(starts_at.timestamp()), int((ends_at - starts_at).total_seconds()))
        for meeting_id, starts_at, ends_at in db.session.execute(
            sa.select(Meeting.id, Meeting.starts_at, Meeting.ends_at).where(*counted)
        )
    }
    pairs = db.session.execute(
        sa.select(Participant.code, Invitation.meeting_id)
        .join(Participant, Participant.id == Invitation.participant_id)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(*counted, OPEN, Participant.code.in_(list(by_code)))
    )
    loads = {code: Load(attendee) for code, attendee in by_code.items()}
    used = set()
    for code, meeting_id in pairs:
        attendee = by_code[code]
        inside, night = _seat(
            attendee.timezone,
            attendee.country,
            *meetings[meeting_id],
            hours.start,
            hours.end,
            calendar.locale,
        )
        load = loads[code]
        load.meetings += 1
        load.outside += not inside
        load.night += night
        used.add(meeting_id)
    ordered = sorted(
        loads.values(), key=lambda x: (-x.burden, -x.night, x.attendee.name, x.attendee.code)
    )
    return Fairness(body=body, meetings=len(used), loads=ordered)


@lru_cache(maxsize=200_000)
def _offset(zone: str, timestamp: int) -> int:
    moment = datetime.fromtimestamp(timestamp, UTC).astimezone(zone_info(zone))
    return int(moment.utcoffset().total_seconds())


@lru_cache(maxsize=200_000)
def _seat(
    zone: str,
    country: str | None,
    start: int,
    duration: int,
    hours_start: int,
    hours_end: int,
    locale: str,
) -> tuple[bool, bool]:
    """(inside working hours on a working day, partly at night) for one meeting, kept
    for the next request: a body's past meetings do not move."""
    day, _minute, in_hours, night = fits(
        start,
        duration,
        _offset(zone, start),
        _offset(zone, start + duration),
        hours_start,
        hours_end,
    )
    if in_hours:
        in_hours = WorkCalendar(locale).day_off(country, EPOCH + timedelta(days=day)) is None
    return in_hours, night
