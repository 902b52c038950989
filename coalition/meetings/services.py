"""Scheduling, changing, cancelling and closing meetings, and their agendas.

Every act takes the acting user as `actor`, asks coalition.meetings.rules, records an
audit event (the meeting page's history is read from them), tells the invitees what
changed when its time or place did, raises the iCalendar SEQUENCE, and never commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from coalition import limits, permissions
from coalition.audit.services import record
from coalition.db import utcnow
from coalition.errors import Conflict, Refusal, refuse
from coalition.extensions import db
from coalition.meetings import invitations, notify, rules, times
from coalition.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    audit_values,
)
from coalition.meetings.values import (
    CLEANERS,
    check_not_past,
    clean_agenda,
    clean_fields,
    resolve_change,
    resolve_times,
)
from coalition.text import clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.bodies.models import Body

#: What counts as the meeting's time or place: changing it tells the invitees.
TIME_AND_PLACE = ("local_start", "local_end", "timezone", "format", "venue", "online_url")


def schedule(
    body: Body | None,
    *,
    actor: User,
    title: Any,
    start: Any,
    end: Any,
    timezone: Any,
    format: Any,
    visibility: Any,
    description: Any = "",
    venue: Any = "",
    online_url: Any = "",
    invitee_note: Any = "",
    agenda: Any = None,
    start_fold: int | None = None,
    end_fold: int | None = None,
    ask_fold: bool = False,
    record_past: bool = False,
    recurrence: Any = None,
    language: Any = "en",
    title_translation: Any = "",
    description_translation: Any = "",
) -> Meeting:
    """A meeting of *body* (None: Alliance-wide), its agenda and invitations; the
    invitees are told, unless it is a past meeting being recorded. With *recurrence*
    (an RRULE), a series whose first meeting this is (coalition.meetings.series)."""
    refuse(rules.schedule_refusal(actor, body))
    values = {
        name: CLEANERS[name](value)
        for name, value in {
            "title": title,
            "description": description,
            "language": language,
            "title_translation": title_translation,
            "description_translation": description_translation,
            "format": format,
            "venue": venue,
            "online_url": online_url,
            "invitee_note": invitee_note,
            "visibility": visibility,
        }.items()
    }
    values.update(
        resolve_times(start, end, timezone, start_fold=start_fold, end_fold=end_fold, ask=ask_fold)
    )
    items = clean_agenda(agenda)
    check_not_past(actor, values["starts_at"], record_past)
    if recurrence:
        from coalition.meetings import series

        meetings = series.create(
            body, actor=actor, rule_text=recurrence, values=values, agenda=items
        )
        return meetings[0]
    meeting = Meeting(body_id=body.id if body else None, created_by_id=actor.id, **values)
    meeting.body = body
    meeting.agenda = [AgendaItem(position=n, title=t) for n, t in enumerate(items, 1)]
    db.session.add(meeting)
    db.session.flush()
    invitations.invite_members([meeting], actor)
    record_meeting("meeting.schedule", meeting, actor, None, audit_values(meeting))
    if meeting.starts_at > utcnow():
        notify.invitees(meeting, "meeting.scheduled")
    return meeting


def change(
    meeting: Meeting,
    *,
    actor: User,
    start_fold: int | None = None,
    end_fold: int | None = None,
    ask_fold: bool = False,
    record_past: bool = False,
    **fields: Any,
) -> Meeting:
    """Change any of title, description, start, end, timezone, format, venue, online_url,
    invitee_note, visibility. Invitees are told when the time or place changed."""
    refuse(rules.change_refusal(actor, meeting))
    cleaned = clean_fields(fields)
    if {"start", "end", "timezone"} & set(fields):
        cleaned.update(
            resolve_change(
                meeting, fields, start_fold=start_fold, end_fold=end_fold, ask_fold=ask_fold
            )
        )
        if cleaned["starts_at"] != meeting.starts_at:
            check_not_past(actor, cleaned["starts_at"], record_past)
    texts = {
        name: "changed"
        for name in (
            "description",
            "invitee_note",
            "language",
            "title_translation",
            "description_translation",
        )
        if name in cleaned and cleaned[name] != getattr(meeting, name)
    }
    before = audit_values(meeting)
    for name, value in cleaned.items():
        setattr(meeting, name, value)
    after = audit_values(meeting)
    changed = {k for k in after if after[k] != before[k]}
    if not changed and not texts:
        return meeting
    _bump(meeting)
    _detach(meeting)
    record_meeting(
        "meeting.change",
        meeting,
        actor,
        {k: before[k] for k in changed},
        {**{k: after[k] for k in changed}, **texts},
    )
    if changed & set(TIME_AND_PLACE) and meeting.ends_at > utcnow():
        notify.invitees(meeting, "meeting.changed", changed=sorted(changed & set(TIME_AND_PLACE)))
    return meeting


def _detach(meeting: Meeting) -> None:
    """An occurrence changed alone becomes an exception of its series; its series'
    calendar event changes with it (an exception, or one date fewer)."""
    if meeting.series_id is not None:
        from coalition.meetings.models import MeetingSeries

        meeting.is_exception = True
        db.session.execute(
            sa.update(MeetingSeries)
            .where(MeetingSeries.id == meeting.series_id)
            .values(sequence=MeetingSeries.sequence + 1, updated_at=utcnow())
        )


def set_agenda(meeting: Meeting, items: Any, *, actor: User) -> Meeting:
    """Replace the agenda by *items*, in that order."""
    refuse(rules.change_refusal(actor, meeting))
    cleaned = clean_agenda(items)
    before = [item.title for item in meeting.agenda]
    if cleaned == before:
        return meeting
    meeting.agenda = [AgendaItem(position=n, title=t) for n, t in enumerate(cleaned, 1)]
    _bump(meeting)
    _detach(meeting)
    record_meeting(
        "meeting.agenda", meeting, actor, {"items": len(before)}, {"items": len(cleaned)}
    )
    return meeting


def cancel(meeting: Meeting, *, actor: User, reason: Any = "") -> Meeting:
    """Cancel the meeting; invitees are told (with a METHOD:CANCEL calendar file)."""
    refuse(rules.cancel_refusal(actor, meeting))
    reason = clean_text(reason, "reason", max_length=limits.NOTE_MAX)
    _set_status(
        meeting, MeetingStatus.CANCELLED, actor, cancelled_at=utcnow(), cancel_reason=reason
    )
    _detach(meeting)
    record_meeting(
        "meeting.cancel",
        meeting,
        actor,
        {"status": "scheduled"},
        {"status": "cancelled", "reason": reason},
    )
    if meeting.ends_at > utcnow():
        notify.invitees(meeting, "meeting.cancelled", reason=reason)
    return meeting


def mark_held(meeting: Meeting, *, actor: User) -> Meeting:
    refuse(rules.held_refusal(actor, meeting))
    _set_status(meeting, MeetingStatus.HELD, actor, held_at=utcnow())
    record_meeting("meeting.held", meeting, actor, {"status": "scheduled"}, {"status": "held"})
    return meeting


def reresolve(meeting: Meeting) -> bool:
    """Compute the instants again from the wall-clock times under the zone rules now in
    force (after a tzdata update changed them); True when they moved. Only meetings
    still to come are worth it; the caller records and tells."""
    tz = times.zone(meeting.timezone)
    starts_at, _f = times.resolve(meeting.local_start, tz, field="start", fold=meeting.start_fold)
    ends_at, _f = times.resolve(meeting.local_end, tz, field="end", fold=meeting.end_fold)
    if (starts_at, ends_at) == (meeting.starts_at, meeting.ends_at):
        return False
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    _bump(meeting)
    return True


# -- parts -------------------------------------------------------------------------------------


def _bump(meeting: Meeting) -> None:
    """SEQUENCE + 1 in one UPDATE (two changes at once each raise it)."""
    meeting.updated_at = utcnow()
    meeting.sequence = Meeting.sequence + 1
    db.session.flush()
    db.session.refresh(meeting, ["sequence"])


def _set_status(meeting: Meeting, new: MeetingStatus, actor: User, **values: Any) -> None:
    """A conditional UPDATE from `scheduled`: of a cancellation and a closing at once,
    one wins and the other is told."""
    result = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.SCHEDULED)
        .values(status=new, sequence=Meeting.sequence + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(meeting)
    if result.rowcount != 1:
        refuse(
            rules.change_refusal(actor, meeting)
            or Refusal(_("This meeting was changed meanwhile."), Conflict)
        )


def record_meeting(
    action: str,
    meeting: Meeting,
    actor: User,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record(
        action,
        object_type="meeting",
        object_id=meeting.id,
        object_label=meeting.title,
        actor=actor,
        participant=permissions.acting_participant(actor),
        body=meeting.body,
        before=before,
        after=after,
    )
