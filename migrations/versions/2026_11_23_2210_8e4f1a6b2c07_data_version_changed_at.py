"""data version changed_at: when data last changed, for Last-Modified on downloads

Revision ID: 8e4f1a6b2c07
Revises: 3b7e9a2c4d10
Create Date: 2026-11-23 22:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "8e4f1a6b2c07"
down_revision = "3b7e9a2c4d10"
branch_labels = None
depends_on = None


def _column() -> sa.Column:
    return sa.Column(
        "changed_at",
        sa.DateTime(timezone=True),
        server_default=sa.func.current_timestamp(),
        nullable=False,
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds no column with a non-constant default: the table (one row) is rebuilt.
        with op.batch_alter_table("data_version", recreate="always") as batch_op:
            batch_op.add_column(_column())
    else:
        op.add_column("data_version", _column())


def downgrade() -> None:
    with op.batch_alter_table("data_version") as batch_op:
        batch_op.drop_column("changed_at")
