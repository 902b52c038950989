"""Every membership transition is allowed to its actor only; refused actors change nothing.

Actors: anonymous, a plain user (represents no one), the delegate of another state (DEU),
the member's own delegate (FRA), a co-chair's delegate (GHA) and staff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from coalition.bodies import memberships
from coalition.bodies.models import Membership, MembershipStatus
from coalition.bodies.queries import open_membership
from coalition.errors import NotAllowed
from coalition.extensions import db
from tests.initiatives import rules_support
from tests.initiatives.rules_support import ROLES, event_count, events_for, membership_state

world = rules_support.world  # fixture


@dataclass(frozen=True)
class Transition:
    start: str  # pending | invited | active
    act: Callable
    allowed: frozenset[str]
    new: MembershipStatus
    action: str


TRANSITIONS = {
    "approve": Transition(
        "pending",
        lambda m, a: memberships.approve(m, actor=a),
        frozenset({"co_chair", "staff"}),
        MembershipStatus.ACTIVE,
        "membership.approve",
    ),
    "decline": Transition(
        "pending",
        lambda m, a: memberships.decline(m, actor=a, reason="No"),
        frozenset({"co_chair", "staff"}),
        MembershipStatus.DECLINED,
        "membership.decline",
    ),
    "cancel_request": Transition(
        "pending",
        lambda m, a: memberships.cancel_request(m, actor=a),
        frozenset({"member"}),
        MembershipStatus.CANCELLED,
        "membership.cancel",
    ),
    "accept_invitation": Transition(
        "invited",
        lambda m, a: memberships.accept_invitation(m, actor=a),
        frozenset({"member"}),
        MembershipStatus.ACTIVE,
        "membership.accept",
    ),
    "decline_invitation": Transition(
        "invited",
        lambda m, a: memberships.decline_invitation(m, actor=a),
        frozenset({"member"}),
        MembershipStatus.DECLINED,
        "membership.decline_invitation",
    ),
    "revoke_invitation": Transition(
        "invited",
        lambda m, a: memberships.revoke_invitation(m, actor=a),
        frozenset({"co_chair", "staff"}),
        MembershipStatus.REVOKED,
        "membership.revoke",
    ),
    "withdraw": Transition(
        "active",
        lambda m, a: memberships.withdraw(m, actor=a),
        frozenset({"member"}),
        MembershipStatus.WITHDRAWN,
        "membership.withdraw",
    ),
    "remove": Transition(
        "active",
        lambda m, a: memberships.remove(m, actor=a, reason="Rules"),
        frozenset({"staff"}),
        MembershipStatus.REMOVED,
        "membership.remove",
    ),
}


def _fra_membership(world, start: str) -> Membership:
    if start == "active":
        initiative = world.initiative(policy="open")
        return memberships.join(initiative, actor=world.member)
    initiative = world.initiative(policy="approval")
    if start == "pending":
        return memberships.join(initiative, actor=world.member)
    return memberships.invite(initiative, world.fra, actor=world.co_chair)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_membership_transition_matrix(world, name, role):
    transition = TRANSITIONS[name]
    membership = _fra_membership(world, transition.start)
    body = membership.body
    before_state = membership_state(membership.id)
    db.session.refresh(body)
    count_before = body.active_count
    events_before = event_count()

    if role in transition.allowed:
        transition.act(membership, world.actor(role))
        assert membership_state(membership.id)[0] is transition.new
        new_events = events_for("membership", membership.id)[-1:]
        assert event_count() == events_before + 1
        (event,) = new_events
        assert event.action == transition.action
        assert event.is_public is True
        assert event.body_id == body.id
        assert event.participant_id == world.fra.id
        assert event.before == {"status": transition.start}
        assert event.after["status"] == transition.new.value
    else:
        with pytest.raises(NotAllowed):
            transition.act(membership, world.actor(role))
        assert membership_state(membership.id) == before_state
        assert event_count() == events_before
        db.session.refresh(body)
        assert body.active_count == count_before


CREATIONS = {
    "invite": (
        lambda w, body, a: memberships.invite(body, w.fra, actor=a),
        frozenset({"co_chair", "staff"}),
        MembershipStatus.INVITED,
        "membership.invite",
    ),
    "add_member": (
        lambda w, body, a: memberships.add_member(body, w.fra, actor=a),
        frozenset({"staff"}),
        MembershipStatus.ACTIVE,
        "membership.add",
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(CREATIONS))
def test_naming_another_participant_is_for_co_chairs_and_staff_only(world, name, role):
    act, allowed, status, action = CREATIONS[name]
    initiative = world.initiative(policy="invitation")
    events_before = event_count()
    if role in allowed:
        membership = act(world, initiative, world.actor(role))
        assert membership.status is status
        assert [e.action for e in events_for("membership", membership.id)] == [action]
        assert event_count() == events_before + 1
    else:
        with pytest.raises(NotAllowed):
            act(world, initiative, world.actor(role))
        assert open_membership(initiative, world.fra) is None
        assert event_count() == events_before


@pytest.mark.parametrize("role", ["member", "other", "org_user"])
def test_any_delegate_joins_for_its_own_participant_only(world, role):
    initiative = world.initiative(policy="open")
    membership = memberships.join(initiative, actor=world.actor(role))
    from coalition import permissions

    assert membership.participant_id == permissions.acting_participant(world.actor(role)).id
    # Exactly one new membership in this body, none elsewhere.
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(Membership.body_id == initiative.id)
        )
        == 2
    )
