"""Domain errors raised by services; views show them as messages, the API as problem+json."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule refused the request. `message` is a (lazily) translated sentence for people."""

    status = 409
    title = "Conflict"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        #: The input field the message is about, when there is one.
        self.field = field


class NotAllowed(DomainError):
    """The actor may not do this (HTTP 403)."""

    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not Found"


class Conflict(DomainError):
    """The request contradicts the current state: already a member, seat limit reached…"""

    status = 409
    title = "Conflict"


class InvalidValue(DomainError):
    """A value is not acceptable (HTTP 422), usually about one field."""

    status = 422
    title = "Unprocessable Entity"
