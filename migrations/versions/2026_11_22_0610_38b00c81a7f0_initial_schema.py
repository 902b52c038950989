"""initial schema

Revision ID: 38b00c81a7f0
Revises:
Create Date: 2026-11-22 06:10:06.162703
"""

import sqlalchemy as sa
from alembic import op

import coalition.db

revision = "38b00c81a7f0"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "initiative",
                "working_group",
                name="body_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "join_policy",
            sa.Enum(
                "open",
                "approval",
                "invitation",
                name="join_policy",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("seat_limit", sa.Integer(), nullable=True),
        sa.Column("active_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "active_count >= 0 AND (seat_limit IS NULL OR active_count <= seat_limit)",
            name=op.f("ck_bodies_active_count_within_seat_limit"),
        ),
        sa.CheckConstraint(
            "length(slug) > 0 AND slug = lower(slug)", name=op.f("ck_bodies_slug_lower_case")
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_bodies_title_not_empty")),
        sa.CheckConstraint(
            "seat_limit IS NULL OR seat_limit >= 1", name=op.f("ck_bodies_seat_limit_positive")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bodies")),
        sa.UniqueConstraint("slug", name=op.f("uq_bodies_slug")),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "state",
                "organization",
                name="participant_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("acronym", sa.String(length=32), nullable=True),
        sa.Column("iso_alpha2", sa.String(length=2), nullable=True),
        sa.Column(
            "un_status",
            sa.Enum(
                "member", "observer", name="un_status", native_enum=False, create_constraint=True
            ),
            nullable=True,
        ),
        sa.Column(
            "category",
            sa.Enum(
                "international_organization",
                "regional_institution",
                "civil_society",
                "private_sector",
                "other",
                name="organization_category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'state' AND category IS NULL AND iso_alpha2 IS NOT NULL AND length(code) = 3 AND code = upper(code)) OR (kind = 'organization' AND category IS NOT NULL AND un_status IS NULL)",
            name=op.f("ck_participants_kind_fields"),
        ),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_participants_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("code", name=op.f("uq_participants_code")),
        sa.UniqueConstraint("iso_alpha2", name=op.f("uq_participants_iso_alpha2")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index("ix_participants_kind_name", ["kind", "name"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("is_staff", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_users_email_lower_case")),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_users_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("object_label", sa.String(length=300), nullable=True),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("is_public", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.CheckConstraint("length(action) > 0", name=op.f("ck_audit_events_action_not_empty")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_audit_events_actor_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["bodies.id"],
            name=op.f("fk_audit_events_body_id_bodies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_audit_events_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_action_occurred_at", ["action", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_events_actor_occurred_at", ["actor_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_events_object", ["object_type", "object_id", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_audit_events_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_events_public_body", ["body_id", "is_public", "occurred_at"], unique=False
        )

    op.create_table(
        "co_chairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("started_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= started_at", name=op.f("ck_co_chairs_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_co_chairs_assigned_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["bodies.id"],
            name=op.f("fk_co_chairs_body_id_bodies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"],
            ["users.id"],
            name=op.f("fk_co_chairs_ended_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_co_chairs_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_co_chairs")),
    )
    with op.batch_alter_table("co_chairs", schema=None) as batch_op:
        batch_op.create_index("ix_co_chairs_body_ended_at", ["body_id", "ended_at"], unique=False)
        batch_op.create_index(
            "ix_co_chairs_participant_ended_at", ["participant_id", "ended_at"], unique=False
        )
        batch_op.create_index(
            "uq_co_chairs_one_current_per_body_participant",
            ["body_id", "participant_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )

    op.create_table(
        "endorsements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("endorsed_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("endorsed_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawn_by_id IS NULL)",
            name=op.f("ck_endorsements_withdrawn_by_iff_withdrawn"),
        ),
        sa.CheckConstraint(
            "withdrawn_at IS NULL OR withdrawn_at >= endorsed_at",
            name=op.f("ck_endorsements_withdrawn_after_endorsed"),
        ),
        sa.ForeignKeyConstraint(
            ["endorsed_by_id"],
            ["users.id"],
            name=op.f("fk_endorsements_endorsed_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_endorsements_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["users.id"],
            name=op.f("fk_endorsements_withdrawn_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_endorsements")),
    )
    with op.batch_alter_table("endorsements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_endorsements_withdrawn_at_endorsed_at",
            ["withdrawn_at", "endorsed_at"],
            unique=False,
        )
        batch_op.create_index(
            "uq_endorsements_one_open_per_participant",
            ["participant_id"],
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )

    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "axis",
            sa.Enum(
                "international_law",
                "governance_gaps",
                "institutional_reform",
                name="axis",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "active",
                "concluded",
                name="initiative_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("launched_on", sa.Date(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("activated_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("concluded_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("results", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status <> 'concluded' OR concluded_at IS NOT NULL",
            name=op.f("ck_initiatives_concluded_when"),
        ),
        sa.ForeignKeyConstraint(
            ["id"], ["bodies.id"], name=op.f("fk_initiatives_id_bodies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["participants.id"],
            name=op.f("fk_initiatives_proposed_by_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiatives")),
    )
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.create_index("ix_initiatives_status_axis", ["status", "axis"], unique=False)

    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "member",
                "partner",
                name="membership_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "invited",
                "active",
                "declined",
                "cancelled",
                "revoked",
                "withdrawn",
                "removed",
                name="membership_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("since", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status <> 'active' OR (since IS NOT NULL AND ended_at IS NULL)",
            name=op.f("ck_memberships_active_has_since"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('withdrawn', 'removed', 'declined', 'cancelled', 'revoked') OR ended_at IS NOT NULL",
            name=op.f("ck_memberships_closed_has_ended_at"),
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["bodies.id"],
            name=op.f("fk_memberships_body_id_bodies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_memberships_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_memberships_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index("ix_memberships_body_status", ["body_id", "status"], unique=False)
        batch_op.create_index(
            "ix_memberships_participant_status", ["participant_id", "status"], unique=False
        )
        batch_op.create_index(
            "uq_memberships_one_open_per_body_participant",
            ["body_id", "participant_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('pending', 'invited', 'active')"),
            postgresql_where=sa.text("status IN ('pending', 'invited', 'active')"),
        )

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("created_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_user_unread", ["user_id", "read_at", "created_at"], unique=False
        )

    op.create_table(
        "representations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "focal_point",
                "delegate",
                name="representation_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "verified",
                "rejected",
                "ended",
                name="representation_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", coalition.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("ended_at", coalition.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(status = 'ended') = (ended_at IS NOT NULL)",
            name=op.f("ck_representations_ended_at_iff_ended"),
        ),
        sa.CheckConstraint(
            "(status = 'pending' AND decided_at IS NULL) OR (status <> 'pending' AND decided_at IS NOT NULL)",
            name=op.f("ck_representations_decided_when_not_pending"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_representations_decided_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"],
            ["users.id"],
            name=op.f("fk_representations_ended_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_representations_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_representations_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_representations")),
    )
    with op.batch_alter_table("representations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_representations_participant_status", ["participant_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_representations_status_claimed_at", ["status", "claimed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_representations_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_representations_one_focal_point",
            ["participant_id"],
            unique=True,
            sqlite_where=sa.text("status = 'verified' AND role = 'focal_point'"),
            postgresql_where=sa.text("status = 'verified' AND role = 'focal_point'"),
        )
        batch_op.create_index(
            "uq_representations_one_open_per_user",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('pending', 'verified')"),
            postgresql_where=sa.text("status IN ('pending', 'verified')"),
        )


def downgrade() -> None:
    with op.batch_alter_table("representations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_representations_one_open_per_user",
            sqlite_where=sa.text("status IN ('pending', 'verified')"),
            postgresql_where=sa.text("status IN ('pending', 'verified')"),
        )
        batch_op.drop_index(
            "uq_representations_one_focal_point",
            sqlite_where=sa.text("status = 'verified' AND role = 'focal_point'"),
            postgresql_where=sa.text("status = 'verified' AND role = 'focal_point'"),
        )
        batch_op.drop_index(batch_op.f("ix_representations_user_id"))
        batch_op.drop_index("ix_representations_status_claimed_at")
        batch_op.drop_index("ix_representations_participant_status")

    op.drop_table("representations")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_unread")

    op.drop_table("notifications")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_memberships_one_open_per_body_participant",
            sqlite_where=sa.text("status IN ('pending', 'invited', 'active')"),
            postgresql_where=sa.text("status IN ('pending', 'invited', 'active')"),
        )
        batch_op.drop_index("ix_memberships_participant_status")
        batch_op.drop_index("ix_memberships_body_status")

    op.drop_table("memberships")
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.drop_index("ix_initiatives_status_axis")

    op.drop_table("initiatives")
    with op.batch_alter_table("endorsements", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_endorsements_one_open_per_participant",
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )
        batch_op.drop_index("ix_endorsements_withdrawn_at_endorsed_at")

    op.drop_table("endorsements")
    with op.batch_alter_table("co_chairs", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_co_chairs_one_current_per_body_participant",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.drop_index("ix_co_chairs_participant_ended_at")
        batch_op.drop_index("ix_co_chairs_body_ended_at")

    op.drop_table("co_chairs")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_public_body")
        batch_op.drop_index(batch_op.f("ix_audit_events_participant_id"))
        batch_op.drop_index("ix_audit_events_occurred_at")
        batch_op.drop_index("ix_audit_events_object")
        batch_op.drop_index("ix_audit_events_actor_occurred_at")
        batch_op.drop_index("ix_audit_events_action_occurred_at")

    op.drop_table("audit_events")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_kind_name")

    op.drop_table("participants")
    op.drop_table("bodies")
