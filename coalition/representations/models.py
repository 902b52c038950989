"""Representations: a person speaking for a participant, as its focal point or a delegate."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.db import enum_type, utcnow
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant


class RepresentationRole(enum.StrEnum):
    FOCAL_POINT = "focal_point"
    DELEGATE = "delegate"


class RepresentationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    #: The diplomat moved on, or withdrew the claim before it was decided.
    ENDED = "ended"


class Representation(db.Model):
    """A person speaking for a participant: claimed, then verified or rejected by staff.

    Rows are never deleted: who spoke for which participant, from when to when, is the
    participant's record, kept when diplomats rotate.
    """

    __tablename__ = "representations"
    __table_args__ = (
        # A person acts for at most one participant at a time.
        sa.Index(
            "uq_representations_one_open_per_user",
            "user_id",
            unique=True,
            sqlite_where=sa.text("status IN ('pending', 'verified')"),
            postgresql_where=sa.text("status IN ('pending', 'verified')"),
        ),
        # One focal point at a time per participant.
        sa.Index(
            "uq_representations_one_focal_point",
            "participant_id",
            unique=True,
            sqlite_where=sa.text("status = 'verified' AND role = 'focal_point'"),
            postgresql_where=sa.text("status = 'verified' AND role = 'focal_point'"),
        ),
        sa.Index("ix_representations_participant_status", "participant_id", "status"),
        sa.Index("ix_representations_status_claimed_at", "status", "claimed_at"),
        sa.CheckConstraint(
            "(status = 'pending' AND decided_at IS NULL) "
            "OR (status <> 'pending' AND decided_at IS NOT NULL)",
            name="decided_when_not_pending",
        ),
        sa.CheckConstraint(
            "(status = 'ended') = (ended_at IS NOT NULL)", name="ended_at_iff_ended"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    role: Mapped[RepresentationRole] = mapped_column(
        enum_type(RepresentationRole, "representation_role")
    )
    status: Mapped[RepresentationStatus] = mapped_column(
        enum_type(RepresentationStatus, "representation_status"),
        default=RepresentationStatus.PENDING,
    )
    #: What the claimant says of their position (e.g. "Counsellor, Permanent Mission").
    position: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    #: Why a claim was rejected, or why a representation ended.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="representations")
    participant: Mapped[Participant] = relationship(back_populates="representations")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    @property
    def was_withdrawn(self) -> bool:
        """Ended before staff decided: a withdrawal is decided and ended at one instant."""
        return self.status is RepresentationStatus.ENDED and self.decided_at == self.ended_at
