"""History is append-only in the database itself (invariant 6), column by column, on
SQLite and PostgreSQL: each table lets a row change only the way the services change it
(a status moving forward along its machine, an end set once), and refuses every other
UPDATE, whatever code sends it. PostgreSQL also refuses TRUNCATE.

Each case writes straight to the database, as a buggy script or a hostile hand would,
and checks the row did not change. That every legitimate act still works is what the
rest of the suite shows: every service runs under these triggers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.alliance import services as alliance
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import CoChair, Membership
from coalition.db import utcnow
from coalition.extensions import db
from coalition.participants.models import Participant
from coalition.representations import services as representations
from coalition.representations.models import Representation
from tests.initiatives import rules_support

world = rules_support.world  # fixture

LATER = utcnow() + timedelta(days=3)
EARLIER = utcnow() - timedelta(days=300)
#: Values that exist (so that no foreign key or NOT NULL answers before the rule does).
SOME_USER = sa.select(sa.func.min(User.id)).scalar_subquery()
OTHER_STATE = sa.select(Participant.id).where(Participant.code == "DEU").scalar_subquery()


def refused(model: type, row_id: int, **values: Any) -> None:
    """The database refuses `UPDATE <model> SET values WHERE id = row_id`; the row is as
    it was."""
    table = model.__table__
    before = db.session.execute(sa.select(table).where(table.c.id == row_id)).one()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(sa.update(table).where(table.c.id == row_id).values(**values))
    assert db.session.execute(sa.select(table).where(table.c.id == row_id)).one() == before


def allowed(model: type, row_id: int, **values: Any) -> None:
    """The same UPDATE goes through (undone at once): the rule is not stricter than
    the services."""
    table = model.__table__
    with db.session.begin_nested() as savepoint:
        result = db.session.execute(sa.update(table).where(table.c.id == row_id).values(**values))
        assert result.rowcount == 1
        savepoint.rollback()


# -- memberships ---------------------------------------------------------------------------------


@pytest.fixture
def open_rows(world) -> dict[str, Membership]:
    """An active, a pending and an invited membership, made by the services."""
    open_initiative = world.initiative(policy="open", title="Cyber norms")
    approval = world.initiative(policy="approval", title="Oceans")
    rules_support.endorse(world.deu)
    return {
        "active": memberships.join(open_initiative, actor=world.member),
        "pending": memberships.join(approval, actor=world.member),
        "invited": memberships.invite(approval, world.deu, actor=world.co_chair),
    }


OPEN_REFUSED: list[tuple[str, dict[str, Any]]] = [
    ("active", {"since": EARLIER}),
    ("active", {"role": "partner"}),
    ("active", {"created_at": EARLIER}),
    ("active", {"created_by_id": None}),
    ("active", {"message": "rewritten"}),
    ("active", {"reason": "a reason never given"}),
    ("active", {"status": "pending", "since": None}),
    ("active", {"status": "invited", "since": None}),
    ("active", {"status": "declined", "ended_at": LATER}),
    ("active", {"status": "cancelled", "ended_at": LATER}),
    ("pending", {"status": "withdrawn", "ended_at": LATER}),
    ("pending", {"status": "removed", "ended_at": LATER, "reason": "x"}),
    ("pending", {"status": "revoked", "ended_at": LATER}),
    ("pending", {"status": "invited"}),
    ("pending", {"since": LATER}),
    ("pending", {"reason": "decided in advance"}),
    ("pending", {"role": "partner"}),
    ("invited", {"status": "cancelled", "ended_at": LATER}),
    ("invited", {"status": "withdrawn", "ended_at": LATER}),
    ("invited", {"status": "pending"}),
    ("invited", {"message": "another invitation text"}),
]

OPEN_ALLOWED: list[tuple[str, dict[str, Any]]] = [
    ("active", {"status": "withdrawn", "ended_at": LATER}),
    ("active", {"status": "removed", "ended_at": LATER, "reason": "why"}),
    ("pending", {"status": "active", "since": LATER}),
    ("pending", {"status": "declined", "ended_at": LATER, "reason": "why"}),
    ("pending", {"status": "cancelled", "ended_at": LATER}),
    ("invited", {"status": "active", "since": LATER}),
    ("invited", {"status": "declined", "ended_at": LATER}),
    ("invited", {"status": "revoked", "ended_at": LATER, "reason": "concluded"}),
]


@pytest.mark.parametrize(("row", "values"), OPEN_REFUSED)
def test_an_open_membership_cannot_be_rewritten(open_rows, row, values):
    refused(Membership, open_rows[row].id, **values)


@pytest.mark.parametrize(("row", "values"), OPEN_ALLOWED)
def test_an_open_membership_moves_along_the_machine(open_rows, row, values):
    allowed(Membership, open_rows[row].id, **values)


def test_a_closed_membership_stays_closed_and_its_dates_stay(world):
    membership = memberships.join(world.initiative(policy="open"), actor=world.member)
    memberships.withdraw(membership, actor=world.member)
    refused(Membership, membership.id, ended_at=LATER)
    refused(Membership, membership.id, since=EARLIER)
    refused(Membership, membership.id, status="removed", reason="after the fact")


# -- co-chairs -------------------------------------------------------------------------------------


@pytest.fixture
def co_chair(world) -> CoChair:
    """GHA's co-chair term of a new initiative, as the services started it."""
    initiative = world.initiative()
    return db.session.scalars(sa.select(CoChair).where(CoChair.body_id == initiative.id)).one()


@pytest.mark.parametrize(
    "values",
    [
        {"started_at": EARLIER},
        {"participant_id": OTHER_STATE},
        {"assigned_by_id": SOME_USER},
        {"ended_by_id": SOME_USER},  # an ender without an end
    ],
    ids=["started_at", "participant", "assigned_by", "ended_by_alone"],
)
def test_a_co_chair_term_cannot_be_rewritten(co_chair, values):
    refused(CoChair, co_chair.id, **values)


def test_a_co_chair_term_ends_once_and_stays_ended(world, co_chair):
    allowed(CoChair, co_chair.id, ended_at=LATER, ended_by_id=world.staff.id)
    initiative = co_chair.body
    memberships.join(initiative, actor=world.member)
    co_chairs.assign_co_chair(initiative, world.fra, actor=world.staff)
    ended = co_chairs.end_co_chair(initiative, world.gha, actor=world.staff)
    refused(CoChair, ended.id, ended_at=LATER)
    refused(CoChair, ended.id, ended_at=None, ended_by_id=None)
    refused(CoChair, ended.id, ended_by_id=world.member.id)


# -- endorsements ---------------------------------------------------------------------------------


@pytest.fixture
def endorsement(world) -> Endorsement:
    return alliance.endorse(world.fra, actor=world.member)


@pytest.mark.parametrize(
    "values",
    [
        {"endorsed_at": EARLIER},
        {"endorsed_by_id": SOME_USER},
        {"participant_id": OTHER_STATE},
    ],
    ids=["endorsed_at", "endorsed_by", "participant"],
)
def test_an_endorsement_cannot_be_rewritten(endorsement, values):
    refused(Endorsement, endorsement.id, **values)


def test_an_endorsement_is_withdrawn_once_and_stays_withdrawn(world, endorsement):
    allowed(Endorsement, endorsement.id, withdrawn_at=LATER, withdrawn_by_id=world.member.id)
    alliance.withdraw_endorsement(world.fra, actor=world.member)
    refused(Endorsement, endorsement.id, withdrawn_at=None, withdrawn_by_id=None)
    refused(Endorsement, endorsement.id, withdrawn_at=LATER)
    refused(Endorsement, endorsement.id, withdrawn_by_id=world.other.id)


# -- representations -----------------------------------------------------------------------------


@pytest.fixture
def reps(world, make_user) -> dict[str, Representation]:
    """A pending claim, a verified delegate, a rejected claim and an ended representation."""

    def claim() -> Representation:
        return representations.claim_representation(
            db.session.get(User, make_user().id), world.gha, role="delegate"
        )

    pending, verified, rejected, ended = claim(), claim(), claim(), claim()
    representations.verify_representation(verified, actor=world.staff)
    representations.reject_representation(rejected, actor=world.staff, reason="Unknown.")
    representations.verify_representation(ended, actor=world.staff)
    representations.end_representation(ended, actor=world.staff, reason="Posted home.")
    return {"pending": pending, "verified": verified, "rejected": rejected, "ended": ended}


REP_REFUSED: list[tuple[str, dict[str, Any]]] = [
    ("verified", {"status": "pending", "decided_at": None, "decided_by_id": None}),
    ("verified", {"status": "rejected"}),
    ("verified", {"decided_at": LATER}),
    ("verified", {"decided_by_id": None}),
    ("verified", {"reason": "a reason after the fact"}),
    ("verified", {"user_id": SOME_USER}),
    ("verified", {"participant_id": OTHER_STATE}),
    ("verified", {"claimed_at": EARLIER}),
    ("verified", {"position": "Ambassador"}),
    ("pending", {"role": "focal_point"}),
    ("pending", {"decided_by_id": SOME_USER}),
    ("pending", {"reason": "decided in advance"}),
    ("rejected", {"status": "verified"}),
    ("rejected", {"reason": "a kinder reason"}),
    ("ended", {"status": "verified", "ended_at": None, "ended_by_id": None}),
    ("ended", {"ended_at": LATER}),
    ("ended", {"reason": "rewritten"}),
]

REP_ALLOWED: list[tuple[str, dict[str, Any]]] = [
    ("pending", {"status": "verified", "decided_at": LATER, "role": "focal_point"}),
    ("pending", {"status": "rejected", "decided_at": LATER, "reason": "why"}),
    ("pending", {"status": "ended", "decided_at": LATER, "ended_at": LATER, "reason": "w"}),
    ("verified", {"status": "ended", "ended_at": LATER, "reason": "moved on"}),
    ("verified", {"role": "focal_point"}),
]


@pytest.mark.parametrize(("row", "values"), REP_REFUSED)
def test_a_representation_cannot_be_rewritten(reps, row, values):
    refused(Representation, reps[row].id, **values)


@pytest.mark.parametrize(("row", "values"), REP_ALLOWED)
def test_a_representation_moves_forward(reps, row, values):
    allowed(Representation, reps[row].id, **values)


def test_a_focal_point_is_never_made_a_delegate_again(world, make_user):
    user = db.session.get(User, make_user().id)
    rep = representations.grant_representation(user, world.deu, focal_point=True)
    refused(Representation, rep.id, role="delegate")


def test_granting_the_focal_point_role_keeps_the_decision_that_verified_the_delegate(
    world, make_user
):
    user = db.session.get(User, make_user().id)
    rep = representations.grant_representation(user, world.deu, actor=world.staff)
    decided = (rep.decided_at, rep.decided_by_id)

    promoted = representations.grant_representation(user, world.deu, focal_point=True)

    assert promoted.id == rep.id
    assert promoted.role.value == "focal_point"
    assert (promoted.decided_at, promoted.decided_by_id) == decided


# -- audit events, and TRUNCATE --------------------------------------------------------------------


def test_an_audit_event_is_never_rewritten(world):
    world.initiative()
    event_id = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    refused(AuditEvent, event_id, action="forged")


HISTORY_TABLES = ["memberships", "representations", "endorsements", "co_chairs", "audit_events"]


@pytest.mark.parametrize("table", HISTORY_TABLES)
def test_postgresql_refuses_to_truncate_the_history(world, table):
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused (test_foundation)")
    world.initiative()

    def count() -> int:
        return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608 (fixed names)

    before = count()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(sa.text(f"TRUNCATE {table} CASCADE"))
    assert count() == before
