"""How the planner's times read on a page: in the viewer's zone, the zone always named;
participants' local times on a 24-hour clock, as diplomatic schedules write them."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

from coalition.i18n import zone_label
from coalition.planner.calendars import DayOffReason
from coalition.planner.service import Candidate, Plan, Seat

DASH = "\N{EN DASH}"


def day_and_time(start: datetime, end: datetime) -> str:
    """ "Thu, Dec 3, 2026, 14:00-15:30 (Europe/Paris, UTC+01:00)" in the viewer's zone
    and language."""
    zone = get_timezone()
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = format_skeleton("yMMMEd", local_start, locale=get_locale())
    return f"{day}, {clock(local_start)}{DASH}{clock(local_end)} ({zone_label(str(zone), start)})"


def day_name(day) -> str:
    return format_skeleton("MMMEd", day, locale=get_locale())


def viewer_clock(moment: datetime) -> str:
    """The time of day in the viewer's zone."""
    return clock(moment.astimezone(get_timezone()))


def wall(moment: datetime, zone) -> str:
    """ "2026-12-03T15:00": the wall-clock time in *zone*, as a form takes it."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def local_range(seat: Seat) -> str:
    """The participant's local start and end, with the end's day when it differs."""
    end = clock(seat.local_end)
    if seat.local_end.date() != seat.local_start.date():
        end = f"{day_name(seat.local_end.date())} {end}"
    return f"{clock(seat.local_start)}{DASH}{end}"


def who_is_where(plan: Plan, candidate: Candidate) -> tuple[list[str], list[str]]:
    """Each participant as "Ghana 08:00-09:30": those inside their working hours, and
    those outside with why ("Canada 03:00-04:30: at night")."""
    night, weekend = _("at night"), _("weekend")
    outside_hours = _("outside working hours")
    inside, outside = [], []
    for seat in plan.seats(candidate):
        text = f"{seat.attendee.name} {local_range(seat)}"
        if seat.inside:
            inside.append(text)
            continue
        reasons = []
        if seat.day_off is not None and seat.day_off.reason is DayOffReason.HOLIDAY:
            reasons.append(_("public holiday: %(name)s", name=seat.day_off.name))
        elif seat.day_off is not None:
            reasons.append(weekend)
        if seat.night:
            reasons.append(night)
        outside.append(f"{text}: {', '.join(reasons or [outside_hours])}")
    return inside, outside
