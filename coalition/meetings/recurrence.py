"""Recurrence rules: the RRULE subset a series may use, checked here, expanded by
python-dateutil in wall-clock time and resolved to instants in the series' zone.

The subset: FREQ=DAILY, WEEKLY or MONTHLY; INTERVAL; BYDAY (with an ordinal, "3WE" or
"-1FR", for MONTHLY only); BYMONTHDAY (MONTHLY only); and exactly one of COUNT and
UNTIL. A series has at most limits.SERIES_OCCURRENCES_MAX occurrences.

Occurrences keep the wall-clock time in the zone across daylight-saving changes. A
generated time that does not exist there (02:30 on the night clocks go forward) is
taken with the UTC offset before the gap, so it happens as many minutes after the gap
as it was meant after its start (03:30), as RFC 5545 prescribes for calendar apps; a
time that happens twice is the first of the two, as RFC 5545 says too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil import rrule
from flask_babel import lazy_gettext as _

from coalition import limits
from coalition.errors import InvalidValue

FREQUENCIES = {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL_FORMATS = ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%d")
_KEYS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST")
FIELD = "recurrence"


def _refuse(message) -> InvalidValue:
    return InvalidValue(message, field=FIELD)


@dataclass(frozen=True)
class Rule:
    freq: str
    interval: int = 1
    #: (ordinal or None, "WE"): "3WE" is (3, "WE").
    byday: tuple[tuple[int | None, str], ...] = ()
    bymonthday: tuple[int, ...] = ()
    count: int | None = None
    #: An end given as a date (inclusive), a wall-clock time, or an instant (aware, UTC).
    until: date | datetime | None = None

    def pattern(self) -> str:
        """The rule without its end: "FREQ=MONTHLY;BYDAY=3WE"."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(f"{n or ''}{day}" for n, day in self.byday))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(str(n) for n in self.bymonthday))
        return ";".join(parts)

    def until_wall(self, tz: ZoneInfo) -> datetime | None:
        """The end as a wall-clock time in *tz* (inclusive)."""
        if self.until is None:
            return None
        if isinstance(self.until, datetime):
            if self.until.tzinfo is not None:
                return self.until.astimezone(tz).replace(tzinfo=None)
            return self.until
        return datetime.combine(self.until, time(23, 59, 59))

    def text(self, tz: ZoneInfo) -> str:
        """The whole rule as a calendar file writes it: UNTIL as a UTC instant."""
        if self.count is not None:
            return f"{self.pattern()};COUNT={self.count}"
        moment = instant(self.until_wall(tz), tz)
        return f"{self.pattern()};UNTIL={moment:%Y%m%dT%H%M%SZ}"


def parse(text: object, *, require_end: bool = True) -> Rule:
    """The rule in *text* ("FREQ=MONTHLY;BYDAY=3WE;COUNT=6", "RRULE:" allowed), else
    InvalidValue about `recurrence` saying what is wrong."""
    raw = str(text or "").strip()
    if raw.upper().startswith("RRULE:"):
        raw = raw[6:]
    if not raw:
        raise _refuse(_("Give the recurrence rule, e.g. FREQ=MONTHLY;BYDAY=3WE;COUNT=6."))
    if len(raw) > limits.RRULE_MAX:
        raise _refuse(_("A recurrence rule has at most %(n)d characters.", n=limits.RRULE_MAX))
    values: dict[str, str] = {}
    for part in raw.upper().split(";"):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not value.strip():
            raise _refuse(_("“%(part)s” is not of the form NAME=VALUE.", part=part))
        if key not in _KEYS:
            raise _refuse(
                _(
                    "%(name)s is not supported: a series uses FREQ, INTERVAL, BYDAY, "
                    "BYMONTHDAY, COUNT and UNTIL.",
                    name=key,
                )
            )
        if key in values:
            raise _refuse(_("%(name)s is given twice.", name=key))
        values[key] = value.strip()
    freq = values.get("FREQ")
    if freq not in FREQUENCIES:
        raise _refuse(_("FREQ must be DAILY, WEEKLY or MONTHLY."))
    rule = Rule(freq=freq)
    if "INTERVAL" in values:
        rule = replace(rule, interval=_number(values["INTERVAL"], 1, limits.SERIES_INTERVAL_MAX))
    if "BYDAY" in values:
        rule = replace(rule, byday=_days(values["BYDAY"], monthly=freq == "MONTHLY"))
    if "BYMONTHDAY" in values:
        if freq != "MONTHLY":
            raise _refuse(_("BYMONTHDAY goes with FREQ=MONTHLY only."))
        days = tuple(_number(v, -31, 31) for v in values["BYMONTHDAY"].split(","))
        if 0 in days:
            raise _refuse(_("BYMONTHDAY takes days from 1 to 31 (or -1 for the last)."))
        rule = replace(rule, bymonthday=days)
    if "COUNT" in values and "UNTIL" in values:
        raise _refuse(_("Give COUNT or UNTIL, not both."))
    if "COUNT" in values:
        count = _number(values["COUNT"], 1, None)
        if count > limits.SERIES_OCCURRENCES_MAX:
            raise _refuse(_too_many())
        rule = replace(rule, count=count)
    elif "UNTIL" in values:
        rule = replace(rule, until=_until(values["UNTIL"]))
    elif require_end:
        raise _refuse(
            _(
                "A series needs an end: COUNT (how many meetings, at most %(max)d) or "
                "UNTIL (the last date).",
                max=limits.SERIES_OCCURRENCES_MAX,
            )
        )
    return rule


def _too_many():
    return _(
        "A series has at most %(max)d meetings: end it sooner, with fewer times or an "
        "earlier last date.",
        max=limits.SERIES_OCCURRENCES_MAX,
    )


def _number(value: str, low: int, high: int | None) -> int:
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < low or (high is not None and number > high):
        if high is None:
            raise _refuse(_("“%(value)s” is not a whole number of at least 1.", value=value))
        raise _refuse(
            _(
                "“%(value)s” is not a whole number from %(low)d to %(high)d.",
                value=value,
                low=low,
                high=high,
            )
        )
    return number


def _days(value: str, *, monthly: bool) -> tuple[tuple[int | None, str], ...]:
    days = []
    for item in value.split(","):
        match = _DAY.match(item.strip())
        if not match:
            raise _refuse(_("“%(value)s” is not a weekday such as MO, WE or 3WE.", value=item))
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None and not monthly:
            raise _refuse(_("A weekday with a number (3WE) goes with FREQ=MONTHLY only."))
        if ordinal is not None and not (1 <= abs(ordinal) <= 5):
            raise _refuse(_("The number before a weekday goes from 1 to 5, or -1 for the last."))
        days.append((ordinal, match.group(2)))
    return tuple(dict.fromkeys(days))


def _until(value: str) -> date | datetime:
    for fmt in _UNTIL_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)  # noqa: DTZ007 - the zone is applied below
        except ValueError:
            continue
        if fmt.endswith("Z"):
            return moment.replace(tzinfo=UTC)
        return moment if "T" in fmt else moment.date()
    raise _refuse(_("UNTIL is a date (20261231) or a UTC time (20261231T235959Z)."))


def _dateutil(rule: Rule, first: datetime, until: datetime | None) -> rrule.rrule:
    weekdays = [getattr(rrule, day)(n) if n else getattr(rrule, day) for n, day in rule.byday]
    return rrule.rrule(
        FREQUENCIES[rule.freq],
        dtstart=first,
        interval=rule.interval,
        byweekday=weekdays or None,
        bymonthday=rule.bymonthday or None,
        count=rule.count,
        until=until,
        cache=False,
    )


def generate(rule: Rule, first: datetime, tz: ZoneInfo, *, check: bool = True) -> list[datetime]:
    """The wall-clock starts (naive) of *rule* from *first*, the first wall-clock start.
    With *check*: InvalidValue when *first* does not fall on the rule or when there
    would be more than the limit."""
    first = first.replace(tzinfo=None, second=0, microsecond=0)
    starts = []
    for start in _dateutil(rule, first, rule.until_wall(tz)):
        starts.append(start)
        if len(starts) > limits.SERIES_OCCURRENCES_MAX:
            if check:
                raise _refuse(_too_many())
            break
    if check and (not starts or starts[0] != first):
        if not starts:
            raise _refuse(_("UNTIL comes before the first meeting: the series would be empty."))
        raise InvalidValue(
            _(
                "The first meeting, %(start)s, is not one the rule makes (its first would "
                "be %(first)s): start on a day the rule gives.",
                start=f"{first:%Y-%m-%d %H:%M}",
                first=f"{starts[0]:%Y-%m-%d %H:%M}",
            ),
            field="start",
        )
    return starts[: limits.SERIES_OCCURRENCES_MAX]


def instant(local: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a generated wall-clock time: fold 0 gives the offset before a
    gap (a time that does not exist happens after the gap) and the first of two."""
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


# -- the form's plain choices -----------------------------------------------------------------


def build(
    *,
    freq: str,
    interval: int,
    weekdays: list[str],
    monthly_by: str,
    start: date,
    count: int | None,
    until: date | None,
) -> str:
    """The RRULE the form's choices describe (checked afterwards by `parse`): weekly on
    *weekdays* (default: the start's); monthly on the start's day of the month, or on
    its weekday of the month ("the 3rd Wednesday", the 5th being "the last")."""
    parts = [f"FREQ={freq.upper()}"]
    if interval and interval != 1:
        parts.append(f"INTERVAL={interval}")
    if freq.upper() == "WEEKLY" and weekdays:
        parts.append("BYDAY=" + ",".join(d for d in WEEKDAYS if d in weekdays))
    elif freq.upper() == "MONTHLY":
        if monthly_by == "weekday":
            nth = (start.day - 1) // 7 + 1
            parts.append(f"BYDAY={-1 if nth == 5 else nth}{WEEKDAYS[start.weekday()]}")
        else:
            parts.append(f"BYMONTHDAY={start.day}")
    if count:
        parts.append(f"COUNT={count}")
    elif until:
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)
