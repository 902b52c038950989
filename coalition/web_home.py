"""What the home page shows: the Alliance in a paragraph, its three lines of action with
counts, a few active initiatives and the number of participants (4 queries)."""

from __future__ import annotations

from typing import Any

from coalition.initiatives import queries

#: How many active initiatives the home page lists.
HOME_INITIATIVES = 6


def home_context() -> dict[str, Any]:
    initiatives = queries.active_initiatives(HOME_INITIATIVES)
    return {
        "axes": queries.axis_summary(),
        "initiatives": initiatives,
        "co_chairs": queries.current_co_chairs_by_body([i.id for i in initiatives]),
        "participant_count": queries.alliance_participant_count(),
    }
