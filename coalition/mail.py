"""Outgoing e-mail, and the links in it.

Messages are rows of the outgoing-mail queue (coalition.outbox), written in the
transaction of the act that causes them and delivered by the worker: a rolled-back act
sends nothing, a committed one loses nothing even when the mail server is down, and no
request waits for a mail server.

Links in mail are built from PUBLIC_URL, never from the request: a request's Host
header is the sender's to choose, and a reset link pointing at it would hand the
token to whoever chose it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from coalition.text import single_line

#: (file name, content type with its parameters, content): a calendar file, say
#: ("meeting.ics", "text/calendar; method=REQUEST; charset=utf-8", b"BEGIN:VCALENDAR…").
Attachment = tuple[str, str, bytes]


def queue(
    to: str, subject: str, body: str, *, attachments: Sequence[Attachment] | None = None
) -> None:
    """Queue this message in the current transaction (sent by the worker once committed)."""
    from coalition.outbox.services import enqueue

    # A header cannot hold a line break: whatever a title or name slipped into the
    # subject, the message can still be sent (and the act that caused it succeeds).
    enqueue(to, single_line(subject), body, attachments=attachments)


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of *endpoint* under PUBLIC_URL, whatever the request says."""
    return external_url_builder(endpoint)(**values)


def external_url_builder(endpoint: str) -> Callable[..., str]:
    """external_url for many values of one endpoint (a feed's thousand meetings): the
    URL map is bound once."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme
    )
    return lambda **values: adapter.build(endpoint, values, force_external=True)


def absolute_url(path: str) -> str:
    """A path on this site (e.g. "/participants/GHA") as an absolute URL under PUBLIC_URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/" + path.lstrip("/")
