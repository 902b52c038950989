"""In-app notifications (e-mail copies are sent from the same call)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coalition.db import utcnow
from coalition.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),
        sa.Index("ix_notifications_topic", "topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: What happened, e.g. "representation.verified"; the text is rendered from it in the
    #: reader's language when shown, not frozen in the language of the moment.
    kind: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: Where to go to see or act on it (a path on this site).
    link: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    #: What the notice asks its reader to act on ("membership:42", say), when it asks
    #: anything: once that is dealt with (by this reader or another), it is resolved.
    topic: Mapped[str | None] = mapped_column(sa.String(64))
    #: When what it asked was dealt with, and how: {"action": "membership.approve",
    #: "by_code": "FRA", "by_name": "France", "by_staff": false}. Resolving marks it read,
    #: so that it no longer counts as unread; the inbox shows it as done.
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
