"""append-only everywhere: each history table says which columns may change, and how

The first append-only revision refused deletes, updates of audit events and of closed
memberships. The rest of the record could still be rewritten: endorsements, co-chair
terms, representations, and the dates and role of open memberships. Here each table
allows exactly what the services do, and the database refuses everything else:

- memberships (open rows; closed rows were already final): the status moves only along
  the machine's edges (pending → active | declined | cancelled; invited → active |
  declined | revoked; active → withdrawn | removed); `since` is set once, on becoming
  active; `ended_at` and `reason` only with the closing; body, participant, role,
  creation and message never change;
- co_chairs: only `ended_at` and `ended_by_id`, set once; an ended term is final;
- endorsements: only `withdrawn_at` and `withdrawn_by_id`, set once; a withdrawn
  endorsement is final;
- representations: the status moves forward (pending → verified | rejected | ended;
  verified → ended); `decided_*` only when leaving pending; `ended_*` only on ending;
  `reason` only on rejecting or ending; the role changes only when a claim is verified
  or a verified delegate is made the focal point (grant); person, participant, claim
  time and position never change; rejected and ended rows are final;
- audit events: nothing (unchanged from the first revision).

PostgreSQL also refuses TRUNCATE of these tables (a statement-level trigger); SQLite has
no TRUNCATE, and its DELETE is refused already. A role that does not own the tables
cannot disable these triggers: the README says how to run the app under one.

Revision ID: a5d09640fba6
Revises: b9b8415d7623
Create Date: 2026-11-23 15:38:00
"""

from alembic import op

revision = "a5d09640fba6"
down_revision = "b9b8415d7623"
branch_labels = None
depends_on = None

HISTORY = ("memberships", "representations", "endorsements", "co_chairs", "audit_events")
OPEN_MEMBERSHIP = "('pending', 'invited', 'active')"
CLOSED_MEMBERSHIP = "('declined', 'cancelled', 'revoked', 'withdrawn', 'removed')"

#: Table → (what the refusal says, the condition under which an UPDATE is refused).
#: `{differs[col]}` reads "the UPDATE changes col" (NULL-safe) on either engine.
RULES = {
    "memberships": (
        "an open membership changes only along the membership machine",
        f"""OLD.status IN {OPEN_MEMBERSHIP} AND (
            {{differs[id]}} OR {{differs[role]}} OR {{differs[created_at]}}
            OR {{differs[created_by_id]}} OR {{differs[message]}}
            OR NOT (NEW.status = OLD.status
                OR (OLD.status = 'pending' AND NEW.status IN ('active', 'declined', 'cancelled'))
                OR (OLD.status = 'invited' AND NEW.status IN ('active', 'declined', 'revoked'))
                OR (OLD.status = 'active' AND NEW.status IN ('withdrawn', 'removed')))
            OR ({{differs[since]}} AND NOT (OLD.since IS NULL AND OLD.status <> 'active'
                AND NEW.status = 'active'))
            OR ({{differs[ended_at]}} AND NOT (OLD.ended_at IS NULL
                AND NEW.status IN {CLOSED_MEMBERSHIP}))
            OR ({{differs[reason]}} AND NEW.status NOT IN {CLOSED_MEMBERSHIP})
        )""",
    ),
    "co_chairs": (
        "a co-chair term only ends, once",
        """OLD.ended_at IS NOT NULL
            OR {differs[id]} OR {differs[body_id]} OR {differs[participant_id]}
            OR {differs[started_at]} OR {differs[assigned_by_id]}
            OR ({differs[ended_by_id]} AND (OLD.ended_by_id IS NOT NULL OR NEW.ended_at IS NULL))
        """,
    ),
    "endorsements": (
        "an endorsement is only withdrawn, once",
        """OLD.withdrawn_at IS NOT NULL
            OR {differs[id]} OR {differs[participant_id]} OR {differs[endorsed_at]}
            OR {differs[endorsed_by_id]}
            OR ({differs[withdrawn_by_id]}
                AND (OLD.withdrawn_by_id IS NOT NULL OR NEW.withdrawn_at IS NULL))
        """,
    ),
    "representations": (
        "a representation only moves forward, each decision recorded once",
        """OLD.status IN ('rejected', 'ended')
            OR {differs[id]} OR {differs[user_id]} OR {differs[participant_id]}
            OR {differs[claimed_at]} OR {differs[position]}
            OR NOT (NEW.status = OLD.status
                OR (OLD.status = 'pending' AND NEW.status IN ('verified', 'rejected', 'ended'))
                OR (OLD.status = 'verified' AND NEW.status = 'ended'))
            OR (({differs[decided_at]} OR {differs[decided_by_id]})
                AND NOT (OLD.status = 'pending' AND NEW.status <> 'pending'))
            OR (({differs[ended_at]} OR {differs[ended_by_id]}) AND NEW.status <> 'ended')
            OR ({differs[reason]} AND NOT (NEW.status <> OLD.status
                AND NEW.status IN ('rejected', 'ended')))
            OR ({differs[role]} AND NOT (
                (OLD.status = 'pending' AND NEW.status = 'verified')
                OR (OLD.status = 'verified' AND NEW.status = 'verified'
                    AND OLD.role = 'delegate' AND NEW.role = 'focal_point')))
        """,
    ),
}


class _Differs:
    """`differs[col]`: the UPDATE changes col, NULLs included, in the engine's SQL."""

    def __init__(self, operator: str) -> None:
        self.operator = operator

    def __getitem__(self, column: str) -> str:
        return f"(NEW.{column} {self.operator} OLD.{column})"


def _condition(table: str, postgres: bool) -> str:
    # SQLite's IS NOT is NULL-safe; IS DISTINCT FROM came only with SQLite 3.39.
    differs = _Differs("IS DISTINCT FROM" if postgres else "IS NOT")
    return RULES[table][1].format(differs=differs)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, (says, _condition_sql) in RULES.items():
            op.execute(
                f"""
                CREATE FUNCTION coalition_{table}_moves_forward() RETURNS trigger AS $$
                BEGIN
                  IF {_condition(table, postgres=True)} THEN
                    RAISE EXCEPTION 'history is append-only: {says}';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql
                """
            )
            op.execute(
                f"CREATE TRIGGER {table}_moves_forward BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION coalition_{table}_moves_forward()"
            )
        op.execute(
            """
            CREATE FUNCTION coalition_refuse_truncate() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION 'history is append-only: % is never truncated', TG_TABLE_NAME;
            END $$ LANGUAGE plpgsql
            """
        )
        for table in HISTORY:
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION coalition_refuse_truncate()"
            )
    else:
        for table, (says, _condition_sql) in RULES.items():
            op.execute(
                f"CREATE TRIGGER {table}_moves_forward BEFORE UPDATE ON {table} "
                f"FOR EACH ROW WHEN {_condition(table, postgres=False)} BEGIN "
                f"SELECT RAISE(ABORT, 'history is append-only: {says}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in HISTORY:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION coalition_refuse_truncate()")
        for table in RULES:
            op.execute(f"DROP TRIGGER {table}_moves_forward ON {table}")
            op.execute(f"DROP FUNCTION coalition_{table}_moves_forward()")
    else:
        for table in RULES:
            op.execute(f"DROP TRIGGER {table}_moves_forward")
