"""membership covering indexes: the axis counts and the matrix read memberships from the
index alone; each replaces an index it starts with (body, status; participant, status)

Revision ID: 7e4b9c2d1f60
Revises: 7d2f4c9a1e05
Create Date: 2026-11-23 21:30:00.000000
"""

from alembic import op

revision = "7e4b9c2d1f60"
down_revision = "7d2f4c9a1e05"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_memberships_body_status_role_participant",
        "memberships",
        ["body_id", "status", "role", "participant_id"],
        unique=False,
    )
    op.create_index(
        "ix_memberships_participant_status_body",
        "memberships",
        ["participant_id", "status", "body_id"],
        unique=False,
    )
    op.drop_index("ix_memberships_body_status", table_name="memberships")
    op.drop_index("ix_memberships_participant_status", table_name="memberships")


def downgrade() -> None:
    op.create_index(
        "ix_memberships_participant_status",
        "memberships",
        ["participant_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_memberships_body_status", "memberships", ["body_id", "status"], unique=False
    )
    op.drop_index("ix_memberships_participant_status_body", table_name="memberships")
    op.drop_index("ix_memberships_body_status_role_participant", table_name="memberships")
