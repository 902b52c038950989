"""outgoing mail queue: mail written with the act that causes it, sent by the worker

Revision ID: ffddd4569144
Revises: a1f0c0de0002
Create Date: 2026-11-23 14:49:55.813382
"""

import sqlalchemy as sa
from alembic import op

import coalition.db

revision = "ffddd4569144"
down_revision = "a1f0c0de0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=998), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sent",
                "failed",
                name="mail_status",
                native_enum=False,
                create_constraint=True,
                length=6,
            ),
            server_default="queued",
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("locked_by", sa.String(length=64), nullable=True),
        sa.Column("last_attempt_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)",
            name=op.f("ck_outgoing_mail_sent_at_iff_sent"),
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outgoing_mail_attempts_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mail")),
    )
    op.create_index(
        "ix_outgoing_mail_status_next_attempt_at",
        "outgoing_mail",
        ["status", "next_attempt_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_outgoing_mail_status_next_attempt_at", table_name="outgoing_mail")
    op.drop_table("outgoing_mail")
