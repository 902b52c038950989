"""working groups and membership terms

Working groups are a kind of body (joined-table inheritance, like initiatives), inside
an initiative or at Alliance level. A membership may have a term: the day it ends, after
the day it began.

On SQLite the term column and its CHECK are added with ALTER TABLE ADD/DROP COLUMN, not
by copying the table (batch mode), which would drop the append-only triggers of
memberships.

Revision ID: a2111e4acd57
Revises: ee76f9c92e9c
Create Date: 2026-11-23 15:13:58.423912
"""

import sqlalchemy as sa
from alembic import op

import coalition.db

revision = "a2111e4acd57"
down_revision = "ee76f9c92e9c"
branch_labels = None
depends_on = None

TERM_CHECK = "ck_memberships_term_ends_after_since"
TERM_RULE = "term_ends_on IS NULL OR since IS NULL OR term_ends_on > since"


def upgrade() -> None:
    op.create_table(
        "working_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active", "closed", name="group_status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("closed_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status <> 'closed' OR closed_at IS NOT NULL",
            name=op.f("ck_working_groups_closed_when"),
        ),
        sa.ForeignKeyConstraint(
            ["id"], ["bodies.id"], name=op.f("fk_working_groups_id_bodies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_working_groups_initiative_id_initiatives"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_groups")),
    )
    op.create_index(
        "ix_working_groups_initiative_status", "working_groups", ["initiative_id", "status"]
    )
    op.create_index("ix_working_groups_status", "working_groups", ["status"])

    if op.get_bind().dialect.name == "postgresql":
        op.add_column("memberships", sa.Column("term_ends_on", sa.Date(), nullable=True))
        op.create_check_constraint(op.f(TERM_CHECK), "memberships", TERM_RULE)
    else:
        op.execute(
            f"ALTER TABLE memberships ADD COLUMN term_ends_on DATE CONSTRAINT {TERM_CHECK} CHECK ({TERM_RULE})"
        )
    op.create_index("ix_memberships_status_term_ends_on", "memberships", ["status", "term_ends_on"])


def downgrade() -> None:
    op.drop_index("ix_memberships_status_term_ends_on", table_name="memberships")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f(TERM_CHECK), "memberships", type_="check")
    # SQLite drops the column with its own CHECK (ALTER TABLE DROP COLUMN, 3.35+).
    op.execute("ALTER TABLE memberships DROP COLUMN term_ends_on")

    op.drop_index("ix_working_groups_status", table_name="working_groups")
    op.drop_index("ix_working_groups_initiative_status", table_name="working_groups")
    op.drop_table("working_groups")
