"""A real SMTP server for the mail tests."""

from __future__ import annotations

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

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
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
