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
