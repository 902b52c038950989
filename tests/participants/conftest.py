"""Helpers for the participants tests."""

from __future__ import annotations

import sqlalchemy as sa

from coalition.extensions import db
from coalition.participants.models import Participant


def participant(code: str) -> Participant | None:
    return db.session.scalar(sa.select(Participant).where(Participant.code == code))
