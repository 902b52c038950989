"""audit log indexes for who and what together: an actor or participant with an action,
an actor with an object type, each ending in (occurred_at, id)

Revision ID: c4a9e1f7b235
Revises: 8e4f1a6b2c07
Create Date: 2026-11-24 02:00:00.000000
"""

from alembic import op

revision = "c4a9e1f7b235"
down_revision = "8e4f1a6b2c07"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_audit_events_actor_action": ["actor_id", "action", "occurred_at", "id"],
    "ix_audit_events_actor_object_type": ["actor_id", "object_type", "occurred_at", "id"],
    "ix_audit_events_participant_action": ["participant_id", "action", "occurred_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "audit_events", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="audit_events")
