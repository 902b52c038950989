"""A series in a calendar file: its VTIMEZONE, its repeating event, its exceptions.

Calendar apps must expand the file to the occurrences the site shows, instants and
wall-clock times alike, across daylight-saving changes: the repeating event's times
are wall-clock times in the series' zone (TZID), and the zone's VTIMEZONE lists each
clock change in the span as an observance of its own (vobject misreads the RDATE lists
other generators write). Occurrences not shown (cancelled, or not for this reader) are
EXDATEs; those that differ from the rule's time (moved, or shifted by a daylight-saving
gap) or were changed alone are events of their own with the occurrence's RECURRENCE-ID
and SEQUENCE.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar.prop import vRecur

from coalition.extensions import db
from coalition.meetings import ics, recurrence, series
from coalition.meetings.models import Meeting, MeetingSeries, MeetingStatus
from coalition.planner.clocks import offsets


def series_uid(series_id: int) -> str:
    return f"series-{series_id}@coalition"


def vtimezone(tz: ZoneInfo, begin: datetime, end: datetime) -> Timezone:
    """The zone's offsets from *begin* to *end* (UTC), one observance per change."""
    first, changes = offsets(tz, int(begin.timestamp()), int(end.timestamp()))
    component = Timezone()
    component.add("tzid", tz.key)

    def observance(at: datetime, before: int, after: int) -> None:
        daylight = bool(at.astimezone(tz).dst())
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("dtstart", (at + timedelta(seconds=before)).replace(tzinfo=None))
        part.add("tzoffsetfrom", timedelta(seconds=before))
        part.add("tzoffsetto", timedelta(seconds=after))
        component.add_component(part)

    observance(begin.replace(microsecond=0), first, first)
    current = first
    for timestamp, new in changes:
        observance(datetime.fromtimestamp(timestamp, UTC), current, new)
        current = new
    return component


def add_series(
    cal: Calendar,
    grouped: dict[int, list[Meeting]],
    *,
    private_ids: set[int] | frozenset[int],
    organizer: bool,
) -> None:
    """Add each series of *grouped* (series id: the occurrences to show) to *cal* (the
    series in 1 query)."""
    if not grouped:
        return
    rows = db.session.scalars(sa.select(MeetingSeries).where(MeetingSeries.id.in_(grouped)))
    spans: dict[str, list[datetime]] = {}
    events = []
    for item in sorted(rows, key=lambda s: s.id):
        if not grouped[item.id]:
            continue
        dates = series.generated(item)
        tz = ZoneInfo(item.timezone)
        ends = [recurrence.instant(dates[0], tz), recurrence.instant(dates[-1], tz)]
        ends += [m.ends_at for m in grouped[item.id]] + [m.starts_at for m in grouped[item.id]]
        spans.setdefault(item.timezone, []).extend(ends)
        events += _events(item, dates, grouped[item.id], private_ids, organizer)
    for key, moments in sorted(spans.items()):
        cal.add_component(
            vtimezone(
                ZoneInfo(key), min(moments) - timedelta(days=1), max(moments) + timedelta(days=2)
            )
        )
    for item in events:
        cal.add_component(item)


def _events(
    item: MeetingSeries,
    dates: list[datetime],
    shown: list[Meeting],
    private_ids: set[int] | frozenset[int],
    organizer: bool,
) -> list[Event]:
    tz = ZoneInfo(item.timezone)
    known = set(dates)
    live = sorted(
        (m for m in shown if m.status is not MeetingStatus.CANCELLED and m.recurrence_id in known),
        key=lambda m: m.recurrence_id,
    )
    ordered = sorted(shown, key=lambda m: m.recurrence_id)
    template = next((m for m in live if not m.is_exception), live[0] if live else ordered[0])
    uid = series_uid(item.id)
    master = ics.event(
        template,
        private=template.id in private_ids,
        organizer=organizer,
        event_uid=uid,
        when=(item.local_start.replace(tzinfo=tz), item.local_end.replace(tzinfo=tz)),
    )
    master["sequence"] = item.sequence
    master.pop("dtstamp")
    master.add("dtstamp", max(item.updated_at, template.updated_at))
    master.add("rrule", vRecur.from_ical(series.rule_of(item).text(tz)))
    if live:
        shown_dates = {m.recurrence_id for m in live}
        excluded = [d.replace(tzinfo=tz) for d in dates if d not in shown_dates]
        if excluded:
            master.add("exdate", excluded)
        master.pop("status")
        master.add("status", "CONFIRMED")
    else:
        # Nothing left to show: the whole series is cancelled (or hidden).
        master.pop("status")
        master.add("status", "CANCELLED")
    events = [master]
    length = series.duration(item)
    for meeting in live:
        nominal = recurrence.instant(meeting.recurrence_id, tz)
        # A wall-clock time shifted by a gap (02:30 happening at 03:30) is written out
        # too: calendar apps disagree on such a day's end.
        if (
            meeting.is_exception
            or meeting.local_start != meeting.recurrence_id
            or meeting.starts_at != nominal
            or meeting.ends_at - meeting.starts_at != length
        ):
            override = ics.event(
                meeting, private=meeting.id in private_ids, organizer=organizer, event_uid=uid
            )
            override.add("recurrence-id", meeting.recurrence_id.replace(tzinfo=tz))
            events.append(override)
    return events


def add_cancelled_occurrence(cal: Calendar, meeting: Meeting) -> None:
    """One cancelled occurrence, named by its series' UID and its RECURRENCE-ID."""
    tz = ZoneInfo(db.session.get(MeetingSeries, meeting.series_id).timezone)
    moment = recurrence.instant(meeting.recurrence_id, tz)
    cal.add_component(vtimezone(tz, moment - timedelta(days=1), moment + timedelta(days=2)))
    item = ics.event(
        meeting, private=False, organizer=True, event_uid=series_uid(meeting.series_id)
    )
    item.add("recurrence-id", meeting.recurrence_id.replace(tzinfo=tz))
    cal.add_component(item)
