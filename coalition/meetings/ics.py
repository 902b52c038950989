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

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from coalition.mail import external_url, external_url_builder
from coalition.meetings.models import Meeting, MeetingStatus, Visibility

if TYPE_CHECKING:
    from coalition.meetings.queries import FeedMeeting

PRODID = "-//Coalition//Meetings 1.0//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(meeting: Meeting) -> str:
    """The same for the life of the meeting, whatever host serves it."""
    return f"meeting-{meeting.id}@coalition"


def _description(meeting: Meeting | FeedMeeting, private: bool, url: str) -> str:
    local = meeting.starts_at.astimezone(_zone(meeting.timezone))
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


# -- events written directly -------------------------------------------------------------
#
# A feed holds a thousand meetings: building each as an icalendar Event and serializing
# it costs about a millisecond (property objects, sorting, folding character by
# character), most of a feed's time. The plain events of calendar() are written here
# instead, byte for byte as icalendar writes them (tests/meetings/test_calendar_files.py
# compares the two): the same properties in its order (its canonical ones, then by name),
# the same TEXT escaping, UTC times, lines folded at 75 octets. Series, the mail's
# REQUEST and CANCEL and anything unusual still go through icalendar.


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 says (and icalendar does, in this order)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """A content line folded as icalendar folds it: at most 74 octets a line, never
    parting a backslash from what it escapes, nor a character's octets."""
    if not line.isascii():
        return _fold_octets(line)
    if len(line) <= _FOLD_AT:
        return line
    parts = []
    start = 0
    while len(line) - start > _FOLD_AT:
        end = start + _FOLD_AT
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


def _fold_octets(line: str) -> str:
    """_fold for text beyond ASCII, counting each character's UTF-8 octets."""
    if len(line.encode()) <= _FOLD_AT:
        return line
    parts: list[str] = []
    current: list[str] = []
    octets = 0
    for char in line:
        size = 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4
        if current and octets + size > _FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, octets = [carried], 1
            else:
                parts.append("".join(current))
                current, octets = [], 0
        current.append(char)
        octets += size
    parts.append("".join(current))
    return "\r\n ".join(parts)


_FOLD_AT = 74


def _utc(value: datetime) -> str:
    return (
        f"{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}Z"
    )


def _is_utc(value: datetime) -> bool:
    return value.tzinfo is UTC


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo:
    # ZoneInfo keeps only a few zones alive; a feed goes through dozens, many times.
    return ZoneInfo(name)


def event_text(
    meeting: Meeting | FeedMeeting, *, private: bool, url: Callable[..., str] | None = None
) -> str:
    """event(meeting, private=private).to_ical(), decoded, written directly. *url* builds
    the meeting's URL (external_url_builder), given when writing many."""
    times = (meeting.starts_at, meeting.ends_at, meeting.updated_at, meeting.created_at)
    if not all(_is_utc(t) for t in times):
        return event(meeting, private=private).to_ical().decode()  # type: ignore[arg-type]
    url = (url or external_url_builder("meetings.detail"))(meeting_id=meeting.id)
    title = meeting.title
    if meeting.body is not None:
        title = f"{meeting.title} ({meeting.body.title})"
    location = meeting.venue
    if private and meeting.online_url:
        location = f"{location} — {meeting.online_url}" if location else meeting.online_url
    updated = _utc(meeting.updated_at)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _text(title),
        "DTSTART:" + _utc(meeting.starts_at),
        "DTEND:" + _utc(meeting.ends_at),
        "DTSTAMP:" + updated,
        "UID:" + _text(uid(meeting)),
        f"SEQUENCE:{int(meeting.sequence)}",
        "CLASS:" + ("PUBLIC" if meeting.visibility is Visibility.PUBLIC else "PRIVATE"),
        "CREATED:" + _utc(meeting.created_at),
        "DESCRIPTION:" + _text(_description(meeting, private, url)),
        "LAST-MODIFIED:" + updated,
    ]
    if location:
        lines.append("LOCATION:" + _text(location))
    lines.append(
        "STATUS:" + ("CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
    )
    lines.append("URL:" + url)
    lines.append("END:VEVENT")
    return "".join(_fold(line) + "\r\n" for line in lines)


def calendar(
    meetings: Iterable[Meeting | FeedMeeting],
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
    events: list[str] = []
    url = external_url_builder("meetings.detail")
    for meeting in meetings:
        if meeting.series_id is None:
            if organizer:
                cal.add_component(event(meeting, private=meeting.id in private_ids, organizer=True))
            else:
                events.append(event_text(meeting, private=meeting.id in private_ids, url=url))
        else:
            grouped.setdefault(meeting.series_id, []).append(meeting)  # type: ignore[arg-type]
    grouped.update(whole_series or {})
    if not events:
        series_ics.add_series(cal, grouped, private_ids=private_ids, organizer=organizer)
        return cal.to_ical()
    # The calendar's own lines, then the events written here, then the series.
    head = cal.to_ical()
    assert head.endswith(_END)
    series = _calendar(method, None)
    series_ics.add_series(series, grouped, private_ids=private_ids, organizer=organizer)
    return b"".join(
        [
            head[: -len(_END)],
            "".join(events).encode(),
            *(component.to_ical() for component in series.subcomponents),
            _END,
        ]
    )


_END = b"END:VCALENDAR\r\n"


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
