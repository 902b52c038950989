"""Wall-clock times round-trip exactly across daylight-saving changes; a time that does
not exist is refused with the reason; one that happens twice is asked about (form) or
follows the documented rule (API: the first, unless `start_fold`/an offset says the
second). Calendar files give the same instants as the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coalition.extensions import db
from coalition.meetings import services
from coalition.meetings.models import Meeting
from tests.meetings.conftest import parse_both, schedule
from tests.test_pages_quality import parse_strict

PARIS = "Europe/Paris"
SANTIAGO = "America/Santiago"


def post(client, headers, **values):
    payload = {
        "title": "Session",
        "format": "virtual",
        "visibility": "public",
        "timezone": PARIS,
        **values,
    }
    return client.post("/api/v1/meetings", json=payload, headers=headers)


def api_times(client, meeting_id: int) -> tuple[datetime, datetime, str]:
    data = client.get(f"/api/v1/meetings/{meeting_id}").get_json()
    return (
        datetime.fromisoformat(data["start"]),
        datetime.fromisoformat(data["end"]),
        data["local_start"],
    )


def ics_times(client, meeting_id: int) -> list[tuple[datetime, datetime]]:
    first, second = parse_both(client.get(f"/meetings/{meeting_id}.ics").get_data())
    event = first.walk("VEVENT")[0]
    return [
        (event["DTSTART"].dt, event["DTEND"].dt),
        (second.vevent.dtstart.value, second.vevent.dtend.value),
    ]


def assert_same_everywhere(client, meeting_id: int, start: datetime, end: datetime) -> None:
    api_start, api_end, _local = api_times(client, meeting_id)
    assert (api_start, api_end) == (start, end)
    for parsed in ics_times(client, meeting_id):
        assert parsed == (start, end)


def test_a_meeting_on_the_day_paris_clocks_go_back_round_trips(mw, client, api_headers):
    """25 October 2026: 10:00 is CET (UTC+1), though the day began in summer time."""
    response = post(
        client,
        api_headers(mw.staff),
        body=None,
        start="2026-10-25T10:00",
        end="2026-10-25T12:00",
        record_past=True,
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["local_start"] == "2026-10-25T10:00+01:00"
    start = datetime(2026, 10, 25, 9, tzinfo=UTC)
    assert_same_everywhere(client, data["id"], start, start + timedelta(hours=2))
    # And from a fresh session: what the database gives back is the same instant.
    db.session.expire_all()
    meeting = db.session.get(Meeting, data["id"])
    assert meeting.starts_at == start
    assert meeting.local_start == datetime(2026, 10, 25, 10, tzinfo=UTC).replace(tzinfo=None)


def test_a_meeting_across_the_change_keeps_its_wall_clock_hours(mw, client, api_headers):
    """01:00 to 04:00 on 25 October 2026 in Paris lasts four hours, not three."""
    data = post(
        client,
        api_headers(mw.staff),
        start="2026-10-25T01:00",
        end="2026-10-25T04:00",
        record_past=True,
    ).get_json()
    start, end, local = api_times(client, data["id"])
    assert local == "2026-10-25T01:00+02:00"
    assert end - start == timedelta(hours=4)


@pytest.mark.parametrize(
    ("values", "expected_utc", "offset"),
    [
        ({}, datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "+02:00"),  # the documented default
        ({"start_fold": 1}, datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "+01:00"),
        ({"start": "2026-10-25T02:30+01:00"}, datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "+01:00"),
        ({"start": "2026-10-25T02:30+02:00"}, datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "+02:00"),
    ],
)
def test_an_ambiguous_time_in_the_api_follows_the_documented_rule(
    mw, client, api_headers, values, expected_utc, offset
):
    payload = {"start": "2026-10-25T02:30", "end": "2026-10-25T05:00", "record_past": True}
    payload.update(values)
    response = post(client, api_headers(mw.staff), **payload)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert datetime.fromisoformat(data["start"]) == expected_utc
    assert data["local_start"] == f"2026-10-25T02:30{offset}"
    assert_same_everywhere(client, data["id"], expected_utc, datetime(2026, 10, 25, 4, tzinfo=UTC))


def test_a_time_that_does_not_exist_is_refused_with_the_reason(mw, client, api_headers):
    response = post(
        client,
        api_headers(mw.staff),
        start="2026-03-29T02:30",
        end="2026-03-29T04:00",
        record_past=True,
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert list(problem["errors"]) == ["start"]
    assert "does not exist in Europe/Paris" in problem["detail"]
    assert "clocks go forward" in problem["detail"]
    assert db.session.query(Meeting).count() == 0


def _form(mw, **values):
    data = {
        "title": "Session",
        "start": "2027-10-31T02:30",
        "end": "2027-10-31T05:00",
        "timezone": PARIS,
        "format": "virtual",
        "visibility": "public",
    }
    data.update(values)
    return data


def test_the_form_asks_which_of_two_identical_times_is_meant(mw, login_as):
    client = login_as(mw.co_chair)
    url = f"/meetings/new?body={mw.initiative.slug}"
    response = client.post(url, data=_form(mw))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    parse_strict(page)
    assert "happens twice in Europe/Paris" in page
    assert "UTC+02:00" in page
    assert "UTC+01:00" in page
    assert 'name="start_fold"' in page
    assert 'value="Session"' in page  # nothing typed is lost
    assert db.session.query(Meeting).count() == 0

    response = client.post(url, data=_form(mw, start_fold="1"))
    assert response.status_code == 303
    meeting = db.session.query(Meeting).one()
    assert meeting.starts_at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    assert meeting.start_fold == 1


def test_the_form_refuses_a_skipped_time_next_to_the_field(mw, login_as):
    client = login_as(mw.co_chair)
    response = client.post(
        f"/meetings/new?body={mw.initiative.slug}",
        data=_form(mw, start="2027-03-28T02:30", end="2027-03-28T04:00"),
    )
    assert response.status_code == 422
    document = parse_strict(response.get_data(as_text=True))
    error = document.find(".//*[@id='start-error']")
    assert error is not None
    assert "does not exist in Europe/Paris" in "".join(error.itertext())


def _changes(zone: str, year: int) -> list[date]:
    """The days on which the zone's UTC offset changes in *year*."""
    tz = ZoneInfo(zone)
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=tz)
        later = noon + timedelta(days=1)
        if noon.utcoffset() != later.astimezone(tz).utcoffset():
            days.append(day + timedelta(days=1))
        day += timedelta(days=1)
    return days


@pytest.mark.parametrize("change", [0, 1], ids=["clocks back (April)", "clocks forward (Sept.)"])
def test_santiago_meetings_on_each_side_of_its_change_round_trip(mw, client, api_headers, change):
    changed = _changes(SANTIAGO, 2027)[change]
    tz = ZoneInfo(SANTIAGO)
    results = []
    for day in (changed - timedelta(days=2), changed + timedelta(days=2)):
        local = f"{day.isoformat()}T10:00"
        response = post(
            client,
            api_headers(mw.co_chair),
            body=mw.initiative.slug,
            timezone=SANTIAGO,
            start=local,
            end=f"{day.isoformat()}T11:30",
        )
        assert response.status_code == 201, response.get_json()
        data = response.get_json()
        start = datetime(day.year, day.month, day.day, 10, tzinfo=tz).astimezone(UTC)
        assert_same_everywhere(client, data["id"], start, start + timedelta(minutes=90))
        assert data["local_start"].startswith(local)
        results.append(data["local_start"][-6:])
    assert results[0] != results[1], "the offsets on each side of the change differ"


def test_a_zone_rule_change_is_absorbed_by_the_wall_clock_time(mw):
    """When tzdata changes a zone's rules, the instants are computed again from the
    wall-clock time people were told (simulated: the stored instant is an hour off)."""
    meeting = schedule(mw, start="2027-06-10T10:00", end="2027-06-10T11:00", timezone=PARIS)
    right = meeting.starts_at
    sequence = meeting.sequence
    meeting.starts_at = right + timedelta(hours=1)
    meeting.ends_at = meeting.ends_at + timedelta(hours=1)
    db.session.flush()
    assert services.reresolve(meeting) is True
    assert meeting.starts_at == right
    assert meeting.local_start == datetime(2027, 6, 10, 10, tzinfo=UTC).replace(tzinfo=None)
    assert meeting.sequence == sequence + 1
    assert services.reresolve(meeting) is False
