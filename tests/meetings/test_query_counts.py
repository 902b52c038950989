"""The subscription feed with 1,000 meetings and the month view with 300 run as many SQL
statements as with three, and answer fast; the medians are printed (-s) for the notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coalition.extensions import db
from coalition.meetings import feeds
from coalition.meetings.models import AgendaItem, Invitation, Meeting
from tests.conftest import state
from tests.initiatives.test_views_query_counts import measure

MONTH = datetime(2027, 5, 1, tzinfo=UTC)


def build(mw, n: int, *, spread: timedelta, prefix: str) -> None:
    """*n* public meetings of the initiative from MONTH on, every *spread*, each with an
    agenda of three items and FRA and GHA invited (bulk inserts: the setup is not what
    is measured)."""
    rows = []
    for k in range(n):
        start = MONTH + spread * k + timedelta(hours=9)
        rows.append(
            {
                "body_id": mw.initiative.id,
                "title": f"{prefix} meeting {k}",
                "description": "",
                "starts_at": start,
                "ends_at": start + timedelta(hours=2),
                "timezone": "Europe/Paris",
                "local_start": (start + timedelta(hours=2)).replace(tzinfo=None),
                "local_end": (start + timedelta(hours=4)).replace(tzinfo=None),
                "format": "hybrid",
                "venue": "Paris",
                "online_url": "https://video.example.org/x",
                "invitee_note": "",
                "visibility": "public",
                "status": "scheduled",
                "cancel_reason": "",
                "created_at": MONTH,
                "updated_at": MONTH,
            }
        )
    db.session.execute(sa.insert(Meeting), rows)
    ids = db.session.scalars(sa.select(Meeting.id).where(Meeting.title.startswith(prefix))).all()
    db.session.execute(
        sa.insert(AgendaItem),
        [{"meeting_id": i, "position": p, "title": f"Item {p}"} for i in ids for p in (1, 2, 3)],
    )
    participants = [state("FRA").id, state("GHA").id]
    db.session.execute(
        sa.insert(Invitation),
        [
            {"meeting_id": i, "participant_id": p, "source": "member", "created_at": MONTH}
            for i in ids
            for p in participants
        ],
    )
    db.session.commit()


def test_the_feed_runs_a_fixed_number_of_statements(mw, client, count_queries):
    feed = feeds.rotate(mw.member)
    db.session.commit()
    url = feeds.feed_url(feed).removeprefix("http://coalition.test")
    build(mw, 3, spread=timedelta(days=1), prefix="Small")
    small, _seconds = measure(client, url, count_queries, repeat=1)
    build(mw, 997, spread=timedelta(hours=7), prefix="Big")
    queries, seconds = measure(client, url, count_queries, repeat=5)
    body = client.get(url).get_data(as_text=True)
    assert body.count("BEGIN:VEVENT") == 1000
    assert queries == small
    assert seconds < 10
    print(f"\nfeed of 1,000 meetings: {queries} statements, median {seconds * 1000:.0f} ms")


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_month_view_runs_a_fixed_number_of_statements(mw, client, login_as, count_queries, who):
    if who == "member":
        login_as(mw.member)
    url = "/meetings?month=2027-05"
    build(mw, 3, spread=timedelta(days=1), prefix="Small")
    small, _seconds = measure(client, url, count_queries, repeat=1)
    build(mw, 297, spread=timedelta(hours=2), prefix="Big")
    queries, seconds = measure(client, url, count_queries, repeat=5)
    assert client.get(url).get_data(as_text=True).count('href="/meetings/') >= 300
    assert queries == small
    assert seconds < 10
    median = f"median {seconds * 1000:.0f} ms"
    print(f"\nmonth view of 300 meetings ({who}): {queries} statements, {median}")


def test_the_meeting_page_and_lists_do_not_grow_with_answers(mw, client, login_as, count_queries):
    """A co-chair's view of a meeting with 150 answers runs as many statements as with 2."""
    from coalition.meetings.models import Rsvp
    from coalition.participants.models import Participant, ParticipantKind

    build(mw, 1, spread=timedelta(days=1), prefix="Answered")
    meeting_id = db.session.scalar(sa.select(Meeting.id))
    login_as(mw.co_chair)
    url = f"/meetings/{meeting_id}"
    states = db.session.scalars(
        sa.select(Participant.id).where(Participant.kind == ParticipantKind.STATE).limit(150)
    ).all()

    def answer(ids):
        db.session.execute(
            sa.insert(Rsvp),
            [
                {"meeting_id": meeting_id, "participant_id": p, "response": "declined",
                 "head": "", "delegates": [], "answered_at": MONTH, "answered_by_id": mw.staff.id}
                for p in ids
            ],
        )  # fmt: skip
        db.session.commit()

    answer(states[:2])
    small, _ = measure(client, url, count_queries, repeat=1)
    answer(states[2:])
    big, _ = measure(client, url, count_queries, repeat=1)
    assert big == small
