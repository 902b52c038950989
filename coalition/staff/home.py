"""What the Secretariat's home lists: each thing waiting for staff, counted, its first few
shown, each linked to where it is dealt with. A fixed number of queries."""

from __future__ import annotations

from typing import Any

from coalition.audit.services import events_query
from coalition.bodies.terms import TERMS_HORIZON_DAYS
from coalition.extensions import db
from coalition.groups.queries import groups_at_seat_limit, groups_without_co_chair, terms_ending
from coalition.initiatives.queries import waiting_proposals
from coalition.outbox.services import queue_counts
from coalition.pagination import paginate
from coalition.representations.queries import pending_claims_count

#: Items shown per list; the count says how many there are in all.
SHOWN = 5
RECENT_EVENTS = 10


def home_context() -> dict[str, Any]:
    proposed = waiting_proposals()
    return {
        "pending": pending_claims_count(),
        "proposed": paginate(proposed, 1, SHOWN),
        "without_co_chair": paginate(groups_without_co_chair(), 1, SHOWN),
        "at_seat_limit": paginate(groups_at_seat_limit(), 1, SHOWN),
        "terms": terms_ending(page=1, per_page=SHOWN),
        "horizon": TERMS_HORIZON_DAYS,
        # Mail that keeps failing (given up on) or is failing (still retried).
        "failing_mail": queue_counts(),
        # The newest few, without counting the whole log.
        "recent_events": list(db.session.scalars(events_query().limit(RECENT_EVENTS)).unique()),
    }
