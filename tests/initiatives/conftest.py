"""Fixtures for the initiative pages: initiatives made through the services, real logins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coalition.accounts.models import User
from coalition.alliance.models import Endorsement
from coalition.extensions import db
from coalition.initiatives.models import Axis, Initiative, JoinPolicy, Membership
from tests.conftest import PASSWORD, state


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User | None], FlaskClient]:
    """login(user) through the real form (Flask-Login's strong session protection checks
    the client's identity); login(None) logs out."""

    def log_in(user: User | None) -> FlaskClient:
        client.post("/logout")
        if user is not None:
            response = client.post("/login", data={"email": user.email, "password": PASSWORD})
            assert response.status_code == 302, "logging in failed"
        return client

    return log_in


def endorse(code: str) -> None:
    participant = state(code)
    if (
        db.session.scalar(
            sa.select(Endorsement.id).where(
                Endorsement.participant_id == participant.id, Endorsement.withdrawn_at.is_(None)
            )
        )
        is None
    ):
        db.session.add(Endorsement(participant_id=participant.id))
        db.session.flush()


@dataclass
class World:
    """Who is who around one initiative."""

    slug: str
    staff: User
    chair: User  # delegate of the co-chair state
    outsider: User  # delegate of a state that is not a member

    def initiative(self) -> Initiative:
        return db.session.scalar(sa.select(Initiative).where(Initiative.slug == self.slug))


@pytest.fixture
def make_initiative(app: Flask, make_user) -> Callable[..., World]:
    """make_initiative(title=, policy=, axis=, chair="FRA", activate=True) via the services."""
    people: dict[str, User] = {}

    def factory(
        *,
        title: str = "Humanitarian Call for Action",
        summary: str = "Respect for international humanitarian law.",
        policy: JoinPolicy = JoinPolicy.APPROVAL,
        axis: Axis = Axis.INTERNATIONAL_LAW,
        chair: str = "FRA",
        activate: bool = True,
    ) -> World:
        from coalition.initiatives import services

        if "staff" not in people:
            people["staff"] = make_user(staff=True, name="Sam Staffer")
        if chair not in people:
            people[chair] = make_user(represent=chair, name=f"Chair of {chair}")
        if "outsider" not in people:
            people["outsider"] = make_user(represent="GHA", name="Grace Outsider")
        with app.test_request_context():
            endorse(chair)
            actor = db.session.get(User, people[chair].id)
            initiative = services.propose_initiative(
                actor=actor, title=title, summary=summary, axis=axis, join_policy=policy
            )
            if activate:
                services.activate_initiative(
                    initiative, actor=db.session.get(User, people["staff"].id)
                )
            db.session.commit()
            slug = initiative.slug
        return World(
            slug=slug, staff=people["staff"], chair=people[chair], outsider=people["outsider"]
        )

    return factory


def membership_of(slug: str, code: str) -> Membership | None:
    """The latest membership of participant *code* in initiative *slug*."""
    return db.session.scalar(
        sa.select(Membership)
        .join(Initiative, Initiative.id == Membership.body_id)
        .where(Initiative.slug == slug, Membership.participant_id == state(code).id)
        .order_by(Membership.id.desc())
        .limit(1)
    )
