"""The day strip: for one day of a plan, each participant's local half-hours, marked as
working time, time off, night, weekend or public holiday.

Participants whose half-hours look the same all day share a row (Accra and Dakar, or
Paris and Lagos in winter): 193 states make a few dozen rows, not 193.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from coalition.planner.calendars import DayOff, DayOffReason
from coalition.planner.clocks import NIGHT_BEGINS, NIGHT_ENDS
from coalition.planner.service import STEP, Attendee, Candidate, Plan, WorkingHours

SLOT_MINUTES = int(STEP.total_seconds() // 60)


class CellKind(enum.StrEnum):
    WORK = "work"
    OFF = "off"
    NIGHT = "night"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


@dataclass(frozen=True)
class Column:
    """One candidate start of the day: how many are inside, its rank if among the best."""

    candidate: Candidate
    top: int | None


@dataclass(frozen=True)
class Cell:
    kind: CellKind
    #: The local time the half-hour starts, "09:30".
    label: str


@dataclass
class Row:
    attendees: list[Attendee]
    zones: list[str]
    #: The UTC offsets the row's clocks show during the day, in order ("+01:00").
    offsets: list[str]
    cells: list[Cell]
    #: Each participant's holidays and weekend days that fall on the row's local days.
    days_off: dict[str, list[DayOff]] = field(default_factory=dict)


@dataclass
class Strip:
    day: date
    columns: list[Column]
    rows: list[Row]


def day_strip(plan: Plan, day: date, best: list[Candidate]) -> Strip:
    """The strip of *day* (a day of the plan's day zone); *best* are marked in it."""
    begin, end = plan.request.day_bounds(day)
    first = bisect_left(plan.starts, begin)
    last = bisect_left(plan.starts, end)
    tops = {c.index: c.rank for c in best}
    columns = [Column(plan.candidates[i], tops.get(i)) for i in range(first, last)]
    hours = plan.request.hours
    rows: dict[tuple[Cell, ...], Row] = {}
    order: dict[tuple[Cell, ...], tuple] = {}
    for attendees, clock, days_off in plan.groups():
        indexes = range(first, last)
        cells = tuple(_cell(clock.minute[i], days_off.get(clock.day[i]), hours) for i in indexes)
        row = rows.get(cells)
        if row is None:
            offsets = list(dict.fromkeys(_offset(clock.offset[i]) for i in indexes))
            row = rows[cells] = Row([], [], offsets, list(cells))
            order[cells] = (clock.offset[first] if indexes else 0, attendees[0].name)
        row.attendees.extend(attendees)
        row.zones.extend(a.timezone for a in attendees if a.timezone not in row.zones)
        local_days = sorted({clock.day[i] for i in indexes})
        for attendee in attendees:
            row.days_off[attendee.code] = [days_off[d] for d in local_days if d in days_off]
    for row in rows.values():
        row.attendees.sort(key=lambda a: a.name)
        row.zones = sorted(set(row.zones))
    ordered = sorted(rows, key=lambda key: order[key])
    return Strip(day, columns, [rows[key] for key in ordered])


def _cell(minute: int, day_off: DayOff | None, hours: WorkingHours) -> Cell:
    if minute < NIGHT_ENDS or minute + SLOT_MINUTES > NIGHT_BEGINS:
        kind = CellKind.NIGHT
    elif day_off is not None:
        kind = CellKind.HOLIDAY if day_off.reason is DayOffReason.HOLIDAY else CellKind.WEEKEND
    elif hours.start <= minute and minute + SLOT_MINUTES <= hours.end:
        kind = CellKind.WORK
    else:
        kind = CellKind.OFF
    return Cell(kind, f"{minute // 60:02d}:{minute % 60:02d}")


def _offset(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
