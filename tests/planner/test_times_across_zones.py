"""The planner is right across clock changes and the date line, and in zones whose offset
is not a whole hour: every candidate of every answer is compared with what zoneinfo
says minute by minute (tests/planner/conftest.py: expected_seat), on both databases.

Offices (organizations) stand for the zones: they have no public holidays and a
Saturday-Sunday weekend, so the expectation needs nothing but zoneinfo.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.planner.conftest import expected_seat, local_day_bounds, office_in

ZONES = [
    "Europe/Paris",  # DST: last Sundays of March and October
    "America/Santiago",  # DST changes at midnight (Saturday 24:00)
    "Australia/Lord_Howe",  # DST of 30 minutes
    "Pacific/Apia",  # west of the date line until 2011, east of it since
    "Pacific/Kiritimati",  # UTC+14: a day ahead of most of the world
    "America/St_Johns",  # Newfoundland, UTC-03:30 (-02:30 in summer)
    "Asia/Kathmandu",  # UTC+05:45
    "Asia/Kolkata",  # UTC+05:30
    "Pacific/Chatham",  # UTC+12:45, +13:45 in summer
]

#: (first day, days, the zone whose days are searched): each spans a change somewhere.
CASES = [
    ("2026-03-28", 2, "Europe/Paris"),  # Paris springs forward on the 29th: 23 h
    ("2026-10-24", 2, "Europe/Paris"),  # Paris falls back on the 25th: 25 h
    ("2026-04-04", 2, "America/Santiago"),  # Santiago falls back at Saturday's end
    ("2026-09-05", 2, "America/Santiago"),  # Santiago springs forward: Sunday starts at 01:00
    ("2026-04-04", 2, "Australia/Lord_Howe"),  # Lord Howe goes back 30 minutes
    ("2026-10-03", 2, "Australia/Lord_Howe"),  # and forward 30 minutes
    ("2026-03-07", 2, "America/St_Johns"),  # Newfoundland springs forward on the 8th
    ("2026-12-03", 2, "Pacific/Kiritimati"),  # Thursday-Friday at UTC+14
    ("2026-12-03", 2, "Asia/Kathmandu"),  # a day of :15 and :45 starts
    ("2026-09-26", 2, "Pacific/Chatham"),  # Chatham springs forward on the 27th
    ("2011-12-29", 2, "UTC"),  # Samoa skips Friday 30 December 2011 altogether
]


@pytest.fixture
def offices(read) -> dict[str, str]:
    return read(lambda: {office_in(zone): zone for zone in ZONES})


@pytest.mark.parametrize(("first_day", "days", "day_zone"), CASES)
@pytest.mark.parametrize("duration", [90, 45])
def test_every_candidate_matches_zoneinfo(client, offices, first_day, days, day_zone, duration):
    response = client.get(
        "/api/v1/planner",
        query_string={
            "participants": ",".join(offices),
            "date": first_day,
            "days": days,
            "duration": duration,
            "tz": day_zone,
            "limit": 100,
        },
    )

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    begin = local_day_bounds(first_day, day_zone)[0]
    last_day = (datetime.fromisoformat(first_day) + timedelta(days=days - 1)).date().isoformat()
    end = local_day_bounds(last_day, day_zone)[1]
    assert (answer["from"], answer["to"]) == (begin.isoformat(), end.isoformat())
    starts = sorted(datetime.fromisoformat(c["start"]) for c in answer["candidates"])
    # Every half-hour of the UTC grid from the first at or after local midnight.
    expected_starts = []
    t = begin.replace(minute=0) + timedelta(minutes=30 * -(-begin.minute // 30))
    while t < end:
        expected_starts.append(t)
        t += timedelta(minutes=30)
    assert starts == expected_starts
    assert answer["total"] == len(expected_starts)
    for candidate in answer["candidates"]:
        start = datetime.fromisoformat(candidate["start"])
        assert start.utcoffset() == timedelta(0)
        assert datetime.fromisoformat(candidate["end"]) == start + timedelta(minutes=duration)
        seats = {seat["code"]: seat for seat in candidate["participants"]}
        for code, zone in offices.items():
            seat = {
                key: seats[code][key] for key in ("local_start", "local_end", "inside", "night")
            }
            assert seat == expected_seat(start, duration, zone), (code, candidate["start"])
        assert candidate["inside_hours"] == sum(s["inside"] for s in seats.values())
        assert candidate["at_night"] == sum(s["night"] for s in seats.values())


@pytest.mark.parametrize(
    ("day", "zone", "hours"),
    [
        ("2026-03-29", "Europe/Paris", 23),
        ("2026-10-25", "Europe/Paris", 25),
        ("2026-04-04", "America/Santiago", 25),
        ("2026-09-06", "America/Santiago", 23),
        ("2026-04-05", "Australia/Lord_Howe", 24.5),
        ("2026-10-04", "Australia/Lord_Howe", 23.5),
        ("2026-12-03", "Asia/Kathmandu", 24),
    ],
)
def test_a_day_of_the_viewers_zone_has_as_many_starts_as_it_has_half_hours(
    client, day, zone, hours
):
    begin, end = local_day_bounds(day, zone)
    assert (end - begin) / timedelta(hours=1) == hours  # the test's own premise

    answer = client.get(
        "/api/v1/planner", query_string={"participants": "GHA", "date": day, "tz": zone}
    ).get_json()

    assert answer["total"] == int(hours * 2)


def test_an_office_at_utc_plus_14_is_a_day_ahead(client, read):
    """Friday 4 December 2026 in UTC is already Saturday at Kiritimati from 10:00 UTC:
    its working hours that UTC day are 00:00 to 06:00 UTC (Friday 14:00 to 20:00)."""
    code = read(lambda: office_in("Pacific/Kiritimati"))

    answer = client.get(
        "/api/v1/planner",
        query_string={"participants": code, "date": "2026-12-04", "duration": 60, "limit": 48},
    ).get_json()

    inside = sorted(c["start"] for c in answer["candidates"] if c["inside_hours"])
    first = datetime(2026, 12, 4, tzinfo=UTC)
    assert inside == [(first + timedelta(minutes=30 * n)).isoformat() for n in range(11)]


def test_samoa_skips_friday_30_december_2011(client, read):
    code = read(lambda: office_in("Pacific/Apia"))

    answer = client.get(
        "/api/v1/planner",
        query_string={"participants": code, "date": "2011-12-30", "limit": 48},
    ).get_json()

    local_days = {c["participants"][0]["local_start"][:10] for c in answer["candidates"]}
    assert local_days == {"2011-12-29", "2011-12-31"}
