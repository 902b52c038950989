"""Local clocks over a plan's candidate starts, computed from each zone's UTC offsets.

The planner asks the same questions of every participant at every start; asking
zoneinfo each time costs seconds for 193 participants over a week. Instead each zone is
asked for its offset every six hours and, where that changes, to the second by
bisection (no zone changes its clocks twice within six hours). Zones whose offsets agree
over the plan (Accra, Dakar and Abidjan) share one clock, and the rest is integer
arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: How often a zone's offset is looked up before bisecting to the change (seconds).
PROBE = 6 * 3600
DAY = 86400
EPOCH = date(1970, 1, 1)
#: Local night: from 22:00 to 06:00 (minutes after midnight).
NIGHT_ENDS = 6 * 60
NIGHT_BEGINS = 22 * 60
MINUTES_PER_DAY = 24 * 60

#: A zone's offset at the first instant and its changes: (UTC timestamp, new offset).
Offsets = tuple[int, tuple[tuple[int, int], ...]]


def offsets(zone: ZoneInfo, begin: int, end: int) -> Offsets:
    """The UTC offset of *zone* (seconds) at timestamp *begin*, and its changes until *end*."""

    def at(timestamp: int) -> int:
        moment = datetime.fromtimestamp(timestamp, UTC).astimezone(zone)
        return int(moment.utcoffset().total_seconds())

    first = current = at(begin)
    changes = []
    probe = begin
    while probe < end:
        following = min(probe + PROBE, end)
        new = at(following)
        if new != current:
            low, high = probe, following
            while high - low > 1:
                middle = (low + high) // 2
                if at(middle) == current:
                    low = middle
                else:
                    high = middle
            changes.append((high, new))
            current = new
        probe = following
    return first, tuple(changes)


def _offsets_at(timestamps: list[int], zone_offsets: Offsets) -> list[int]:
    """The offset at each of *timestamps* (in increasing order)."""
    current, changes = zone_offsets
    result = []
    n = 0
    for timestamp in timestamps:
        while n < len(changes) and changes[n][0] <= timestamp:
            current = changes[n][1]
            n += 1
        result.append(current)
    return result


@dataclass
class Clock:
    """One clock at every candidate start: its local day and minute, its offset, and
    whether a meeting starting then fits the working hours and keeps out of the night,
    as wall-clock times whatever the day."""

    #: The local date of each start, as days since 1970-01-01.
    day: list[int]
    #: The local minute of the day of each start.
    minute: list[int]
    #: The UTC offset of each start, seconds.
    offset: list[int]
    in_hours: list[bool]
    night: list[bool]
    #: The distinct local dates, in order.
    days: list[int] = field(default_factory=list)


def clock(
    zone_offsets: Offsets, starts: list[int], duration: int, hours_start: int, hours_end: int
) -> Clock:
    """The clock of *zone_offsets* over *starts* (UTC timestamps) for meetings of
    *duration* seconds within working hours [hours_start, hours_end) (minutes)."""
    start_offsets = _offsets_at(starts, zone_offsets)
    end_offsets = _offsets_at([s + duration for s in starts], zone_offsets)
    result = Clock([], [], start_offsets, [], [])
    for start, start_offset, end_offset in zip(starts, start_offsets, end_offsets, strict=True):
        day, first, in_hours, night = fits(
            start, duration, start_offset, end_offset, hours_start, hours_end
        )
        result.day.append(day)
        result.minute.append(first)
        result.in_hours.append(in_hours)
        result.night.append(night)
    result.days = sorted(set(result.day))
    return result


def fits(
    start: int, duration: int, start_offset: int, end_offset: int, hours_start: int, hours_end: int
) -> tuple[int, int, bool, bool]:
    """For a meeting from timestamp *start* lasting *duration* seconds, on a clock at
    *start_offset* then *end_offset*: (its local day, its local minute of the day,
    whether it fits the working hours [hours_start, hours_end) of that one day, whether
    any of it falls in the night)."""
    start_day, start_second = divmod(start + start_offset, DAY)
    end_day, end_second = divmod(start + duration + end_offset, DAY)
    first = start_second // 60
    last: int | None = end_second // 60
    if end_day != start_day:
        # An end at midnight itself is 24:00 of the first day; past it, the meeting
        # runs into the next day.
        last = MINUTES_PER_DAY if end_day == start_day + 1 and end_second == 0 else None
    in_hours = last is not None and hours_start <= first and last <= hours_end
    night = last is None or first < NIGHT_ENDS or last > NIGHT_BEGINS
    return start_day, first, in_hours, night
