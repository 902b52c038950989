"""Reading representations: one by id, a person's open or latest one, a participant's
current representatives and full history, and the claims waiting for staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload

from coalition.errors import NotFound
from coalition.extensions import db
from coalition.representations.models import Representation, RepresentationStatus

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant

OPEN_STATUSES = (RepresentationStatus.PENDING, RepresentationStatus.VERIFIED)


def get_representation(representation_id: int) -> Representation:
    """The representation with its person and participant, else NotFound."""
    rep = db.session.scalar(
        sa.select(Representation)
        .where(Representation.id == representation_id)
        .options(joinedload(Representation.participant), joinedload(Representation.user))
    )
    if rep is None:
        raise NotFound(_("There is no such representation."))
    return rep


def open_representation(user: User) -> Representation | None:
    """The user's pending or verified representation, if any."""
    return db.session.scalar(
        sa.select(Representation)
        .where(Representation.user_id == user.id, Representation.status.in_(OPEN_STATUSES))
        .options(joinedload(Representation.participant))
    )


def latest_claim(user: User) -> Representation | None:
    """The user's most recent representation, whatever its status, with its participant."""
    return db.session.scalar(
        sa.select(Representation)
        .where(Representation.user_id == user.id)
        .options(joinedload(Representation.participant))
        .order_by(Representation.claimed_at.desc(), Representation.id.desc())
        .limit(1)
    )


def current_representations(participant: Participant) -> list[Representation]:
    """Verified representations of *participant*, focal point first, with their people."""
    return list(
        db.session.scalars(
            sa.select(Representation)
            .where(
                Representation.participant_id == participant.id,
                Representation.status == RepresentationStatus.VERIFIED,
            )
            .options(joinedload(Representation.user))
            .order_by(Representation.role.desc(), Representation.decided_at)
        )
    )


def representation_history(participant: Participant) -> list[Representation]:
    """Every representation of *participant*, newest claim first (never deleted)."""
    return list(
        db.session.scalars(
            sa.select(Representation)
            .where(Representation.participant_id == participant.id)
            .options(
                joinedload(Representation.user),
                joinedload(Representation.decided_by),
                joinedload(Representation.ended_by),
            )
            .order_by(Representation.claimed_at.desc(), Representation.id.desc())
        )
    )


def pending_claims_statement() -> sa.Select:
    """Claims waiting for staff, oldest first."""
    return (
        sa.select(Representation)
        .where(Representation.status == RepresentationStatus.PENDING)
        .options(joinedload(Representation.user), joinedload(Representation.participant))
        .order_by(Representation.claimed_at, Representation.id)
    )


def pending_claims_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Representation.id)).where(
            Representation.status == RepresentationStatus.PENDING
        )
    )
