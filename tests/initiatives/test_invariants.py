"""The design's invariants 1, 2, 5 and 6, each checked on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition import permissions
from coalition.audit.models import AuditEvent
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import Body, CoChair, Membership, MembershipRole, MembershipStatus
from coalition.bodies.queries import co_chairs_of, open_membership
from coalition.db import utcnow
from coalition.errors import DomainError
from coalition.extensions import db
from tests.initiatives import rules_support
from tests.initiatives.rules_support import endorse

world = rules_support.world  # fixture

# -- invariant 1: no automatic enrolment -----------------------------------------------------------


def _snapshot() -> dict[int, set[tuple]]:
    rows = db.session.execute(
        sa.select(
            Membership.body_id,
            Membership.id,
            Membership.participant_id,
            Membership.status,
        )
    )
    out: dict[int, set[tuple]] = {}
    for body_id, *rest in rows:
        out.setdefault(body_id, set()).add(tuple(rest))
    return out


def test_endorsing_the_alliance_enrols_in_nothing(world):
    initiative = world.initiative()
    before = _snapshot()
    endorse(world.fra)
    endorse(world.deu)
    assert _snapshot() == before
    assert open_membership(initiative, world.fra) is None


def test_joining_one_initiative_never_touches_another(world):
    a = world.initiative(title="A", policy="open")
    b = world.initiative(title="B", policy="open")
    b_before = _snapshot()[b.id]
    memberships.join(a, actor=world.member)
    assert _snapshot()[b.id] == b_before
    assert open_membership(b, world.fra) is None


ACTIONS = ["join", "withdraw", "cancel", "invite", "accept", "decline_invitation", "approve"]


def _act(world, kind: str, body: Body, role: str) -> None:
    actor = world.actor(role)
    participant = permissions.acting_participant(actor)
    own = open_membership(body, participant)
    if kind == "join":
        memberships.join(body, actor=actor)
    elif kind == "invite":
        memberships.invite(body, participant, actor=world.co_chair)
    elif own is None:
        return
    elif kind == "withdraw":
        memberships.withdraw(own, actor=actor)
    elif kind == "cancel":
        memberships.cancel_request(own, actor=actor)
    elif kind == "accept":
        memberships.accept_invitation(own, actor=actor)
    elif kind == "decline_invitation":
        memberships.decline_invitation(own, actor=actor)
    elif kind == "approve":
        memberships.approve(own, actor=world.co_chair)


def test_no_act_on_one_body_changes_the_memberships_of_another(world):
    """Invariant 1 as a property: over random sequences of acts on three initiatives,
    each act changes only its own body's memberships, only for the participant named,
    and every membership that exists was created by an act on that very body."""
    bodies = [
        world.initiative(title="Open one", policy="open"),
        world.initiative(title="Approval one", policy="approval"),
        world.initiative(title="Invitation one", policy="invitation", seat_limit=2),
    ]
    roles = ["member", "other", "org_user"]

    @settings(max_examples=30, deadline=None, database=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(ACTIONS),
                st.integers(min_value=0, max_value=len(bodies) - 1),
                st.sampled_from(roles),
            ),
            max_size=12,
        )
    )
    def run(steps):
        savepoint = db.session.begin_nested()
        permissions.forget_co_chairs()
        touched: set[tuple[int, int]] = set()
        try:
            for kind, index, role in steps:
                body = bodies[index]
                participant = permissions.acting_participant(world.actor(role))
                before = _snapshot()
                with contextlib.suppress(DomainError):
                    _act(world, kind, body, role)
                touched.add((body.id, participant.id))
                after = _snapshot()
                for body_id in set(before) | set(after):
                    old, new = before.get(body_id, set()), after.get(body_id, set())
                    if body_id != body.id:
                        assert old == new, f"{kind} on {body.slug} changed body {body_id}"
                    else:
                        assert {row[1] for row in old ^ new} <= {participant.id}
            for body_id, rows in _snapshot().items():
                for _id, participant_id, _status in rows:
                    if participant_id != world.gha.id:  # the proposer, by proposing
                        assert (body_id, participant_id) in touched
            for body in bodies:
                db.session.refresh(body)
                active = db.session.scalar(
                    sa.select(sa.func.count(Membership.id)).where(
                        Membership.body_id == body.id,
                        Membership.status == MembershipStatus.ACTIVE,
                    )
                )
                assert body.active_count == active
                assert body.seat_limit is None or active <= body.seat_limit
        finally:
            savepoint.rollback()
            permissions.forget_co_chairs()

    run()


# -- invariant 2: one open membership per body and participant, in the database --------------------


def _raw_membership(body_id: int, participant_id: int, status: str, **extra) -> None:
    values = {
        "body_id": body_id,
        "participant_id": participant_id,
        "role": MembershipRole.MEMBER,
        "status": MembershipStatus(status),
        "created_at": utcnow(),
        **extra,
    }
    if status == "active":
        values["since"] = utcnow()
    db.session.execute(sa.insert(Membership).values(**values))


@pytest.mark.parametrize("second", ["pending", "invited", "active"])
def test_the_database_refuses_a_second_open_membership(world, second):
    initiative = world.initiative(policy="approval")
    _raw_membership(initiative.id, world.fra.id, "pending")
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        _raw_membership(initiative.id, world.fra.id, second)
    count = db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.body_id == initiative.id, Membership.participant_id == world.fra.id
        )
    )
    assert count == 1


def test_closed_memberships_do_not_block_a_new_open_one(world):
    initiative = world.initiative()
    _raw_membership(initiative.id, world.fra.id, "withdrawn", ended_at=utcnow())
    _raw_membership(initiative.id, world.fra.id, "declined", ended_at=utcnow())
    _raw_membership(initiative.id, world.fra.id, "pending")
    assert open_membership(initiative, world.fra).status is MembershipStatus.PENDING


def test_the_database_refuses_more_active_members_than_seats(world):
    initiative = world.initiative(seat_limit=1)  # the proposer holds the only seat
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(
            sa.update(Body)
            .where(Body.id == initiative.id)
            .values(active_count=Body.active_count + 1)
        )


# -- invariant 5: co-chairs are active state members; one remains --------------------------------


def test_the_database_refuses_two_current_co_chair_rows_for_one_participant(world):
    initiative = world.initiative()
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(
            sa.insert(CoChair).values(
                body_id=initiative.id, participant_id=world.gha.id, started_at=utcnow()
            )
        )


def test_co_chairs_stay_active_state_members_whatever_the_order_of_acts(world):
    initiative = world.initiative()
    fra = memberships.join(initiative, actor=world.member)
    memberships.join(initiative, actor=world.org_user)
    co_chairs.assign_co_chair(initiative, world.fra, actor=world.staff)
    for act in (
        lambda: co_chairs.assign_co_chair(initiative, world.org, actor=world.staff),
        lambda: memberships.withdraw(fra, actor=world.member),
        lambda: co_chairs.end_co_chair(initiative, world.fra, actor=world.staff),
        lambda: co_chairs.end_co_chair(initiative, world.gha, actor=world.staff),
    ):
        with contextlib.suppress(DomainError):
            act()
        current = co_chairs_of(initiative)
        assert current, "an active initiative keeps a co-chair"
        for co_chair in current:
            membership = open_membership(initiative, co_chair.participant)
            assert co_chair.participant.is_state
            assert membership is not None
            assert membership.status is MembershipStatus.ACTIVE


# -- invariant 6: history is append-only, in the database ------------------------------------------


def test_the_database_refuses_to_delete_a_membership(world):
    initiative = world.initiative()
    membership = memberships.join(initiative, actor=world.member)
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(sa.delete(Membership).where(Membership.id == membership.id))
    assert db.session.get(Membership, membership.id) is not None


def test_the_database_refuses_to_reopen_a_closed_membership(world):
    initiative = world.initiative()
    membership = memberships.join(initiative, actor=world.member)
    memberships.withdraw(membership, actor=world.member)
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(
            sa.update(Membership)
            .where(Membership.id == membership.id)
            .values(status=MembershipStatus.ACTIVE, ended_at=None, since=utcnow())
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(membership)
    assert membership.status is MembershipStatus.WITHDRAWN


def test_the_database_refuses_to_rewrite_a_closed_memberships_reason(world):
    initiative = world.initiative()
    membership = memberships.join(initiative, actor=world.member)
    memberships.remove(membership, actor=world.staff, reason="Original reason")
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(
            sa.update(Membership)
            .where(Membership.id == membership.id)
            .values(reason="Rewritten")
            .execution_options(synchronize_session=False)
        )


def test_the_database_refuses_to_delete_or_rewrite_audit_events(world):
    initiative = world.initiative()
    event_id = db.session.scalar(
        sa.select(AuditEvent.id)
        .where(AuditEvent.body_id == initiative.id)
        .order_by(AuditEvent.id)
        .limit(1)
    )
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == event_id))
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(
            sa.update(AuditEvent).where(AuditEvent.id == event_id).values(action="forged")
        )
    assert db.session.get(AuditEvent, event_id).action == "initiative.propose"


def test_the_database_refuses_to_delete_a_co_chair_row(world):
    initiative = world.initiative()
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(sa.delete(CoChair).where(CoChair.body_id == initiative.id))
