"""Bodies (initiatives, later working groups), memberships in them, and co-chairs."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.accounts.models import User
from coalition.db import Base, enum_type, utcnow
from coalition.participants.models import Participant


class BodyKind(enum.StrEnum):
    INITIATIVE = "initiative"
    WORKING_GROUP = "working_group"


class Axis(enum.StrEnum):
    """The Alliance's three lines of action."""

    INTERNATIONAL_LAW = "international_law"
    GOVERNANCE_GAPS = "governance_gaps"
    INSTITUTIONAL_REFORM = "institutional_reform"


class InitiativeStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    CONCLUDED = "concluded"


class JoinPolicy(enum.StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITATION = "invitation"


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    PARTNER = "partner"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    INVITED = "invited"
    ACTIVE = "active"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"

    @property
    def is_open(self) -> bool:
        return self in OPEN_MEMBERSHIP_STATUSES


OPEN_MEMBERSHIP_STATUSES = frozenset(
    {MembershipStatus.PENDING, MembershipStatus.INVITED, MembershipStatus.ACTIVE}
)
_OPEN_SQL = "status IN ('pending', 'invited', 'active')"


class Body(Base):
    """What participants can be members of: an initiative or a working group."""

    __tablename__ = "bodies"
    __table_args__ = (
        sa.CheckConstraint("seat_limit IS NULL OR seat_limit >= 1", name="seat_limit_positive"),
        # The seat limit holds in the database: a join that would exceed it fails its
        # UPDATE, however many requests race for the last seat.
        sa.CheckConstraint(
            "active_count >= 0 AND (seat_limit IS NULL OR active_count <= seat_limit)",
            name="active_count_within_seat_limit",
        ),
        sa.CheckConstraint("length(slug) > 0 AND slug = lower(slug)", name="slug_lower_case"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BodyKind] = mapped_column(enum_type(BodyKind, "body_kind"))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Markdown, sanitized when rendered.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    join_policy: Mapped[JoinPolicy] = mapped_column(enum_type(JoinPolicy, "join_policy"))
    seat_limit: Mapped[int | None]
    #: Active memberships now; kept by the membership services, checked against seat_limit.
    active_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"polymorphic_on": "kind"}


class Initiative(Body):
    """A thematic coalition of the Alliance."""

    __tablename__ = "initiatives"
    __table_args__ = (
        sa.Index("ix_initiatives_status_axis", "status", "axis"),
        sa.CheckConstraint(
            "status <> 'concluded' OR concluded_at IS NOT NULL", name="concluded_when"
        ),
    )

    id: Mapped[int] = mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True
    )
    axis: Mapped[Axis] = mapped_column(enum_type(Axis, "axis"))
    status: Mapped[InitiativeStatus] = mapped_column(
        enum_type(InitiativeStatus, "initiative_status"), default=InitiativeStatus.PROPOSED
    )
    launched_on: Mapped[date | None]
    #: The participant that proposed it (its first co-chair).
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    activated_at: Mapped[datetime | None]
    concluded_at: Mapped[datetime | None]
    #: What the coalition has achieved, in Markdown (sanitized when rendered).
    results: Mapped[str] = mapped_column(sa.Text, default="")

    proposed_by: Mapped[Participant | None] = relationship()

    __mapper_args__ = {"polymorphic_identity": BodyKind.INITIATIVE}


class Membership(Base):
    """A participant's membership in a body. Closed rows are never reopened nor deleted."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.Index(
            "uq_memberships_one_open_per_body_participant",
            "body_id",
            "participant_id",
            unique=True,
            sqlite_where=sa.text(_OPEN_SQL),
            postgresql_where=sa.text(_OPEN_SQL),
        ),
        sa.Index("ix_memberships_body_status", "body_id", "status"),
        sa.Index("ix_memberships_participant_status", "participant_id", "status"),
        sa.CheckConstraint(
            "status NOT IN ('withdrawn', 'removed', 'declined', 'cancelled', 'revoked') "
            "OR ended_at IS NOT NULL",
            name="closed_has_ended_at",
        ),
        sa.CheckConstraint(
            "status <> 'active' OR (since IS NOT NULL AND ended_at IS NULL)",
            name="active_has_since",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    role: Mapped[MembershipRole] = mapped_column(enum_type(MembershipRole, "membership_role"))
    status: Mapped[MembershipStatus] = mapped_column(
        enum_type(MembershipStatus, "membership_status")
    )
    #: When the request, invitation or direct addition was made.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    #: When the membership became active.
    since: Mapped[datetime | None]
    #: When it reached a closed status.
    ended_at: Mapped[datetime | None]
    #: The co-chair's or staff's reason for a decline or removal, shown to the participant.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    #: The requester's or inviter's message.
    message: Mapped[str | None] = mapped_column(sa.Text)

    body: Mapped[Body] = relationship()
    participant: Mapped[Participant] = relationship()
    created_by: Mapped[User | None] = relationship()


class CoChair(Base):
    """A participant co-chairing a body, from a date to a date."""

    __tablename__ = "co_chairs"
    __table_args__ = (
        sa.Index(
            "uq_co_chairs_one_current_per_body_participant",
            "body_id",
            "participant_id",
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
        sa.Index("ix_co_chairs_body_ended_at", "body_id", "ended_at"),
        sa.Index("ix_co_chairs_participant_ended_at", "participant_id", "ended_at"),
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    body: Mapped[Body] = relationship()
    participant: Mapped[Participant] = relationship()
