"""`flask --app coalition …` commands: seed, demo, user create, token create, worker,
reminders send, terms end."""

from __future__ import annotations

import secrets

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from coalition.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(user_group)
    app.cli.add_command(token_group)
    app.cli.add_command(terms_group)

    from coalition.meetings.reminders import reminders_group
    from coalition.worker import worker_command

    app.cli.add_command(worker_command)
    app.cli.add_command(reminders_group)


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load every UN member and observer state (idempotent)."""
    from coalition.participants.services import seed_states

    seeded = seed_states()
    db.session.commit()
    click.echo(f"states: {seeded.created} created, {seeded.updated} renamed or regrouped")


@click.command("demo")
@click.option(
    "--reset",
    is_flag=True,
    help="Start again: empty the database (every table, every change made since) and load "
    "the demo afresh.",
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="N",
    help="Then add generated data up to N times the real size (N=1: 200 initiatives, "
    "2,000 meetings, 100,000 audit events): for measuring, on a fresh database.",
)
@click.option("--seed", type=int, default=None, hidden=True, help="The generator's seed.")
@with_appcontext
def demo_command(reset: bool, scale: float | None, seed: int | None) -> None:
    """Load a realistic demo on top of the states (idempotent); with --scale, also
    generated data at N times the real size."""
    from coalition.demo import load_demo
    from coalition.demo.load import demo_is_loaded
    from coalition.participants.services import seed_states

    if not current_app.config["DEMO"]:
        # The demo creates accounts with published passwords: never on a real database.
        raise click.ClickException(
            "The demo creates accounts with known passwords. Load it only on a local "
            "database, with COALITION_DEMO=1 (make run does this)."
        )
    if reset:
        from flask_migrate import upgrade

        # Every table the database has (the migrations' own included), children first;
        # then the migrations build the schema again. Not `db downgrade base`: downgrades
        # are for schema changes, and refuse to drop tables that still hold rows.
        db.session.remove()
        tables = sa.MetaData()
        tables.reflect(bind=db.engine)
        tables.drop_all(bind=db.engine)
        if db.engine.dialect.name == "postgresql":
            # The append-only triggers' functions outlive their tables.
            with db.engine.begin() as connection:
                for name in connection.scalars(
                    sa.text(
                        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n"
                        " ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
                        " AND p.proname LIKE 'coalition\\_%'"
                    )
                ):
                    connection.execute(sa.text(f'DROP FUNCTION "{name}"() CASCADE'))
        upgrade()
        click.echo("The database was emptied.")
    again = demo_is_loaded()
    seed_states()
    accounts = load_demo()
    db.session.commit()
    if scale is not None:
        import time

        from coalition.demo.scale import SEED, load_scale

        started = time.monotonic()
        written = load_scale(scale, seed=SEED if seed is None else seed)
        db.session.commit()
        refresh_statistics()
        click.echo(f"Scale {scale:g} loaded in {time.monotonic() - started:.0f} s:")
        for table, rows in written.items():
            click.echo(f"  {table:28} {rows:>10,} rows added")
    if again:
        # Loading again adds what is missing and changes nothing that was changed since:
        # the accounts below are as the demo made them, which they may no longer be.
        click.echo(
            "The demo was already loaded: what was changed since is kept, so the accounts "
            "below may have other passwords or rights now. To start again: make demo-reset."
        )
    click.echo("Demo accounts (for local use only):")
    for email, password, what in accounts:
        click.echo(f"  {email:38} {password:18} {what}")


def refresh_statistics() -> None:
    """On PostgreSQL, what autovacuum would do a little later, done at once after a bulk
    load: the planner's statistics (without them it guesses that a filter matching most
    rows matches a few) and the visibility map that lets counts read indexes alone.
    SQLite is left as it runs in production, without statistics (ANALYZE there made the
    meetings and participant pages slower, measured at ten times the real size)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")


user_group = AppGroup("user", help="Manage user accounts.")


@user_group.command("create")
@click.argument("email")
@click.option("--name", default=None, help="Display name (defaults to the e-mail's local part).")
@click.option("--password", default=None, help="Password; a random one is printed if omitted.")
@click.option("--staff", is_flag=True, help="Give Secretariat (staff) rights.")
@click.option("--admin", is_flag=True, help="Give admin rights.")
@click.option(
    "--represent",
    "represent",
    default=None,
    metavar="CODE",
    help="Make the user a verified delegate of this participant.",
)
@click.option("--focal-point", is_flag=True, help="With --represent: as its focal point.")
def create_user(
    email: str,
    name: str | None,
    password: str | None,
    staff: bool,
    admin: bool,
    represent: str | None,
    focal_point: bool,
) -> None:
    """Create a user (or update the rights of an existing one)."""
    from coalition.accounts import services as accounts
    from coalition.errors import DomainError
    from coalition.participants.services import get_participant
    from coalition.representations.services import grant_representation

    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.register(email, name or email.split("@")[0], password)
        accounts.grant_rights_from_command_line(user, staff=staff, admin=admin)
        if represent:
            grant_representation(user, get_participant(represent), focal_point=focal_point)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    click.echo(f"user {user.email} ready" + (f"; password: {password}" if generated else ""))


token_group = AppGroup("token", help="Manage API tokens.")


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="command line", help="What the token is for.")
def create_token(email: str, name: str) -> None:
    """Print a new API token for that user."""
    from coalition.accounts import services as accounts

    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with the e-mail {email}")
    _row, token = accounts.create_api_token(user, name)
    db.session.commit()
    click.echo(token)


terms_group = AppGroup("terms", help="Membership terms.")


@terms_group.command("end")
def end_terms() -> None:
    """Close every membership whose term has ended (idempotent; run it daily)."""
    from coalition.bodies.terms import end_expired_terms

    ended = end_expired_terms()
    db.session.commit()
    click.echo(f"terms ended: {ended}")
