"""Creating and editing a body's page, for every kind: its address (slug), seat limit,
dates, and applying a set of changes — with the one rule that a seat limit is never set
below the members the body already has."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError

from coalition import limits
from coalition.bodies.models import Body
from coalition.errors import Conflict, InvalidValue
from coalition.extensions import db

SLUG_RE = re.compile(limits.SLUG_PATTERN)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[: limits.SLUG_MAX].rstrip("-")


def _slug_taken(slug: str, reserved: Iterable[str]) -> bool:
    return (
        slug in reserved
        or db.session.scalar(sa.select(Body.id).where(Body.slug == slug)) is not None
    )


def slug_taken_error() -> Conflict:
    return Conflict(_("This address is already taken; choose another."), field="slug")


def choose_slug(title: str, slug: str | None, *, reserved: frozenset[str], fallback: str) -> str:
    """The slug asked for (checked: form, reserved words, free), or one made from the
    title, numbered until free. Slugs are unique across every kind of body."""
    if slug is not None and slug.strip():
        slug = slug.strip()
        if len(slug) > limits.SLUG_MAX or not SLUG_RE.match(slug):
            raise InvalidValue(
                _(
                    "Use lower-case letters, digits and hyphens only (at most %(n)s).",
                    n=limits.SLUG_MAX,
                ),
                field="slug",
            )
        if slug in reserved:
            # Taken by a page of the site (/initiatives/new…): a conflict, as any taken one.
            raise Conflict(_("This address is reserved; choose another."), field="slug")
        if _slug_taken(slug, reserved):
            raise slug_taken_error()
        return slug
    base = slugify(title) or fallback
    candidate, n = base, 2
    while _slug_taken(candidate, reserved):
        suffix = f"-{n}"
        candidate = base[: limits.SLUG_MAX - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def clean_seat_limit(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidValue(_("Give a whole number of seats, or none."), field="seat_limit")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidValue(
            _("Give a whole number of seats, or none."), field="seat_limit"
        ) from None
    if number < 1:
        raise InvalidValue(_("A seat limit is at least 1."), field="seat_limit")
    if number > limits.SEAT_LIMIT_MAX:
        raise InvalidValue(_("At most %(n)s seats.", n=limits.SEAT_LIMIT_MAX), field="seat_limit")
    return number


def clean_date(value: Any, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidValue(_("Give a date as YYYY-MM-DD."), field=field) from None


def apply_changes(body: Body, cleaned: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the cleaned values that differ; returns (before, after) of what changed.

    A seat limit below the active members is refused with their number, also when
    members joined meanwhile (the CHECK active_count <= seat_limit refuses the row)."""
    db.session.refresh(body, ["active_count"])

    # A valid number that the members active now rule out: a conflict with the current
    # state (409), not an invalid value.
    def too_low() -> Conflict:
        return Conflict(
            _(
                "%(n)s participants are active members now: the seat limit cannot be lower.",
                n=body.active_count,
            ),
            field="seat_limit",
        )

    if cleaned.get("seat_limit") is not None and cleaned["seat_limit"] < body.active_count:
        raise too_low()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in cleaned.items():
        current = getattr(body, name)
        if current != value:
            before[name] = current
            after[name] = value
            setattr(body, name, value)
    if not after:
        return before, after
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        db.session.refresh(body)
        raise too_low() from None
    return before, after


def short(values: dict[str, Any]) -> dict[str, Any]:
    """Long Markdown texts are logged cut short, not copied into every event."""
    return {
        key: value[:200] + "…" if isinstance(value, str) and len(value) > 200 else value
        for key, value in values.items()
    }
