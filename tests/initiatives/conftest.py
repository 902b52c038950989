"""Fixtures for the initiative pages: initiatives made through the services, real logins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coalition.accounts.models import User
from coalition.bodies.models import JoinPolicy, Membership
from coalition.extensions import db
from coalition.initiatives.models import Axis, Initiative
from tests.conftest import endorse, state
from tests.initiatives.rules_support import new_initiative

__all__ = ["endorse"]


@pytest.fixture
def login(client: FlaskClient, login_as) -> Callable[[User | None], FlaskClient]:
    """login(user) as login_as does; login(None) logs out."""

    def switch(user: User | None) -> FlaskClient:
        client.post("/logout")
        return login_as(user) if user is not None else client

    return switch


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
        if "staff" not in people:
            people["staff"] = make_user(staff=True, name="Sam Staffer")
        if chair not in people:
            people[chair] = make_user(represent=chair, name=f"Chair of {chair}")
        if "outsider" not in people:
            people["outsider"] = make_user(represent="GHA", name="Grace Outsider")
        with app.test_request_context():
            initiative = new_initiative(
                db.session.get(User, people[chair].id),
                staff=db.session.get(User, people["staff"].id) if activate else None,
                title=title,
                summary=summary,
                policy=policy,
                axis=axis,
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
