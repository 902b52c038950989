"""Reading working groups: the directory, an initiative's groups, rosters of any body (on
a page, or as CSV rows), terms ending soon, and a participant's history across bodies.

Every function runs a fixed number of queries whatever the number of groups, members or
rows: members and co-chairs are loaded for a whole page of bodies at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only, with_polymorphic

from coalition.bodies.models import (
    CO_CHAIR_IS_CURRENT,
    OPEN_MEMBERSHIP_STATUSES,
    Body,
    BodyKind,
    CoChair,
    Membership,
    MembershipStatus,
)
from coalition.bodies.queries import current_co_chairs, invitable_participants
from coalition.bodies.terms import TERMS_HORIZON_DAYS, today
from coalition.extensions import db
from coalition.groups.models import GroupStatus, WorkingGroup
from coalition.groups.services import groups_query
from coalition.initiatives.models import Initiative, InitiativeStatus
from coalition.pagination import Page, paginate
from coalition.participants.models import Participant


def section_of(kind: BodyKind) -> str:
    """The URL section of a kind of body (/initiatives, /groups), from its model."""
    return Body.__mapper__.polymorphic_map[kind].class_.section


# -- directory and an initiative's groups ---------------------------------------------------


@dataclass
class GroupList:
    groups: Page
    co_chairs: dict[int, list[CoChair]]


def directory_page(
    *, initiative: str | None, alliance: bool, status: Any, page: int, per_page: int
) -> GroupList:
    """One page of the groups' directory with their co-chairs (3 queries)."""
    result = paginate(
        groups_query(initiative=initiative, alliance=alliance, status=status), page, per_page
    )
    return GroupList(result, current_co_chairs([g.id for g in result.items]))


def initiative_groups(initiative: Initiative) -> GroupList:
    """The groups of one initiative, for its page (2 queries; an initiative has few)."""
    groups = list(
        db.session.scalars(
            groups_query(initiative=None).where(WorkingGroup.initiative_id == initiative.id)
        )
    )
    page = Page(items=groups, page=1, per_page=max(1, len(groups)), total=len(groups))
    return GroupList(page, current_co_chairs([g.id for g in groups]))


# -- rosters --------------------------------------------------------------------------------

ROSTER_KINDS = ("initiative", "working_group")


@dataclass
class RosterFilters:
    kind: str | None = None
    #: An initiative's slug: the initiative and its groups.
    initiative: str | None = None
    #: A participant's code: the bodies it is an active member of.
    participant: Participant | None = None


def _bodies(filters: RosterFilters) -> sa.Select:
    bodies = with_polymorphic(Body, [Initiative, WorkingGroup])
    stmt = sa.select(bodies).options(joinedload(bodies.WorkingGroup.initiative))
    if filters.kind in ROSTER_KINDS:
        stmt = stmt.where(bodies.kind == BodyKind(filters.kind))
    if filters.initiative:
        parent = sa.orm.aliased(Initiative)  # its own tables: not correlated with `bodies`
        parent_id = sa.select(parent.id).where(parent.slug == filters.initiative).scalar_subquery()
        stmt = stmt.where(
            sa.or_(bodies.id == parent_id, bodies.WorkingGroup.initiative_id == parent_id)
        )
    if filters.participant is not None:
        member_of = sa.select(Membership.body_id).where(
            Membership.participant_id == filters.participant.id,
            Membership.status == MembershipStatus.ACTIVE,
        )
        stmt = stmt.where(bodies.id.in_(member_of))
    return stmt.order_by(bodies.kind, bodies.title, bodies.id)


@dataclass
class Roster:
    bodies: Page
    members: dict[int, list[Membership]]
    co_chairs: dict[int, list[CoChair]]

    def co_chair_ids(self, body_id: int) -> set[int]:
        return {c.participant_id for c in self.co_chairs.get(body_id, [])}


def roster_page(filters: RosterFilters, page: int, per_page: int) -> Roster:
    """A page of bodies with their active members, terms and co-chairs (4 queries)."""
    bodies = paginate(_bodies(filters), page, per_page)
    ids = [b.id for b in bodies.items]
    members: dict[int, list[Membership]] = defaultdict(list)
    if ids:
        rows = db.session.scalars(
            sa.select(Membership)
            .join(Participant, Participant.id == Membership.participant_id)
            .where(Membership.body_id.in_(ids), Membership.status == MembershipStatus.ACTIVE)
            # Only what a roster shows: thousands of rows, each column converted.
            .options(
                load_only(
                    Membership.body_id,
                    Membership.participant_id,
                    Membership.role,
                    Membership.status,
                    Membership.since,
                    Membership.term_ends_on,
                ),
                joinedload(Membership.participant).load_only(
                    Participant.code, Participant.name, Participant.kind, Participant.names
                ),
            )
            .order_by(Membership.body_id, Participant.kind, Participant.name, Membership.id)
        )
        for membership in rows:
            members[membership.body_id].append(membership)
    return Roster(bodies, members, current_co_chairs(ids))


ROSTER_COLUMNS = [
    "code",
    "name",
    "kind",
    "role",
    "since",
    "term_ends_on",
    "co_chair",
    "body",
    "body_kind",
    "initiative",
]


def roster_rows(filters: RosterFilters, *, body: Body | None = None) -> Iterator[dict[str, Any]]:
    """Every active membership of the bodies matching *filters* (or of *body*), as CSV
    rows whose `code` column a bulk change reads back (1 query, streamed)."""
    if body is not None:
        which = Membership.body_id == body.id
    else:
        which = Membership.body_id.in_(sa.select(_bodies(filters).order_by(None).subquery().c.id))
    parent = sa.orm.aliased(Body)
    co_chair = sa.orm.aliased(CoChair)
    stmt = (
        sa.select(
            Participant.code,
            Participant.name,
            Participant.kind,
            Membership.role,
            Membership.since,
            Membership.term_ends_on,
            co_chair.id,
            Body.slug,
            Body.kind,
            parent.slug,
        )
        .join(Participant, Participant.id == Membership.participant_id)
        .join(Body, Body.id == Membership.body_id)
        .outerjoin(WorkingGroup.__table__, WorkingGroup.__table__.c.id == Body.id)
        .outerjoin(parent, parent.id == WorkingGroup.__table__.c.initiative_id)
        .outerjoin(
            co_chair,
            sa.and_(
                co_chair.body_id == Membership.body_id,
                co_chair.participant_id == Membership.participant_id,
                co_chair.ended_at.is_(None),
            ),
        )
        .where(Membership.status == MembershipStatus.ACTIVE, which)
        .order_by(Body.kind, Body.title, Body.id, Participant.kind, Participant.name)
        .execution_options(yield_per=500)
    )
    for (
        code,
        name,
        kind,
        role,
        since,
        term,
        chair,
        slug,
        body_kind,
        parent_slug,
    ) in db.session.execute(stmt):
        yield {
            "code": code,
            "name": name,
            "kind": kind,
            "role": role,
            "since": since,
            "term_ends_on": term,
            "co_chair": "yes" if chair else "no",
            "body": slug,
            "body_kind": body_kind,
            "initiative": parent_slug,
        }


# -- terms --------------------------------------------------------------------------------


def terms_ending(
    *, within_days: int = TERMS_HORIZON_DAYS, page: int = 1, per_page: int = 50
) -> Page:
    """Active memberships whose term ends within *within_days* (or has ended without
    being closed yet), soonest first, with their bodies and participants (2 queries)."""
    return paginate(_terms_statement(today() + timedelta(days=within_days)), page, per_page)


def _terms_statement(until: date) -> sa.Select:
    return (
        sa.select(Membership)
        .where(
            Membership.status == MembershipStatus.ACTIVE,
            Membership.term_ends_on.is_not(None),
            Membership.term_ends_on <= until,
        )
        .options(joinedload(Membership.body), joinedload(Membership.participant))
        .order_by(Membership.term_ends_on, Membership.id)
    )


def terms_ending_count(within_days: int = TERMS_HORIZON_DAYS) -> int:
    stmt = _terms_statement(today() + timedelta(days=within_days))
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))


# -- a participant's history ----------------------------------------------------------------


@dataclass
class HistoryRow:
    body_slug: str
    body_title: str
    body_kind: BodyKind
    #: The body's title in its other language, and the language of body_title (as a
    #: body has them: pages show the title with the `localized` filter).
    title_translation: str
    language: str
    #: "member", "partner" or "co_chair".
    role: str
    #: A membership status; None for a co-chair period.
    status: MembershipStatus | None
    start: Any
    end: Any
    term_ends_on: date | None
    reason: str | None

    @property
    def path(self) -> str:
        return f"/{section_of(self.body_kind)}/{self.body_slug}"

    @property
    def title(self) -> str:
        return self.body_title


def participant_history(
    participant: Participant,
    page: int,
    per_page: int,
    *,
    with_requests: bool = True,
    all_reasons: bool = True,
) -> Page:
    """Every membership of *participant* in any body and every co-chair period, newest
    first (2 queries): who, what, from, to.

    Without *with_requests*, only the memberships that were active at some time (joined,
    left): not the requests and invitations still open or that came to nothing. Without
    *all_reasons*, only a removal's reason, which is public, is kept (see
    permissions.can_read_membership_reason)."""
    memberships = sa.select(
        Membership.body_id.label("body_id"),
        sa.cast(Membership.role, sa.String).label("role"),
        sa.cast(Membership.status, sa.String).label("status"),
        sa.func.coalesce(Membership.since, Membership.created_at).label("start"),
        Membership.ended_at.label("end"),
        Membership.term_ends_on.label("term_ends_on"),
        Membership.reason.label("reason"),
        Membership.id.label("row_id"),
    ).where(Membership.participant_id == participant.id)
    if not with_requests:
        memberships = memberships.where(Membership.since.is_not(None))
    co_chairs = sa.select(
        CoChair.body_id,
        sa.literal("co_chair", sa.String),
        sa.null(),
        CoChair.started_at,
        CoChair.ended_at,
        sa.null(),
        sa.null(),
        CoChair.id,
    ).where(CoChair.participant_id == participant.id)
    both = sa.union_all(memberships, co_chairs).subquery()
    stmt = (
        sa.select(both, Body.slug, Body.title, Body.kind, Body.title_translation, Body.language)
        .join(Body, Body.id == both.c.body_id)
        .order_by(both.c.start.desc(), both.c.row_id.desc())
    )
    result = paginate(stmt, page, per_page, scalars=False)
    result.items = [
        HistoryRow(
            body_slug=row.slug,
            body_title=row.title,
            body_kind=row.kind,
            title_translation=row.title_translation,
            language=row.language,
            role=row.role,
            status=MembershipStatus(row.status) if row.status else None,
            start=row.start,
            end=row.end,
            term_ends_on=row.term_ends_on,
            reason=row.reason
            if all_reasons or row.status == MembershipStatus.REMOVED.value
            else None,
        )
        for row in result.items
    ]
    return result


# -- what the Secretariat should look at -----------------------------------------------------


def groups_without_co_chair() -> sa.Select:
    has_co_chair = (
        sa.select(CoChair.id)
        .where(CoChair.body_id == WorkingGroup.id, CO_CHAIR_IS_CURRENT)
        .exists()
    )
    return (
        sa.select(WorkingGroup)
        .where(WorkingGroup.status == GroupStatus.ACTIVE, ~has_co_chair)
        .order_by(WorkingGroup.title, WorkingGroup.id)
    )


def groups_at_seat_limit() -> sa.Select:
    return (
        sa.select(WorkingGroup)
        .where(
            WorkingGroup.status == GroupStatus.ACTIVE,
            WorkingGroup.seat_limit.is_not(None),
            WorkingGroup.active_count >= WorkingGroup.seat_limit,
        )
        .order_by(WorkingGroup.title, WorkingGroup.id)
    )


def addable_participants(group: WorkingGroup) -> list[Participant]:
    """Whom the group can take now (1 query): an initiative's active members, or for an
    Alliance-level body any participant, without an open membership of the group."""
    if group.initiative_id is None:
        return invitable_participants(group)
    in_group = sa.select(Membership.participant_id).where(
        Membership.body_id == group.id, Membership.status.in_(OPEN_MEMBERSHIP_STATUSES)
    )
    return list(
        db.session.scalars(
            sa.select(Participant)
            .join(Membership, Membership.participant_id == Participant.id)
            .where(
                Membership.body_id == group.initiative_id,
                Membership.status == MembershipStatus.ACTIVE,
                Participant.id.not_in(in_group),
            )
            .order_by(Participant.kind, Participant.name)
        )
    )


def initiative_choices() -> list[tuple[str, str]]:
    """(slug, title) of the initiatives that may have groups: proposed and active (1 query)."""
    rows = db.session.execute(
        sa.select(Initiative.slug, Initiative.title)
        .where(Initiative.status != InitiativeStatus.CONCLUDED)
        .order_by(Initiative.title)
    )
    return [(slug, title) for slug, title in rows]
