"""What a delegate's dashboard shows: its participant's bodies and what waits for it.

For a person who speaks for no participant yet, the state of their claim and what to do
next. A fixed number of queries whatever the number of memberships.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from coalition import permissions
from coalition.alliance.services import open_endorsement
from coalition.extensions import db
from coalition.initiatives import queries
from coalition.participants.models import Representation, RepresentationStatus

if TYPE_CHECKING:
    from coalition.accounts.models import User


def dashboard_context(user: User) -> dict[str, Any]:
    representation = permissions.acting_representation(user)
    context: dict[str, Any] = {
        "representation": representation,
        "participant": representation.participant if representation else None,
        "latest_claim": None,
        "bodies": None,
        "endorsement": None,
        "RepresentationStatus": RepresentationStatus,
    }
    if representation is None:
        context["latest_claim"] = db.session.scalar(
            sa.select(Representation)
            .where(Representation.user_id == user.id)
            .options(sa.orm.joinedload(Representation.participant))
            .order_by(Representation.claimed_at.desc(), Representation.id.desc())
            .limit(1)
        )
        return context
    participant = representation.participant
    context["bodies"] = queries.participant_bodies(participant)
    context["endorsement"] = open_endorsement(participant)
    return context
