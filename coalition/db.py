"""The database layer: typed declarative base, engine and request-scoped session.

Plain SQLAlchemy 2.0 rather than Flask-SQLAlchemy: Flask-SQLAlchemy's session picks its
engine itself and ignores a connection it is bound to, which rules out running each test
inside an outer transaction rolled back at the end. What it would give us here is about
forty lines, below.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
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
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def _app_context_id() -> int:
    return id(app_ctx._get_current_object())


def _configure_sqlite(engine: Engine) -> None:
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
        # instead of one failing half-way through with "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Per-app engines and one session per application context.

    Each app keeps its own engine and session factory in app.extensions, so that
    several apps (as in tests) can live in one process.
    """

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            self._new_session, scopefunc=_app_context_id
        )
        self.metadata = Base.metadata  # Flask-Migrate reads this.

    @staticmethod
    def _new_session() -> Session:
        return current_app.extensions["database"]["sessionmaker"]()

    @property
    def engine(self) -> Engine:
        return current_app.extensions["database"]["engine"]

    def init_app(self, app: Flask) -> None:
        engine = create_engine(app.config["DATABASE_URL"])
        app.extensions["database"] = {
            "engine": engine,
            "sessionmaker": sessionmaker(bind=engine, expire_on_commit=False),
            "db": self,
        }

        @app.teardown_appcontext
        def _remove_session(_exc: BaseException | None) -> None:
            self.session.remove()

    def flush_or(self, error: Exception) -> None:
        """Flush in a savepoint; a constraint refusing the rows (a race the friendly
        pre-check could not see) raises *error* instead, the session still usable."""
        try:
            with self.session.begin_nested():
                self.session.flush()
        except IntegrityError:
            raise error from None

    @contextmanager
    def bound_to(self, app: Flask, connection: sa.Connection) -> Iterator[None]:
        """Run the app's sessions on *connection*, each commit releasing a savepoint (tests)."""
        state = app.extensions["database"]
        original = state["sessionmaker"]
        state["sessionmaker"] = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield
        finally:
            state["sessionmaker"] = original


def create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 10})
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
