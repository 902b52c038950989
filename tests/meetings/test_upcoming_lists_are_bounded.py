"""Issue 12: the upcoming lists read the meetings index from a month back (no meeting
lasts longer, values.LONGEST), not from the first meeting ever held; the latest-first
lists from now back. The bounds change nothing of what they list."""

from __future__ import annotations

from tests.meetings.conftest import schedule, wall

TITLE = "Working session on cyber norms"


def test_a_meeting_under_way_for_a_month_is_still_listed_as_upcoming(mw, client):
    schedule(mw, actor=mw.staff, start=wall(-29, 8), end=wall(1, 9), record_past=True)
    assert TITLE in client.get("/").get_data(as_text=True)
    assert TITLE in client.get("/meetings?view=list").get_data(as_text=True)
    assert TITLE not in client.get("/meetings?view=list&when=past").get_data(as_text=True)


def test_a_meeting_held_yesterday_is_listed_as_past(mw, client):
    schedule(mw, actor=mw.staff, start=wall(-1, 8), end=wall(-1, 9), record_past=True)
    assert TITLE in client.get("/meetings?view=list&when=past").get_data(as_text=True)
    assert TITLE not in client.get("/meetings?view=list").get_data(as_text=True)


def test_the_upcoming_and_past_lists_bound_the_start(client, count_queries):
    with count_queries() as home:
        client.get("/")
    with count_queries() as upcoming:
        client.get("/meetings?view=list")
    with count_queries() as past:
        client.get("/meetings?view=list&when=past")
    for counter, sign in ((home, ">"), (upcoming, ">"), (past, "<")):
        listing = [s for s in counter.statements if "FROM meetings" in s and "ends_at" in s]
        assert listing
        assert all(f"meetings.starts_at {sign}" in s for s in listing), listing
