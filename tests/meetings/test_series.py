"""Recurring series: occurrences keep their wall-clock time across daylight-saving
changes; the calendar file, expanded by recurring-ical-events as calendar apps do,
gives the site's occurrences (instants and wall-clock times) and both parsers read it;
one occurrence moves or is cancelled alone; "this and the following" splits the
series; rules that never end or make too many meetings are refused, naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import sqlalchemy as sa

from coalition.extensions import db
from coalition.meetings import recurrence, series, services
from coalition.meetings.models import Meeting, MeetingSeries, MeetingStatus
from tests.conftest import audit_actions
from tests.meetings.conftest import parse_both, schedule

NY = ZoneInfo("America/New_York")
NEXT_YEAR = datetime.now(UTC).year + 1


def third_wednesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(2 - first.weekday()) % 7 + 14)


def rows(series_id: int) -> list[Meeting]:
    return series.occurrences(series_id)


def live(meetings: list[Meeting]) -> list[Meeting]:
    return [m for m in meetings if m.status is MeetingStatus.SCHEDULED]


def expand(content: bytes) -> list:
    """What a calendar app shows: every instance, cancelled ones left out."""
    parse_both(content)
    cal = icalendar.Calendar.from_ical(content)
    events = recurring_ical_events.of(cal).between(date(2000, 1, 1), date(2100, 1, 1))
    return sorted(
        (e for e in events if str(e.get("STATUS", "")) != "CANCELLED"),
        key=lambda e: e["DTSTART"].dt,
    )


def assert_calendar_matches_site(content: bytes, meetings: list[Meeting]) -> None:
    """The expansion's instants and wall-clock times are the site's scheduled ones."""
    shown = expand(content)
    site = sorted(live(meetings), key=lambda m: m.starts_at)
    assert [e["DTSTART"].dt.astimezone(UTC) for e in shown] == [m.starts_at for m in site]
    assert [e["DTEND"].dt.astimezone(UTC) for e in shown] == [m.ends_at for m in site]
    walls = [
        e["DTSTART"].dt.astimezone(ZoneInfo(m.timezone)) for e, m in zip(shown, site, strict=True)
    ]
    assert [w.replace(tzinfo=None) for w in walls] == [m.local_start for m in site]


def monthly_series(mw, count: int = 6, hour: int = 15, **values) -> Meeting:
    first = third_wednesday(NEXT_YEAR, 1)
    return schedule(
        mw,
        start=f"{first}T{hour:02d}:00",
        end=f"{first}T{hour + 1:02d}:30",
        timezone="America/New_York",
        recurrence=f"FREQ=MONTHLY;BYDAY=3WE;COUNT={count}",
        **values,
    )


# -- the rule and its dates ----------------------------------------------------------------------


def test_every_third_wednesday_at_15_new_york_time_six_times(mw, client):
    first = monthly_series(mw)
    meetings = rows(first.series_id)
    assert [m.local_start.date() for m in meetings] == [
        third_wednesday(NEXT_YEAR, month) for month in range(1, 7)
    ]
    # Same wall-clock time; the instant moves with daylight saving time in March.
    assert {m.local_start.time() for m in meetings} == {time(15, 0)}
    offsets = {m.starts_at.astimezone(NY).utcoffset() for m in meetings}
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}
    assert all(m.ends_at - m.starts_at == timedelta(minutes=90) for m in meetings)
    # Each occurrence is a meeting of its own: invitations, history.
    assert all(audit_actions("meeting", m.id) == ["meeting.schedule"] for m in meetings)
    assert client.get(f"/meetings/{meetings[3].id}").status_code == 200


def test_a_nonexistent_wall_time_happens_after_the_gap_as_rfc_5545_says(mw, client):
    """Daily at 02:30 in New York across the night clocks go forward: that day's
    meeting is at 03:30 EDT (the offset before the gap), and calendar apps agree."""
    march = date(NEXT_YEAR, 3, 1)
    change = march + timedelta(days=(6 - march.weekday()) % 7 + 7)  # second Sunday
    start = change - timedelta(days=2)
    first = schedule(
        mw,
        start=f"{start}T02:30",
        end=f"{start}T03:00",
        timezone="America/New_York",
        recurrence="FREQ=DAILY;COUNT=5",
        visibility="public",
    )
    meetings = rows(first.series_id)
    on_the_day = next(m for m in meetings if m.recurrence_id.date() == change)
    assert on_the_day.recurrence_id.time().isoformat() == "02:30:00"
    assert on_the_day.local_start.time().isoformat() == "03:30:00"
    assert on_the_day.starts_at == datetime(change.year, 3, change.day, 7, 30, tzinfo=UTC)
    others = [m for m in meetings if m is not on_the_day]
    assert {m.local_start.time().isoformat() for m in others} == {"02:30:00"}
    assert_calendar_matches_site(client.get(f"/meetings/{first.id}.ics").get_data(), meetings)


def test_the_calendar_file_expands_to_the_site_across_march_and_november(mw, client):
    start = date(NEXT_YEAR, 2, 4)
    start += timedelta(days=(2 - start.weekday()) % 7)
    first = schedule(
        mw,
        start=f"{start}T15:00",
        end=f"{start}T16:00",
        timezone="America/New_York",
        recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=25",
    )
    meetings = rows(first.series_id)
    assert len(meetings) == 25
    assert meetings[-1].local_start.date() > date(NEXT_YEAR, 11, 8)
    content = client.get(f"/meetings/{meetings[5].id}.ics").get_data()
    assert b"RRULE:FREQ=WEEKLY;COUNT=25;INTERVAL=2;BYDAY=WE" in content
    assert b"DTSTART;TZID=America/New_York:" in content
    assert b"RDATE" not in content
    assert_calendar_matches_site(content, meetings)
    # vobject, the second parser, expands the rule to the same instants.
    _first, second = parse_both(content)
    instants = list(second.vevent.getrruleset(addRDate=True))
    assert [i.astimezone(UTC) for i in instants] == [m.starts_at for m in meetings]


# -- one occurrence alone ----------------------------------------------------------------------


def test_moving_one_occurrence_moves_no_other(mw, client):
    first = monthly_series(mw)
    before = {m.id: (m.starts_at, m.ends_at) for m in rows(first.series_id)}
    third = rows(first.series_id)[2]
    day = third.local_start.date() + timedelta(days=1)
    services.change(third, actor=mw.co_chair, start=f"{day}T17:00", end=f"{day}T18:00")
    db.session.commit()
    after = {m.id: (m.starts_at, m.ends_at) for m in rows(first.series_id)}
    assert {k for k in after if after[k] != before[k]} == {third.id}
    assert third.is_exception
    assert third.recurrence_id.date() == day - timedelta(days=1)
    content = client.get(f"/meetings/{first.id}.ics").get_data()
    assert b"RECURRENCE-ID;TZID=America/New_York:" in content
    assert_calendar_matches_site(content, rows(first.series_id))
    override = [
        e for e in icalendar.Calendar.from_ical(content).walk("VEVENT") if "RECURRENCE-ID" in e
    ]
    assert len(override) == 1
    assert override[0]["SEQUENCE"] == third.sequence >= 1


def test_cancelling_one_occurrence_leaves_an_exdate(mw, client, api_headers):
    first = monthly_series(mw)
    fourth = rows(first.series_id)[3]
    response = client.post(
        f"/api/v1/meetings/{fourth.id}/cancel",
        json={"reason": "Holiday"},
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 200
    meetings = rows(first.series_id)
    assert [m.status for m in meetings].count(MeetingStatus.CANCELLED) == 1
    content = client.get(f"/meetings/{first.id}.ics").get_data()
    assert b"EXDATE;TZID=America/New_York:" in content
    assert_calendar_matches_site(content, meetings)
    assert len(expand(content)) == 5


# -- this and the following --------------------------------------------------------------------


def test_this_and_following_splits_the_series(mw, client, api_headers):
    first = monthly_series(mw)
    meetings = rows(first.series_id)
    fourth = meetings[3]
    day = fourth.recurrence_id.date()
    response = client.patch(
        f"/api/v1/meetings/{fourth.id}",
        json={"start": f"{day}T10:00", "end": f"{day}T11:00", "scope": "following"},
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 200, response.get_json()
    old = db.session.get(MeetingSeries, first.series_id)
    db.session.refresh(old)
    assert old.count is None
    assert old.until_local == meetings[2].recurrence_id
    kept = rows(old.id)
    assert [m.id for m in kept] == [m.id for m in meetings[:3]]
    assert {m.local_start.time().isoformat() for m in kept} == {"15:00:00"}
    new_series_id = db.session.get(Meeting, fourth.id).series_id
    assert new_series_id != old.id
    moved = rows(new_series_id)
    assert [m.id for m in moved] == [m.id for m in meetings[3:]]
    assert {m.local_start.time().isoformat() for m in moved} == {"10:00:00"}
    assert [m.local_start.date() for m in moved] == [m.recurrence_id.date() for m in meetings[3:]]
    # Both series are valid in the files, and together they are the site's meetings.
    for meeting in (kept[0], moved[0]):
        db.session.expire_all()
        content = client.get(f"/meetings/{meeting.id}.ics").get_data()
        assert_calendar_matches_site(content, rows(meeting.series_id))
    assert response.get_json()["series"]["id"] == new_series_id


def test_this_and_following_cannot_change_the_dates(mw, client, api_headers):
    first = monthly_series(mw)
    fourth = rows(first.series_id)[3]
    day = fourth.recurrence_id.date() + timedelta(days=1)
    response = client.patch(
        f"/api/v1/meetings/{fourth.id}",
        json={"start": f"{day}T10:00", "end": f"{day}T11:00", "scope": "following"},
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 422
    assert "start" in response.get_json()["errors"]
    assert rows(first.series_id)[3].local_start.time().isoformat() == "15:00:00"


def test_cancelling_this_and_following_ends_the_series(mw, client):
    first = monthly_series(mw)
    meetings = rows(first.series_id)
    series.cancel_following(meetings[2], actor=mw.co_chair, reason="Mandate ends")
    db.session.commit()
    statuses = [m.status for m in rows(first.series_id)]
    assert statuses == [MeetingStatus.SCHEDULED] * 2 + [MeetingStatus.CANCELLED] * 4
    content = client.get(f"/meetings/{first.id}.ics").get_data()
    assert b"UNTIL=" in content
    assert_calendar_matches_site(content, rows(first.series_id))


def test_changing_from_the_first_occurrence_changes_the_whole_series(mw, client):
    first = monthly_series(mw)
    series.change_following(first, actor=mw.co_chair, title="Renamed", venue="Geneva")
    db.session.commit()
    meetings = rows(first.series_id)
    assert {m.title for m in meetings} == {"Renamed"}
    assert db.session.scalar(sa.select(sa.func.count(MeetingSeries.id))) == 1
    assert_calendar_matches_site(client.get(f"/meetings/{first.id}.ics").get_data(), meetings)


def test_only_the_co_chairs_and_staff_change_the_following(mw, client, api_headers):
    first = monthly_series(mw)
    second = rows(first.series_id)[1]
    for user in (mw.member, mw.other, mw.plain):
        response = client.patch(
            f"/api/v1/meetings/{second.id}",
            json={"title": "Hijacked", "scope": "following"},
            headers=api_headers(user),
        )
        assert response.status_code in (403, 404)
    assert {m.title for m in rows(first.series_id)} == {"Working session on cyber norms"}
    response = client.patch(
        f"/api/v1/meetings/{second.id}",
        json={"title": "Renamed", "scope": "following"},
        headers=api_headers(mw.staff),
    )
    assert response.status_code == 200


# -- the API -----------------------------------------------------------------------------------


def test_the_api_lists_the_occurrences(mw, client, api_headers):
    first = third_wednesday(NEXT_YEAR, 1)
    response = client.post(
        "/api/v1/meetings",
        json={
            "body": mw.initiative.slug,
            "title": "Monthly coordination",
            "start": f"{first}T15:00",
            "end": f"{first}T16:00",
            "timezone": "America/New_York",
            "format": "virtual",
            "visibility": "public",
            "recurrence": "FREQ=MONTHLY;BYDAY=3WE;COUNT=6",
        },
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert len(data["occurrences"]) == 6
    assert [o["local_start"][11:16] for o in data["occurrences"]] == ["15:00"] * 6
    assert {o["local_start"][-6:] for o in data["occurrences"]} == {"-05:00", "-04:00"}
    assert data["series"]["rule"] == "FREQ=MONTHLY;BYDAY=3WE;COUNT=6"
    assert data["warnings"] == []


@pytest.mark.parametrize(
    ("rule", "field", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=3WE", "recurrence", "needs an end"),
        ("FREQ=DAILY;COUNT=5000", "recurrence", "at most 100"),
        ("FREQ=DAILY;UNTIL=21001231", "recurrence", "at most 100"),
        ("FREQ=YEARLY;COUNT=3", "recurrence", "DAILY, WEEKLY or MONTHLY"),
        ("FREQ=WEEKLY;BYDAY=3WE;COUNT=3", "recurrence", "FREQ=MONTHLY only"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20300101", "recurrence", "not both"),
        ("FREQ=DAILY;BYHOUR=3;COUNT=3", "recurrence", "not supported"),
        ("FREQ=DAILY;INTERVAL=0;COUNT=3", "recurrence", "from 1 to 99"),
        ("nonsense", "recurrence", "NAME=VALUE"),
        ("FREQ=MONTHLY;BYDAY=1MO;COUNT=3", "start", "not one the rule makes"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(mw, client, api_headers, rule, field, words):
    first = third_wednesday(NEXT_YEAR, 1)
    response = client.post(
        "/api/v1/meetings",
        json={
            "body": mw.initiative.slug,
            "title": "Never-ending",
            "start": f"{first}T15:00",
            "end": f"{first}T16:00",
            "timezone": "America/New_York",
            "format": "virtual",
            "visibility": "public",
            "recurrence": rule,
        },
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert words in " ".join(problem["errors"][field])
    assert db.session.scalar(sa.select(sa.func.count(MeetingSeries.id))) == 0


# -- the form ----------------------------------------------------------------------------------


def test_the_form_builds_the_rule_from_plain_choices(mw, login_as):
    client = login_as(mw.co_chair)
    page = client.get(f"/meetings/new?body={mw.initiative.slug}")
    assert page.status_code == 200
    assert b'name="recurrence"' in page.data
    first = third_wednesday(NEXT_YEAR, 1)
    response = client.post(
        "/meetings/new",
        data={
            "body": mw.initiative.slug,
            "csrf_token": "",
            "title": "Monthly coordination",
            "start": f"{first}T15:00",
            "end": f"{first}T16:00",
            "timezone": "America/New_York",
            "format": "virtual",
            "visibility": "public",
            "recurrence": "monthly",
            "interval": "1",
            "monthly_by": "weekday",
            "ends": "count",
            "count": "6",
        },
    )
    assert response.status_code == 303, response.data[:2000]
    made = db.session.scalars(sa.select(MeetingSeries)).one()
    assert (made.rule, made.count) == ("FREQ=MONTHLY;BYDAY=3WE", 6)
    page = client.get(response.headers["Location"])
    assert "third" in page.get_data(as_text=True)


def test_the_form_says_when_a_series_has_too_many_meetings(mw, login_as):
    client = login_as(mw.co_chair)
    first = third_wednesday(NEXT_YEAR, 1)
    response = client.post(
        "/meetings/new",
        data={
            "body": mw.initiative.slug,
            "title": "Daily forever",
            "start": f"{first}T15:00",
            "end": f"{first}T16:00",
            "timezone": "America/New_York",
            "format": "virtual",
            "visibility": "public",
            "recurrence": "daily",
            "interval": "1",
            "ends": "until",
            "until": f"{NEXT_YEAR + 5}-01-01",
        },
    )
    assert response.status_code == 422
    assert "at most 100 meetings" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_build_gives_the_last_weekday_for_a_fifth_one():
    rule = recurrence.build(
        freq="monthly",
        interval=1,
        weekdays=[],
        monthly_by="weekday",
        start=date(2026, 12, 30),
        count=3,
        until=None,
    )
    assert rule == "FREQ=MONTHLY;BYDAY=-1WE;COUNT=3"


# -- mail and feeds ----------------------------------------------------------------------------


def test_invitees_are_told_once_with_the_series_and_a_cancel_names_one_occurrence(mw):
    from tests.meetings.test_calendar_files import Sent

    sent = Sent()
    first = monthly_series(mw)
    meetings = rows(first.series_id)
    to_fra = [m for m in sent if m["To"] == mw.member.email]
    assert [m["Subject"].split(":")[0] for m in to_fra] == ["Meetings scheduled"]
    (attachment,) = list(to_fra[0].iter_attachments())
    content = attachment.get_payload(decode=True)
    assert b"METHOD:REQUEST" in content
    assert_calendar_matches_site(content, meetings)
    sent.clear()
    services.cancel(meetings[1], actor=mw.co_chair, reason="Clash")
    db.session.commit()
    (message,) = [m for m in sent if m["To"] == mw.member.email]
    (attachment,) = list(message.iter_attachments())
    calendar, _vobject = parse_both(attachment.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"series-{first.series_id}@coalition"
    assert event["RECURRENCE-ID"].dt.replace(tzinfo=None) == meetings[1].recurrence_id


def test_the_feed_carries_the_series_with_the_invited_occurrences(mw, client):
    from coalition.meetings import feeds

    first = monthly_series(mw)
    services.change(rows(first.series_id)[4], actor=mw.co_chair, venue="Geneva")
    feed = feeds.rotate(mw.member)
    db.session.commit()
    content = client.get(feeds.feed_url(feed).removeprefix("http://coalition.test")).get_data()
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert sum("RRULE" in e for e in events) == 1
    assert sum("RECURRENCE-ID" in e for e in events) == 1
    assert_calendar_matches_site(content, rows(first.series_id))


def test_the_page_cancels_this_and_the_following(mw, login_as):
    first = monthly_series(mw)
    meetings = rows(first.series_id)
    client = login_as(mw.co_chair)
    page = client.get(f"/meetings/{meetings[3].id}").get_data(as_text=True)
    assert "One of a series: every month on the third" in page
    assert 'name="scope" value="following"' in page
    response = client.post(
        f"/meetings/{meetings[3].id}/cancel", data={"reason": "Ends", "scope": "following"}
    )
    assert response.status_code == 303
    statuses = [m.status for m in rows(first.series_id)]
    assert statuses.count(MeetingStatus.CANCELLED) == 3
