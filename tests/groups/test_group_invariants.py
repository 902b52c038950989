"""Invariant 4 — members of an initiative's group are active members of the initiative;
leaving the initiative closes the group memberships, recorded — and the seat limit and
append-only history along the way, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition import permissions
from coalition.audit.models import AuditEvent
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import Membership, MembershipStatus
from coalition.bodies.queries import co_chairs_of, open_membership
from coalition.bodies.terms import today
from coalition.errors import DomainError
from coalition.extensions import db
from coalition.groups import bulk
from coalition.groups.queries import groups_without_co_chair
from coalition.notifications.models import Notification
from tests.conftest import state
from tests.initiatives.rules_support import events_for

# -- the cascade, step by step ---------------------------------------------------------------


def test_withdrawing_from_the_initiative_closes_its_group_memberships_recorded(gw):
    group_membership = gw.add("FRA")
    other_group = gw.alliance
    alliance_membership = gw.add("FRA", other_group)
    initiative_membership = open_membership(gw.initiative, gw.fra)

    memberships.withdraw(initiative_membership, actor=gw.member)

    db.session.refresh(group_membership)
    assert group_membership.status is MembershipStatus.WITHDRAWN
    assert group_membership.ended_at == initiative_membership.ended_at or (
        group_membership.ended_at >= initiative_membership.ended_at
    )
    assert "withdrew from the initiative Information and democracy" in group_membership.reason
    [event] = [
        e for e in events_for("membership", group_membership.id) if e.action != "membership.add"
    ]
    assert event.action == "membership.leave_with_initiative"
    assert (event.before, event.after["status"]) == ({"status": "active"}, "withdrawn")
    assert event.body_id == gw.group.id
    # An Alliance-level body does not depend on the initiative.
    assert gw.member_of(other_group, "FRA") is not None
    assert alliance_membership.status is MembershipStatus.ACTIVE
    notices = db.session.scalars(
        sa.select(Notification.kind).where(Notification.user_id == gw.member.id)
    ).all()
    assert "membership.left_with_initiative" in notices


def test_removal_from_the_initiative_closes_group_memberships_with_its_reason(gw):
    group_membership = gw.add("FRA")
    memberships.remove(
        open_membership(gw.initiative, gw.fra), actor=gw.staff, reason="Did not pay its dues"
    )
    db.session.refresh(group_membership)
    assert group_membership.status is MembershipStatus.REMOVED
    assert group_membership.reason.endswith("Did not pay its dues")
    db.session.refresh(gw.group)
    assert gw.group.active_count == 1


def test_a_group_co_chair_leaving_the_initiative_stops_co_chairing_and_the_group_is_flagged(gw):
    ita_in_initiative = open_membership(gw.initiative, gw.ita)
    memberships.withdraw(ita_in_initiative, actor=gw.group_chair)

    assert co_chairs_of(gw.group) == []
    assert gw.member_of(gw.group, "ITA") is None
    [ended] = [e for e in events_for("co_chair", e_id(gw)) if e.action == "co_chair.end"]
    assert ended.body_id == gw.group.id
    flagged = db.session.scalars(groups_without_co_chair()).all()
    assert gw.group in flagged


def e_id(gw) -> int:
    return db.session.scalar(
        sa.select(AuditEvent.object_id).where(
            AuditEvent.action == "co_chair.assign", AuditEvent.body_id == gw.group.id
        )
    )


def test_an_initiative_co_chair_still_cannot_withdraw_before_handing_over(gw):
    gw.add("GHA")
    with contextlib.suppress(DomainError):
        memberships.withdraw(open_membership(gw.initiative, gw.gha), actor=gw.co_chair)
    assert gw.member_of(gw.initiative, "GHA") is not None
    assert gw.member_of(gw.group, "GHA") is not None


def test_a_term_ended_in_the_initiative_also_closes_the_group_membership(gw):
    from datetime import timedelta

    from coalition.bodies import terms

    gw.add("FRA")
    initiative_membership = open_membership(gw.initiative, gw.fra)
    terms.renew_term(initiative_membership, today() + timedelta(days=5), actor=gw.staff)
    terms.end_term(initiative_membership, actor=gw.staff)
    assert gw.member_of(gw.group, "FRA") is None


# -- the invariant, over random sequences -----------------------------------------------------

CODES = ["FRA", "DEU", "ESP", "icnl"]
STEPS = ["join", "withdraw", "remove", "add", "group_remove", "bulk_add", "bulk_remove"]


def _check(gw) -> None:
    """Invariant 4, the seat limit and the active count, as the database holds them."""
    db.session.expire_all()
    in_initiative = set(
        db.session.scalars(
            sa.select(Membership.participant_id).where(
                Membership.body_id == gw.initiative.id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )
    open_in_group = db.session.execute(
        sa.select(Membership.participant_id, Membership.status).where(
            Membership.body_id == gw.group.id,
            Membership.status.in_(["pending", "invited", "active"]),
        )
    ).all()
    for participant_id, _status in open_in_group:
        assert participant_id in in_initiative, "a group member left the initiative"
    active = sum(1 for _p, status in open_in_group if status is MembershipStatus.ACTIVE)
    db.session.refresh(gw.group)
    assert gw.group.active_count == active
    assert active <= gw.group.seat_limit
    for co_chair in co_chairs_of(gw.group):
        assert co_chair.participant_id in {p for p, _s in open_in_group}


def _step(gw, kind: str, codes: list[str]) -> None:
    code = codes[0]
    participant = gw.org if code == "icnl" else state(code)
    own = open_membership(gw.initiative, participant)
    in_group = open_membership(gw.group, participant)
    if kind == "join":
        gw.join(code)
    elif kind == "withdraw" and own is not None:
        memberships.withdraw(own, actor=gw.delegate(code))
    elif kind == "remove" and own is not None:
        memberships.remove(own, actor=gw.staff, reason="Random removal")
    elif kind == "add":
        memberships.add_member(gw.group, participant, actor=gw.group_chair)
    elif kind == "group_remove" and in_group is not None:
        memberships.remove(in_group, actor=gw.staff, reason="Rotation")
    elif kind == "bulk_add":
        bulk.bulk_change(gw.group, add=codes, dry_run=False, actor=gw.staff)
    elif kind == "bulk_remove":
        bulk.bulk_change(gw.group, remove=codes, dry_run=False, actor=gw.group_chair)


def test_group_members_are_always_active_members_of_the_initiative(gw):
    """After every step of random joins, withdrawals, removals, group additions and bulk
    changes, every open group membership belongs to an active member of the initiative,
    the seat limit holds, and no membership or audit row disappears."""
    from coalition.groups import services

    services.edit_group(gw.group, actor=gw.staff, seat_limit=3)

    @settings(max_examples=25, deadline=None, database=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(STEPS),
                st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True),
            ),
            max_size=10,
        )
    )
    def run(steps):
        savepoint = db.session.begin_nested()
        permissions.forget_co_chairs()
        try:
            rows = db.session.scalar(sa.select(sa.func.count(Membership.id)))
            events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
            for kind, codes in steps:
                with contextlib.suppress(DomainError):
                    _step(gw, kind, codes)
                _check(gw)
                now_rows = db.session.scalar(sa.select(sa.func.count(Membership.id)))
                now_events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
                assert now_rows >= rows
                assert now_events >= events
                rows, events = now_rows, now_events
        finally:
            savepoint.rollback()
            permissions.forget_co_chairs()

    run()


def test_a_bulk_change_refused_on_one_row_changes_nothing(gw):
    before = (
        db.session.scalar(sa.select(sa.func.count(Membership.id))),
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )
    result = bulk.bulk_change(gw.group, add=["FRA", "DEU"], dry_run=False, actor=gw.staff)
    assert not result.applied
    assert [(r.code, r.outcome.value) for r in result.rows] == [
        ("FRA", "added"),
        ("DEU", "not_initiative_member"),
    ]
    after = (
        db.session.scalar(sa.select(sa.func.count(Membership.id))),
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )
    assert after == before
    assert gw.active_codes(gw.group) == {"ITA"}


def test_co_chairs_of_a_group_stay_active_members_of_it(gw):
    gw.add("FRA")
    co_chairs.assign_co_chair(gw.group, gw.fra, actor=gw.staff)
    with contextlib.suppress(DomainError):
        co_chairs.assign_co_chair(gw.group, gw.org, actor=gw.staff)
    memberships.withdraw(open_membership(gw.initiative, gw.fra), actor=gw.member)
    for co_chair in co_chairs_of(gw.group):
        assert gw.member_of(gw.group, co_chair.participant.code) is not None
