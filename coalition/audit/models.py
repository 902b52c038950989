"""The audit log: one append-only row for every state-changing act."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.accounts.models import User
from coalition.db import utcnow
from coalition.extensions import db
from coalition.participants.models import Participant


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        # The log is read newest first by (occurred_at, id), in keyset pages
        # (coalition.audit.paging): each filter's index ends in those two columns, so that
        # the database walks it from the cursor and stops after one page.
        sa.Index("ix_audit_events_occurred_at_id", "occurred_at", "id"),
        sa.Index("ix_audit_events_object", "object_type", "object_id", "occurred_at", "id"),
        sa.Index("ix_audit_events_object_type", "object_type", "occurred_at", "id"),
        sa.Index("ix_audit_events_actor_occurred_at", "actor_id", "occurred_at", "id"),
        sa.Index("ix_audit_events_participant_occurred_at", "participant_id", "occurred_at", "id"),
        sa.Index("ix_audit_events_action_occurred_at", "action", "occurred_at", "id"),
        # Who acted or for whom, with what: staff act in most events, so that a walk of
        # the actor's index alone, filtering the rest, could read nearly the whole log
        # (870 ms at 10x for the Secretariat's membership changes, issue 12).
        sa.Index("ix_audit_events_actor_action", "actor_id", "action", "occurred_at", "id"),
        sa.Index(
            "ix_audit_events_actor_object_type", "actor_id", "object_type", "occurred_at", "id"
        ),
        sa.Index(
            "ix_audit_events_participant_action", "participant_id", "action", "occurred_at", "id"
        ),
        # The public transparency log of one body, newest first.
        sa.Index("ix_audit_events_public_body", "body_id", "is_public", "occurred_at"),
        sa.CheckConstraint("length(action) > 0", name="action_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The person who acted; NULL for the command line and the system itself.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    #: The participant the actor acted for, when acting as a delegate.
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    #: Dotted verb, e.g. "membership.approve", "representation.verify".
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    #: A readable name of the object at the time (it may be renamed later).
    object_label: Mapped[str | None] = mapped_column(sa.String(300))
    #: The body (initiative or group) the act concerns, for its public history.
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"))
    #: Membership changes are public (the transparency log); the rest is for staff.
    is_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    actor: Mapped[User | None] = relationship()
    participant: Mapped[Participant | None] = relationship()
