"""Endorsing and withdrawing at the same instant, with real commits on PostgreSQL:
exactly one act wins and is recorded.

Withdrawal closes the open row with one conditional UPDATE (`… WHERE id = :id AND
withdrawn_at IS NULL`): a concurrent UPDATE waits for the first to commit, then matches
nothing and is told 409. Endorsement relies on the partial unique index (one open row
per participant). Twenty requests are released together, for several rounds. The stale
case, replayed in sequence, runs on both databases in test_endorsement_stale.py.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.extensions import db
from coalition.participants.services import get_participant
from coalition.representations.services import grant_representation
from tests.race import POSTGRES_ONLY, fresh_database_app, race, statuses

pytestmark = POSTGRES_ONLY

RACERS = 20
ROUNDS = 3


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from fresh_database_app(tmp_path_factory)


def _delegate_token(app: Flask, code: str) -> str:
    with app.test_request_context():
        n = uuid.uuid4().hex[:8]
        user = User(email=f"endorse-race-{n}@example.org", name=f"Racer {n}", password_hash="x")
        db.session.add(user)
        db.session.flush()
        grant_representation(user, get_participant(code))
        _row, token = create_api_token(user)
        db.session.commit()
        return token


def _stored(app: Flask, code: str) -> tuple[int, int, int, int]:
    """(rows, open rows, endorse events, withdraw events) of participant *code*."""
    with app.app_context():
        participant_id = get_participant(code).id
        rows = db.session.scalars(
            sa.select(Endorsement).where(Endorsement.participant_id == participant_id)
        ).all()
        events = Counter(
            db.session.scalars(
                sa.select(AuditEvent.action).where(AuditEvent.participant_id == participant_id)
            )
        )
        return (
            len(rows),
            sum(1 for r in rows if r.withdrawn_at is None),
            events["alliance.endorse"],
            events["alliance.withdraw"],
        )


def test_twenty_simultaneous_withdrawals_close_the_endorsement_once(race_app):
    code = "KEN"
    tokens = [_delegate_token(race_app, code) for _ in range(4)]
    headers = [{"Authorization": f"Bearer {tokens[i % len(tokens)]}"} for i in range(RACERS)]
    for round_ in range(1, ROUNDS + 1):
        endorsed = race_app.test_client().post("/api/v1/alliance/endorsements", headers=headers[0])
        assert endorsed.status_code == 201

        results = race(
            race_app,
            [
                lambda c, h=h: c.delete(f"/api/v1/alliance/endorsements/{code}", headers=h)
                for h in headers
            ],
        )

        assert statuses(results) == Counter({204: 1, 409: RACERS - 1})
        assert _stored(race_app, code) == (round_, 0, round_, round_)


def test_twenty_simultaneous_endorsements_open_one(race_app):
    code = "SGP"
    tokens = [_delegate_token(race_app, code) for _ in range(4)]
    headers = [{"Authorization": f"Bearer {tokens[i % len(tokens)]}"} for i in range(RACERS)]
    for round_ in range(1, ROUNDS + 1):
        results = race(
            race_app,
            [lambda c, h=h: c.post("/api/v1/alliance/endorsements", headers=h) for h in headers],
        )

        assert statuses(results) == Counter({201: 1, 409: RACERS - 1})
        assert _stored(race_app, code) == (round_, 1, round_, round_ - 1)
        withdrawn = race_app.test_client().delete(
            f"/api/v1/alliance/endorsements/{code}", headers=headers[0]
        )
        assert withdrawn.status_code == 204
