"""The data version: incremented by every transaction that writes, inside it.

A session notes that it wrote when it flushes changes or executes an INSERT, UPDATE or
DELETE (ORM, bulk or text statements alike), so that no way of changing data through a
session can forget to invalidate what is kept. The increment is the transaction's last
statement: its row lock is held only for the commit itself, and a transaction that
rolls back leaves the version as it was. (The app writes through sessions only; a
migration writes on the engine itself, and kept answers are filed under the schema's
revision as well: see responses.init_app.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

#: In a connection's info: it holds writes not yet committed (whoever made them).
WROTE = "coalition.wrote"
_SESSION_WROTE = "coalition.session_wrote"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")

# changed_at is for Last-Modified. PostgreSQL's CURRENT_TIMESTAMP is when the transaction
# began, which a transaction begun earlier and committed later would set back in time:
# clock_timestamp() is read once the row is locked, in commit order. SQLite has one
# writer at a time, so its CURRENT_TIMESTAMP already follows that order.
_BUMP = sa.text(
    "UPDATE data_version SET value = value + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1"
)
_BUMP_PG = sa.text(
    "UPDATE data_version SET value = value + 1, changed_at = clock_timestamp() WHERE id = 1"
)
_FIRST = sa.text("INSERT INTO data_version (id, value) VALUES (1, 1)")
_READ = sa.text("SELECT value FROM data_version WHERE id = 1")


def _is_write(statement: str) -> bool:
    return statement.lstrip()[:7].upper().startswith(_WRITES)


@event.listens_for(Engine, "before_cursor_execute")
def _note_connection_writes(conn: sa.Connection, _cursor, statement: str, *_args: Any) -> None:
    if _is_write(statement):
        conn.info[WROTE] = True
        if has_request_context():
            g.coalition_wrote = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_connection_writes(conn: sa.Connection) -> None:
    if conn.invalidated:
        return  # its driver connection is gone, and what it noted with it
    conn.info.pop(WROTE, None)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    session.info[_SESSION_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_execute(state: ORMExecuteState) -> None:
    statement = state.statement
    if (
        state.is_insert
        or state.is_update
        or state.is_delete
        or (isinstance(statement, sa.TextClause) and _is_write(statement.text))
    ):
        state.session.info[_SESSION_WROTE] = True


@event.listens_for(Session, "before_commit")
def _increment(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release: the transaction's own commit counts
    # A commit flushes after this event: flush first, so that the pending changes count.
    session.flush()
    if not session.info.pop(_SESSION_WROTE, False):
        return
    connection = session.connection()
    bump = _BUMP_PG if connection.dialect.name == "postgresql" else _BUMP
    if connection.execute(bump).rowcount == 0:
        connection.execute(_FIRST)
    # Committed now (in the tests, where a commit only releases a savepoint, the engine
    # does not see one).
    connection.info.pop(WROTE, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_session_writes(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_SESSION_WROTE, None)


def current(session: Session) -> int:
    """The data version now (0 before anything was written)."""
    return session.execute(_READ).scalar() or 0


def current_and_changed_at(session: Session) -> tuple[int, datetime | None]:
    """The data version and when it last changed (None before anything was written)."""
    from coalition.caching.models import DataVersion

    row = session.execute(
        sa.select(DataVersion.value, DataVersion.changed_at).where(DataVersion.id == 1)
    ).first()
    return (row.value, row.changed_at) if row else (0, None)
