"""What a delegate's dashboard shows: its participant's bodies and what waits for it.

For a person who speaks for no participant yet, the state of their claim and what to do
next. A fixed number of queries whatever the number of memberships.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coalition import permissions
from coalition.alliance.services import open_endorsement
from coalition.bodies.queries import participant_bodies
from coalition.meetings.queries import of_participant
from coalition.representations.models import RepresentationStatus
from coalition.representations.queries import latest_claim

if TYPE_CHECKING:
    from coalition.accounts.models import User

#: The dashboard lists the participant's next meetings, then its latest ones, this many each.
NEXT_MEETINGS = 5


def dashboard_context(user: User) -> dict[str, Any]:
    representation = permissions.acting_representation(user)
    context: dict[str, Any] = {
        "representation": representation,
        "participant": representation.participant if representation else None,
        "latest_claim": None,
        "bodies": None,
        "endorsement": None,
        "meetings": None,
        "RepresentationStatus": RepresentationStatus,
    }
    if representation is None:
        context["latest_claim"] = latest_claim(user)
        return context
    participant = representation.participant
    context["bodies"] = participant_bodies(participant)
    context["endorsement"] = open_endorsement(participant)
    context["meetings"] = of_participant(participant, limit=NEXT_MEETINGS)
    return context
