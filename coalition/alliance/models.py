"""Endorsements of the Alliance declaration."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.accounts.models import User
from coalition.db import utcnow
from coalition.extensions import db
from coalition.participants.models import Participant


class Endorsement(db.Model):
    """A participant's endorsement of the Alliance declaration, open until withdrawn.

    Endorsing enrols in nothing else: no initiative or group membership follows from it.
    Withdrawing closes the row; endorsing again starts a new one.
    """

    __tablename__ = "endorsements"
    __table_args__ = (
        sa.Index(
            "uq_endorsements_one_open_per_participant",
            "participant_id",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        ),
        sa.Index("ix_endorsements_withdrawn_at_endorsed_at", "withdrawn_at", "endorsed_at"),
        sa.CheckConstraint(
            "withdrawn_at IS NULL OR withdrawn_at >= endorsed_at", name="withdrawn_after_endorsed"
        ),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawn_by_id IS NULL)", name="withdrawn_by_iff_withdrawn"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    endorsed_at: Mapped[datetime] = mapped_column(default=utcnow)
    endorsed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )

    participant: Mapped[Participant] = relationship()
    endorsed_by: Mapped[User | None] = relationship(foreign_keys=[endorsed_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
