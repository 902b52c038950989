"""Recording audit events. Every service that changes state calls record()."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from coalition.audit import paging
from coalition.audit.models import AuditEvent
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.bodies.models import Body
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


def event_conditions(
    *,
    actor_email: str | None = None,
    participant_code: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    occurred_from: datetime | None = None,
    occurred_before: datetime | None = None,
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of every filter given but the action (coalition.audit.paging
    handles that one). Each compares a column to one value, so that the filter's index,
    which ends in (occurred_at, id), also gives the order: an IN over a subquery would
    make the database gather every match and sort them."""
    from coalition.accounts.models import User
    from coalition.participants.models import Participant

    where: list[sa.ColumnElement[bool]] = []
    if actor_email:
        # E-mail addresses are unique: one id or none.
        where.append(
            AuditEvent.actor_id
            == sa.select(User.id).where(User.email == actor_email.strip().lower()).scalar_subquery()
        )
    if participant_code:
        # Codes are unique as written; compared without case, more than one could match
        # (a state's GHA, an organization's gha): their ids are read first.
        ids = list(
            db.session.scalars(
                sa.select(Participant.id).where(
                    sa.func.lower(Participant.code) == participant_code.strip().lower()
                )
            )
        )
        if len(ids) == 1:
            where.append(AuditEvent.participant_id == ids[0])
        else:
            where.append(AuditEvent.participant_id.in_(ids))
    if object_type:
        where.append(AuditEvent.object_type == object_type.strip())
    if object_id is not None:
        where.append(AuditEvent.object_id == object_id)
    if occurred_from is not None:
        where.append(AuditEvent.occurred_at >= occurred_from)
    if occurred_before is not None:
        where.append(AuditEvent.occurred_at < occurred_before)
    return where


def events_query(*, action: str | None = None, **filters: Any) -> sa.Select:
    """Audit events matching every filter given, newest first, actor and participant loaded.

    *action* matches that action or, given a prefix such as "alliance", every action
    under it ("alliance.endorse", "alliance.withdraw"). Long lists page with
    coalition.audit.paging instead (keyset pages, a bounded count).
    """
    stmt = sa.select(AuditEvent).options(
        joinedload(AuditEvent.actor), joinedload(AuditEvent.participant)
    )
    if action:
        action = action.strip()
        stmt = stmt.where(
            sa.or_(AuditEvent.action == action, AuditEvent.action.startswith(action + "."))
        )
    stmt = stmt.where(*event_conditions(**filters))
    return stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def events_page(
    *,
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    offset: int = 0,
    action: str | None = None,
    **filters: Any,
) -> paging.KeysetPage:
    """A keyset page of the log (coalition.audit.paging) with the filters of events_query."""
    actions = paging.matching_actions(action) if action and action.strip() else None
    return paging.keyset_page(
        event_conditions(**filters),
        actions=actions,
        per_page=per_page,
        after=after,
        before=before,
        offset=offset,
    )
