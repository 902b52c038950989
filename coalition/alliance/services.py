"""Joining and leaving the Alliance: endorsing its declaration, withdrawing the endorsement.

Endorsing enrols in nothing else: no initiative or working-group membership follows
from it ("commitment to a specific initiative does not imply automatic participation
in other initiatives", and the same holds the other way round).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import contains_eager

from coalition import permissions
from coalition.alliance.models import Endorsement
from coalition.audit.services import record
from coalition.db import flush_or, utcnow
from coalition.errors import Conflict
from coalition.extensions import db
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User

_ONLY_DELEGATES = _(
    "Only a delegate whom staff verified as speaking for this participant can endorse "
    "or withdraw for it."
)


def open_endorsement(participant: Participant) -> Endorsement | None:
    """The participant's current (not withdrawn) endorsement, if any."""
    return db.session.scalar(
        sa.select(Endorsement).where(
            Endorsement.participant_id == participant.id, Endorsement.withdrawn_at.is_(None)
        )
    )


def is_alliance_participant(participant: Participant | None) -> bool:
    return participant is not None and open_endorsement(participant) is not None


def endorses_now(participant_id: sa.ColumnElement[int]) -> sa.Exists:
    """SQL: the participant *participant_id* (a column) endorses the declaration now.
    For lists, where one query must answer for every row."""
    return sa.exists().where(
        Endorsement.participant_id == participant_id, Endorsement.withdrawn_at.is_(None)
    )


def endorse(participant: Participant, *, actor: User) -> Endorsement:
    """*participant* endorses the declaration, *actor* speaking for it.

    Raises NotAllowed unless staff verified that *actor* represents *participant*, and
    Conflict if it already endorses (also when two requests race: the database's partial
    unique index keeps one open endorsement per participant).
    """
    permissions.require(permissions.can_endorse_for(actor, participant), _ONLY_DELEGATES)
    if open_endorsement(participant) is not None:
        raise _already_endorsed()
    endorsement = Endorsement(participant_id=participant.id, endorsed_by_id=actor.id)
    db.session.add(endorsement)
    flush_or(_already_endorsed())
    endorsement.participant = participant
    record(
        "alliance.endorse",
        object_type="endorsement",
        object_id=endorsement.id,
        object_label=participant.name,
        actor=actor,
        participant=participant,
        after={"endorsed_at": endorsement.endorsed_at},
        public=True,
    )
    db.session.flush()
    return endorsement


def withdraw_endorsement(participant: Participant, *, actor: User) -> Endorsement:
    """Close the participant's open endorsement; the row is kept as history.

    Raises NotAllowed for anyone but the participant's verified delegates, Conflict if
    it does not endorse the declaration now. The row is closed by one conditional UPDATE
    (`… WHERE id = :id AND withdrawn_at IS NULL`): of simultaneous withdrawals exactly
    one closes it and records the event; the others get the same Conflict.
    """
    permissions.require(permissions.can_endorse_for(actor, participant), _ONLY_DELEGATES)
    endorsement = open_endorsement(participant)
    if endorsement is None:
        raise _not_endorsing()
    closed = db.session.execute(
        sa.update(Endorsement)
        .where(Endorsement.id == endorsement.id, Endorsement.withdrawn_at.is_(None))
        .values(withdrawn_at=utcnow(), withdrawn_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    # On PostgreSQL a concurrent withdrawal's UPDATE waits for the first to commit, then
    # finds the row closed and matches nothing.
    db.session.refresh(endorsement)
    if closed.rowcount != 1:
        raise _not_endorsing()
    record(
        "alliance.withdraw",
        object_type="endorsement",
        object_id=endorsement.id,
        object_label=participant.name,
        actor=actor,
        participant=participant,
        before={"endorsed_at": endorsement.endorsed_at},
        after={"withdrawn_at": endorsement.withdrawn_at},
        public=True,
    )
    db.session.flush()
    return endorsement


def open_endorsements_query() -> sa.Select:
    """Current Alliance participants with their endorsement, oldest first (one query)."""
    return (
        sa.select(Endorsement)
        .join(Endorsement.participant)
        .where(Endorsement.withdrawn_at.is_(None))
        .options(contains_eager(Endorsement.participant))
        .order_by(Endorsement.endorsed_at, Participant.name)
    )


def open_endorsements_by_name() -> list[Endorsement]:
    """Current Alliance participants with their endorsement, sorted by the name the reader
    sees as a reader of that language expects (one query).

    Names are collated in Python (see participants.services.find_participants): the
    Alliance's participants number in the hundreds, so the list is read whole."""
    from coalition.participants.services import by_name

    key = by_name()
    return sorted(db.session.scalars(open_endorsements_query()), key=lambda e: key(e.participant))


def _not_endorsing() -> Conflict:
    return Conflict(_("This participant does not endorse the Alliance declaration."))


def _already_endorsed() -> Conflict:
    return Conflict(_("This participant already endorses the Alliance declaration."))
