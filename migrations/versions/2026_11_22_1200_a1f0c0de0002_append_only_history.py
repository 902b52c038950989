"""append-only history: the database refuses to delete or rewrite the record

Memberships, representations, endorsements, co-chairs and audit events are the record
of who did what, when. Their rows are never deleted; audit events are never updated;
a membership that reached a closed status is never changed again (re-joining starts a
new row). Triggers hold this in the database, whatever code runs against it.

Revision ID: a1f0c0de0002
Revises: 38b00c81a7f0
Create Date: 2026-11-22 12:00:00
"""

from alembic import op

revision = "a1f0c0de0002"
down_revision = "38b00c81a7f0"
branch_labels = None
depends_on = None

NO_DELETE = ("memberships", "representations", "endorsements", "co_chairs", "audit_events")
CLOSED = "('declined', 'cancelled', 'revoked', 'withdrawn', 'removed')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION coalition_refuse_change() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION 'history is append-only: % rows are never %',
                TG_TABLE_NAME, CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'updated' END;
            END $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            f"""
            CREATE FUNCTION coalition_membership_closed_is_final() RETURNS trigger AS $$
            BEGIN
              IF OLD.status IN {CLOSED} OR NEW.body_id <> OLD.body_id
                 OR NEW.participant_id <> OLD.participant_id THEN
                RAISE EXCEPTION 'history is append-only: a closed membership is never changed';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        )
        for table in NO_DELETE:
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION coalition_refuse_change()"
            )
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION coalition_refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER memberships_closed_is_final BEFORE UPDATE ON memberships "
            "FOR EACH ROW EXECUTE FUNCTION coalition_membership_closed_is_final()"
        )
    else:
        for table in NO_DELETE:
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'history is append-only: {table} rows are never deleted'); END"
            )
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN "
            "SELECT RAISE(ABORT, 'history is append-only: audit events are never updated'); END"
        )
        op.execute(
            "CREATE TRIGGER memberships_closed_is_final BEFORE UPDATE ON memberships "
            f"WHEN OLD.status IN {CLOSED} OR NEW.body_id <> OLD.body_id "
            "OR NEW.participant_id <> OLD.participant_id BEGIN "
            "SELECT RAISE(ABORT, 'history is append-only: a closed membership is never changed'); END"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    triggers = [(f"{t}_no_delete", t) for t in NO_DELETE]
    triggers += [
        ("audit_events_no_update", "audit_events"),
        ("memberships_closed_is_final", "memberships"),
    ]
    for name, table in triggers:
        op.execute(f"DROP TRIGGER {name} ON {table}" if postgres else f"DROP TRIGGER {name}")
    if postgres:
        op.execute("DROP FUNCTION coalition_membership_closed_is_final()")
        op.execute("DROP FUNCTION coalition_refuse_change()")
