"""Meetings at the same time: what the scheduling form and the API warn of, without
refusing. A meeting of a body overlaps, over [start, end):

- another meeting of the same body (Alliance-wide: another Alliance-wide meeting);
- a meeting of a body that shares a current co-chair with it;
- a meeting one of its current co-chair participants is invited to.

Only scheduled meetings count, and only those the person scheduling may see: a
members-only meeting of others is not named to them. One query, however many ranges
(a series checks all its occurrences at once).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload

from coalition.bodies.models import CO_CHAIR_IS_CURRENT, CoChair
from coalition.extensions import db
from coalition.meetings.invitations import OPEN
from coalition.meetings.models import Invitation, Meeting, MeetingStatus
from coalition.meetings.queries import visible_to

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.bodies.models import Body

#: At most this many overlapping meetings are named (far above a real diary).
NAMED_MAX = 50

REASONS = {
    "same_body": _("a meeting of the same body"),
    "shared_co_chair": _("a meeting of a body with the same co-chair"),
    "co_chair_invited": _("a meeting a co-chair is invited to"),
}


@dataclass(frozen=True)
class Overlap:
    meeting: Meeting
    #: same_body, shared_co_chair or co_chair_invited.
    reason: str

    @property
    def reason_text(self) -> str:
        return str(REASONS[self.reason])


def overlapping(
    body: Body | None,
    ranges: Sequence[tuple[datetime, datetime]],
    *,
    viewer: User | None,
    exclude_ids: Iterable[int] = (),
) -> list[Overlap]:
    """The scheduled meetings overlapping any of *ranges* for a meeting of *body*."""
    if not ranges:
        return []
    at_the_time = sa.or_(
        *(sa.and_(Meeting.starts_at < end, Meeting.ends_at > start) for start, end in ranges)
    )
    if body is None:
        same = Meeting.body_id.is_(None)
        related = same
        reason = sa.literal("same_body")
    else:
        same = Meeting.body_id == body.id
        chairs = sa.select(CoChair.participant_id).where(
            CoChair.body_id == body.id, CO_CHAIR_IS_CURRENT
        )
        shared = sa.select(CoChair.body_id).where(
            CoChair.participant_id.in_(chairs), CO_CHAIR_IS_CURRENT
        )
        invited = sa.select(Invitation.meeting_id).where(
            Invitation.participant_id.in_(chairs), OPEN
        )
        related = sa.or_(same, Meeting.body_id.in_(shared), Meeting.id.in_(invited))
        reason = sa.case(
            (same, "same_body"),
            (Meeting.body_id.in_(shared), "shared_co_chair"),
            else_="co_chair_invited",
        )
    rows = db.session.execute(
        sa.select(Meeting, reason.label("reason"))
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            at_the_time,
            related,
            visible_to(viewer),
            Meeting.id.not_in(list(exclude_ids)),
        )
        .options(joinedload(Meeting.body))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(NAMED_MAX)
    )
    return [Overlap(meeting, why) for meeting, why in rows]


def of_meetings(meetings: Sequence[Meeting], *, viewer: User | None) -> list[Overlap]:
    """What overlaps *meetings* (one, or a series' occurrences), themselves excepted."""
    live = [m for m in meetings if m.status is MeetingStatus.SCHEDULED]
    if not live:
        return []
    return overlapping(
        live[0].body,
        [(m.starts_at, m.ends_at) for m in live],
        viewer=viewer,
        exclude_ids=[m.id for m in meetings],
    )
