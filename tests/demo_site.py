"""`make run`'s world for the contract tests: the demo loaded on a database of their own,
and one user for each role, found by what they are rather than by name, so that the tests
follow the demo as it grows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition import permissions
from coalition.accounts.models import User
from coalition.bodies.models import CoChair
from coalition.extensions import db
from tests.own_database import fresh_database_app

#: Who explores the site, from no one to the administrator.
ROLES = ("anonymous", "no_participant", "delegate", "co_chair", "staff", "admin")


def demo_app(tmp_path_factory: pytest.TempPathFactory, **overrides) -> Iterator[Flask]:
    """The body of a module-scoped fixture: an app on its own database with the demo."""
    from coalition.demo import load_demo

    for app in fresh_database_app(tmp_path_factory, **overrides):
        with app.app_context():
            load_demo()
            db.session.commit()
            db.session.remove()
        yield app


def role_users(app: Flask) -> dict[str, int | None]:
    """The id of one demo user in each role (None: anonymous)."""
    with app.app_context():
        users = db.session.scalars(sa.select(User).order_by(User.id)).all()
        co_chairing = set(
            db.session.scalars(sa.select(CoChair.participant_id).where(CoChair.ended_at.is_(None)))
        )

        def first(predicate) -> int:
            return next(u.id for u in users if predicate(u))

        def acting(user: User):
            return permissions.acting_participant(user)

        def delegate(user: User, *, co_chair: bool) -> bool:
            participant = acting(user)
            return (
                not user.is_staff
                and participant is not None
                and (participant.id in co_chairing) is co_chair
            )

        found = {
            "anonymous": None,
            "no_participant": first(lambda u: not u.is_staff and acting(u) is None),
            "delegate": first(lambda u: delegate(u, co_chair=False)),
            "co_chair": first(lambda u: delegate(u, co_chair=True)),
            "staff": first(lambda u: u.is_staff and not u.is_admin),
            "admin": first(lambda u: u.is_admin),
        }
        db.session.remove()
    return found
