"""The demo's meetings, from the public record (/work/shared/DEMO-FACTS.md): the
Alliance's ministerial meetings since 2019 in their venues' zones, held, with agendas,
answers and minutes; and a few upcoming ones in several zones, with answers coming in.

Written with the models (as the rest of the demo), keeping the services' invariants:
times resolved from wall-clock times in the zone, invitations from the body's active
members (Alliance-wide: the endorsers), answers only from invitees, an audit event for
scheduling and closing. Idempotent: a meeting is found again by its title and start.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Body
from coalition.demo.meeting_facts import MEETINGS, DemoMeeting
from coalition.extensions import db
from coalition.meetings import invitations, times
from coalition.meetings.models import (
    AgendaItem,
    Document,
    DocumentVersion,
    Invitation,
    InvitationSource,
    Meeting,
    MeetingStatus,
    Rsvp,
    RsvpResponse,
)
from coalition.participants.models import Participant
from coalition.representations.models import Representation, RepresentationStatus


def _answerers() -> dict[int, int]:
    """Participant id → a user who speaks for it (to sign its answers)."""
    rows = db.session.execute(
        sa.select(Representation.participant_id, Representation.user_id)
        .where(Representation.status == RepresentationStatus.VERIFIED)
        .order_by(Representation.id)
    )
    found: dict[int, int] = {}
    for participant_id, user_id in rows:
        found.setdefault(participant_id, user_id)
    return found


def _load(spec: DemoMeeting, known: dict[str, Participant], staff: User, signers: dict) -> None:
    tz = times.zone(spec.timezone)
    local_start = datetime.fromisoformat(spec.start)
    local_end = datetime.fromisoformat(spec.end)
    starts_at, _f = times.resolve(local_start, tz, field="start")
    ends_at, _f = times.resolve(local_end, tz, field="end")
    body = db.session.scalar(sa.select(Body).where(Body.slug == spec.body)) if spec.body else None
    created = starts_at - timedelta(days=30)
    held = spec.status is MeetingStatus.HELD
    meeting = Meeting(
        body_id=body.id if body else None,
        title=spec.title,
        description=spec.description,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=tz.key,
        local_start=local_start,
        local_end=local_end,
        format=spec.format,
        venue=spec.venue,
        online_url=spec.online_url,
        invitee_note=spec.invitee_note,
        visibility=spec.visibility,
        status=spec.status,
        held_at=ends_at if held else None,
        created_at=created,
        updated_at=created,
        created_by_id=staff.id,
        sequence=1 if held else 0,
    )
    meeting.agenda = [AgendaItem(position=n, title=t) for n, t in enumerate(spec.agenda, 1)]
    db.session.add(meeting)
    db.session.flush()
    invitations.invite_members([meeting], staff)
    invited = set(
        db.session.scalars(
            sa.select(Invitation.participant_id).where(Invitation.meeting_id == meeting.id)
        )
    )
    for code in spec.guests + [a[0] for a in spec.answers]:
        participant = known[code]
        if participant.id not in invited:
            db.session.add(
                Invitation(
                    meeting_id=meeting.id,
                    participant_id=participant.id,
                    source=InvitationSource.GUEST,
                    created_at=created,
                )
            )
            invited.add(participant.id)
    for code, response, level, head, others in spec.answers:
        participant = known[code]
        attending = response is RsvpResponse.ATTENDING
        db.session.add(
            Rsvp(
                meeting_id=meeting.id,
                participant_id=participant.id,
                response=response,
                level=level if attending else None,
                head=head if attending else "",
                delegates=others if attending else [],
                answered_at=created + timedelta(days=7),
                answered_by_id=signers.get(participant.id, staff.id),
            )
        )
    for position, (kind, versions) in enumerate(spec.documents, 1):
        document = Document(meeting_id=meeting.id, kind=kind, position=position, created_at=ends_at)
        db.session.add(document)
        db.session.flush()
        for language, title, status, content in versions:
            db.session.add(
                DocumentVersion(
                    document_id=document.id,
                    language=language,
                    title=title,
                    status=status,
                    content=content,
                    updated_at=ends_at,
                    updated_by_id=staff.id,
                )
            )
    for action, when in [("meeting.schedule", created)] + (
        [("meeting.held", ends_at)] if held else []
    ):
        db.session.add(
            AuditEvent(
                occurred_at=when,
                actor_id=staff.id,
                action=action,
                object_type="meeting",
                object_id=meeting.id,
                object_label=meeting.title,
                body_id=meeting.body_id,
                after={"status": "scheduled" if action.endswith("schedule") else "held"},
            )
        )
    db.session.flush()


def load_meetings(known: dict[str, Participant]) -> None:
    """The demo's meetings that are not there yet (never commits)."""
    staff = db.session.scalar(sa.select(User).where(User.email == "staff@coalition.example"))
    existing = {
        tuple(row) for row in db.session.execute(sa.select(Meeting.title, Meeting.local_start))
    }
    signers = _answerers()
    for spec in MEETINGS:
        if (spec.title, datetime.fromisoformat(spec.start)) not in existing:
            _load(spec, known, staff, signers)
