"""The typed declarative base (with a constraint naming convention), column types, and
the few database helpers every feature uses. The Flask-SQLAlchemy extension itself is
instantiated in coalition.extensions as `db`, with this base as its model class."""

from __future__ import annotations

import enum
import math
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC, read back aware on every backend.

    SQLite keeps no offset, so values come back naive there; this type makes them
    UTC-aware again and refuses naive values on the way in, where a silent guess
    would shift a meeting by hours.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum_cls: type[enum.StrEnum], name: str) -> sa.Enum:
    """A StrEnum stored as its values in a VARCHAR, with a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    # The type map sits on the registry: Flask-SQLAlchemy rebuilds the model class from
    # this one and refuses a base that declares `type_annotation_map` itself.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


_READING_METHODS = frozenset({"GET", "HEAD"})


def insert_or_skip(target: Any, session: Any) -> Any:
    """An INSERT into *target* on *session*'s engine whose on_conflict_do_nothing() is
    `INSERT … ON CONFLICT DO NOTHING` (PostgreSQL's and SQLite's own constructs): rows
    that would break a unique index are skipped, and RETURNING names those inserted."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(target)


def configure_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL and predictable transactions on every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so that
        # SAVEPOINTs work (tests run inside one) and BEGIN is emitted predictably.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # IMMEDIATE takes the write lock up front: two writers wait for each other
        # instead of one failing half-way through with "database is locked". A request
        # that only reads (GET and HEAD write nothing) takes no lock: with WAL, readers
        # run side by side and beside the writer.
        if has_request_context() and request.method in _READING_METHODS:
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def engine_options(
    url: str, *, connect_timeout: float = 5, statement_timeout: float = 30
) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS for the database at *url*.

    On PostgreSQL every wait is bounded, so that a database that is down or frozen
    costs a request a few seconds and a 503, not a worker forever: the TCP connect and
    login (connect_timeout), a free pooled connection (pool_timeout), each statement
    (statement_timeout, enforced by the server), and unacknowledged traffic on an open
    connection (tcp_user_timeout, for a server that vanished from the network).
    """
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 10}}
    return {
        "pool_pre_ping": True,
        "pool_size": 10,
        "max_overflow": 10,
        "pool_timeout": connect_timeout,
        "connect_args": {
            # libpq counts whole seconds, at least 2.
            "connect_timeout": max(2, math.ceil(connect_timeout)),
            "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
            "tcp_user_timeout": int((connect_timeout + statement_timeout) * 1000),
            "keepalives": 1,
            "keepalives_idle": 30,
        },
    }


def flush_or(error: Exception) -> None:
    """Flush in a savepoint; a constraint refusing the rows (a race the friendly
    pre-check could not see) raises *error* instead, the session still usable."""
    from coalition.extensions import db

    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise error from None
