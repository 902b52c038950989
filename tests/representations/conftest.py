"""Helpers for the representation tests: claims made through the service, and rows read
back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.participants.services import get_participant
from coalition.representations.models import Representation


@pytest.fixture
def make_claim(app: Flask) -> Callable[..., Representation]:
    """make_claim(user, "GHA", role="delegate") → a committed pending claim."""

    def factory(user: User, code: str = "GHA", role: str = "delegate") -> Representation:
        from coalition.representations.services import claim_representation

        with app.test_request_context():
            rep = claim_representation(
                db.session.get(User, user.id), get_participant(code), role=role
            )
            db.session.commit()
            return rep

    return factory


def representation(rep_id: int) -> Representation:
    return db.session.get(Representation, rep_id)


def representations_of(user: User) -> list[Representation]:
    return list(
        db.session.scalars(
            sa.select(Representation)
            .where(Representation.user_id == user.id)
            .order_by(Representation.id)
        )
    )
