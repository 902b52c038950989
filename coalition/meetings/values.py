"""Checking what a meeting is given: texts, choices, the online link, the agenda, and
wall-clock times in a zone turned into instants. Shared by the services of meetings
and of series; raises InvalidValue naming the field."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _

from coalition import limits, permissions
from coalition.bilingual import translation_cleaners
from coalition.db import utcnow
from coalition.errors import InvalidValue
from coalition.meetings import times
from coalition.meetings.models import MeetingFormat, Visibility
from coalition.text import clean_line, clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.meetings.models import Meeting

#: No meeting lasts longer than this: a longer one is a typing mistake.
LONGEST = timedelta(days=31)


def parse_choice(enum_cls: type, value: Any, field: str) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise InvalidValue(_("Choose one of: %(choices)s.", choices=choices), field=field) from None


def clean_url(value: Any) -> str:
    url = clean_line(value, "online_url", max_length=limits.URL_MAX)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidValue(
            _("Give the online link as a web address starting with https:// or http://."),
            field="online_url",
        )
    return url


def clean_agenda(items: Any) -> list[str]:
    if items is None:
        return []
    if isinstance(items, str) or not isinstance(items, list | tuple):
        raise InvalidValue(_("Give the agenda as a list of items."), field="agenda")
    if len(items) > limits.AGENDA_ITEMS_MAX:
        raise InvalidValue(
            _("An agenda has at most %(n)d items.", n=limits.AGENDA_ITEMS_MAX), field="agenda"
        )
    cleaned = [clean_line(item, "agenda", max_length=limits.AGENDA_ITEM_MAX) for item in items]
    return [item for item in cleaned if item]


def _wall(value: Any, field: str) -> tuple[datetime, timedelta | None]:
    """A wall-clock time from a form (datetime) or the API ("2026-12-03T15:00"), and the
    UTC offset it was given with, if any."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            raise InvalidValue(
                _("Give a date and time as YYYY-MM-DDTHH:MM."), field=field
            ) from None
    return moment.replace(tzinfo=None), moment.utcoffset()


def resolve_times(
    start: Any,
    end: Any,
    zone_key: Any,
    *,
    start_fold: int | None,
    end_fold: int | None,
    ask: bool,
) -> dict[str, Any]:
    tz = times.zone(zone_key)
    local_start, start_offset = _wall(start, "start")
    local_end, end_offset = _wall(end, "end")
    if start_fold is None:
        start_fold = times.fold_for_offset(local_start, tz, start_offset)
    if end_fold is None:
        end_fold = times.fold_for_offset(local_end, tz, end_offset)
    starts_at, start_fold = times.resolve(local_start, tz, field="start", fold=start_fold, ask=ask)
    ends_at, end_fold = times.resolve(local_end, tz, field="end", fold=end_fold, ask=ask)
    if ends_at <= starts_at:
        raise InvalidValue(_("The meeting must end after it starts."), field="end")
    if ends_at - starts_at > LONGEST:
        raise InvalidValue(_("A meeting lasts at most 31 days."), field="end")
    return {
        "timezone": tz.key,
        "local_start": local_start.replace(second=0, microsecond=0),
        "local_end": local_end.replace(second=0, microsecond=0),
        "start_fold": start_fold,
        "end_fold": end_fold,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


def check_not_past(actor: User, starts_at: datetime, record_past: bool) -> None:
    if starts_at >= utcnow():
        return
    if not permissions.is_staff(actor):
        raise InvalidValue(_("This time is in the past. Choose a time to come."), field="start")
    if not record_past:
        raise InvalidValue(
            _(
                "This time is in the past. To record a meeting that took place, tick "
                "“Record a past meeting”."
            ),
            field="start",
        )


CLEANERS = {
    "title": lambda v: clean_line(v, "title", required=True, max_length=limits.TITLE_MAX),
    "description": lambda v: clean_text(v, "description", max_length=limits.TEXT_MAX),
    "format": lambda v: parse_choice(MeetingFormat, v, "format"),
    "venue": lambda v: clean_line(v, "venue", max_length=limits.VENUE_MAX),
    "online_url": clean_url,
    "invitee_note": lambda v: clean_text(v, "invitee_note", max_length=limits.TEXT_MAX),
    "visibility": lambda v: parse_choice(Visibility, v, "visibility"),
    **translation_cleaners(summary=False),
}


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The changeable fields other than the times, checked."""
    unknown = set(fields) - {*CLEANERS, "start", "end", "timezone"}
    if unknown:
        raise InvalidValue(_("This cannot be changed here."), field=sorted(unknown)[0])
    return {name: CLEANERS[name](v) for name, v in fields.items() if name in CLEANERS}


def resolve_change(
    meeting: Meeting,
    fields: dict[str, Any],
    *,
    start_fold: int | None,
    end_fold: int | None,
    ask_fold: bool,
) -> dict[str, Any]:
    """The new times of *meeting* from the start, end and zone given in *fields* (the
    others kept), the folds kept unless a time or the zone changes."""
    zone_key = fields.get("timezone", meeting.timezone)
    same_zone = zone_key == meeting.timezone
    return resolve_times(
        fields.get("start", meeting.local_start),
        fields.get("end", meeting.local_end),
        zone_key,
        start_fold=start_fold
        if start_fold is not None or "start" in fields or not same_zone
        else meeting.start_fold,
        end_fold=end_fold
        if end_fold is not None or "end" in fields or not same_zone
        else meeting.end_fold,
        ask=ask_fold,
    )
