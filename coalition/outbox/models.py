"""Outgoing mail waiting for the worker, sent, or given up on (kept for staff to see)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coalition.db import enum_type, utcnow
from coalition.extensions import db


class MailStatus(enum.StrEnum):
    #: Waiting for its next attempt (which may be a retry: see `attempts`).
    QUEUED = "queued"
    SENT = "sent"
    #: Every attempt failed; kept until staff retry it.
    FAILED = "failed"


class OutgoingMail(db.Model):
    """One e-mail to one recipient, rendered when it was queued (in their language)."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        # The worker's question: which queued messages are due? Staff's: which fail?
        sa.Index("ix_outgoing_mail_status_next_attempt_at", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_at_iff_sent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(320))
    sender: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(998))
    body: Mapped[str] = mapped_column(sa.Text)
    #: [{"filename", "content_type", "content" (base64)}]: a meeting's calendar file, say.
    attachments: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON)
    #: Chosen once, so that a retried message is recognisably the same message.
    message_id: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[MailStatus] = mapped_column(
        enum_type(MailStatus, "mail_status"),
        default=MailStatus.QUEUED,
        server_default=MailStatus.QUEUED.value,
    )
    #: Attempts begun, counted when a worker claims the message (so that a message that
    #: crashes its worker still runs out of attempts).
    attempts: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Not to be tried before this time (back-off after a failure).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A worker's claim (lease): no other worker takes the message before this time. A
    #: worker that dies holding it lets it expire, and the message is tried again.
    locked_until: Mapped[datetime | None]
    #: Which worker holds the claim (random per worker process).
    locked_by: Mapped[str | None] = mapped_column(sa.String(64))
    last_attempt_at: Mapped[datetime | None]
    #: What the mail server (or the network) answered the last time it failed.
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None]
