"""Participants: loading the states, looking participants up."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from coalition.errors import NotFound
from coalition.extensions import db
from coalition.participants import countries
from coalition.participants.models import Participant, ParticipantKind, UNStatus


def seed_states() -> int:
    """Create every UN member and observer state that is missing; returns how many.

    Idempotent: existing states (and what staff edited on them, such as the time
    zone) are left as they are.
    """
    existing = set(
        db.session.scalars(
            sa.select(Participant.code).where(Participant.kind == ParticipantKind.STATE)
        )
    )
    created = 0
    for record in countries.states():
        if record.alpha3 in existing:
            continue
        db.session.add(
            Participant(
                kind=ParticipantKind.STATE,
                code=record.alpha3,
                iso_alpha2=record.alpha2,
                name=record.name,
                un_status=UNStatus(record.un_status),
                timezone=record.timezone,
            )
        )
        created += 1
    db.session.flush()
    return created


def get_participant(code: str) -> Participant:
    """The participant with this code (GHA, or an organization's slug), else NotFound."""
    participant = db.session.scalar(sa.select(Participant).where(Participant.code == code))
    if participant is None and len(code) == 3:
        participant = db.session.scalar(
            sa.select(Participant).where(Participant.code == code.upper())
        )
    if participant is None:
        raise NotFound(_("There is no participant with the code %(code)s.", code=code))
    return participant
