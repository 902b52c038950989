"""The data version: incremented by every transaction that writes, inside it.

Writes are seen where the statements are (any INSERT, UPDATE or DELETE on a connection,
whether it came from the ORM, a bulk statement or text), so that no way of changing data
can forget to invalidate what is kept. The increment is the transaction's last statement:
its row lock is held only for the commit itself, and a transaction that rolls back
leaves the version as it was.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

WROTE = "coalition.wrote"
_CONNECTIONS = "coalition.connections"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")

_BUMP = sa.text("UPDATE data_version SET value = value + 1 WHERE id = 1")
_FIRST = sa.text("INSERT INTO data_version (id, value) VALUES (1, 1)")
_READ = sa.text("SELECT value FROM data_version WHERE id = 1")


def _is_write(statement: str) -> bool:
    head = statement.lstrip()[:7].upper()
    return head.startswith(_WRITES)


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn: sa.Connection, _cursor, statement: str, *_args: Any) -> None:
    if _is_write(statement):
        conn.info[WROTE] = True
        if has_request_context():
            g.coalition_wrote = True


@event.listens_for(Engine, "rollback")
def _forget_writes(conn: sa.Connection) -> None:
    conn.info.pop(WROTE, None)


@event.listens_for(Session, "after_begin")
def _remember_connection(session: Session, _transaction, connection: sa.Connection) -> None:
    session.info.setdefault(_CONNECTIONS, []).append(connection)


@event.listens_for(Session, "before_commit")
def _increment(session: Session) -> None:
    connections = session.info.pop(_CONNECTIONS, [])
    for connection in connections:
        if connection.closed or not connection.info.pop(WROTE, False):
            continue
        if connection.execute(_BUMP).rowcount == 0:
            connection.execute(_FIRST)
        connection.info.pop(WROTE, None)


@event.listens_for(Session, "after_rollback")
def _forget_connections(session: Session) -> None:
    session.info.pop(_CONNECTIONS, None)


def current(session: Session) -> int:
    """The data version now (0 before anything was written)."""
    return session.execute(_READ).scalar() or 0


@event.listens_for(Engine, "commit")
def _forget_committed_writes(conn: sa.Connection) -> None:
    # Sessions incremented before committing. A transaction begun on the engine itself
    # is a migration's (the app writes through sessions only); kept answers are filed
    # under the schema's revision as well (responses.init_app), so a migration that
    # changes data makes them obsolete too.
    conn.info.pop(WROTE, None)
