"""Bodies, memberships in them, and co-chairs. Kinds of body (initiatives, working groups)
are subclasses of Body that provide its policies."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition import limits
from coalition.db import enum_type, utcnow
from coalition.extensions import db
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.errors import Refusal


class BodyKind(enum.StrEnum):
    INITIATIVE = "initiative"
    WORKING_GROUP = "working_group"


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


OPEN_MEMBERSHIP_STATUSES = frozenset(
    {MembershipStatus.PENDING, MembershipStatus.INVITED, MembershipStatus.ACTIVE}
)
CLOSED_MEMBERSHIP_STATUSES = frozenset(set(MembershipStatus) - OPEN_MEMBERSHIP_STATUSES)
OPEN_SQL = "status IN ('pending', 'invited', 'active')"


class Body(db.Model):
    """What participants can be members of: an initiative or a working group.

    Subclasses answer the policy questions below; the membership machine
    (coalition.bodies.memberships) asks them instead of testing the kind.
    """

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

    #: The URL section of this kind's pages: /initiatives/<slug>, /groups/<slug>.
    section = "bodies"
    #: Whether the co-chairs, besides staff, add and remove members directly.
    co_chairs_add_members = False
    #: Whether members come only by a direct addition (staff, co-chairs): nobody joins,
    #: asks to join or is invited.
    direct_membership_only = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BodyKind] = mapped_column(enum_type(BodyKind, "body_kind"))
    slug: Mapped[str] = mapped_column(sa.String(limits.SLUG_MAX), unique=True)
    title: Mapped[str] = mapped_column(sa.String(limits.TITLE_MAX))
    summary: Mapped[str] = mapped_column(sa.String(limits.SUMMARY_MAX), default="")
    #: Markdown, sanitized when rendered.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: The language of title, summary and description ("en", "fr"); the same texts in
    #: the other language are the *_translation columns ("" until written): see
    #: coalition.bilingual.
    language: Mapped[str] = mapped_column(sa.String(2), default="en", server_default="en")
    title_translation: Mapped[str] = mapped_column(
        sa.String(limits.TITLE_MAX), default="", server_default=""
    )
    summary_translation: Mapped[str] = mapped_column(
        sa.String(limits.SUMMARY_MAX), default="", server_default=""
    )
    description_translation: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    join_policy: Mapped[JoinPolicy] = mapped_column(enum_type(JoinPolicy, "join_policy"))
    seat_limit: Mapped[int | None]
    #: Active memberships now; kept by the membership services, checked against seat_limit.
    active_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"polymorphic_on": "kind"}

    @property
    def path(self) -> str:
        """This body's page on the site."""
        return f"/{self.section}/{self.slug}"

    @property
    def seats_full(self) -> bool:
        return self.seat_limit is not None and self.active_count >= self.seat_limit

    # -- policies the kinds of body provide ----------------------------------------------

    def membership_refusal(self, *, by_manager: bool = False) -> Refusal | None:
        """Why the body takes no new members now (None: it does). *by_manager*: staff or
        co-chairs adding or inviting, who may prepare a body before it opens."""
        return None

    def acceptance_refusal(self) -> Refusal | None:
        """Why an invitation to this body cannot be accepted now (None: it can)."""
        return None

    @property
    def must_keep_a_co_chair(self) -> bool:
        """Whether the last co-chair may not leave or be ended now."""
        return False

    def admission_refusals(
        self, participants: Sequence[Participant], *, lock: bool = False
    ) -> dict[int, Refusal]:
        """Why each of *participants* may not hold an open membership of this body,
        whoever asks, by participant id (absent: it may), in one query whatever their
        number. With *lock*, the rows the answer rests on are locked (shared) first, so
        that it still holds when the caller commits; the membership machine asks so
        before it locks this body."""
        return {}

    def admission_refusal(self, participant: Participant, *, lock: bool = False) -> Refusal | None:
        """admission_refusals() for one participant."""
        return self.admission_refusals([participant], lock=lock).get(participant.id)

    def on_member_left(self, membership: Membership, *, actor: User | None) -> None:
        """End what depends on *membership*, which has just been withdrawn or removed or
        whose term ended, in the same transaction (nothing, for most kinds)."""

    def dependent_memberships(self, membership: Membership) -> list[Membership]:
        """The open memberships that on_member_left() would end with *membership*, with
        their bodies, for a page to say so before the member leaves (none, for most
        kinds)."""
        return []


class Membership(db.Model):
    """A participant's membership in a body. Closed rows are never reopened nor deleted."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.Index(
            "uq_memberships_one_open_per_body_participant",
            "body_id",
            "participant_id",
            unique=True,
            sqlite_where=sa.text(OPEN_SQL),
            postgresql_where=sa.text(OPEN_SQL),
        ),
        # Both carry the columns that the counts and the matrix read after the ones they
        # look up by, so that those read the index alone and never the rows (issue 12).
        sa.Index(
            "ix_memberships_body_status_role_participant",
            "body_id",
            "status",
            "role",
            "participant_id",
        ),
        sa.Index("ix_memberships_participant_status_body", "participant_id", "status", "body_id"),
        sa.CheckConstraint(
            "status NOT IN ('withdrawn', 'removed', 'declined', 'cancelled', 'revoked') "
            "OR ended_at IS NOT NULL",
            name="closed_has_ended_at",
        ),
        sa.CheckConstraint(
            "status <> 'active' OR (since IS NOT NULL AND ended_at IS NULL)",
            name="active_has_since",
        ),
        # A term ends on a later day than the membership began (dates compare with
        # timestamps the same way on SQLite, as text, and on PostgreSQL).
        sa.CheckConstraint(
            "term_ends_on IS NULL OR since IS NULL OR term_ends_on > since",
            name="term_ends_after_since",
        ),
        # Terms ending soon, for the Secretariat.
        sa.Index("ix_memberships_status_term_ends_on", "status", "term_ends_on"),
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
    #: The day the member's term ends (a seat on a governing body, say); NULL: no term.
    term_ends_on: Mapped[date | None]

    body: Mapped[Body] = relationship()
    participant: Mapped[Participant] = relationship()
    created_by: Mapped[User | None] = relationship()


class CoChair(db.Model):
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


#: SQL: a co-chair role that has not ended — the one definition of "current co-chair".
CO_CHAIR_IS_CURRENT = CoChair.ended_at.is_(None)
