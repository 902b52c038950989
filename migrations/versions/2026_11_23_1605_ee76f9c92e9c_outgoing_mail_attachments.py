"""outgoing mail attachments: a meeting's calendar file travels with its message

Revision ID: ee76f9c92e9c
Revises: a5d09640fba6
Create Date: 2026-11-23 16:05:47.269826
"""

import sqlalchemy as sa
from alembic import op

revision = "ee76f9c92e9c"
down_revision = "a5d09640fba6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outgoing_mail", schema=None) as batch_op:
        batch_op.drop_column("attachments")
