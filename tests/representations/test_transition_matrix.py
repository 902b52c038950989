"""Every status change of a representation, by every kind of actor, through the services.

The right actor moves the representation and writes one audit event; every other actor
is refused (NotAllowed), and the representation, the audit log and the person's
notifications stay exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from coalition.accounts.models import User
from coalition.audit.models import AuditEvent
from coalition.errors import NotAllowed
from coalition.extensions import db
from coalition.representations import services
from coalition.representations.models import Representation, RepresentationStatus
from tests.conftest import notification_kinds, state
from tests.representations.conftest import representations_of

ACTORS = [
    "anonymous",
    "plain",
    "self",
    "delegate_same",
    "focal_point_same",
    "focal_point_other",
    "staff",
    "admin",
    "disabled_staff",
]

#: transition: (the state it starts from, the call, the state it leads to, who may)
TRANSITIONS: dict[str, tuple[str | None, Callable[..., Any], RepresentationStatus, set[str]]] = {
    "verify": (
        "pending",
        lambda rep, person, actor: services.verify_representation(rep, actor=actor),
        RepresentationStatus.VERIFIED,
        {"staff", "admin"},
    ),
    "reject": (
        "pending",
        lambda rep, person, actor: services.reject_representation(
            rep, actor=actor, reason="Unknown to the mission."
        ),
        RepresentationStatus.REJECTED,
        {"staff", "admin"},
    ),
    "withdraw": (
        "pending",
        lambda rep, person, actor: services.withdraw_claim(rep, actor=actor),
        RepresentationStatus.ENDED,
        {"self"},
    ),
    "end": (
        "verified",
        lambda rep, person, actor: services.end_representation(
            rep, actor=actor, reason="Rotated home."
        ),
        RepresentationStatus.ENDED,
        {"staff", "admin", "self", "focal_point_same"},
    ),
    "grant": (
        None,
        lambda rep, person, actor: services.grant_representation(person, state("GHA"), actor=actor),
        RepresentationStatus.VERIFIED,
        {"staff", "admin"},
    ),
}


def attached(user: User) -> User:
    return db.session.get(User, user.id)


def make_actor(make_user: Callable[..., User], who: str, person: User) -> Any:
    if who == "anonymous":
        return AnonymousUserMixin()
    if who == "self":
        return person
    if who == "disabled_staff":
        user = attached(make_user(staff=True))
        user.is_enabled = False
        db.session.flush()
        return user
    kwargs = {
        "plain": {},
        "delegate_same": {"represent": "GHA"},
        "focal_point_same": {"represent": "GHA", "focal_point": True},
        "focal_point_other": {"represent": "SEN", "focal_point": True},
        "staff": {"staff": True},
        "admin": {"admin": True},
    }[who]
    return attached(make_user(**kwargs))


def person_in(start: str | None, make_user: Callable[..., User]) -> User:
    """The person the representation is about, with it in state *start* (or none)."""
    if start == "verified":
        return attached(make_user(represent="GHA"))
    person = attached(make_user())
    if start == "pending":
        services.claim_representation(person, state("GHA"), role="delegate")
    return person


def events_about(person: User) -> list[tuple[int, str]]:
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(AuditEvent.object_id, AuditEvent.action)
            .join(Representation, Representation.id == AuditEvent.object_id)
            .where(AuditEvent.object_type == "representation", Representation.user_id == person.id)
            .order_by(AuditEvent.id)
        )
    ]


def snapshot(person: User) -> list[tuple]:
    return [
        (r.id, r.status, r.role, r.reason, r.decided_at, r.ended_at)
        for r in representations_of(person)
    ]


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("transition", list(TRANSITIONS))
def test_each_change_is_made_by_the_right_actor_only(app_ctx, make_user, transition, who):
    start, call, result, allowed = TRANSITIONS[transition]
    person = person_in(start, make_user)
    actor = make_actor(make_user, who, person)
    rep = representations_of(person)[0] if start else None
    before = (snapshot(person), events_about(person), notification_kinds(person))

    if who in allowed:
        changed = call(rep, person, actor)

        assert changed.status is result
        assert events_about(person)[len(before[1]) :] == [
            (changed.id, f"representation.{transition}")
        ]
    else:
        with pytest.raises(NotAllowed):
            call(rep, person, actor)

        db.session.expire_all()
        assert (snapshot(person), events_about(person), notification_kinds(person)) == before
