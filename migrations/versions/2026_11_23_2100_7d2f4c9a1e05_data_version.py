"""data version: one row counting the transactions that changed data, so that kept
answers (pages, API lists) are used only while the data they were computed from is
current

Revision ID: 7d2f4c9a1e05
Revises: 5c1d2e7a9b34
Create Date: 2026-11-23 21:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "7d2f4c9a1e05"
down_revision = "5c1d2e7a9b34"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), server_default="0", nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("data_version")
