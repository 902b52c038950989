"""Outgoing e-mail: queued in the database session, sent only once it has committed.

A refused or rolled-back action must not have told anyone it happened, so services
queue messages and the session's after_commit hook sends them.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from coalition.extensions import db

log = logging.getLogger(__name__)

_OUTBOX = "coalition_outbox"


def queue(to: str, subject: str, body: str) -> None:
    """Send this message after the current transaction commits."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="coalition")
    message.set_content(body)
    session = db.session()
    if not session.in_transaction():
        # Tie the message to a transaction, so that a rollback (even before any SQL
        # has run) drops it and only a commit sends it.
        session.begin()
    session.info.setdefault(_OUTBOX, []).append((current_app._get_current_object(), message))


def send_now(message: EmailMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        # Development: show the message instead of sending it.
        print(f"\n----- e-mail (not sent: MAIL_SERVER unset) -----\n{message}\n-----", flush=True)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    if session.in_nested_transaction():
        return  # only a SAVEPOINT was released; the real commit is yet to come
    outbox = session.info.pop(_OUTBOX, None)
    if not outbox:
        return
    for app, message in outbox:
        with app.app_context():
            try:
                send_now(message)
            except (OSError, smtplib.SMTPException):
                # The act itself succeeded; a mail server being down must not undo it.
                log.exception("could not send e-mail to %s", message["To"])


@event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session: Session, previous_transaction: SessionTransaction) -> None:
    # after_soft_rollback, unlike after_rollback, fires even when no SQL had run yet.
    if previous_transaction.parent is None:
        session.info.pop(_OUTBOX, None)
