"""Assigning and ending co-chair roles (staff). A co-chair is an active state member;
a body whose kind requires it keeps at least one co-chair."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _

from coalition import permissions
from coalition.audit.services import record
from coalition.bodies import rules
from coalition.bodies.machine import lock_body
from coalition.bodies.models import Body, CoChair
from coalition.bodies.queries import co_chairs_of
from coalition.db import flush_or, utcnow
from coalition.errors import Conflict, refuse
from coalition.extensions import db
from coalition.labels import participant_name

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant


def start_co_chair_row(body: Body, participant: Participant, actor: User) -> CoChair:
    """Insert the co-chair row and its event (the rules were checked by the caller)."""
    co_chair = CoChair(
        body_id=body.id, participant_id=participant.id, started_at=utcnow(), assigned_by_id=actor.id
    )
    db.session.add(co_chair)
    flush_or(
        Conflict(
            _("%(participant)s is already a co-chair.", participant=participant_name(participant))
        )
    )
    co_chair.participant = participant
    _record("co_chair.assign", co_chair, body, participant, actor)
    permissions.forget_co_chairs()
    return co_chair


def end_co_chair_row(co_chair: CoChair, body: Body, participant: Participant, actor: User) -> None:
    co_chair.ended_at = max(utcnow(), co_chair.started_at)
    co_chair.ended_by_id = actor.id
    db.session.flush()
    _record("co_chair.end", co_chair, body, participant, actor)
    permissions.forget_co_chairs()


def assign_co_chair(body: Body, participant: Participant, *, actor: User) -> CoChair:
    """Staff make an active state member a co-chair."""
    refuse(rules.assign_co_chair_refusal(actor, body, participant))
    lock_body(body)
    permissions.forget_co_chairs()
    refuse(rules.assign_co_chair_refusal(actor, body, participant))
    return start_co_chair_row(body, participant, actor)


def end_co_chair(body: Body, participant: Participant, *, actor: User) -> CoChair:
    """Staff end a co-chair role; a body that must keep a co-chair keeps at least one."""
    refuse(rules.end_co_chair_refusal(actor, body, participant))
    lock_body(body)
    current = co_chairs_of(body)
    co_chair = next((c for c in current if c.participant_id == participant.id), None)
    if co_chair is None:
        permissions.forget_co_chairs()
        refuse(rules.end_co_chair_refusal(actor, body, participant))
    if body.must_keep_a_co_chair and len(current) <= 1:
        refuse(rules.last_co_chair())
    end_co_chair_row(co_chair, body, participant, actor)
    return co_chair


def _record(
    action: str, co_chair: CoChair, body: Body, participant: Participant, actor: User
) -> None:
    record(
        action,
        object_type="co_chair",
        object_id=co_chair.id,
        object_label=participant.name,
        actor=actor,
        participant=participant,
        body=body,
        before={"co_chair": action != "co_chair.assign"},
        after={"co_chair": action == "co_chair.assign"},
        public=True,
    )
