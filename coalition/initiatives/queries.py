"""Read-side queries for the initiative directory, the matrix and the home page.

Every function here runs a fixed number of queries whatever the number of rows: lists of
co-chairs, memberships and counts are loaded for the whole page at once, never per row.
Nothing here writes. A body's own page, history and members are coalition.bodies'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from coalition import limits
from coalition.alliance.models import Endorsement
from coalition.alliance.services import endorses_now
from coalition.bodies.models import (
    CO_CHAIR_IS_CURRENT,
    CoChair,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.collation import sort_key
from coalition.extensions import db
from coalition.i18n import names_language
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from coalition.initiatives.services import initiatives_query
from coalition.pagination import Page, paginate
from coalition.participants.models import Participant, ParticipantKind
from coalition.participants.regions import region_name
from coalition.participants.services import in_region, load_in_order, sorted_ids

# -- directory -----------------------------------------------------------------------------


def parse_enum(enum_cls: type, value: str | None) -> Any:
    """The member of *enum_cls* named by a query-string value, or None when absent/unknown."""
    if not value:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        return None


#: The directory's status filter for every status at once (its default is active ones).
ANY_STATUS = "all"


def proposals_waiting_count() -> int:
    """Proposed initiatives waiting for the Secretariat (1 query)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Initiative.id)).where(
                Initiative.status == InitiativeStatus.PROPOSED
            )
        )
        or 0
    )


def waiting_proposals() -> sa.Select[tuple[Initiative]]:
    """Proposed initiatives, oldest first, with their proposers (for the Secretariat)."""
    return (
        sa.select(Initiative)
        .where(Initiative.status == InitiativeStatus.PROPOSED)
        .options(joinedload(Initiative.proposed_by))
        .order_by(Initiative.created_at, Initiative.id)
    )


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


# -- matrix ------------------------------------------------------------------------------


@dataclass
class Matrix:
    #: The initiatives of this page of columns.
    initiatives: list[Initiative]
    rows: Page
    #: (participant id, body id) → "member" | "partner" | "co_chair"
    cells: dict[tuple[int, int], str]
    summary: list[dict[str, Any]]
    #: Every column the filters choose, on all pages of columns, and how they are paged.
    columns: Page | None = None

    @property
    def column_ranges(self) -> list[tuple[int, int, int]]:
        """(page, first, last) column numbers of each page of columns, from 1."""
        if self.columns is None:
            return []
        per, total = self.columns.per_page, self.columns.total
        pages = range(1, self.columns.pages + 1)
        return [(n, (n - 1) * per + 1, min(n * per, total)) for n in pages]


def matrix(
    *,
    axis: Axis | None,
    kind: ParticipantKind | None,
    page: int,
    per_page: int,
    region: str | None = None,
    column_page: int = 1,
    columns_per_page: int = limits.MATRIX_COLUMNS,
) -> Matrix:
    """Participants x active initiatives (6 queries whatever the size).

    Columns are the active initiatives (of *axis* if given), *columns_per_page* at a
    time. Rows are the participants with an active membership in one of the initiatives
    of the axis (on any page of columns, so that the rows stay put while the reader pages
    the columns) or an open Alliance endorsement, in *region* (an M49 code) if given:
    states grouped by M49 region, then organizations, each by the name the reader sees
    (sorted here from light rows, as collation cannot be done alike in SQL; only the
    page's participants are read whole).
    """
    init_stmt = sa.select(Initiative).where(Initiative.status == InitiativeStatus.ACTIVE)
    if axis is not None:
        init_stmt = init_stmt.where(Initiative.axis == axis)
    # Counted from the index on the initiatives' own table, then only the page of columns
    # read (hundreds of initiatives at most, but with their descriptions: reading them
    # all to show twelve cost more than the rest of the page).
    table = Initiative.__table__
    active = table.c.status == InitiativeStatus.ACTIVE
    if axis is not None:
        active = sa.and_(active, table.c.axis == axis)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(active)) or 0
    column_pages = max(1, -(-total // columns_per_page))
    column_page = min(max(1, column_page), column_pages)
    initiatives = list(
        db.session.scalars(
            init_stmt.order_by(Initiative.axis, Initiative.title, Initiative.id)
            .limit(columns_per_page)
            .offset((column_page - 1) * columns_per_page)
        )
    )
    columns = Page(initiatives, column_page, columns_per_page, total)
    # The axis's initiatives from their own table (Initiative.id would join the bodies').
    shown_ids = sa.select(table.c.id).where(active)

    # The participants with an active membership there, read from the memberships of
    # those initiatives (an index range each), not one probe per participant and column.
    is_member = Participant.id.in_(
        sa.select(Membership.participant_id).where(
            Membership.body_id.in_(shown_ids),
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    endorsed = endorses_now(Participant.id)
    row_stmt = sa.select(Participant).where(sa.or_(is_member, endorsed))
    if kind is not None:
        row_stmt = row_stmt.where(Participant.kind == kind)
    if region:
        row_stmt = row_stmt.where(in_region(region))
    language = names_language()
    collate = sort_key(language)
    # Sorted from light rows, then only the page's participants are read whole.
    ordered = sorted_ids(
        row_stmt,
        language,
        key=lambda row: (
            row.kind is not ParticipantKind.STATE,
            row.region_code is None,
            collate(region_name(row.region_code)),
            collate(row.display_name),
            row.code,
        ),
    )
    start = (page - 1) * per_page
    rows = Page(load_in_order(ordered[start : start + per_page]), page, per_page, len(ordered))

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
                    CO_CHAIR_IS_CURRENT,
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
    return Matrix(
        initiatives=initiatives,
        rows=rows,
        cells=cells,
        summary=axis_summary(),
        columns=columns,
    )


def axis_summary() -> list[dict[str, Any]]:
    """Per axis: active initiatives, distinct member states and partners (1 query).

    It reads the active memberships of active initiatives, and only from the index
    ix_memberships_status_body_role_participant (never the rows), and the initiatives'
    own table without the bodies' (Initiative.axis alone would join them for nothing).
    """
    initiatives = Initiative.__table__
    rows = db.session.execute(
        sa.select(
            initiatives.c.axis,
            sa.func.count(sa.distinct(initiatives.c.id)),
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
        .select_from(initiatives)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.status == MembershipStatus.ACTIVE,
                Membership.body_id == initiatives.c.id,
            ),
        )
        .where(initiatives.c.status == InitiativeStatus.ACTIVE)
        .group_by(initiatives.c.axis)
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
