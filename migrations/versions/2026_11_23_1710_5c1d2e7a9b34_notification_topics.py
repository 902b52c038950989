"""notification topics: a notice asking to act on something (a request to decide) is
resolved, shown as done and no longer unread, once someone has dealt with it

Revision ID: 5c1d2e7a9b34
Revises: c3b1e2a4f7d9
Create Date: 2026-11-23 17:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

import coalition.db

revision = "5c1d2e7a9b34"
down_revision = "c3b1e2a4f7d9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("topic", sa.String(length=64), nullable=True))
    op.add_column(
        "notifications",
        sa.Column("resolved_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column("notifications", sa.Column("resolution", sa.JSON(), nullable=True))
    op.create_index("ix_notifications_topic", "notifications", ["topic"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_notifications_topic", table_name="notifications")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("resolution")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("topic")
