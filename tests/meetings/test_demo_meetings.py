"""The demo's meetings: the Alliance's real meetings in their venues' zones, held, with
agendas, answers and minutes in two languages; upcoming ones in several zones; loading
twice creates nothing new."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from coalition.demo import load_demo
from coalition.extensions import db
from coalition.meetings.models import (
    DocumentVersion,
    Invitation,
    Meeting,
    MeetingStatus,
    Rsvp,
)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_demo_has_the_launch_meeting_at_unga_74(app_ctx):
    load_demo()
    db.session.commit()
    launch = db.session.scalar(
        sa.select(Meeting).where(Meeting.title.startswith("Ministerial meeting of the Alliance"))
    )
    assert launch.timezone == "America/New_York"
    assert launch.starts_at == datetime(2019, 9, 26, 19, tzinfo=UTC)  # 15:00 EDT
    assert launch.status is MeetingStatus.HELD
    assert len(launch.agenda) == 5
    answers = db.session.scalars(sa.select(Rsvp).where(Rsvp.meeting_id == launch.id)).all()
    assert len(answers) >= 8
    languages = set(
        db.session.scalars(
            sa.select(DocumentVersion.language)
            .join(DocumentVersion.document)
            .where(sa.text("meeting_documents.meeting_id = :id").bindparams(id=launch.id))
        )
    )
    assert {lang.value for lang in languages} == {"en", "fr"}
    # Every answer comes from an invitee.
    for answer in answers:
        assert db.session.scalar(
            sa.select(Invitation.id).where(
                Invitation.meeting_id == launch.id,
                Invitation.participant_id == answer.participant_id,
            )
        )


def test_the_demo_has_upcoming_meetings_in_several_zones_and_loads_once(app_ctx):
    load_demo()
    db.session.commit()
    counts = (_count(Meeting), _count(Invitation), _count(Rsvp), _count(DocumentVersion))
    zones = set(
        db.session.scalars(
            sa.select(Meeting.timezone).where(
                Meeting.starts_at > datetime(2026, 11, 23, tzinfo=UTC)
            )
        )
    )
    assert {"Africa/Accra", "America/Toronto", "Asia/Singapore"} <= zones
    load_demo()
    db.session.commit()
    assert (_count(Meeting), _count(Invitation), _count(Rsvp), _count(DocumentVersion)) == counts
