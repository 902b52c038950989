"""Reading bodies, memberships and co-chairs: loads-or-404s, lists and the one answer to
"who co-chairs this body now". Every function runs a fixed number of queries whatever
the number of rows; nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload

from coalition import permissions
from coalition.bodies.models import (
    CO_CHAIR_IS_CURRENT,
    OPEN_MEMBERSHIP_STATUSES,
    Body,
    BodyKind,
    CoChair,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.collation import sort_key
from coalition.errors import InvalidValue, NotFound
from coalition.extensions import db
from coalition.i18n import names_language
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User

B = TypeVar("B", bound=Body)


def get_body(
    slug: str,
    *,
    kind: type[B] = Body,  # type: ignore[assignment]
    actor: User | None = None,
    require: Callable[[User | None, B], bool] | None = None,
) -> B:
    """The body of this kind at *slug*, else NotFound; with *require*, NotAllowed unless
    require(actor, body) — load-or-404-and-authorise in one call."""
    # Every kind's own columns in the same query, when the kind is not known in advance.
    loaded = sa.orm.with_polymorphic(Body, "*") if kind is Body else kind
    body = db.session.scalar(sa.select(loaded).where(loaded.slug == slug))
    if body is None:
        raise NotFound(_("There is nothing at this address."))
    if require is not None:
        permissions.require(require(actor, body))
    return body


def get_membership(membership_id: int, *, body: Body | None = None) -> Membership:
    """The membership with its body and participant, else NotFound (also when it belongs
    to another body than *body*)."""
    membership = db.session.scalar(
        sa.select(Membership)
        .where(Membership.id == membership_id)
        .options(joinedload(Membership.body), joinedload(Membership.participant))
    )
    if membership is None or (body is not None and membership.body_id != body.id):
        raise NotFound(_("There is no such membership."))
    return membership


def current_co_chairs(body_ids: Iterable[int] | None = None) -> dict[int, list[CoChair]]:
    """The current co-chairs of each body (of every body when *body_ids* is None), with
    their participants, in the order they started (1 query)."""
    stmt = (
        sa.select(CoChair)
        .where(CO_CHAIR_IS_CURRENT)
        .options(joinedload(CoChair.participant))
        .order_by(CoChair.body_id, CoChair.started_at, CoChair.id)
    )
    result: dict[int, list[CoChair]] = defaultdict(list)
    if body_ids is not None:
        ids = list(body_ids)
        if not ids:
            return result
        stmt = stmt.where(CoChair.body_id.in_(ids))
    for co_chair in db.session.scalars(stmt):
        result[co_chair.body_id].append(co_chair)
    return result


def co_chairs_of(body: Body) -> list[CoChair]:
    return current_co_chairs([body.id])[body.id]


def parse_membership_status(value: Any, *, field: str = "status") -> MembershipStatus:
    try:
        return MembershipStatus(value)
    except ValueError:
        choices = ", ".join(s.value for s in MembershipStatus)
        raise InvalidValue(
            _("Choose a membership status: %(choices)s.", choices=choices), field=field
        ) from None


def memberships_query(body: Body, *, status: Any = None) -> sa.Select[tuple[Membership]]:
    """A body's memberships with their participants, oldest first (one query per page)."""
    stmt = (
        sa.select(Membership)
        .where(Membership.body_id == body.id)
        .options(joinedload(Membership.participant))
    )
    if status:
        stmt = stmt.where(Membership.status == parse_membership_status(status))
    return stmt.order_by(Membership.created_at, Membership.id)


def open_membership(body: Body, participant: Participant | None) -> Membership | None:
    """The participant's pending, invited or active membership in *body*, if any."""
    if participant is None:
        return None
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.body_id == body.id,
            Membership.participant_id == participant.id,
            Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
        )
    )


def open_memberships(body: Body, participants: Sequence[Participant]) -> list[Membership]:
    """The open memberships in *body* of any of *participants* (1 query)."""
    if not participants:
        return []
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(
                Membership.body_id == body.id,
                Membership.participant_id.in_([p.id for p in participants]),
                Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
            )
            .order_by(Membership.id)
        )
    )


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


# -- one body's page -----------------------------------------------------------------------


@dataclass
class BodyView:
    """What the page of one body shows, loaded in two queries."""

    body: Body
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
            if m.participant.is_state and m.participant_id not in self.co_chair_ids
        ]


def body_view(body: Body) -> BodyView:
    """Co-chairs and open memberships of one body (2 queries)."""
    view = BodyView(body=body, co_chairs=co_chairs_of(body))
    permissions.remember_co_chairs(body, view.co_chair_ids)
    rows = db.session.scalars(
        sa.select(Membership)
        .join(Participant, Participant.id == Membership.participant_id)
        .where(Membership.body_id == body.id, Membership.status.in_(OPEN_MEMBERSHIP_STATUSES))
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


# -- one participant's bodies ------------------------------------------------------------


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
                CoChair.participant_id == participant.id, CO_CHAIR_IS_CURRENT
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


# -- where a participant takes part, for its public page -----------------------------------


@dataclass
class CurrentPlace:
    """One body a participant takes part in now (or has asked to, or is invited to)."""

    membership: Membership
    #: Whether the participant co-chairs the body now.
    co_chair: bool

    @property
    def body(self) -> Body:
        return self.membership.body


@dataclass
class CurrentPlaces:
    initiatives: list[CurrentPlace]
    groups: list[CurrentPlace]


def participant_places(participant: Participant, *, with_requests: bool) -> CurrentPlaces:
    """The bodies *participant* is an active member or partner of, with whether it
    co-chairs each; with *with_requests*, also its pending requests and invitations
    (1 query whatever their number). Sorted by title as the reader expects."""
    statuses = OPEN_MEMBERSHIP_STATUSES if with_requests else {MembershipStatus.ACTIVE}
    chairs = (
        sa.exists()
        .where(
            CoChair.body_id == Membership.body_id,
            CoChair.participant_id == Membership.participant_id,
            CO_CHAIR_IS_CURRENT,
        )
        .label("co_chair")
    )
    rows = db.session.execute(
        sa.select(Membership, chairs)
        .join(Body, Body.id == Membership.body_id)
        .where(Membership.participant_id == participant.id, Membership.status.in_(statuses))
        .options(sa.orm.contains_eager(Membership.body))
    )
    places = [CurrentPlace(membership, bool(co_chair)) for membership, co_chair in rows]
    collate = sort_key(names_language())
    places.sort(key=lambda p: (collate(p.body.title), p.body.id))
    return CurrentPlaces(
        initiatives=[p for p in places if p.body.kind is BodyKind.INITIATIVE],
        groups=[p for p in places if p.body.kind is not BodyKind.INITIATIVE],
    )
