"""The demo loads a realistic, consistent data set, and loading it again changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Body, CoChair, Membership, MembershipStatus
from coalition.demo import load_demo
from coalition.demo.facts import ACCOUNTS, CO_CHAIRS_2019, INITIATIVES
from coalition.demo.groups import groups as demo_groups
from coalition.extensions import db
from coalition.initiatives.models import Initiative, InitiativeStatus
from coalition.participants.models import Participant, ParticipantKind
from coalition.representations.models import Representation

TABLES = [User, Participant, Representation, Endorsement, Body, Membership, CoChair, AuditEvent]


def _counts() -> dict[str, int]:
    return {
        t.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in TABLES
    }


def test_loading_the_demo_twice_creates_nothing_new(app_ctx):
    accounts = load_demo()
    db.session.commit()
    first = _counts()
    again = load_demo()
    db.session.commit()
    assert _counts() == first
    assert accounts == again
    assert [a[0] for a in accounts] == [a[0] for a in ACCOUNTS]
    assert first["Body"] == len(INITIATIVES) + len(demo_groups())


def test_demo_active_count_equals_the_active_memberships(app_ctx):
    load_demo()
    db.session.flush()
    counts = dict(
        db.session.execute(
            sa.select(Membership.body_id, sa.func.count())
            .where(Membership.status == MembershipStatus.ACTIVE)
            .group_by(Membership.body_id)
        ).all()
    )
    for body in db.session.scalars(sa.select(Body)):
        assert body.active_count == counts.get(body.id, 0), body.slug


def test_every_demo_co_chair_is_an_active_member_state(app_ctx):
    load_demo()
    db.session.flush()
    for co_chair in db.session.scalars(sa.select(CoChair).where(CoChair.ended_at.is_(None))):
        assert co_chair.participant.kind is ParticipantKind.STATE
        active = db.session.scalar(
            sa.select(Membership).where(
                Membership.body_id == co_chair.body_id,
                Membership.participant_id == co_chair.participant_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        assert active is not None
        assert active.since is not None
    for initiative in db.session.scalars(
        sa.select(Initiative).where(Initiative.status == InitiativeStatus.ACTIVE)
    ):
        assert db.session.scalar(
            sa.select(sa.func.count(CoChair.id)).where(
                CoChair.body_id == initiative.id, CoChair.ended_at.is_(None)
            )
        ), initiative.slug


def test_demo_has_the_facts_pending_decisions_and_public_histories(app_ctx):
    load_demo()
    db.session.flush()
    call = db.session.scalar(
        sa.select(Initiative).where(Initiative.slug == "humanitarian-call-for-action")
    )
    assert call.active_count >= 36
    assert call.launched_on.isoformat() == "2019-04-01"
    statuses = set(db.session.scalars(sa.select(Membership.status)))
    assert {MembershipStatus.PENDING, MembershipStatus.INVITED} <= statuses
    assert InitiativeStatus.PROPOSED in set(db.session.scalars(sa.select(Initiative.status)))
    endorsing = set(
        db.session.scalars(
            sa.select(Participant.code)
            .join(Endorsement, Endorsement.participant_id == Participant.id)
            .where(Endorsement.withdrawn_at.is_(None))
        )
    )
    assert set(CO_CHAIRS_2019) <= endorsing
    assert len(endorsing) >= 40
    for body in db.session.scalars(sa.select(Body)):
        public = db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.body_id == body.id, AuditEvent.is_public.is_(True)
            )
        )
        assert public >= 2, body.slug


def test_demo_cli_prints_the_accounts(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO", True)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "staff@coalition.example" in result.output
    assert "demo-password-1" in result.output


def test_demo_refuses_to_load_unless_asked_for(app, runner):
    """Its accounts have published passwords: it must never land on a real database."""
    assert app.config["DEMO"] is False
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "COALITION_DEMO=1" in result.output
    with app.app_context():
        from coalition.accounts.services import find_user_by_email

        assert find_user_by_email("admin@coalition.example") is None
