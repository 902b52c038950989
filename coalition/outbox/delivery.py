"""Delivering queued mail: the worker's job, and the SMTP (or console) transport.

Each message is claimed and committed before the mail server is contacted, and
settled (sent, or failed with a back-off) in a transaction of its own afterwards: no
database lock is held while a slow mail server answers, and a worker that dies between
the two leaves a claim that expires (MAIL_LEASE) so that another worker tries again.
Delivery is therefore exactly once while workers live, and at least once if one dies
after the server accepted a message but before it recorded that.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from types import TracebackType

from flask import current_app

from coalition.extensions import db
from coalition.outbox import services
from coalition.outbox.models import OutgoingMail

log = logging.getLogger(__name__)


def _is_connection_error(error: BaseException) -> bool:
    """A failure of the connection itself (refused, timed out, dropped), after which the
    next messages would fail the same way: the pass stops and they wait for the next
    one, without spending their attempts. (SMTPException is an OSError too, but a
    refused recipient or message leaves the connection usable.)"""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def as_email(message: OutgoingMail) -> EmailMessage:
    email = EmailMessage()
    email["From"] = message.sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body)
    for attachment in message.attachments or ():
        kind, *parameters = (p.strip() for p in attachment["content_type"].split(";"))
        maintype, _slash, subtype = kind.partition("/")
        params = dict(p.split("=", 1) for p in parameters if "=" in p)
        params.pop("charset", None)  # bytes, base64-encoded: the charset is the content's
        email.add_attachment(
            base64.b64decode(attachment["content"]),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
            params=params,
        )
    return email


class Transport:
    """One SMTP connection for a whole pass, opened at the first message; or the console
    when MAIL_SERVER is unset (development: `make run` shows mail there)."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, email: EmailMessage) -> None:
        if not self.config.get("MAIL_SERVER"):
            print(f"\n----- e-mail (not sent: MAIL_SERVER unset) -----\n{email}\n-----", flush=True)
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(email)
        except OSError as error:
            if _is_connection_error(error):
                self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


@dataclass
class Pass:
    sent: int = 0
    failed_attempts: int = 0


def deliver_due(*, now: datetime | None = None, worker: str | None = None) -> Pass:
    """Send every message that is due, one claim at a time; commits as it goes.

    Stops early when the mail server cannot be reached (the messages not yet tried
    keep their attempts). *now* is for tests that travel in time.
    """
    worker = worker or f"worker-{uuid.uuid4().hex[:12]}"
    outcome = Pass()
    with Transport() as transport:
        while True:
            message = services.claim_next(worker, now=now)
            db.session.commit()
            if message is None:
                break
            try:
                transport.send(as_email(message))
            except Exception as error:
                # Whatever fails (smtplib's errors are OSErrors; a header the server
                # cannot take is a ValueError) is a failed attempt, so that a message that
                # cannot go ends up failed instead of being tried forever.
                log.warning(
                    "could not send e-mail %s to %s: %s", message.id, message.recipient, error
                )
                services.mark_attempt_failed(message, worker, _describe(error), now=now)
                db.session.commit()
                outcome.failed_attempts += 1
                if _is_connection_error(error):
                    break
                continue
            if not services.mark_sent(message, worker, now=now):
                log.warning("e-mail %s was sent after this worker's claim ran out", message.id)
            db.session.commit()
            outcome.sent += 1
    return outcome


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
        if replies:
            code, reply = replies[0]
            return f"{code} {reply.decode(errors='replace')}"
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
