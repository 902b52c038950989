"""Recording audit events. Every service that changes state calls record()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coalition.audit.models import AuditEvent
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.initiatives.models import Body
    from coalition.participants.models import Participant


def record(
    action: str,
    *,
    object_type: str,
    object_id: int | None,
    object_label: str | None = None,
    actor: User | None,
    participant: Participant | None = None,
    body: Body | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    public: bool = False,
) -> AuditEvent:
    """Append one event to the log (in the caller's transaction; never committed here)."""
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        actor_id=actor.id if actor is not None else None,
        participant_id=participant.id if participant is not None else None,
        body_id=body.id if body is not None else None,
        before=_jsonable(before),
        after=_jsonable(after),
        is_public=public,
    )
    db.session.add(event)
    return event


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        elif isinstance(value, str | int | float | bool | type(None)):
            out[key] = value
        else:
            out[key] = str(value)
    return out
