"""Domain errors raised by services; views show them as messages, the API as problem+json."""

from __future__ import annotations

from dataclasses import dataclass
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


class InvalidValues(InvalidValue):
    """Several values are not acceptable: `errors` maps each field to its messages (the
    first is also the error's own field and message)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=field)
        self.errors = errors


class FieldChecks:
    """Runs several checks and gathers every InvalidValue they raise, so that a form or
    an API answer names all the fields at fault at once:

        checks = FieldChecks()
        days = checks.run(check_days, value)
        checks.raise_errors()
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def run(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        """check(*args, **kwargs), or None after noting the InvalidValue it raised."""
        try:
            return check(*args, **kwargs)
        except InvalidValues as error:
            for field, messages in error.errors.items():
                self.errors.setdefault(field, []).extend(messages)
        except InvalidValue as error:
            self.errors.setdefault(error.field or "", []).append(str(error.message))
        return None

    def add(self, field: str, message: Any) -> None:
        """Note a refusal about *field* found without a check that raises."""
        self.errors.setdefault(field, []).append(str(message))

    def raise_errors(self) -> None:
        if self.errors:
            raise InvalidValues(self.errors)


@dataclass(frozen=True)
class Refusal:
    """Why an actor may not do something now.

    Rules return one (or None when the act is allowed): templates show its message
    where the button would be, services raise it, so both say the same thing.
    """

    message: Any
    error: type[DomainError] = NotAllowed
    field: str | None = None

    def __str__(self) -> str:
        return str(self.message)

    def exception(self) -> DomainError:
        return self.error(self.message, field=self.field)


def refuse(refusal: Refusal | None) -> None:
    """Raise the refusal's domain error, if there is one."""
    if refusal is not None:
        raise refusal.exception()
