"""What the scheduling and editing forms add around the services: the start a link
carries (a start picked in the planner), the series' plain choices made into an RRULE,
and the meetings at the same time, shown before saving and flashed after."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from babel import Locale
from flask import flash, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from coalition import i18n
from coalition.db import utcnow
from coalition.errors import DomainError
from coalition.meetings import conflicts, recurrence, values
from coalition.meetings.views import meeting_times

if TYPE_CHECKING:
    from coalition.meetings.forms import MeetingForm, ScheduleForm
    from coalition.meetings.models import Meeting


def weekday_choices() -> list[tuple[str, str]]:
    days = Locale.parse(str(get_locale())).days["format"]["wide"]
    return [(code, days[n]) for n, code in enumerate(recurrence.WEEKDAYS)]


def prefill(form: MeetingForm) -> None:
    """Start, end and zone carried by a link (a start picked in the planner)."""
    for name in ("start", "end"):
        value = request.args.get(name, "")[:20]
        try:
            moment = datetime.fromisoformat(value) if value else None
        except ValueError:
            moment = None
        if moment is not None:
            getattr(form, name).data = moment.replace(tzinfo=None, second=0, microsecond=0)
    zone = request.args.get("timezone", "")[:64]
    if i18n.is_known_zone(zone):
        form.timezone.data = zone


def rule_of_form(form: ScheduleForm) -> str | None:
    """The RRULE the form's plain choices describe; None when it does not repeat."""
    if not form.recurrence.data:
        return None
    # Without a start the service refuses the form anyway, naming the start.
    start = form.start.data.date() if form.start.data else utcnow().date()
    return recurrence.build(
        freq=form.recurrence.data,
        interval=form.interval.data or 1,
        weekdays=form.weekdays.data or [],
        monthly_by=form.monthly_by.data or "weekday",
        start=start,
        count=form.count.data if form.ends.data != "until" else None,
        until=form.until.data if form.ends.data == "until" else None,
    )


def form_overlaps(form: MeetingForm, body, meeting: Meeting | None) -> list:
    """What overlaps the times the form shows (none when they do not resolve)."""
    try:
        when = values.resolve_times(
            form.start.data,
            form.end.data,
            form.timezone.data,
            start_fold=None,
            end_fold=None,
            ask=False,
        )
    except (DomainError, TypeError):
        return []
    return conflicts.overlapping(
        body,
        [(when["starts_at"], when["ends_at"])],
        viewer=current_user,
        exclude_ids=[meeting.id] if meeting else [],
    )


def flash_overlaps(overlaps: list) -> None:
    for overlap in overlaps:
        flash(
            _(
                "At the same time: %(title)s, %(when)s — %(reason)s.",
                title=overlap.meeting.title,
                when=meeting_times(overlap.meeting).start,
                reason=overlap.reason_text,
            ),
            "warning",
        )


def planner_link(form: MeetingForm, body: Any, meeting: Meeting | None) -> str | None:
    """The planner, for the body's members (or, when editing, the meeting's invitees),
    the form's duration and day (tomorrow in the viewer's zone until one is typed); its
    candidates link back to this form. None for an Alliance-wide meeting not yet saved:
    there are no members to plan for."""
    if meeting is None and body is None:
        return None
    minutes = 60
    if form.start.data and form.end.data and form.end.data > form.start.data:
        minutes = min(int((form.end.data - form.start.data).total_seconds() // 60), 24 * 60)
    args: dict[str, Any] = {"duration": minutes, "pick": "1"}
    if form.start.data:
        args["date"] = form.start.data.date().isoformat()
    else:
        args["date"] = (datetime.now(get_timezone()).date() + timedelta(days=1)).isoformat()
    if meeting is not None:
        args["meeting"] = meeting.id
    elif body is not None:
        args["body"] = body.slug
    return url_for("planner.planner", **args)
