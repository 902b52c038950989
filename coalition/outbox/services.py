"""The outgoing-mail queue: queue in the caller's transaction; claim, settle, retry.

Services never commit: the worker's delivery loop (coalition.outbox.delivery) and the
staff view are the transaction boundaries.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from coalition.audit.services import record
from coalition.db import utcnow
from coalition.errors import Conflict, NotFound
from coalition.extensions import db
from coalition.outbox.models import MailStatus, OutgoingMail

if TYPE_CHECKING:
    from coalition.accounts.models import User

#: Longest last_error kept: enough for any SMTP reply, bounded for a hostile one.
_ERROR_LENGTH = 2000


def enqueue(
    to: str,
    subject: str,
    body: str,
    *,
    attachments: Sequence[tuple[str, str, bytes]] | None = None,
) -> OutgoingMail:
    """Queue one message in the current transaction: it exists only if the act commits.
    Attachments are (file name, content type, content), kept with the message."""
    message = OutgoingMail(
        recipient=to,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        subject=subject,
        body=body,
        attachments=[
            {
                "filename": filename,
                "content_type": content_type,
                "content": base64.b64encode(content).decode("ascii"),
            }
            for filename, content_type, content in attachments or ()
        ]
        or None,
        message_id=make_msgid(domain="coalition"),
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


def _claimable(now: datetime) -> list[sa.ColumnElement[bool]]:
    return [
        OutgoingMail.status == MailStatus.QUEUED,
        OutgoingMail.next_attempt_at <= now,
        sa.or_(OutgoingMail.locked_until.is_(None), OutgoingMail.locked_until <= now),
    ]


def claim_next(worker: str, *, now: datetime | None = None) -> OutgoingMail | None:
    """Take the next due message for *worker* (a lease of MAIL_LEASE seconds), or None.

    The UPDATE repeats the conditions of the SELECT, so of two workers that saw the same
    row only one changes it; on PostgreSQL, SKIP LOCKED also lets the other move on to
    the next row at once instead of waiting. The attempt is counted here, at the claim.
    """
    now = now or utcnow()
    candidate = (
        sa.select(OutgoingMail.id)
        .where(*_claimable(now))
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidate = candidate.with_for_update(skip_locked=True)
    message_id = db.session.scalar(candidate)
    if message_id is None:
        return None
    claimed = db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.id == message_id, *_claimable(now))
        .values(
            locked_by=worker,
            locked_until=now + timedelta(seconds=current_app.config["MAIL_LEASE"]),
            attempts=OutgoingMail.attempts + 1,
            last_attempt_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return None
    return db.session.get(OutgoingMail, message_id, populate_existing=True)


def mark_sent(message: OutgoingMail, worker: str, *, now: datetime | None = None) -> bool:
    """Record the delivery; False if *worker* no longer held the claim."""
    now = now or utcnow()
    done = db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.id == message.id, OutgoingMail.locked_by == worker)
        .values(status=MailStatus.SENT, sent_at=now, locked_until=None, locked_by=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return done == 1


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: MAIL_RETRY_DELAY, doubled after each failure, capped."""
    config = current_app.config
    seconds = config["MAIL_RETRY_DELAY"] * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_DELAY"]))


def mark_attempt_failed(
    message: OutgoingMail, worker: str, error: str, *, now: datetime | None = None
) -> None:
    """Schedule the next attempt after a back-off, or give up after MAIL_MAX_ATTEMPTS
    (the message is then `failed`, kept, and the failure is in the audit log)."""
    now = now or utcnow()
    db.session.refresh(message)
    if message.locked_by != worker or message.status != MailStatus.QUEUED:
        return  # another worker took it over after our lease ran out: its outcome stands
    message.last_error = error[:_ERROR_LENGTH]
    message.locked_by = None
    message.locked_until = None
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = MailStatus.FAILED
        record(
            "mail.fail",
            object_type="mail",
            object_id=message.id,
            object_label=message.recipient,
            actor=None,
            after={"attempts": message.attempts, "error": message.last_error},
        )
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
    db.session.flush()


def retry(message: OutgoingMail, *, actor: User) -> None:
    """Staff send a failing or failed message again now, with a fresh set of attempts.

    Raises Conflict if it was sent meanwhile or a worker is sending it now.
    """
    from flask_babel import lazy_gettext as _

    if message.status == MailStatus.SENT:
        raise Conflict(_("This message has been sent meanwhile."))
    if message.locked_until is not None and message.locked_until > utcnow():
        # A worker is sending it right now: a second copy could leave.
        raise Conflict(_("This message is being sent right now."))
    before = {"status": message.status, "attempts": message.attempts}
    message.status = MailStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.locked_by = None
    message.locked_until = None
    record(
        "mail.retry",
        object_type="mail",
        object_id=message.id,
        object_label=message.recipient,
        actor=actor,
        before=before,
        after={"status": message.status, "attempts": 0},
    )
    db.session.flush()


def get_message(message_id: int) -> OutgoingMail:
    message = db.session.get(OutgoingMail, message_id)
    if message is None:
        from flask_babel import lazy_gettext as _

        raise NotFound(_("There is no such message."))
    return message


def troubled_statement() -> sa.Select:
    """Messages staff should see: given up on, or queued after at least one failure;
    newest trouble first."""
    return (
        sa.select(OutgoingMail)
        .where(
            sa.or_(
                OutgoingMail.status == MailStatus.FAILED,
                sa.and_(
                    OutgoingMail.status == MailStatus.QUEUED, OutgoingMail.last_error.is_not(None)
                ),
            )
        )
        .order_by(OutgoingMail.last_attempt_at.desc(), OutgoingMail.id.desc())
    )


@dataclass(frozen=True)
class QueueCounts:
    queued: int
    failing: int
    failed: int


def queue_counts() -> QueueCounts:
    """How many messages wait, fail and have failed (one query)."""
    failing = sa.and_(
        OutgoingMail.status == MailStatus.QUEUED, OutgoingMail.last_error.is_not(None)
    )
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(OutgoingMail.status == MailStatus.QUEUED),
            sa.func.count().filter(failing),
            sa.func.count().filter(OutgoingMail.status == MailStatus.FAILED),
        ).where(OutgoingMail.status != MailStatus.SENT)
    ).one()
    return QueueCounts(queued=row[0], failing=row[1], failed=row[2])


def purge_sent(*, now: datetime | None = None) -> int:
    """Delete messages sent more than MAIL_KEEP_SENT_DAYS ago; returns how many."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["MAIL_KEEP_SENT_DAYS"])
    return db.session.execute(
        sa.delete(OutgoingMail)
        .where(OutgoingMail.status == MailStatus.SENT, OutgoingMail.sent_at < cutoff)
        .execution_options(synchronize_session=False)
    ).rowcount
