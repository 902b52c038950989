"""The README's PostgreSQL setup with two roles, run as written: the owner migrates, the
app's role serves the app, and cannot switch off or get around the history triggers.

The SQL comes from the README itself (its "Running under a role that does not own the
tables" block), with fresh role and database names, so that the instructions people
follow are the ones tested.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts import services as accounts
from coalition.accounts.models import User
from coalition.alliance import services as alliance
from coalition.alliance.models import Endorsement
from coalition.extensions import db
from coalition.participants.services import get_participant
from coalition.representations.services import grant_representation
from tests.conftest import PASSWORD, make_app

URL = os.environ.get("TEST_DATABASE_URL", "")
README = Path(__file__).resolve().parents[1] / "README.md"

pytestmark = [
    pytest.mark.committed,
    pytest.mark.skipif(
        not URL.startswith("postgresql"),
        reason="roles and privileges are PostgreSQL's: SQLite has none",
    ),
]


def readme_steps() -> list[tuple[str, str]]:
    """(who, statement) from the README's block: who is "superuser", "owner" or "\\c"."""
    text = README.read_text()
    section = text[text.index("### Running under a role that does not own the tables") :]
    start = section.index("```sql") + len("```sql")
    block = section[start : section.index("```", start)]
    steps, who, statement = [], "superuser", ""
    for line in block.splitlines():
        stripped = line.strip()
        if stripped.startswith("-- as coalition_owner"):
            who = "owner"
        if stripped.startswith("\\c "):
            steps.append(("\\c", stripped.split()[1]))
            continue
        code = stripped.split("--", 1)[0].strip()
        if code:
            statement = f"{statement} {code}".strip()
            if statement.endswith(";"):
                steps.append((who, statement))
                statement = ""
    return steps


@dataclass
class Setup:
    owner_url: str
    app_url: str
    database: str


@pytest.fixture(scope="module")
def setup() -> Iterator[Setup]:
    """The README's roles and database, under fresh names; dropped afterwards."""
    server = URL.rsplit("/", 1)[0]  # postgresql://postgres@127.0.0.1:5432
    tag = uuid.uuid4().hex[:10]
    owner, app_role, database = f"owner_{tag}", f"app_{tag}", f"coalition_roles_{tag}"
    password = uuid.uuid4().hex
    host = server.split("@", 1)[1]
    owner_url = f"postgresql+psycopg://{owner}:{password}@{host}/{database}"
    app_url = f"postgresql+psycopg://{app_role}:{password}@{host}/{database}"

    def named(statement: str) -> str:
        statement = statement.replace("coalition_owner", owner).replace("coalition_app", app_role)
        statement = re.sub(r"\bDATABASE coalition\b", f"DATABASE {database}", statement)
        return statement.replace("'…'", f"'{password}'")

    steps = readme_steps()
    current = f"{server}/postgres"
    migrated = False
    try:
        for who, statement in steps:
            if who == "\\c":
                current = f"{server}/{database}"
                continue
            if who == "owner" and not migrated:
                _migrate(owner_url)
                migrated = True
            url = current if who == "superuser" else owner_url.replace("+psycopg", "")
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(named(statement))
        assert migrated, "the README's block should grant after migrating"
        yield Setup(owner_url=owner_url, app_url=app_url, database=database)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{app_role}"')
            conn.execute(f'DROP ROLE IF EXISTS "{owner}"')


def _migrate(owner_url: str) -> None:
    """`flask db upgrade` and `flask seed`, as the owner."""
    from flask_migrate import upgrade

    from coalition.participants.services import seed_states

    app = make_app(owner_url, Path("/nonexistent"))
    with app.app_context():
        upgrade()
        seed_states()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="module")
def app_as_role(setup: Setup, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = make_app(setup.app_url, tmp_path_factory.mktemp("role"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_readme_block_is_what_is_run():
    steps = readme_steps()
    assert ("\\c", "coalition") in steps
    owner_steps = [s for who, s in steps if who == "owner"]
    assert any(s.startswith("GRANT SELECT, INSERT, UPDATE ON ALL TABLES") for s in owner_steps)
    assert not any("DELETE" in s and "outgoing_mail" not in s for _who, s in steps)


def test_the_app_runs_under_the_role_that_owns_nothing(app_as_role):
    app = app_as_role
    with app.test_request_context():
        user = accounts.register(f"role-{uuid.uuid4().hex[:8]}@example.org", "Ama", PASSWORD)
        grant_representation(user, get_participant("GHA"))
        alliance.endorse(get_participant("GHA"), actor=user)
        db.session.commit()
        email = user.email
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert client.get("/participants/GHA").status_code == 200
    assert client.post("/logout").status_code == 302  # raises the session epoch: an UPDATE
    with app.test_request_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        alliance.withdraw_endorsement(get_participant("GHA"), actor=user)
        _row, token = accounts.create_api_token(user, "sync")
        db.session.commit()
    response = client.post(
        "/api/v1/alliance/endorsements", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    with app.app_context():
        from coalition.outbox.services import purge_sent

        purge_sent()  # the one DELETE the app makes
        db.session.commit()
        rows = db.session.scalars(
            sa.select(Endorsement).where(Endorsement.endorsed_by_id == user.id)
        ).all()
        assert [r.withdrawn_at is None for r in rows] == [False, True]


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE memberships DISABLE TRIGGER ALL",
        "ALTER TABLE endorsements DISABLE TRIGGER endorsements_moves_forward",
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
        "DROP TRIGGER representations_moves_forward ON representations",
        "DROP FUNCTION coalition_refuse_change() CASCADE",
        "TRUNCATE audit_events",
        "TRUNCATE memberships CASCADE",
        "DELETE FROM endorsements",
        "DELETE FROM audit_events",
        "ALTER TABLE co_chairs DROP CONSTRAINT ck_co_chairs_ends_after_start",
        "SET session_replication_role = replica",
        "CREATE TABLE sneaky (id int)",
    ],
)
def test_the_role_cannot_get_around_the_history_triggers(app_as_role, statement):
    with app_as_role.app_context(), db.engine.connect() as conn:
        with pytest.raises(sa.exc.ProgrammingError, match=r"must be owner|permission denied"):
            conn.execute(sa.text(statement))
        conn.rollback()


def test_and_what_it_may_update_the_triggers_still_judge(app_as_role):
    with app_as_role.app_context(), db.engine.connect() as conn:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            conn.execute(sa.text("UPDATE endorsements SET endorsed_at = now() - interval '1 year'"))
        conn.rollback()
