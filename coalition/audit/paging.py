"""Keyset pages of the audit log: a fixed cost whatever the page, at any size.

The log is read newest first, by (occurred_at, id). A page is asked for by a cursor, the
(occurred_at, id) of the row it follows (older rows) or precedes (newer rows), so that
the database walks an index from there instead of skipping OFFSET rows, and a page
deep in a million events costs what the first one does. Every filter has an index
ending in (occurred_at, id) (AuditEvent.__table_args__).

The number of matching events is counted only up to COUNT_CAP: beyond it the page says
"more than" rather than counting a million rows on each request.

An action filter names an action or a prefix ("membership" for "membership.approve"
and the rest). The prefix is turned into the list of actions it covers, read from the
(action, …) index by a loose scan (one probe per distinct action, a few dozen), and the
page is the merge of one index walk per action: a prefix covering hundreds of thousands
of events is then as cheap as one action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from coalition.audit.models import AuditEvent
from coalition.errors import DomainError
from coalition.extensions import db

#: Counted exactly up to here; beyond, "more than COUNT_CAP".
COUNT_CAP = 10_000


class BadCursor(DomainError):
    """A cursor this server did not give (HTTP 400)."""

    status = 400
    title = "Bad Request"


@dataclass(frozen=True)
class Cursor:
    occurred_at: datetime
    id: int


#: A row id as the integer columns hold it: 1 to 2**31 - 1, written without leading zeros.
ID_PATTERN = (
    "[1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
    "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
    "|214748364[0-7]"
)

#: A cursor: the event's time in microseconds since 1970 (UTC), a dot, its id. Any value
#: of this form is taken (years 1653 to 2286, ids as the column holds them); the OpenAPI
#: document gives the same pattern.
CURSOR_PATTERN = rf"^-?[0-9]{{1,16}}\.({ID_PATTERN})$"
_CURSOR = re.compile(CURSOR_PATTERN, re.ASCII)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode(occurred_at: datetime, event_id: int) -> str:
    """The position of one event, as a cursor (its time to the microsecond, its id)."""
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=UTC)
    return f"{(occurred_at - _EPOCH) // timedelta(microseconds=1)}.{event_id}"


def decode(token: str) -> Cursor:
    """The position *token* names; BadCursor if it is no cursor."""
    if not _CURSOR.fullmatch(token or ""):
        raise BadCursor(_l("This page link is not valid: start again from the first page."))
    micros, _dot, event_id = token.partition(".")
    return Cursor(_EPOCH + timedelta(microseconds=int(micros)), int(event_id))


@dataclass
class KeysetPage:
    items: list[AuditEvent]
    per_page: int
    #: Events matching the filters, counted up to COUNT_CAP.
    total: int
    #: Whether *total* is the count (False: there are more than COUNT_CAP).
    total_exact: bool
    #: Cursors of the older and newer pages, None where there is none.
    next_cursor: str | None
    prev_cursor: str | None


def distinct_actions() -> list[str]:
    """Every action recorded, by a loose scan of the action index: one index probe per
    distinct action (a few dozen), not a read of the log. Only "greater than" is used,
    which follows the index's order under any collation."""
    found = sa.select(sa.func.min(AuditEvent.action).label("action")).cte("found", recursive=True)
    step = sa.select(
        sa.select(sa.func.min(AuditEvent.action))
        .where(AuditEvent.action > found.c.action)
        .scalar_subquery()
    ).where(found.c.action.is_not(None))
    found = found.union_all(step)
    return [a for a in db.session.scalars(sa.select(found.c.action)) if a is not None]


def matching_actions(action: str) -> list[str]:
    """The recorded actions *action* names: itself, and those under it as a prefix."""
    action = action.strip()
    return [a for a in distinct_actions() if a == action or a.startswith(action + ".")]


def _older_than(cursor: Cursor) -> sa.ColumnElement[bool]:
    # Written out rather than as a row value: both engines bound the index walk by the
    # first column and check the id only among events of the same instant.
    return sa.and_(
        AuditEvent.occurred_at <= cursor.occurred_at,
        sa.or_(AuditEvent.occurred_at < cursor.occurred_at, AuditEvent.id < cursor.id),
    )


def _newer_than(cursor: Cursor) -> sa.ColumnElement[bool]:
    return sa.and_(
        AuditEvent.occurred_at >= cursor.occurred_at,
        sa.or_(AuditEvent.occurred_at > cursor.occurred_at, AuditEvent.id > cursor.id),
    )


def keyset_page(
    conditions: list[sa.ColumnElement[bool]],
    *,
    actions: list[str] | None,
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    offset: int = 0,
) -> KeysetPage:
    """One page of the events matching *conditions* (and, if *actions* is not None, one
    of those actions), newest first: older than the *after* cursor, newer than the
    *before* cursor, or the first (skipping *offset* rows, for page numbers within the
    counted window). Two statements whatever the page."""
    if after is not None and before is not None:
        raise BadCursor(_l("Give either a cursor for older events or one for newer ones."))
    if after is not None:
        position: Cursor | None = decode(after)
    elif before is not None:
        position = decode(before)
    else:
        position = None
    newer = before is not None
    if position is None:
        where = list(conditions)
    else:
        where = [*conditions, _newer_than(position) if newer else _older_than(position)]

    order: tuple[Any, ...]
    if newer:
        order = (AuditEvent.occurred_at.asc(), AuditEvent.id.asc())
    else:
        order = (AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    wanted = per_page + 1  # one more, to know whether there is a further page
    total, exact = _capped_count(conditions, actions)

    if actions is None or len(actions) == 1:
        if actions:
            where.append(AuditEvent.action == actions[0])
        stmt = (
            sa.select(AuditEvent)
            .where(*where)
            .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.participant))
            .order_by(*order)
            .offset(offset)
            .limit(wanted)
        )
    else:
        # One walk of the (action, occurred_at, id) index per action, each stopping after
        # the rows a page can need, merged; only the keys are merged, the page's rows
        # (and their actor and participant) are read by id after.
        branches = [
            sa.select(
                sa.select(AuditEvent.occurred_at, AuditEvent.id)
                .where(*where, AuditEvent.action == action)
                .order_by(*order)
                .limit(wanted + offset)
                .subquery()
            )
            for action in actions
        ] or [sa.select(AuditEvent.occurred_at, AuditEvent.id).where(sa.false())]
        merged = sa.union_all(*branches).subquery()
        direction = sa.asc if newer else sa.desc
        page_ids = (
            sa.select(merged.c.id)
            .order_by(direction(merged.c.occurred_at), direction(merged.c.id))
            .offset(offset)
            .limit(wanted)
        )
        stmt = (
            sa.select(AuditEvent)
            .where(AuditEvent.id.in_(page_ids))
            .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.participant))
            .order_by(*order)
        )
    rows = list(db.session.scalars(stmt).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if newer:
        rows.reverse()
    # Newer events exist before this page when it was reached by a cursor or an offset
    # (a page asked for by `before` has newer ones only if it was full).
    has_newer = more if newer else (position is not None or offset > 0)
    has_older = True if newer else more
    return KeysetPage(
        items=rows,
        per_page=per_page,
        total=total,
        total_exact=exact,
        next_cursor=encode(rows[-1].occurred_at, rows[-1].id) if rows and has_older else None,
        prev_cursor=encode(rows[0].occurred_at, rows[0].id) if rows and has_newer else None,
    )


def _capped_count(
    conditions: list[sa.ColumnElement[bool]], actions: list[str] | None
) -> tuple[int, bool]:
    """How many events match, counted up to COUNT_CAP + 1 rows read at most."""
    where = list(conditions)
    if actions is not None:
        where.append(AuditEvent.action.in_(actions))
    window = sa.select(AuditEvent.id).where(*where).limit(COUNT_CAP + 1).subquery()
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(window)) or 0
    return min(counted, COUNT_CAP), counted <= COUNT_CAP
