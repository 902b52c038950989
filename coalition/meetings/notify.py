"""Telling invitees that a meeting was scheduled, changed or cancelled: in the app and by
mail with the calendar file attached (METHOD:REQUEST, or METHOD:CANCEL), written in the
transaction of the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask_babel import get_locale, gettext, ngettext

from coalition.meetings import ics
from coalition.meetings.models import Invitation, Meeting
from coalition.meetings.times import day_and_time
from coalition.notifications import messages
from coalition.notifications.services import delegates_of, notify_users


def invitees(meeting: Meeting, kind: str, **extra: Any) -> None:
    """Notify every verified delegate of every participant invited now (one query for
    the people, one calendar file for all)."""
    invited = sa.select(Invitation.participant_id).where(
        Invitation.meeting_id == meeting.id, Invitation.withdrawn_at.is_(None)
    )
    method = "CANCEL" if kind == "meeting.cancelled" else "REQUEST"
    if meeting.series_id is None:
        content = ics.calendar([meeting], private_ids={meeting.id}, method=method)
    elif method == "CANCEL" and not extra.get("following"):
        content = ics.cancel_occurrence(meeting)
    else:
        # The whole series, so that a calendar keeps every occurrence (the cancelled ones
        # as exceptions): a file with one occurrence would drop the others.
        from coalition.meetings.series import occurrences

        rows = occurrences(meeting.series_id)
        method = "REQUEST"
        content = ics.calendar(
            [],
            private_ids={m.id for m in rows},
            method=method,
            whole_series={meeting.series_id: rows},
        )
    notify_users(
        delegates_of(invited),
        kind,
        link=meeting.path,
        attachments=[
            (f"meeting-{meeting.id}.ics", f"text/calendar; method={method}; charset=utf-8", content)
        ],
        title=meeting.title,
        body=meeting.body.title if meeting.body is not None else "",
        local_start=meeting.local_start.isoformat(),
        timezone=meeting.timezone,
        venue=meeting.venue,
        **extra,
    )


def _when(d: dict[str, Any]) -> str:
    """The meeting's wall-clock time in its own zone, in the reader's language."""
    try:
        moment = datetime.fromisoformat(d.get("local_start", ""))
        tz = ZoneInfo(d.get("timezone", "UTC"))
    except (ValueError, ZoneInfoNotFoundError):
        return ""
    return f"{day_and_time(moment.replace(tzinfo=tz), get_locale())} ({tz.key})"


def _facts(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "when": _when(d), "venue": d.get("venue") or "—", "reason": d.get("reason") or "—"}


def _scheduled(d: dict[str, Any]) -> tuple[str, str]:
    d = _facts(d)
    return (
        gettext("Meeting scheduled: %(title)s", **d),
        gettext(
            "You are invited to %(title)s on %(when)s. Venue: %(venue)s. Answer for your "
            "delegation on the meeting page; the calendar file is attached.",
            **d,
        ),
    )


def _series_scheduled(d: dict[str, Any]) -> tuple[str, str]:
    d = _facts(d)
    d["until"] = _when({**d, "local_start": d.get("last", "")})
    return (
        gettext("Meetings scheduled: %(title)s", **d),
        ngettext(
            "You are invited to %(title)s, %(num)d meeting from %(when)s to %(until)s. "
            "Venue: %(venue)s. Answer for your delegation on each meeting's page; the "
            "calendar file of the series is attached.",
            "You are invited to %(title)s, %(num)d meetings from %(when)s to %(until)s. "
            "Venue: %(venue)s. Answer for your delegation on each meeting's page; the "
            "calendar file of the series is attached.",
            int(d.get("count") or 1),
            **d,
        ),
    )


def _following(d: dict[str, Any]) -> str:
    count = int(d.get("following") or 0)
    if count < 2:
        return ""
    return " " + ngettext(
        "This applies to %(num)d meeting of the series, from this one on.",
        "This applies to %(num)d meetings of the series, from this one on.",
        count,
    )


def _changed(d: dict[str, Any]) -> tuple[str, str]:
    d = _facts(d)
    return (
        gettext("Meeting changed: %(title)s", **d),
        gettext(
            "The time or place of %(title)s has changed. It is now on %(when)s. Venue: "
            "%(venue)s. The updated calendar file is attached.",
            **d,
        )
        + _following(d),
    )


def _cancelled(d: dict[str, Any]) -> tuple[str, str]:
    d = _facts(d)
    return (
        gettext("Meeting cancelled: %(title)s", **d),
        gettext(
            "%(title)s, planned on %(when)s, is cancelled. Reason: %(reason)s",
            **d,
        )
        + _following(d),
    )


messages.RENDERERS.update(
    {
        "meeting.scheduled": _scheduled,
        "meeting.series_scheduled": _series_scheduled,
        "meeting.changed": _changed,
        "meeting.cancelled": _cancelled,
    }
)
