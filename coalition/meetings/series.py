"""Recurring series: scheduling one, and changing or cancelling "this and the following"
occurrences. Each occurrence is a meeting of its own (page, invitations, answers,
minutes); changing or cancelling one alone goes through coalition.meetings.services,
which marks it an exception of its series.

"This and the following" splits the series: the old one ends (UNTIL) with the
occurrence before, a new one, with the same rule, starts with this occurrence, and the
following occurrences move to it with the new values. Only the time of day, the
duration and the zone can change that way, not the dates: a move to another day is
made for one occurrence alone. Every occurrence moved so takes the new time, those
moved alone before included. Like every service, these never commit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from flask_babel import ngettext

from coalition.db import utcnow
from coalition.errors import InvalidValue, refuse
from coalition.extensions import db
from coalition.meetings import invitations, notify, recurrence, rules, times, values
from coalition.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    audit_values,
)

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.bodies.models import Body


def rule_of(series: MeetingSeries) -> recurrence.Rule:
    rule = recurrence.parse(series.rule, require_end=False)
    if series.count is not None:
        return replace(rule, count=series.count)
    return replace(rule, until=series.until_local)


def generated(series: MeetingSeries) -> list[datetime]:
    """The wall-clock starts the series' rule makes (its RECURRENCE-IDs)."""
    tz = ZoneInfo(series.timezone)
    return recurrence.generate(rule_of(series), series.local_start, tz, check=False)


def duration(series: MeetingSeries) -> timedelta:
    """The exact length of every occurrence (iCalendar: DTEND - DTSTART of the first)."""
    tz = ZoneInfo(series.timezone)
    return recurrence.instant(series.local_end, tz) - recurrence.instant(series.local_start, tz)


def _times(local: datetime, tz: ZoneInfo, length: timedelta) -> dict[str, Any]:
    starts_at = recurrence.instant(local, tz)
    ends_at = starts_at + length
    local_start, start_fold = times.wall_clock(starts_at, tz)
    local_end, end_fold = times.wall_clock(ends_at, tz)
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "local_start": local_start,
        "local_end": local_end,
        "start_fold": start_fold,
        "end_fold": end_fold,
        "timezone": tz.key,
    }


def create(
    body: Body | None,
    *,
    actor: User,
    rule_text: Any,
    values: dict[str, Any],
    agenda: list[str],
) -> list[Meeting]:
    """A series of *body* with one meeting per occurrence; *values* are the first
    meeting's, checked (times included). Invitees are told once, with the whole series."""
    from coalition.meetings.services import record_meeting

    rule = recurrence.parse(rule_text)
    tz = ZoneInfo(values["timezone"])
    starts = recurrence.generate(rule, values["local_start"], tz)
    length = values["ends_at"] - values["starts_at"]
    series = MeetingSeries(
        body_id=body.id if body else None,
        rule=rule.pattern(),
        count=rule.count,
        until_local=rule.until_wall(tz) if rule.count is None else None,
        timezone=tz.key,
        local_start=values["local_start"],
        local_end=values["local_end"],
        created_by_id=actor.id,
    )
    db.session.add(series)
    db.session.flush()
    meetings = []
    for n, local in enumerate(starts):
        when = {k: values[k] for k in _TIME_KEYS} if n == 0 else _times(local, tz, length)
        meeting = Meeting(
            body_id=series.body_id,
            created_by_id=actor.id,
            series_id=series.id,
            recurrence_id=local,
            **{**values, **when},
        )
        meeting.body = body
        meeting.agenda = [AgendaItem(position=i, title=t) for i, t in enumerate(agenda, 1)]
        meetings.append(meeting)
    db.session.add_all(meetings)
    db.session.flush()
    invitations.invite_members(meetings, actor)
    for meeting in meetings:
        record_meeting("meeting.schedule", meeting, actor, None, audit_values(meeting))
    if meetings[0].starts_at > utcnow():
        notify.invitees(
            meetings[0],
            "meeting.series_scheduled",
            count=len(meetings),
            last=meetings[-1].local_start.isoformat(),
        )
    return meetings


_TIME_KEYS = (
    "starts_at",
    "ends_at",
    "local_start",
    "local_end",
    "start_fold",
    "end_fold",
    "timezone",
)


def occurrences(series_id: int) -> list[Meeting]:
    """Every occurrence of the series, by RECURRENCE-ID (1 query)."""
    return list(
        db.session.scalars(
            sa.select(Meeting).where(Meeting.series_id == series_id).order_by(Meeting.recurrence_id)
        )
    )


def _following(meeting: Meeting) -> tuple[list[Meeting], list[Meeting]]:
    """(the occurrences before *meeting*, it and those after), by RECURRENCE-ID."""
    rows = occurrences(meeting.series_id)
    before = [m for m in rows if m.recurrence_id < meeting.recurrence_id]
    return before, [m for m in rows if m.recurrence_id >= meeting.recurrence_id]


def _end_before(series: MeetingSeries, before: list[Meeting]) -> None:
    """The series now ends with the last of *before* (inclusive UNTIL)."""
    series.until_local, series.count = before[-1].recurrence_id, None
    _bump(series)


def _bump(series: MeetingSeries) -> None:
    series.sequence = (series.sequence or 0) + 1
    series.updated_at = utcnow()


def change_following(
    meeting: Meeting,
    *,
    actor: User,
    start_fold: int | None = None,
    end_fold: int | None = None,
    ask_fold: bool = False,
    record_past: bool = False,
    **fields: Any,
) -> Meeting:
    """Change *meeting* and the following occurrences of its series alike (see the
    module's docstring); the invitees are told once."""
    from coalition.meetings import services

    refuse(rules.change_refusal(actor, meeting))
    if meeting.series_id is None:
        raise InvalidValue(_("This meeting is not part of a series."), field="scope")
    cleaned = values.clean_fields(fields)
    series = db.session.get(MeetingSeries, meeting.series_id)
    new_times = None
    if {"start", "end", "timezone"} & set(fields):
        new_times = values.resolve_change(
            meeting, fields, start_fold=start_fold, end_fold=end_fold, ask_fold=ask_fold
        )
        if new_times["local_start"].date() != meeting.recurrence_id.date():
            raise InvalidValue(
                _(
                    "For this and the following meetings, only the time of day, the "
                    "length and the zone can change: keep the date %(date)s, or move this "
                    "meeting alone.",
                    date=meeting.recurrence_id.date().isoformat(),
                ),
                field="start",
            )
        if new_times["starts_at"] != meeting.starts_at:
            values.check_not_past(actor, new_times["starts_at"], record_past)
    before, rows = _following(meeting)
    target = series
    if before:
        _end_before(series, before)
        target = MeetingSeries(
            body_id=series.body_id,
            rule=series.rule,
            timezone=series.timezone,
            local_start=meeting.recurrence_id,
            local_end=meeting.recurrence_id + (series.local_end - series.local_start),
            created_by_id=actor.id,
        )
        db.session.add(target)
    target.count, target.until_local = len(rows), None
    if new_times is not None:
        target.timezone = new_times["timezone"]
        target.local_start = new_times["local_start"]
        target.local_end = target.local_start + (new_times["local_end"] - new_times["local_start"])
    _bump(target)
    db.session.flush()
    tz = ZoneInfo(target.timezone)
    length = duration(target)
    moved = []
    for row in rows:
        rid = datetime.combine(row.recurrence_id.date(), target.local_start.time())
        row.series_id, row.recurrence_id = target.id, rid
        if row.status is not MeetingStatus.SCHEDULED:
            continue
        before_values = audit_values(row)
        for name, value in cleaned.items():
            setattr(row, name, value)
        if new_times is not None:
            for name, value in _times(rid, tz, length).items():
                setattr(row, name, value)
        after_values = audit_values(row)
        changed = {k for k in after_values if after_values[k] != before_values[k]}
        if changed:
            row.sequence = (row.sequence or 0) + 1
            row.updated_at = utcnow()
            services.record_meeting(
                "meeting.change",
                row,
                actor,
                {k: before_values[k] for k in changed},
                {**{k: after_values[k] for k in changed}, "scope": "following"},
            )
            moved.append((row, changed))
    db.session.flush()
    if moved and moved[0][0].ends_at > utcnow():
        changed_names = sorted(set().union(*(c for _r, c in moved)) & set(services.TIME_AND_PLACE))
        if changed_names:
            notify.invitees(
                moved[0][0], "meeting.changed", changed=changed_names, following=len(moved)
            )
    return meeting


def cancel_following(meeting: Meeting, *, actor: User, reason: Any = "") -> Meeting:
    """Cancel *meeting* and every following occurrence: the series ends with the one
    before (when there is one). The invitees are told once."""
    from coalition.meetings import services
    from coalition.text import clean_text

    refuse(rules.cancel_refusal(actor, meeting))
    if meeting.series_id is None:
        raise InvalidValue(_("This meeting is not part of a series."), field="scope")
    reason = clean_text(reason, "reason", max_length=services.limits.NOTE_MAX)
    series = db.session.get(MeetingSeries, meeting.series_id)
    before, rows = _following(meeting)
    if before:
        _end_before(series, before)
    else:
        _bump(series)
    now = utcnow()
    cancelled = [row for row in rows if row.status is MeetingStatus.SCHEDULED]
    db.session.execute(
        sa.update(Meeting)
        .where(
            Meeting.id.in_([row.id for row in cancelled]),
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .values(
            status=MeetingStatus.CANCELLED,
            cancelled_at=now,
            cancel_reason=reason,
            sequence=Meeting.sequence + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    for row in cancelled:
        db.session.refresh(row)
        services.record_meeting(
            "meeting.cancel",
            row,
            actor,
            {"status": "scheduled"},
            {"status": "cancelled", "reason": reason, "scope": "following"},
        )
    if cancelled and meeting.ends_at > now:
        notify.invitees(meeting, "meeting.cancelled", reason=reason, following=len(cancelled))
    return meeting


def describe(series: MeetingSeries) -> str:
    """ "Every month on the third Wednesday, 6 times" in the reader's language."""
    from babel import Locale
    from flask_babel import get_locale

    rule = recurrence.parse(series.rule, require_end=False)
    days = Locale.parse(str(get_locale() or "en")).days["format"]["wide"]
    n = rule.interval
    text = {
        "DAILY": ngettext("every day", "every %(num)d days", n),
        "WEEKLY": ngettext("every week", "every %(num)d weeks", n),
        "MONTHLY": ngettext("every month", "every %(num)d months", n),
    }[rule.freq]
    parts = [str(text)]
    if rule.byday:
        names = []
        for ordinal, day in rule.byday:
            name = days[recurrence.WEEKDAYS.index(day)]
            names.append(
                str(_("the %(nth)s %(day)s", nth=_ORDINALS[ordinal](), day=name))
                if ordinal
                else name
            )
        parts.append(str(_("on %(days)s", days=", ".join(names))))
    if rule.bymonthday:
        parts.append(str(_("on day %(days)s", days=", ".join(str(d) for d in rule.bymonthday))))
    if series.count is not None:
        parts.append(str(ngettext("%(num)d time", "%(num)d times", series.count)))
    elif series.until_local is not None:
        parts.append(str(_("until %(date)s", date=series.until_local.date().isoformat())))
    return " ".join(parts[:-1]) + ", " + parts[-1]


_ORDINALS = {
    1: lambda: _("first"),
    2: lambda: _("second"),
    3: lambda: _("third"),
    4: lambda: _("fourth"),
    5: lambda: _("fifth"),
    -1: lambda: _("last"),
}
