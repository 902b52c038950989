"""Who may do what to a meeting now, and why not: each function returns None when the
act is allowed, else a Refusal that services raise and templates show in place of the
button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _

from coalition import permissions
from coalition.db import utcnow
from coalition.errors import Conflict, Refusal
from coalition.meetings.models import Meeting, MeetingStatus

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.bodies.models import Body


def _not_allowed() -> Refusal:
    return Refusal(_("You are not allowed to do that."))


def schedule_refusal(user: User | None, body: Body | None) -> Refusal | None:
    """Why the user cannot schedule a meeting of *body* (None: Alliance-wide)."""
    if permissions.can_schedule_meeting(user, body):
        return None
    if body is None:
        return Refusal(_("Only the Secretariat schedules Alliance-wide meetings."))
    return Refusal(
        _(
            "Only the co-chairs of %(title)s and the Secretariat schedule its meetings.",
            title=body.title,
        )
    )


def _status(meeting: Meeting) -> Refusal | None:
    if meeting.status is MeetingStatus.CANCELLED:
        return Refusal(_("This meeting was cancelled."), Conflict)
    if meeting.status is MeetingStatus.HELD:
        return Refusal(_("This meeting has been held: it can no longer be changed."), Conflict)
    return None


def change_refusal(user: User | None, meeting: Meeting) -> Refusal | None:
    """Why the user cannot change the meeting's time, place, details or agenda."""
    if not permissions.can_manage_meeting(user, meeting):
        return _not_allowed()
    return _status(meeting)


def cancel_refusal(user: User | None, meeting: Meeting) -> Refusal | None:
    return change_refusal(user, meeting)


def held_refusal(user: User | None, meeting: Meeting) -> Refusal | None:
    refusal = change_refusal(user, meeting)
    if refusal is None and meeting.starts_at > utcnow():
        return Refusal(_("A meeting can be marked held once it has started."), Conflict)
    return refusal


def guests_refusal(user: User | None, meeting: Meeting) -> Refusal | None:
    """Why the user cannot add or remove guests."""
    return change_refusal(user, meeting)


def documents_refusal(user: User | None, meeting: Meeting) -> Refusal | None:
    """Why the user cannot record minutes or outcome documents (also after the meeting)."""
    if not permissions.can_manage_meeting(user, meeting):
        return _not_allowed()
    if meeting.status is MeetingStatus.CANCELLED:
        return Refusal(_("This meeting was cancelled."), Conflict)
    return None


def rsvp_refusal(user: User | None, meeting: Meeting) -> Refusal | None:
    """Why the user cannot answer for its participant (only invitees, until the start)."""
    participant = permissions.acting_participant(user)
    if participant is None:
        return Refusal(
            _(
                "You can answer for a participant only once staff have verified that you "
                "represent it."
            )
        )
    if not permissions.is_invited(user, meeting):
        return Refusal(_("Only invited participants answer."))
    if meeting.status is not MeetingStatus.SCHEDULED:
        return _status(meeting)
    if meeting.starts_at <= utcnow():
        return Refusal(_("The meeting has started: answers can no longer change."), Conflict)
    return None
