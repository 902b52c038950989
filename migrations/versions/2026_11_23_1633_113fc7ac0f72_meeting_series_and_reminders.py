"""meeting series and reminders: recurring series with their occurrences as meetings,
and the ledger that sends each reminder once

Revision ID: 113fc7ac0f72
Revises: a2111e4acd57
Create Date: 2026-11-23 16:33:50.397725
"""

import sqlalchemy as sa
from alembic import op

import coalition.db

revision = "113fc7ac0f72"
down_revision = "a2111e4acd57"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("until_local", sa.DateTime(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("local_start", sa.DateTime(), nullable=False),
        sa.Column("local_end", sa.DateTime(), nullable=False),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(count IS NULL) <> (until_local IS NULL)", name=op.f("ck_meeting_series_one_end")
        ),
        sa.CheckConstraint(
            "count IS NULL OR count > 0", name=op.f("ck_meeting_series_count_positive")
        ),
        sa.CheckConstraint("length(rule) > 0", name=op.f("ck_meeting_series_rule_not_empty")),
        sa.CheckConstraint(
            "local_end > local_start", name=op.f("ck_meeting_series_ends_after_start")
        ),
        sa.CheckConstraint("sequence >= 0", name=op.f("ck_meeting_series_sequence_not_negative")),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["bodies.id"],
            name=op.f("fk_meeting_series_body_id_bodies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_series_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_series")),
    )
    op.create_table(
        "meeting_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_reminders_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meeting_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_reminders")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", "starts_at", name=op.f("uq_meeting_reminders_meeting_id")
        ),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recurrence_id", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("is_exception", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            "uq_meetings_series_recurrence", ["series_id", "recurrence_id"], unique=True
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_meetings_series_id_meeting_series"),
            "meeting_series",
            ["series_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            "recurrence_in_series", "(series_id IS NULL) = (recurrence_id IS NULL)"
        )
    _restore_sqlite_trigger()


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_meetings_recurrence_in_series"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_meetings_series_id_meeting_series"), type_="foreignkey"
        )
        batch_op.drop_index("uq_meetings_series_recurrence")
        batch_op.drop_column("is_exception")
        batch_op.drop_column("recurrence_id")
        batch_op.drop_column("series_id")
    _restore_sqlite_trigger()

    op.drop_table("meeting_reminders")
    op.drop_table("meeting_series")


def _restore_sqlite_trigger() -> None:
    """SQLite's batch mode rebuilds the meetings table, which drops its triggers: put
    back the one refusing deletes (PostgreSQL altered the table in place)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER IF NOT EXISTS meetings_no_delete BEFORE DELETE ON meetings BEGIN "
            "SELECT RAISE(ABORT, 'history is append-only: meetings rows are never deleted'); END"
        )
