"""Working days of a country: its public holidays and its own weekend, from the `holidays`
library (python-holidays), with holiday names in the reader's language where it has them.

A participant without a country (an organization) has no public holidays and a
Saturday-Sunday weekend.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays

#: Saturday and Sunday, as date.weekday() numbers them.
DEFAULT_WEEKEND = frozenset({5, 6})


class DayOffReason(enum.StrEnum):
    HOLIDAY = "holiday"
    WEEKEND = "weekend"


@dataclass(frozen=True)
class DayOff:
    """Why a participant does not work that day; *name* is the holiday's."""

    reason: DayOffReason
    name: str | None = None


class WorkCalendar:
    """Days off of countries, named in one language. Cheap to create: the library's
    calendars are built once per (country, year, language) and shared by every request."""

    def __init__(self, locale: str = "en") -> None:
        self.locale = locale
        self._days: dict[tuple[str | None, date], DayOff | None] = {}

    def day_off(self, country: str | None, day: date) -> DayOff | None:
        """The holiday or weekend *day* is in *country* (ISO alpha-2), or None on a
        working day. A holiday on a weekend is named as the holiday; a weekend day the
        country works (a Saturday that makes up for a bridge day) is a working day."""
        key = (country, day)
        if key not in self._days:
            self._days[key] = self._compute(country, day)
        return self._days[key]

    def _compute(self, country: str | None, day: date) -> DayOff | None:
        calendar = None
        if country:
            calendar = _calendar(country, day.year, _language(country, self.locale))
        if calendar is None:
            weekend = day.weekday() in DEFAULT_WEEKEND
            return DayOff(DayOffReason.WEEKEND) if weekend else None
        name = calendar.get(day)
        if name:
            return DayOff(DayOffReason.HOLIDAY, name)
        if calendar.is_weekend(day) and day not in calendar.weekend_workdays:
            return DayOff(DayOffReason.WEEKEND)
        return None


@lru_cache(maxsize=4096)
def _calendar(country: str, year: int, language: str | None) -> holidays.HolidayBase | None:
    """The library's calendar of one country for one year (None if it has none). Built
    for that year only and then only read, so that threads can share it."""
    try:
        return holidays.country_holidays(country, years=year, language=language)
    except NotImplementedError:
        return None


@lru_cache(maxsize=512)
def _language(country: str, locale: str) -> str | None:
    """The library's language closest to the reader's: the same language, else English,
    else the country's own default (None)."""
    supported: list[str] = _localized_countries().get(country, [])
    wanted = locale.replace("-", "_")
    base = wanted.split("_")[0]
    for choice in (wanted, base):
        if choice in supported:
            return choice
    for choice in supported:
        if choice.split("_")[0] == base:
            return choice
    for choice in ("en_US", "en_GB", "en"):
        if choice in supported:
            return choice
    return None


@lru_cache(maxsize=1)
def _localized_countries() -> dict[str, list[str]]:
    # The library finds these by importing every country module: a fifth of a second,
    # once per process.
    return holidays.list_localized_countries()
