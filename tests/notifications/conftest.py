"""A real SMTP server for the mail tests."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from flask import Flask

# -- a real SMTP server ---------------------------------------------------------------------------


class _Collector:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        #: Addresses this server refuses for good (550), as for an unknown mailbox.
        self.refuse: set[str] = set()
        #: Seconds the server takes to accept each message.
        self.delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[_Collector]:
    """An SMTP server on 127.0.0.1 that the app sends to for this test; .messages holds
    what arrived (parsed EmailMessage objects)."""
    from aiosmtpd.controller import Controller

    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    try:
        yield collector
    finally:
        app.config.update(saved)
        controller.stop()


@pytest.fixture
def deliver(runner):
    """deliver(): run `flask worker --once` (what cron would) and return its output."""

    def run() -> str:
        result = runner.invoke(args=["worker", "--once"])
        assert result.exit_code == 0, result.output
        return result.output

    return run
