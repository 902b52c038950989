"""Read-side queries for the initiative pages, the matrix, the dashboard and the home page.

Every function here runs a fixed number of queries whatever the number of rows: lists of
co-chairs, memberships and counts are loaded for the whole page at once, never per row.
Rules (who may do what) live in services.py and coalition.permissions; nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from coalition.alliance.models import Endorsement
from coalition.alliance.services import endorses_now
from coalition.audit.models import AuditEvent
from coalition.extensions import db
from coalition.initiatives.models import (
    OPEN_MEMBERSHIP_STATUSES,
    Axis,
    Body,
    CoChair,
    Initiative,
    InitiativeStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.initiatives.services import initiatives_query
from coalition.pagination import Page, paginate
from coalition.participants.models import Participant, ParticipantKind

# -- directory -----------------------------------------------------------------------------


def parse_enum(enum_cls: type, value: str | None) -> Any:
    """The member of *enum_cls* named by a query-string value, or None when absent/unknown."""
    if not value:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        return None


def directory_page(
    *,
    axis: Axis | None = None,
    status: InitiativeStatus | None = None,
    words: str = "",
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """One page of the directory (2 queries); the same search as the API's."""
    return paginate(initiatives_query(axis=axis, status=status, q=words), page, per_page)


def current_co_chairs_by_body(body_ids: list[int]) -> dict[int, list[Participant]]:
    """The current co-chairs of each body, in the order they started (1 query)."""
    result: dict[int, list[Participant]] = defaultdict(list)
    if not body_ids:
        return result
    rows = db.session.execute(
        sa.select(CoChair.body_id, Participant)
        .join(Participant, Participant.id == CoChair.participant_id)
        .where(CoChair.body_id.in_(body_ids), CoChair.ended_at.is_(None))
        .order_by(CoChair.started_at, CoChair.id)
    )
    for body_id, participant in rows:
        result[body_id].append(participant)
    return result


# -- one initiative -----------------------------------------------------------------------


@dataclass
class InitiativeView:
    """What the page of one initiative shows, loaded in a few queries."""

    initiative: Initiative
    co_chairs: list[CoChair]
    members: list[Membership] = field(default_factory=list)
    partners: list[Membership] = field(default_factory=list)
    pending: list[Membership] = field(default_factory=list)
    invited: list[Membership] = field(default_factory=list)

    @property
    def co_chair_ids(self) -> set[int]:
        return {c.participant_id for c in self.co_chairs}

    def open_membership_of(self, participant: Participant | None) -> Membership | None:
        if participant is None:
            return None
        for row in (*self.members, *self.partners, *self.pending, *self.invited):
            if row.participant_id == participant.id:
                return row
        return None

    @property
    def co_chair_candidates(self) -> list[Participant]:
        """Active state members not co-chairing now: whom staff may name co-chair."""
        return [
            m.participant
            for m in self.members
            if m.participant.kind is ParticipantKind.STATE
            and m.participant_id not in self.co_chair_ids
        ]


def initiative_view(initiative: Initiative) -> InitiativeView:
    """Co-chairs and open memberships of one initiative (2 queries)."""
    co_chairs = list(
        db.session.scalars(
            sa.select(CoChair)
            .where(CoChair.body_id == initiative.id, CoChair.ended_at.is_(None))
            .options(joinedload(CoChair.participant))
            .order_by(CoChair.started_at, CoChair.id)
        )
    )
    view = InitiativeView(initiative=initiative, co_chairs=co_chairs)
    rows = db.session.scalars(
        sa.select(Membership)
        .join(Participant, Participant.id == Membership.participant_id)
        .where(
            Membership.body_id == initiative.id,
            Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
        )
        .options(joinedload(Membership.participant))
        .order_by(Participant.name, Membership.id)
    )
    for row in rows:
        if row.status is MembershipStatus.PENDING:
            view.pending.append(row)
        elif row.status is MembershipStatus.INVITED:
            view.invited.append(row)
        elif row.role is MembershipRole.PARTNER:
            view.partners.append(row)
        else:
            view.members.append(row)
    return view


def invitable_participants(body: Body) -> list[Participant]:
    """Participants with no open membership in *body*, states first (1 query)."""
    has_open = (
        sa.select(Membership.id)
        .where(
            Membership.body_id == body.id,
            Membership.participant_id == Participant.id,
            Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
        )
        .exists()
    )
    return list(
        db.session.scalars(
            sa.select(Participant).where(~has_open).order_by(Participant.kind, Participant.name)
        )
    )


# -- public history -----------------------------------------------------------------------


@dataclass
class HistoryEntry:
    event: AuditEvent
    #: The participant the event is about (the member, not the person who acted).
    participant: Participant | None
    #: The co-chairs' or staff's reason, for a declined request or a removal.
    reason: str | None = None


_REASONED_ACTIONS = ("membership.decline", "membership.remove")


def history_page(body: Body, page: int, per_page: int) -> tuple[Page, list[HistoryEntry]]:
    """The body's public membership history, newest first (at most 3 queries).

    Services record the member as the event's participant; the acting person is never
    shown. Reasons are read from the memberships declined or removed on this page.
    """
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.body_id == body.id, AuditEvent.is_public.is_(True))
        .options(joinedload(AuditEvent.participant))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    result = paginate(stmt, page, per_page)
    reasoned_ids = [
        e.object_id
        for e in result.items
        if e.action in _REASONED_ACTIONS and e.object_type == "membership" and e.object_id
    ]
    reasons: dict[int, str | None] = {}
    if reasoned_ids:
        reasons = dict(
            db.session.execute(
                sa.select(Membership.id, Membership.reason).where(Membership.id.in_(reasoned_ids))
            ).all()
        )
    entries = [
        HistoryEntry(
            event=event,
            participant=event.participant,
            reason=reasons.get(event.object_id) if event.action in _REASONED_ACTIONS else None,
        )
        for event in result.items
    ]
    return result, entries


# -- matrix ------------------------------------------------------------------------------


@dataclass
class Matrix:
    initiatives: list[Initiative]
    rows: Page
    #: (participant id, body id) → "member" | "partner" | "co_chair"
    cells: dict[tuple[int, int], str]
    summary: list[dict[str, Any]]


def matrix(*, axis: Axis | None, kind: ParticipantKind | None, page: int, per_page: int) -> Matrix:
    """Participants x active initiatives (5 queries whatever the size).

    Rows are the participants with an active membership in one of the shown initiatives
    or an open Alliance endorsement.
    """
    init_stmt = sa.select(Initiative).where(Initiative.status == InitiativeStatus.ACTIVE)
    if axis is not None:
        init_stmt = init_stmt.where(Initiative.axis == axis)
    initiatives = list(db.session.scalars(init_stmt.order_by(Initiative.axis, Initiative.title)))
    shown_ids = sa.select(Initiative.id).where(Initiative.status == InitiativeStatus.ACTIVE)
    if axis is not None:
        shown_ids = shown_ids.where(Initiative.axis == axis)

    is_member = (
        sa.select(Membership.id)
        .where(
            Membership.participant_id == Participant.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.body_id.in_(shown_ids.scalar_subquery()),
        )
        .exists()
    )
    endorsed = endorses_now(Participant.id)
    row_stmt = sa.select(Participant).where(sa.or_(is_member, endorsed))
    if kind is not None:
        row_stmt = row_stmt.where(Participant.kind == kind)
    rows = paginate(row_stmt.order_by(Participant.kind, Participant.name), page, per_page)

    cells: dict[tuple[int, int], str] = {}
    participant_ids = [p.id for p in rows.items]
    if participant_ids and initiatives:
        result = db.session.execute(
            sa.select(Membership.participant_id, Membership.body_id, Membership.role, CoChair.id)
            .outerjoin(
                CoChair,
                sa.and_(
                    CoChair.body_id == Membership.body_id,
                    CoChair.participant_id == Membership.participant_id,
                    CoChair.ended_at.is_(None),
                ),
            )
            .where(
                Membership.participant_id.in_(participant_ids),
                Membership.body_id.in_([i.id for i in initiatives]),
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        for participant_id, body_id, role, co_chair_id in result:
            cells[(participant_id, body_id)] = "co_chair" if co_chair_id else role.value
    return Matrix(initiatives=initiatives, rows=rows, cells=cells, summary=axis_summary())


def axis_summary() -> list[dict[str, Any]]:
    """Per axis: active initiatives, distinct member states and partners (1 query)."""
    rows = db.session.execute(
        sa.select(
            Initiative.axis,
            sa.func.count(sa.distinct(Initiative.id)),
            sa.func.count(
                sa.distinct(
                    sa.case((Membership.role == MembershipRole.MEMBER, Membership.participant_id))
                )
            ),
            sa.func.count(
                sa.distinct(
                    sa.case((Membership.role == MembershipRole.PARTNER, Membership.participant_id))
                )
            ),
        )
        .outerjoin(
            Membership,
            sa.and_(
                Membership.body_id == Initiative.id,
                Membership.status == MembershipStatus.ACTIVE,
            ),
        )
        .where(Initiative.status == InitiativeStatus.ACTIVE)
        .group_by(Initiative.axis)
    ).all()
    found = {axis: (n, members, partners) for axis, n, members, partners in rows}
    return [
        {
            "axis": axis,
            "initiatives": found.get(axis, (0, 0, 0))[0],
            "members": found.get(axis, (0, 0, 0))[1],
            "partners": found.get(axis, (0, 0, 0))[2],
        }
        for axis in Axis
    ]


# -- home page -----------------------------------------------------------------------------


def active_initiatives(limit: int) -> list[Initiative]:
    """The most recently launched active initiatives (1 query)."""
    return list(
        db.session.scalars(
            sa.select(Initiative)
            .where(Initiative.status == InitiativeStatus.ACTIVE)
            .order_by(
                Initiative.launched_on.desc().nulls_last(),
                Initiative.activated_at.desc(),
                Initiative.id,
            )
            .limit(limit)
        )
    )


def alliance_participant_count() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Endorsement.id)).where(Endorsement.withdrawn_at.is_(None))
        )
        or 0
    )


# -- dashboard -----------------------------------------------------------------------------


@dataclass
class ParticipantBodies:
    """A participant's open memberships and co-chair seats, and what awaits its decision."""

    active: list[Membership]
    invitations: list[Membership]
    own_requests: list[Membership]
    co_chaired_ids: set[int]
    requests_to_decide: list[Membership]


def participant_bodies(participant: Participant) -> ParticipantBodies:
    """Everything the dashboard lists for one participant (3 queries)."""
    open_rows = list(
        db.session.scalars(
            sa.select(Membership)
            .join(Body, Body.id == Membership.body_id)
            .where(
                Membership.participant_id == participant.id,
                Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
            )
            .options(joinedload(Membership.body))
            .order_by(Body.title, Membership.id)
        )
    )
    co_chaired_ids = set(
        db.session.scalars(
            sa.select(CoChair.body_id).where(
                CoChair.participant_id == participant.id, CoChair.ended_at.is_(None)
            )
        )
    )
    to_decide: list[Membership] = []
    if co_chaired_ids:
        to_decide = list(
            db.session.scalars(
                sa.select(Membership)
                .where(
                    Membership.body_id.in_(co_chaired_ids),
                    Membership.status == MembershipStatus.PENDING,
                )
                .options(joinedload(Membership.body), joinedload(Membership.participant))
                .order_by(Membership.created_at, Membership.id)
            )
        )
    return ParticipantBodies(
        active=[m for m in open_rows if m.status is MembershipStatus.ACTIVE],
        invitations=[m for m in open_rows if m.status is MembershipStatus.INVITED],
        own_requests=[m for m in open_rows if m.status is MembershipStatus.PENDING],
        co_chaired_ids=co_chaired_ids,
        requests_to_decide=to_decide,
    )
