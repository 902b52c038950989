"""The time-zone planner: for every candidate start, which participants would meet inside
their working hours on a working day, and who would be up at night.

Pure computation over (participant code, IANA zone, country) with zoneinfo and the
holidays library: no database, no request. The HTML page, the API and (later) the
scheduling form all call `Plan`.

The rules:

- Candidates start every 30 minutes on the UTC half-hour grid (which is the local
  :00/:30 grid of every zone but Nepal's, Chatham's and Eucla's) over the chosen days as
  counted in the *day zone*, the viewer's: from local midnight of the first day to local
  midnight after the last. A day on which the day zone changes its clocks has 46 or 50
  candidates, not 48.
- A participant is *inside* when its whole meeting [start, start + duration) falls
  within its working hours (local wall-clock times, 08:00-20:00 by default) of one local
  day, and that day is a working day of its country: not a public holiday, not its own
  weekend (Friday-Saturday in several states).
- It is *at night* when any part of the meeting falls between 22:00 and 06:00 local.
- Candidates rank by the terms of `DEFAULT_RANKING`, in order: most participants
  inside; the least burden put on participants already burdened (for a body, the sum
  of the burdens, coalition.planner.fairness, of the participants this start leaves
  outside their working hours: the outside-hours load goes to those who carried the
  least of it so far); fewest at night; earliest. Each term is a function of (plan,
  candidate).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from coalition import limits
from coalition.errors import FieldChecks, InvalidValue
from coalition.planner import clocks as clocks_
from coalition.planner.calendars import DayOff, WorkCalendar
from coalition.planner.clocks import MINUTES_PER_DAY, Clock

STEP = timedelta(minutes=30)

DAYS_MESSAGE = _l("Choose from 1 to %(max)d days.", max=limits.PLANNER_DAYS_MAX)
DURATION_MESSAGE = _l(
    "Give a duration from 1 to %(max)d minutes (24 hours).", max=limits.PLANNER_DURATION_MAX
)
HOURS_MESSAGE = _l(
    "Give working hours as a start and an end, e.g. 08:00-20:00; the end comes after "
    "the start (00:00 or 24:00 as the end means midnight)."
)
#: The years the planner covers: those the zone and holiday data describe well.
FIRST_YEAR, LAST_YEAR = 1970, 2100
DATE_MESSAGE = _l(
    "Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR - 1
)


@dataclass(frozen=True)
class Attendee:
    """A participant as the planner sees it: its code, name, reference zone and country
    (ISO alpha-2, for holidays and weekend; None for an organization)."""

    code: str
    name: str
    timezone: str
    country: str | None = None


@dataclass(frozen=True)
class WorkingHours:
    """Local working hours as minutes after midnight: [start, end), end up to 24:00."""

    start: int = 8 * 60
    end: int = 20 * 60

    _PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

    @classmethod
    def parse(cls, text: str | None, *, field: str = "hours") -> WorkingHours:
        """From "08:00-20:00"; InvalidValue about *field* otherwise."""
        match = cls._PATTERN.match(text or "")
        if not match:
            raise InvalidValue(HOURS_MESSAGE, field=field)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise InvalidValue(HOURS_MESSAGE, field=field)
        return cls.of(time(h1, m1), time(0, 0) if h2 == 24 else time(h2, m2), field=field)

    @classmethod
    def of(cls, start: time | None, end: time | None, *, field: str = "hours") -> WorkingHours:
        """From two times of day; an end of 00:00 is midnight at the end of the day."""
        if start is None or end is None:
            raise InvalidValue(HOURS_MESSAGE, field=field)
        first = start.hour * 60 + start.minute
        last = end.hour * 60 + end.minute or MINUTES_PER_DAY
        if last <= first:
            raise InvalidValue(HOURS_MESSAGE, field=field)
        return cls(first, last)

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class PlanRequest:
    """What to search: *days* days from *first_day* (days of *day_zone*), a meeting of
    *duration* minutes, within *hours*."""

    first_day: date
    days: int
    duration: int
    hours: WorkingHours
    day_zone: ZoneInfo

    @property
    def day_list(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The UTC instants of local midnight at the start and at the end of *day*."""
        return _midnight(day, self.day_zone), _midnight(day + timedelta(days=1), self.day_zone)

    def starts(self) -> list[datetime]:
        """Every candidate start (UTC), in order."""
        begin = self.day_bounds(self.first_day)[0]
        end = self.day_bounds(self.day_list[-1])[1]
        # The first half-hour of the UTC grid at or after local midnight.
        grid = begin.replace(minute=begin.minute // 30 * 30, second=0, microsecond=0)
        if grid < begin:
            grid += STEP
        count = -(-(end - grid) // STEP)
        return [grid + STEP * n for n in range(count)]


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    # fold=0: where midnight happens twice the day begins at the first; where it does not
    # exist (Santiago's spring change) zoneinfo takes the offset before the gap, which
    # is the instant the day begins.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


#: Working hours as the API gives them ("08:00-20:00") or as the form does (two times).
HoursInput = WorkingHours | str | tuple[time | None, time | None]


def plan_request(
    *,
    first_day: date | None,
    days: int | None,
    duration: int | None,
    hours: HoursInput,
    day_zone: ZoneInfo,
) -> PlanRequest:
    """A checked request; InvalidValues naming every field at fault otherwise (date,
    days, duration, hours)."""
    checks = FieldChecks()
    if first_day is None or not FIRST_YEAR <= first_day.year < LAST_YEAR:
        checks.add("date", DATE_MESSAGE)
    if days is None or not 1 <= days <= limits.PLANNER_DAYS_MAX:
        checks.add("days", DAYS_MESSAGE)
    if duration is None or not 1 <= duration <= limits.PLANNER_DURATION_MAX:
        checks.add("duration", DURATION_MESSAGE)
    if isinstance(hours, str):
        hours = checks.run(WorkingHours.parse, hours)
    elif isinstance(hours, tuple):
        hours = checks.run(WorkingHours.of, *hours)
    checks.raise_errors()
    return PlanRequest(first_day, days, duration, hours, day_zone)


@dataclass(frozen=True)
class Seat:
    """One participant at one candidate start."""

    attendee: Attendee
    local_start: datetime
    local_end: datetime
    inside: bool
    night: bool
    day_off: DayOff | None


@dataclass
class Candidate:
    """One start: how many participants are inside their working hours, how many at night."""

    index: int
    start: datetime
    end: datetime
    inside: int
    night: int
    total: int
    #: The burden so far of the participants it leaves outside their working hours.
    burden: int = 0
    #: Its place in the ranking, 1 for the best (set by Plan.ranked).
    rank: int | None = None


RankingTerm = Callable[["Plan", Candidate], Any]


def most_inside(_plan: Plan, candidate: Candidate) -> int:
    return -candidate.inside


def least_burden(_plan: Plan, candidate: Candidate) -> int:
    return candidate.burden


def fewest_at_night(_plan: Plan, candidate: Candidate) -> int:
    return candidate.night


def earliest(_plan: Plan, candidate: Candidate) -> datetime:
    return candidate.start


DEFAULT_RANKING: tuple[RankingTerm, ...] = (most_inside, least_burden, fewest_at_night, earliest)


@dataclass
class _Group:
    """Participants whose clocks and days off agree over the plan (Accra and Dakar on
    days that are working days in both): the same answer at every start."""

    clock: Clock
    #: Their days off among the clock's local days (days since 1970-01-01).
    days_off: dict[int, DayOff]
    attendees: list[Attendee] = field(default_factory=list)
    inside: list[bool] = field(default_factory=list)


class Plan:
    """Every candidate start of *request* for *attendees*, computed once on creation;
    *burdens* (code: burden so far) weigh who is left outside working hours."""

    def __init__(
        self,
        request: PlanRequest,
        attendees: Sequence[Attendee],
        calendar: WorkCalendar,
        burdens: dict[str, int] | None = None,
    ) -> None:
        self.request = request
        self.attendees = list(attendees)
        self.calendar = calendar
        self.starts = request.starts()
        duration = timedelta(minutes=request.duration)
        stamps = [int(start.timestamp()) for start in self.starts]
        span = (stamps[0], stamps[-1] + int(duration.total_seconds()))
        clocks: dict[clocks_.Offsets, Clock] = {}
        self._groups: dict[tuple, _Group] = {}
        self._group_of: dict[str, _Group] = {}
        for attendee in self.attendees:
            signature = _zone_offsets(attendee.timezone, span)
            if signature not in clocks:
                clocks[signature] = clocks_.clock(
                    signature,
                    stamps,
                    int(duration.total_seconds()),
                    request.hours.start,
                    request.hours.end,
                )
            clock = clocks[signature]
            days_off = {}
            for day in clock.days:
                off = calendar.day_off(attendee.country, clocks_.EPOCH + timedelta(days=day))
                if off is not None:
                    days_off[day] = off
            key = (signature, tuple(days_off.items()))
            if key not in self._groups:
                self._groups[key] = _Group(clock, days_off)
            self._groups[key].attendees.append(attendee)
            self._group_of[attendee.code] = self._groups[key]
        inside = [0] * len(stamps)
        night = [0] * len(stamps)
        burden = [0] * len(stamps)
        burdens = burdens or {}
        for group in self._groups.values():
            weight_of_burden = sum(burdens.get(a.code, 0) for a in group.attendees)
            days, off = group.clock.day, group.days_off
            group.inside = [
                fits and days[i] not in off for i, fits in enumerate(group.clock.in_hours)
            ]
            weight = len(group.attendees)
            for i, at_night in enumerate(group.clock.night):
                if group.inside[i]:
                    inside[i] += weight
                else:
                    burden[i] += weight_of_burden
                if at_night:
                    night[i] += weight
        total = len(self.attendees)
        self.candidates = [
            Candidate(i, start, start + duration, inside[i], night[i], total, burden[i])
            for i, start in enumerate(self.starts)
        ]

    def ranked(
        self, limit: int | None = None, ranking: Sequence[RankingTerm] = DEFAULT_RANKING
    ) -> list[Candidate]:
        """The candidates, best first (the first *limit*), each with its rank."""
        ordered = sorted(self.candidates, key=lambda c: tuple(term(self, c) for term in ranking))
        for rank, candidate in enumerate(ordered, start=1):
            candidate.rank = rank
        return ordered[:limit] if limit is not None else ordered

    def seats(self, candidate: Candidate) -> list[Seat]:
        """Every participant at *candidate*, in the order they were given."""
        seats = []
        i = candidate.index
        for attendee in self.attendees:
            group = self._group_of[attendee.code]
            zone = zone_info(attendee.timezone)
            seats.append(
                Seat(
                    attendee=attendee,
                    local_start=candidate.start.astimezone(zone),
                    local_end=candidate.end.astimezone(zone),
                    inside=group.inside[i],
                    night=group.clock.night[i],
                    day_off=group.days_off.get(group.clock.day[i]),
                )
            )
        return seats

    def groups(self) -> list[tuple[list[Attendee], Clock, dict[int, DayOff]]]:
        """Participants whose clocks and days off agree: (them, their clock, days off)."""
        return [(g.attendees, g.clock, g.days_off) for g in self._groups.values()]


def _zone_offsets(zone: str, span: tuple[int, int]) -> clocks_.Offsets:
    return clocks_.offsets(zone_info(zone), *span)


@cache
def zone_info(key: str) -> ZoneInfo:
    """The zone, loaded once per process (ZoneInfo itself keeps only a few)."""
    return ZoneInfo(key)
