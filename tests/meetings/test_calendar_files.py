"""Calendar files are valid RFC 5545 that two independent parsers read alike: stable
UIDs, SEQUENCE raised by every change, STATUS:CANCELLED, a URL back to the meeting, the
API's instants; notification mail carries METHOD:REQUEST or METHOD:CANCEL files."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

import pytest
import sqlalchemy as sa

from coalition.extensions import db
from coalition.meetings import feeds, services
from coalition.outbox.delivery import as_email
from coalition.outbox.models import OutgoingMail
from tests.meetings.conftest import parse_both, schedule


class Sent:
    """The mail queued since the fixture began (or since clear()), as the worker would
    send it."""

    def __init__(self) -> None:
        self.after = self._last_id()

    @staticmethod
    def _last_id() -> int:
        return db.session.scalar(sa.select(sa.func.max(OutgoingMail.id))) or 0

    def _messages(self) -> list[EmailMessage]:
        rows = db.session.scalars(
            sa.select(OutgoingMail).where(OutgoingMail.id > self.after).order_by(OutgoingMail.id)
        )
        return [as_email(row) for row in rows]

    def __iter__(self):
        return iter(self._messages())

    def __eq__(self, other: object) -> bool:
        return self._messages() == other

    __hash__ = None  # type: ignore[assignment]

    def clear(self) -> None:
        self.after = self._last_id()


@pytest.fixture
def sent(mw) -> Sent:
    return Sent()


def event_of(client, meeting_id: int):
    first, second = parse_both(client.get(f"/meetings/{meeting_id}.ics").get_data())
    return first.walk("VEVENT")[0], second.vevent


def test_a_meeting_file_is_read_alike_by_both_parsers(mw, client):
    meeting = schedule(
        mw, start="2027-06-10T10:30", end="2027-06-10T12:00", timezone="Europe/Paris"
    )
    response = client.get(f"/meetings/{meeting.id}.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    first, second = parse_both(response.get_data())
    one, other = first.walk("VEVENT")[0], second.vevent
    api = client.get(f"/api/v1/meetings/{meeting.id}").get_json()
    assert one["DTSTART"].dt == other.dtstart.value == datetime.fromisoformat(api["start"])
    assert one["DTEND"].dt == other.dtend.value == datetime.fromisoformat(api["end"])
    assert str(one["UID"]) == other.uid.value == f"meeting-{meeting.id}@coalition"
    assert str(one["URL"]) == other.url.value == f"http://coalition.test/meetings/{meeting.id}"
    assert str(one["STATUS"]) == "CONFIRMED"
    assert str(first["METHOD"]) == "PUBLISH"
    assert "10:30 Europe/Paris" in other.description.value


def test_every_change_raises_the_sequence_and_keeps_the_uid(mw, client):
    meeting = schedule(mw)
    uid = str(event_of(client, meeting.id)[0]["UID"])
    sequences = [int(event_of(client, meeting.id)[0]["SEQUENCE"])]
    services.change(meeting, actor=mw.co_chair, venue="Kumasi")
    db.session.commit()
    sequences.append(int(event_of(client, meeting.id)[1].sequence.value))
    services.set_agenda(meeting, ["Only item"], actor=mw.co_chair)
    db.session.commit()
    sequences.append(int(event_of(client, meeting.id)[0]["SEQUENCE"]))
    services.cancel(meeting, actor=mw.co_chair, reason="Postponed")
    db.session.commit()
    one, other = event_of(client, meeting.id)
    sequences.append(int(one["SEQUENCE"]))
    assert sequences == sorted(set(sequences))
    assert len(sequences) == 4
    assert str(one["UID"]) == uid
    assert str(one["STATUS"]) == other.status.value == "CANCELLED"


def test_notification_mail_carries_request_and_cancel_files(mw, sent):
    meeting = schedule(mw)
    services.change(meeting, actor=mw.co_chair, venue="Kumasi")
    db.session.commit()
    services.cancel(meeting, actor=mw.co_chair, reason="Postponed")
    db.session.commit()
    to_fra = [m for m in sent if m["To"] == mw.member.email]
    assert [m["Subject"].split(":")[0] for m in to_fra] == [
        "Meeting scheduled",
        "Meeting changed",
        "Meeting cancelled",
    ]
    methods = []
    for message in to_fra:
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
        calendar, _vobject = parse_both(attachment.get_payload(decode=True))
        methods.append(str(calendar["METHOD"]))
        event = calendar.walk("VEVENT")[0]
        assert "ORGANIZER" in event
        assert "secret-room" in str(event["DESCRIPTION"])  # invitees get the link
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert not [m for m in sent if m["To"] == mw.other.email]


def test_a_title_change_tells_no_one_but_raises_the_sequence(mw, sent):
    meeting = schedule(mw)
    sent.clear()
    services.change(meeting, actor=mw.co_chair, title="Renamed session")
    db.session.commit()
    assert sent == []
    assert meeting.sequence == 1


def test_the_feed_is_read_by_both_parsers_with_every_invited_meeting(mw, client):
    for n in range(3):
        schedule(mw, title=f"Session {n}")
    schedule(mw, title="Closed", visibility="members")
    feed = feeds.rotate(mw.member)
    db.session.commit()
    response = client.get(feeds.feed_url(feed).removeprefix("http://coalition.test"))
    first, second = parse_both(response.get_data())
    titles = sorted(str(e["SUMMARY"]) for e in first.walk("VEVENT"))
    assert len(titles) == 4
    assert titles[0].startswith("Closed")
    assert len(second.contents["vevent"]) == 4
    assert "REFRESH-INTERVAL" in first


def test_unknown_feed_tokens_are_404(client):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 300}.ics").status_code == 404


# -- the feed, written directly, with validators -------------------------------------------------


def _written_by_icalendar(meetings, private_ids, name) -> bytes:
    """The calendar as icalendar itself writes it, event by event."""
    from coalition.meetings import ics

    cal = ics._calendar("PUBLISH", name)
    for meeting in meetings:
        cal.add_component(ics.event(meeting, private=meeting.id in private_ids))
    return cal.to_ical()


def test_the_feed_is_byte_for_byte_what_icalendar_writes(mw, app):
    """Events are written directly for speed: escaping, folding (long ASCII lines,
    backslashes at the fold, multi-byte text), cancelled, members-only and Alliance-wide
    meetings must come out exactly as icalendar would write them."""
    from coalition.meetings import ics, queries

    schedule(mw, title="Plain")
    schedule(
        mw,
        title="Commas, semicolons; back\\slashes and a very long title " + "x" * 120,
        venue="Salle « Léopold Sédar Senghor » — bâtiment Ω, 2ᵉ étage, " + "é" * 60,
        agenda=["Item one; with a comma, and \\ backslash", "Ünïcode ✓ item " * 8],
        visibility="members",
    )
    # The escaped backslash falls on the fold: it is carried to the next line whole.
    schedule(mw, title="A" * 65 + "\\" + "B" * 100, online_url="", venue="")
    cancelled = schedule(mw, title="To be cancelled")
    services.cancel(cancelled, actor=mw.co_chair, reason="Postponed;\r\nsee you, later")
    db.session.commit()
    schedule(mw, title="Alliance-wide", body=None, actor=mw.staff)

    from coalition import permissions

    with app.test_request_context():
        participant = permissions.acting_participant(mw.member)
        entries = queries.feed_entries(participant)
        meetings = queries.feed_meetings(participant)
        assert [e.id for e in entries] == [m.id for m in meetings]
        private = {m.id for m in meetings}
        written = ics.calendar(entries, private_ids=private, name="Coalition meetings")
        assert written == _written_by_icalendar(meetings, private, "Coalition meetings")
        # Public details only: the same again.
        assert ics.calendar(entries, private_ids=set(), name=None) == _written_by_icalendar(
            meetings, set(), None
        )


def test_a_feed_polled_again_unchanged_is_a_304_and_a_change_shows(mw, client, count_queries):
    schedule(mw, title="Session one")
    feed = feeds.rotate(mw.member)
    db.session.commit()
    url = feeds.feed_url(feed).removeprefix("http://coalition.test")

    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    with count_queries() as counted:
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert counted.count <= 3  # the token, the data version: not the meetings
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    # Another language names the calendar otherwise: another validator.
    assert client.get(
        url, headers={"If-None-Match": etag, "Accept-Language": "fr"}
    ).status_code in (
        200,
        304,
    )

    schedule(mw, title="Session two")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Session two" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag
    # A token that opens nothing is a 404, whatever validator it brings.
    assert client.get("/calendar/nope.ics", headers={"If-None-Match": etag}).status_code == 404
