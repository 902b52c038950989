"""What the home page shows: the Alliance in a paragraph, its three lines of action with
counts, a few active initiatives, the number of participants and the next public
meetings (5 queries)."""

from __future__ import annotations

from typing import Any

from coalition.bodies.queries import current_co_chairs
from coalition.initiatives import queries
from coalition.meetings.queries import next_public

#: How many active initiatives the home page lists.
HOME_INITIATIVES = 6
#: How many upcoming public meetings it lists.
HOME_MEETINGS = 5


def home_context() -> dict[str, Any]:
    initiatives = queries.active_initiatives(HOME_INITIATIVES)
    return {
        "axes": queries.axis_summary(),
        "initiatives": initiatives,
        "co_chairs": current_co_chairs([i.id for i in initiatives]),
        "participant_count": queries.alliance_participant_count(),
        "meetings": next_public(HOME_MEETINGS),
    }
