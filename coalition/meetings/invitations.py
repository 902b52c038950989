"""Who is invited to a meeting, kept in step with memberships.

Invitees are the body's active members and partners when the meeting is scheduled
(Alliance-wide meetings: the participants endorsing the Alliance then), plus the guests
the co-chairs or staff name. Membership changes reach only meetings still to come: a
participant that joins is invited to the body's future meetings, one that leaves has its
member invitations to them withdrawn; past meetings keep their invitees and answers.
Each of these is one statement, run in the transaction of the membership change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import lazy_gettext as _

from coalition import permissions
from coalition.alliance.models import Endorsement
from coalition.audit.services import record
from coalition.bodies.hooks import on_memberships_activated, on_memberships_ended
from coalition.bodies.models import Membership, MembershipStatus
from coalition.db import utcnow
from coalition.errors import Conflict, refuse
from coalition.extensions import db
from coalition.labels import participant_name
from coalition.meetings import rules
from coalition.meetings.models import Invitation, InvitationSource, Meeting, MeetingStatus
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User

OPEN = Invitation.withdrawn_at.is_(None)


def _future_meetings_of(body_id: int) -> sa.Select:
    return sa.select(Meeting.id).where(
        Meeting.body_id == body_id,
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at > utcnow(),
    )


@on_memberships_activated
def invite_new_members(body_id: int, participant_ids: Sequence[int]) -> None:
    """INSERT … SELECT: the body's future meetings the participants are not yet invited
    to (one statement however many joined)."""
    already = (
        sa.select(Invitation.id)
        .where(
            Invitation.meeting_id == Meeting.id,
            Invitation.participant_id == Participant.id,
            OPEN,
        )
        .exists()
    )
    rows = (
        sa.select(
            Meeting.id,
            Participant.id,
            sa.literal(InvitationSource.MEMBER.value),
            sa.literal(utcnow(), type_=Invitation.created_at.type),
        )
        # Every new member with every future meeting: a product on purpose.
        .select_from(Meeting)
        .join(Participant, sa.true())
        .where(
            Meeting.id.in_(_future_meetings_of(body_id)),
            Participant.id.in_(list(participant_ids)),
            ~already,
        )
    )
    db.session.execute(
        sa.insert(Invitation).from_select(
            ["meeting_id", "participant_id", "source", "created_at"], rows
        )
    )


@on_memberships_ended
def withdraw_former_members(body_id: int, participant_ids: Sequence[int]) -> None:
    """The participants' member invitations to the body's future meetings are withdrawn
    (guest invitations stay: the co-chairs named them for themselves)."""
    db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.participant_id.in_(list(participant_ids)),
            Invitation.source == InvitationSource.MEMBER,
            OPEN,
            Invitation.meeting_id.in_(_future_meetings_of(body_id)),
        )
        .values(withdrawn_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    forget_invitations()


def invite_members(meetings: list[Meeting], actor: User) -> None:
    """New meetings' invitations (of one body, or all Alliance-wide: a meeting or the
    occurrences of a series): the body's active members and partners; for an
    Alliance-wide meeting, the participants endorsing the Alliance (one INSERT … SELECT)."""
    body_id = meetings[0].body_id
    if body_id is not None:
        ids = sa.select(Membership.participant_id).where(
            Membership.body_id == body_id, Membership.status == MembershipStatus.ACTIVE
        )
    else:
        ids = sa.select(Endorsement.participant_id).where(Endorsement.withdrawn_at.is_(None))
    now = utcnow()
    # Every participant with every meeting: a cross join, said so.
    rows = (
        ids.join(Meeting, sa.true())
        .add_columns(
            Meeting.id,
            sa.literal(InvitationSource.MEMBER.value),
            sa.literal(now, type_=Invitation.created_at.type),
            sa.literal(actor.id),
        )
        .where(Meeting.id.in_([m.id for m in meetings]))
    )
    db.session.execute(
        sa.insert(Invitation).from_select(
            ["participant_id", "meeting_id", "source", "created_at", "created_by_id"], rows
        )
    )
    forget_invitations()


def add_guest(meeting: Meeting, participant: Participant, *, actor: User) -> Invitation:
    """Co-chairs and staff invite a participant by name."""
    refuse(rules.guests_refusal(actor, meeting))
    if invitation_of(meeting, participant) is not None:
        raise Conflict(
            _("%(participant)s is already invited.", participant=participant_name(participant)),
            field="participant",
        )
    invitation = Invitation(
        meeting_id=meeting.id,
        participant_id=participant.id,
        source=InvitationSource.GUEST,
        created_by_id=actor.id,
    )
    db.session.add(invitation)
    from coalition.db import flush_or

    flush_or(Conflict(_("This participant is already invited."), field="participant"))
    _record("meeting.invite_guest", meeting, actor, participant)
    forget_invitations()
    return invitation


def remove_guest(meeting: Meeting, participant: Participant, *, actor: User) -> None:
    refuse(rules.guests_refusal(actor, meeting))
    invitation = invitation_of(meeting, participant)
    if invitation is None or invitation.source is not InvitationSource.GUEST:
        raise Conflict(
            _(
                "%(participant)s is not a guest of this meeting.",
                participant=participant_name(participant),
            )
        )
    invitation.withdrawn_at = utcnow()
    _record("meeting.remove_guest", meeting, actor, participant)
    forget_invitations()


def _record(action: str, meeting: Meeting, actor: User, participant: Participant) -> None:
    record(
        action,
        object_type="meeting",
        object_id=meeting.id,
        object_label=meeting.title,
        actor=actor,
        participant=permissions.acting_participant(actor),
        body=meeting.body,
        after={"participant": participant.code},
    )


# -- reading ---------------------------------------------------------------------------------


def invitation_of(meeting: Meeting, participant: Participant | None) -> Invitation | None:
    if participant is None:
        return None
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.meeting_id == meeting.id,
            Invitation.participant_id == participant.id,
            OPEN,
        )
    )


def invited_meeting_ids(participant_id: int) -> sa.Select:
    """SELECT of the meetings the participant is invited to now."""
    return sa.select(Invitation.meeting_id).where(Invitation.participant_id == participant_id, OPEN)


def is_invited(user: User | None, meeting: Meeting) -> bool:
    """Whether the user's participant is invited to *meeting* (asked once per request)."""
    participant = permissions.acting_participant(user)
    if participant is None:
        return False
    cache = g.setdefault("_meeting_invitations", {}) if has_request_context() else {}
    key = (participant.id, meeting.id)
    if key not in cache:
        cache[key] = invitation_of(meeting, participant) is not None
    return cache[key]


def remember_invited(participant_id: int, meeting_ids: set[int], shown: list[int]) -> None:
    """A list page that asked once which of its meetings the participant is invited to."""
    if has_request_context():
        cache = g.setdefault("_meeting_invitations", {})
        for meeting_id in shown:
            cache[(participant_id, meeting_id)] = meeting_id in meeting_ids


def forget_invitations() -> None:
    if has_request_context():
        g.pop("_meeting_invitations", None)


def invitees(meeting: Meeting) -> list[Invitation]:
    """The meeting's open invitations with their participants (1 query)."""

    return list(
        db.session.scalars(
            sa.select(Invitation)
            .join(Participant, Participant.id == Invitation.participant_id)
            .where(Invitation.meeting_id == meeting.id, OPEN)
            .options(sa.orm.contains_eager(Invitation.participant))
            .order_by(Participant.kind, Participant.name)
        )
    )
