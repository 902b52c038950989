"""audit log keyset indexes: every filter's index ends in (occurred_at, id), the order
the log is read in, so that a page is one index walk from its cursor

Revision ID: 3b7e9a2c4d10
Revises: 7e4b9c2d1f60
Create Date: 2026-11-23 22:00:00.000000
"""

from alembic import op

revision = "3b7e9a2c4d10"
down_revision = "7e4b9c2d1f60"
branch_labels = None
depends_on = None

#: name: (new columns, old columns or None where the index is new)
INDEXES = {
    "ix_audit_events_occurred_at_id": (["occurred_at", "id"], None),
    "ix_audit_events_object": (
        ["object_type", "object_id", "occurred_at", "id"],
        ["object_type", "object_id", "occurred_at"],
    ),
    "ix_audit_events_object_type": (["object_type", "occurred_at", "id"], None),
    "ix_audit_events_actor_occurred_at": (
        ["actor_id", "occurred_at", "id"],
        ["actor_id", "occurred_at"],
    ),
    "ix_audit_events_participant_occurred_at": (["participant_id", "occurred_at", "id"], None),
    "ix_audit_events_action_occurred_at": (
        ["action", "occurred_at", "id"],
        ["action", "occurred_at"],
    ),
}
#: Replaced by a longer one above, which serves the same lookups.
DROPPED = {
    "ix_audit_events_occurred_at": ["occurred_at"],
    "ix_audit_events_participant_id": ["participant_id"],
}


def upgrade() -> None:
    for name in DROPPED:
        op.drop_index(name, table_name="audit_events")
    for name, (columns, old) in INDEXES.items():
        if old is not None:
            op.drop_index(name, table_name="audit_events")
        op.create_index(name, "audit_events", columns)


def downgrade() -> None:
    for name, (_columns, old) in INDEXES.items():
        op.drop_index(name, table_name="audit_events")
        if old is not None:
            op.create_index(name, "audit_events", old)
    for name, columns in DROPPED.items():
        op.create_index(name, "audit_events", columns)
