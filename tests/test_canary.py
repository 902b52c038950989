"""Each test runs in a transaction rolled back at the end: these two prove it.

Whichever runs first creates a user and commits; the other must not see it.
"""

import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.extensions import db

CANARY = "canary@example.org"


def _write_then_check(app):
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == CANARY)) is None
        db.session.add(User(email=CANARY, name="Canary", password_hash="x"))
        db.session.commit()
        assert db.session.scalar(sa.select(User).where(User.email == CANARY)) is not None


def test_canary_first_commit_is_rolled_back(app):
    _write_then_check(app)


def test_canary_second_sees_nothing_of_the_first(app):
    _write_then_check(app)


def test_states_are_loaded(app):
    from coalition.participants.models import Participant, ParticipantKind

    with app.app_context():
        n = db.session.scalar(
            sa.select(sa.func.count()).where(Participant.kind == ParticipantKind.STATE)
        )
    assert n == 195
