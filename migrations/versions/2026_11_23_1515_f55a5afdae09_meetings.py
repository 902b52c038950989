"""meetings: meetings, agendas, invitations, answers, documents, calendar feeds

Meetings keep their times in UTC and as wall-clock times in their IANA zone. Meetings,
invitations and answers are the record of who was asked and who came: the database
refuses to delete them (invitations are withdrawn, meetings cancelled).

Revision ID: f55a5afdae09
Revises: ffddd4569144
Create Date: 2026-11-23 15:15:28.053855
"""

import sqlalchemy as sa
from alembic import op

import coalition.db

revision = "f55a5afdae09"
down_revision = "ffddd4569144"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_calendar_feeds_user_id")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("local_start", sa.DateTime(), nullable=False),
        sa.Column("local_end", sa.DateTime(), nullable=False),
        sa.Column("start_fold", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("end_fold", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column(
            "format",
            sa.Enum(
                "in_person",
                "virtual",
                "hybrid",
                name="meeting_format",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("invitee_note", sa.Text(), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum(
                "public",
                "members",
                name="meeting_visibility",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "cancelled",
                "held",
                name="meeting_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cancelled_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("held_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)",
            name=op.f("ck_meetings_cancelled_when"),
        ),
        sa.CheckConstraint(
            "(status = 'held') = (held_at IS NOT NULL)", name=op.f("ck_meetings_held_when")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meetings_ends_after_start")),
        sa.CheckConstraint("length(timezone) > 0", name=op.f("ck_meetings_timezone_not_empty")),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_meetings_title_not_empty")),
        sa.CheckConstraint("sequence >= 0", name=op.f("ck_meetings_sequence_not_negative")),
        sa.CheckConstraint(
            "start_fold IN (0, 1) AND end_fold IN (0, 1)", name=op.f("ck_meetings_folds")
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_meetings_body_id_bodies"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_meetings_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_body_starts_at", ["body_id", "starts_at"], unique=False)
        batch_op.create_index("ix_meetings_starts_at", ["starts_at"], unique=False)
        batch_op.create_index(
            "ix_meetings_visibility_starts_at", ["visibility", "starts_at"], unique=False
        )

    op.create_table(
        "meeting_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.CheckConstraint(
            "length(title) > 0", name=op.f("ck_meeting_agenda_items_title_not_empty")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_agenda_items_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_items")),
    )
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_agenda_items_meeting_position", ["meeting_id", "position"], unique=False
        )

    op.create_table(
        "meeting_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "minutes",
                "outcome",
                name="document_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_documents_meeting_id_meetings"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_documents")),
    )
    with op.batch_alter_table("meeting_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_documents_meeting", ["meeting_id", "position"], unique=False
        )

    op.create_table(
        "meeting_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "member",
                "guest",
                name="invitation_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "withdrawn_at IS NULL OR withdrawn_at >= created_at",
            name=op.f("ck_meeting_invitations_withdrawn_after_created"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_invitations_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_invitations_meeting_id_meetings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_meeting_invitations_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_invitations")),
    )
    with op.batch_alter_table("meeting_invitations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_invitations_participant", ["participant_id", "withdrawn_at"], unique=False
        )
        batch_op.create_index(
            "uq_meeting_invitations_one_open",
            ["meeting_id", "participant_id"],
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )

    op.create_table(
        "meeting_rsvps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "response",
            sa.Enum(
                "attending",
                "tentative",
                "declined",
                name="rsvp_response",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("head", sa.String(length=200), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "head_of_state",
                "minister",
                "vice_minister",
                "ambassador",
                "senior_official",
                "expert",
                name="delegation_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("delegates", sa.JSON(), nullable=False),
        sa.Column("answered_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "response = 'attending' OR (level IS NULL AND head = '')",
            name=op.f("ck_meeting_rsvps_details_if_attending"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_rsvps_answered_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_rsvps_meeting_id_meetings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_meeting_rsvps_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_rsvps")),
        sa.UniqueConstraint(
            "meeting_id", "participant_id", name=op.f("uq_meeting_rsvps_meeting_id")
        ),
    )
    op.create_table(
        "meeting_document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column(
            "language",
            sa.Enum(
                "en", "fr", name="document_language", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "final", name="document_status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "length(title) > 0", name=op.f("ck_meeting_document_versions_title_not_empty")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["meeting_documents.id"],
            name=op.f("fk_meeting_document_versions_document_id_meeting_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_document_versions_updated_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_document_versions")),
        sa.UniqueConstraint(
            "document_id", "language", name=op.f("uq_meeting_document_versions_document_id")
        ),
    )

    _no_delete()


NO_DELETE = ("meetings", "meeting_invitations", "meeting_rsvps")


def _no_delete() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in NO_DELETE:
        if postgres:
            # coalition_refuse_change() comes with the append-only history revision.
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION coalition_refuse_change()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'history is append-only: {table} rows are never deleted'); END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in NO_DELETE:
        op.execute(
            f"DROP TRIGGER {table}_no_delete ON {table}"
            if postgres
            else f"DROP TRIGGER {table}_no_delete"
        )
    op.drop_table("meeting_document_versions")
    op.drop_table("meeting_rsvps")
    with op.batch_alter_table("meeting_invitations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_meeting_invitations_one_open",
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )
        batch_op.drop_index("ix_meeting_invitations_participant")

    op.drop_table("meeting_invitations")
    with op.batch_alter_table("meeting_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_documents_meeting")

    op.drop_table("meeting_documents")
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_agenda_items_meeting_position")

    op.drop_table("meeting_agenda_items")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_visibility_starts_at")
        batch_op.drop_index("ix_meetings_starts_at")
        batch_op.drop_index("ix_meetings_body_starts_at")

    op.drop_table("meetings")
    op.drop_table("calendar_feeds")
