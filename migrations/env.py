"""Alembic environment: the app's engine and metadata, through Flask-Migrate."""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

database = current_app.extensions["database"]["db"]
target_metadata = database.metadata


def include_object(obj, name, type_, reflected, compare_to):
    return True


def run_migrations_offline() -> None:
    context.configure(
        url=str(database.engine.url),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with database.engine.connect() as connection:
        _run(connection)


def _run(connection) -> None:
    options = {
        **current_app.extensions["migrate"].configure_args,
        # SQLite alters tables by copying them; batch mode does that for us.
        "render_as_batch": connection.dialect.name == "sqlite",
        "compare_type": True,
    }
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        **options,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
