"""session epoch: ending every session of a person, on every app server

Sessions are signed cookies: forgetting one in the browser does not stop a copy of it.
Each session carries a digest of the person's session epoch (and password hash); raising
the epoch makes every session begun before it fail to load.

Revision ID: b9b8415d7623
Revises: f97c8a44d22e
Create Date: 2026-11-23 15:16:48.415057
"""

import sqlalchemy as sa
from alembic import op

revision = "b9b8415d7623"
down_revision = "f97c8a44d22e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
    )


def downgrade() -> None:
    # SQLite (3.35 and later) drops a column in place, keeping the table and its rows.
    op.drop_column("users", "session_epoch")
