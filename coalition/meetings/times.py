"""Wall-clock times in IANA zones: turning what people agree ("15:00 in Accra") into
instants, refusing times that do not exist, and showing instants in a reader's zone.

The rule for a wall-clock time that happens twice (the hour repeated when clocks go
back): the HTML form asks which one is meant; the API takes `fold` (0 the first, 1 the
second) or an offset in the time itself, and without either takes the first, as
RFC 5545 does for calendar files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_datetime_format, get_timezone_name
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _

from coalition.errors import InvalidValue
from coalition.i18n import timezone_choices


class AmbiguousTime(InvalidValue):
    """The wall-clock time happens twice in the zone; the caller must say which."""

    def __init__(self, message, *, field: str, offsets: tuple[str, str]) -> None:
        super().__init__(message, field=field)
        #: The UTC offsets of the first and the second occurrence ("+02:00", "+01:00").
        self.offsets = offsets


def zone(key: str | None, *, field: str = "timezone") -> ZoneInfo:
    """The IANA zone named *key*, else InvalidValue about *field*."""
    if key and key in _known_zones():
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise InvalidValue(
        _("Unknown time zone %(zone)s: choose an IANA zone such as Africa/Accra.", zone=key or "-"),
        field=field,
    )


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(timezone_choices())


def offset_text(moment: datetime) -> str:
    offset = moment.strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def is_ambiguous(local: datetime, tz: ZoneInfo) -> bool:
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    return first.utcoffset() != second.utcoffset() and _exists(local, tz)


def _exists(local: datetime, tz: ZoneInfo) -> bool:
    """A wall-clock time exists when it comes back unchanged from a round trip via UTC
    (a time in the gap when clocks go forward comes back an hour off)."""
    for fold in (0, 1):
        aware = local.replace(tzinfo=tz, fold=fold)
        back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None, fold=0)
        if back == local.replace(fold=0):
            return True
    return False


def resolve(
    local: datetime,
    tz: ZoneInfo,
    *,
    field: str,
    fold: int | None = None,
    ask: bool = False,
) -> tuple[datetime, int]:
    """(the UTC instant, the fold used) of the wall-clock time *local* in *tz*.

    Raises InvalidValue about *field* when the time does not exist there, and, with
    *ask*, AmbiguousTime when it happens twice and *fold* does not say which."""
    local = local.replace(tzinfo=None, fold=0, second=0, microsecond=0)
    if not _exists(local, tz):
        before = (local - timedelta(hours=3)).replace(tzinfo=tz)
        after = (local + timedelta(hours=3)).replace(tzinfo=tz)
        raise InvalidValue(
            _(
                "%(time)s does not exist in %(zone)s: the clocks go forward that night "
                "(from UTC%(before)s to UTC%(after)s). Choose another time.",
                time=local.strftime("%Y-%m-%d %H:%M"),
                zone=tz.key,
                before=offset_text(before),
                after=offset_text(after),
            ),
            field=field,
        )
    if is_ambiguous(local, tz):
        first, second = (local.replace(tzinfo=tz, fold=f) for f in (0, 1))
        if fold is None and ask:
            raise AmbiguousTime(
                _(
                    "%(time)s happens twice in %(zone)s: the clocks go back that night. "
                    "Say whether you mean the first (UTC%(first)s) or the second "
                    "(UTC%(second)s).",
                    time=local.strftime("%Y-%m-%d %H:%M"),
                    zone=tz.key,
                    first=offset_text(first),
                    second=offset_text(second),
                ),
                field=field,
                offsets=(offset_text(first), offset_text(second)),
            )
        fold = 1 if fold == 1 else 0
    else:
        fold = 0
    return local.replace(tzinfo=tz, fold=fold).astimezone(UTC), fold


def fold_for_offset(local: datetime, tz: ZoneInfo, offset: timedelta | None) -> int | None:
    """The fold whose UTC offset is *offset* ("2026-10-25T02:30+01:00" is the second
    02:30 in Paris); None when no offset was given."""
    if offset is None:
        return None
    for fold in (0, 1):
        if local.replace(tzinfo=tz, fold=fold).utcoffset() == offset:
            return fold
    return None


def wall_clock(instant: datetime, tz: ZoneInfo) -> tuple[datetime, int]:
    """The wall-clock time (naive) and fold of *instant* in *tz*."""
    local = instant.astimezone(tz)
    return local.replace(tzinfo=None, fold=0), local.fold


# -- showing times to people -----------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A meeting's times as one reader sees them."""

    start: str
    end: str
    zone_name: str
    crosses_midnight: bool
    #: The same in the meeting's own zone, or None when the reader is in that zone.
    own_start: str | None
    own_end: str | None
    own_zone_name: str | None


def viewer_zone() -> ZoneInfo:
    """The reader's zone (their setting, else UTC) as a ZoneInfo: Flask-Babel hands out
    pytz zones, which must never be passed as a datetime's tzinfo."""
    try:
        return ZoneInfo(str(get_timezone()))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _zone_name(tz, moment: datetime, locale) -> str:
    key = getattr(tz, "key", str(tz))
    if key in ("UTC", "Etc/UTC"):
        return "UTC"
    name = get_timezone_name(moment.astimezone(tz), width="long", locale=locale)
    return f"{name}, UTC{offset_text(moment.astimezone(tz))}"


def day_and_time(moment: datetime, locale) -> str:
    """ "Thursday, September 26, 2019 at 3:00 PM" in the reader's language, for an aware
    *moment* in the zone it is to be read in."""
    pattern = get_datetime_format("long", locale=locale).replace("'", "")
    time = format_time(moment, format="short", tzinfo=moment.tzinfo, locale=locale)
    return pattern.replace("{0}", time).replace("{1}", format_date(moment.date(), "full", locale))


def _range(start: datetime, end: datetime, tz, locale) -> tuple[str, str, bool]:
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    first = day_and_time(local_start, locale)
    same_day = local_start.date() == (local_end - timedelta(microseconds=1)).date()
    if same_day:
        last = format_time(local_end, format="short", tzinfo=tz, locale=locale)
    else:
        last = day_and_time(local_end, locale)
    return first, last, not same_day


def shown(start: datetime, end: datetime, own_zone: str, reader: ZoneInfo | None = None) -> Shown:
    """*start* to *end* in the reader's zone (named), and in the meeting's own zone."""
    locale = get_locale()
    viewer = reader or viewer_zone()
    own = ZoneInfo(own_zone)
    first, last, crosses = _range(start, end, viewer, locale)
    same_zone = getattr(viewer, "key", str(viewer)) == own_zone
    own_first = own_last = own_name = None
    if not same_zone:
        own_first, own_last, _crosses = _range(start, end, own, locale)
        own_name = _zone_name(own, start, locale)
    return Shown(
        start=first,
        end=last,
        zone_name=_zone_name(viewer, start, locale),
        crosses_midnight=crosses,
        own_start=own_first,
        own_end=own_last,
        own_zone_name=own_name,
    )
