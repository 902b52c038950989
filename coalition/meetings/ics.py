"""iCalendar (RFC 5545) files of meetings: one meeting's file, the subscription feed,
and the REQUEST / CANCEL attachments of notification mail.

Each event has a stable UID, the meeting's SEQUENCE (raised by every change), STATUS,
a URL back to the meeting page, and its times in UTC, which every client reads alike:
VTIMEZONE definitions generated from tzdata list their transitions as RDATEs, which
some readers misread (vobject takes a June time in Paris for winter time), and a TZID
time cannot name the second of two identical wall-clock times. The meeting's own zone
and wall-clock time are in the description. Members-only details (the online link, the
invitees' note) are written only for meetings in *private_ids*.

A series is one event with the series' UID whose times are wall-clock times in its zone
(TZID), as a rule repeating at the same local time must be: its RRULE, an EXDATE for
each occurrence not shown (cancelled, or not for this reader), and an event with a
RECURRENCE-ID and its own SEQUENCE for each occurrence that differs (changed alone, or
moved). Its VTIMEZONE lists each clock change as an observance of its own, without
RDATE lists, which vobject misreads; see coalition.meetings.series_ics.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from coalition.mail import external_url
from coalition.meetings.models import Meeting, MeetingStatus, Visibility

PRODID = "-//Coalition//Meetings 1.0//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(meeting: Meeting) -> str:
    """The same for the life of the meeting, whatever host serves it."""
    return f"meeting-{meeting.id}@coalition"


def _description(meeting: Meeting, private: bool, url: str) -> str:
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
    parts = [f"{local:%Y-%m-%d %H:%M} {meeting.timezone} (UTC{local:%z})"]
    if meeting.description:
        parts.append(meeting.description)
    if meeting.agenda:
        parts.append("\n".join(f"{item.position}. {item.title}" for item in meeting.agenda))
    if private and meeting.online_url:
        parts.append(meeting.online_url)
    if private and meeting.invitee_note:
        parts.append(meeting.invitee_note)
    if meeting.status is MeetingStatus.CANCELLED and meeting.cancel_reason:
        parts.append(meeting.cancel_reason)
    parts.append(url)
    return "\n\n".join(parts)


def event(
    meeting: Meeting,
    *,
    private: bool,
    organizer: bool = False,
    event_uid: str | None = None,
    when: tuple[datetime, datetime] | None = None,
) -> Event:
    """The meeting's event: its own UID and times in UTC, unless *event_uid* (a series')
    and *when* (wall-clock times with their zone) are given."""
    url = external_url("meetings.detail", meeting_id=meeting.id)
    item = Event()
    item.add("uid", event_uid or uid(meeting))
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", meeting.updated_at)
    item.add("created", meeting.created_at)
    item.add("last-modified", meeting.updated_at)
    start, end = when or (meeting.starts_at, meeting.ends_at)
    item.add("dtstart", start)
    item.add("dtend", end)
    title = meeting.title
    if meeting.body is not None:
        title = f"{meeting.title} ({meeting.body.title})"
    item.add("summary", title)
    item.add("status", "CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
    item.add("class", "PUBLIC" if meeting.visibility is Visibility.PUBLIC else "PRIVATE")
    location = meeting.venue
    if private and meeting.online_url:
        location = f"{location} — {meeting.online_url}" if location else meeting.online_url
    if location:
        item.add("location", location)
    item.add("description", _description(meeting, private, url))
    item.add("url", url)
    if organizer:
        name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
        who = vCalAddress(f"mailto:{address or 'no-reply@localhost'}")
        who.params["cn"] = vText(name or "Coalition")
        item.add("organizer", who)
    return item


def calendar(
    meetings: Iterable[Meeting],
    *,
    private_ids: set[int] | frozenset[int] = frozenset(),
    method: str = "PUBLISH",
    name: str | None = None,
    whole_series: dict[int, list[Meeting]] | None = None,
) -> bytes:
    """The calendar file of *meetings*, members-only details for those in *private_ids*.
    An occurrence of a series brings its series, showing the occurrences among
    *meetings*, or those *whole_series* gives for its series."""
    from coalition.meetings import series_ics

    cal = _calendar(method, name)
    organizer = method in ("REQUEST", "CANCEL")
    grouped: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        if meeting.series_id is None:
            cal.add_component(
                event(meeting, private=meeting.id in private_ids, organizer=organizer)
            )
        else:
            grouped.setdefault(meeting.series_id, []).append(meeting)
    grouped.update(whole_series or {})
    series_ics.add_series(cal, grouped, private_ids=private_ids, organizer=organizer)
    return cal.to_ical()


def _calendar(method: str, name: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
        # RFC 7986: how often a subscribed calendar should be fetched again.
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    return cal


def cancel_occurrence(meeting: Meeting) -> bytes:
    """METHOD:CANCEL for one occurrence of a series: its RECURRENCE-ID alone."""
    from coalition.meetings import series_ics

    cal = _calendar("CANCEL", None)
    series_ics.add_cancelled_occurrence(cal, meeting)
    return cal.to_ical()
