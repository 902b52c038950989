"""Fixtures for the rules of initiatives: a small world of actors and initiatives in it.

GHA proposes (and co-chairs) the initiatives; FRA is the member whose own delegate acts;
DEU is another state whose delegate must never reach FRA's memberships.

The rules' test modules expose these fixtures with `world = rules_support.world` (the
folder's conftest.py holds the pages' fixtures).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from coalition import permissions
from coalition.accounts.models import User
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Membership
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import Initiative
from coalition.participants.models import Participant
from tests.conftest import endorse, state

__all__ = ["endorse"]


def is_postgresql() -> bool:
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def new_initiative(
    chair: User,
    *,
    staff: User | None,
    title: str = "Cyber norms",
    summary: str = "Norms of responsible state behaviour in cyberspace.",
    policy: Any = "open",
    axis: Any = "governance_gaps",
    seat_limit: int | None = None,
) -> Initiative:
    """An initiative proposed through the services by *chair*'s state (made an Alliance
    participant first), and activated by *staff* when given."""
    endorse(permissions.acting_participant(chair))
    initiative = services.propose_initiative(
        actor=chair,
        title=title,
        summary=summary,
        axis=axis,
        join_policy=policy,
        seat_limit=seat_limit,
    )
    if staff is not None:
        services.activate_initiative(initiative, actor=staff)
    return initiative


@dataclass
class World:
    staff: User
    co_chair: User  # delegate of GHA, the proposer and co-chair
    member: User  # delegate of FRA, the member acting on its own membership
    other: User  # delegate of DEU, another state
    plain: User  # logged in, represents no one
    org_user: User  # delegate of an organization
    org: Participant

    @property
    def gha(self) -> Participant:
        return state("GHA")

    @property
    def fra(self) -> Participant:
        return state("FRA")

    @property
    def deu(self) -> Participant:
        return state("DEU")

    def actor(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def initiative(
        self,
        *,
        policy: str = "open",
        activate: bool = True,
        seat_limit: int | None = None,
        title: str = "Cyber norms",
        axis: str = "governance_gaps",
    ) -> Initiative:
        return new_initiative(
            self.co_chair,
            staff=self.staff if activate else None,
            title=title,
            policy=policy,
            axis=axis,
            seat_limit=seat_limit,
        )


@pytest.fixture
def world(app_ctx, make_user, make_organization) -> World:
    org = make_organization(code="icnl", name="International Center for Not-for-Profit Law")
    w = World(
        staff=make_user(staff=True, name="Staff"),
        co_chair=make_user(represent="GHA", name="Ghana delegate"),
        member=make_user(represent="FRA", name="France delegate"),
        other=make_user(represent="DEU", name="Germany delegate"),
        plain=make_user(name="Plain"),
        org_user=make_user(represent=org, name="ICNL delegate"),
        org=db.session.merge(org),
    )
    endorse(w.gha)
    return w


ROLES = ("anonymous", "plain", "other", "member", "co_chair", "staff")


def membership_state(membership_id: int) -> tuple[Any, ...]:
    row = db.session.execute(
        sa.select(
            Membership.status, Membership.since, Membership.ended_at, Membership.reason
        ).where(Membership.id == membership_id)
    ).one()
    return tuple(row)


def events_for(object_type: str, object_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id)
        )
    )


def event_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


@pytest.fixture
def api_headers(app) -> Callable[[User | None], dict[str, str]]:
    """Bearer headers for a user (a new token, committed in the test's transaction)."""
    from coalition.accounts.services import create_api_token

    tokens: dict[int, str] = {}

    def headers(user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        if user.id not in tokens:
            with app.app_context():
                _row, token = create_api_token(db.session.get(User, user.id))
                db.session.commit()
            tokens[user.id] = token
        return {"Authorization": f"Bearer {tokens[user.id]}"}

    return headers
