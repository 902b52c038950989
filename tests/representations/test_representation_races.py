"""Decisions on one representation sent at the same instant, with real commits on
PostgreSQL: exactly one wins, and only the winner is recorded and notified.

Each request runs in its own thread (own app context, session and connection; see
tests/race.py). The conditional UPDATE decides, not luck: the second UPDATE of the row
waits for the first to commit, then finds the status changed and matches nothing. Each
scenario runs several rounds so that the race is really run, not won by whoever happened
to start first. The same rules, one request after another, are tested on both databases
in test_stale_decisions.py.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.participants.services import get_participant
from coalition.representations.models import Representation, RepresentationStatus
from coalition.representations.services import claim_representation, grant_representation
from tests.conftest import audit_actions, log_in, notification_kinds
from tests.race import POSTGRES_ONLY, fresh_database_app, race, statuses

pytestmark = POSTGRES_ONLY

ROUNDS = 5


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from fresh_database_app(tmp_path_factory)


def _user(*, staff: bool = False) -> User:
    n = uuid.uuid4().hex[:8]
    user = User(email=f"rep-race-{n}@example.org", name=f"Racer {n}", password_hash="x")
    user.is_staff = staff
    db.session.add(user)
    db.session.flush()
    return user


def _client(app: Flask, user_id: int) -> FlaskClient:
    return log_in(app, app.test_client(), user_id)


def _flashes(client: FlaskClient) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def _outcomes(clients: list[FlaskClient]) -> tuple[list[int], list[str]]:
    """Which clients were told of success, and what the others were told."""
    flashes = [_flashes(c) for c in clients]
    for told in flashes:
        assert len(told) == 1, told
    winners = [i for i, told in enumerate(flashes) if told[0][0] == "success"]
    refusals = [told[0][1] for told in flashes if told[0][0] == "error"]
    return winners, refusals


def _row(app: Flask, rep_id: int) -> tuple[Representation, list[str]]:
    """The stored row (detached) and its audit actions."""
    with app.app_context():
        rep = db.session.get(Representation, rep_id)
        db.session.expunge(rep)
        return rep, audit_actions("representation", rep_id)


def _notifications(app: Flask, user_id: int) -> list[str]:
    with app.app_context():
        return notification_kinds(db.session.get(User, user_id))


DECISIONS = {
    # what each racer does, and how the row and the others' refusal then read
    "verify": (RepresentationStatus.VERIFIED, "This claim was already verified."),
    "reject": (RepresentationStatus.REJECTED, "This claim was already rejected."),
    "withdraw": (RepresentationStatus.ENDED, "This claim was already withdrawn."),
}


def test_verify_reject_and_withdraw_sent_together_one_wins_once(race_app):
    with race_app.test_request_context():
        staff_ids = (_user(staff=True).id, _user(staff=True).id)
        db.session.commit()
    for _round in range(ROUNDS):
        with race_app.test_request_context():
            claimant = _user()
            rep_id = claim_representation(claimant, get_participant("GHA"), role="delegate").id
            claimant_id = claimant.id
            db.session.commit()
        clients = [
            _client(race_app, staff_ids[0]),
            _client(race_app, staff_ids[1]),
            _client(race_app, claimant_id),
        ]
        acts = ["verify", "reject", "withdraw"]

        results = race(
            race_app,
            [
                lambda c, r=rep_id: c.post(f"/staff/representations/{r}/verify"),
                lambda c, r=rep_id: c.post(
                    f"/staff/representations/{r}/reject",
                    data={"reason": "Unknown to the mission."},
                ),
                lambda c, r=rep_id: c.post(f"/participants/claim/{r}/withdraw"),
            ],
            clients,
        )

        assert statuses(results) == Counter({303: 3})
        winners, refusals = _outcomes(clients)
        assert len(winners) == 1, f"{len(winners)} decisions succeeded"
        winner = acts[winners[0]]
        status, refusal = DECISIONS[winner]
        assert refusals == [refusal, refusal]
        rep, actions = _row(race_app, rep_id)
        assert actions == ["representation.claim", f"representation.{winner}"]
        assert rep.status is status
        if winner == "verify":
            assert (rep.decided_by_id, rep.reason, rep.ended_at) == (staff_ids[0], None, None)
            assert _notifications(race_app, claimant_id) == ["representation.verified"]
        elif winner == "reject":
            assert (rep.decided_by_id, rep.reason) == (staff_ids[1], "Unknown to the mission.")
            assert _notifications(race_app, claimant_id) == ["representation.rejected"]
        else:
            assert (rep.decided_by_id, rep.ended_by_id) == (None, claimant_id)
            assert rep.reason == "Withdrawn by the claimant."
            assert _notifications(race_app, claimant_id) == []


def test_three_simultaneous_ends_record_one_end(race_app):
    with race_app.test_request_context():
        staff_id = _user(staff=True).id
        focal_point = _user()
        grant_representation(focal_point, get_participant("SEN"), focal_point=True)
        focal_point_id = focal_point.id
        db.session.commit()
    for _round in range(ROUNDS):
        with race_app.test_request_context():
            delegate = _user()
            rep_id = grant_representation(delegate, get_participant("SEN")).id
            delegate_id = delegate.id
            db.session.commit()
        enders = [staff_id, focal_point_id, delegate_id]
        clients = [_client(race_app, user_id) for user_id in enders]
        url = f"/representations/{rep_id}/end"

        def end(client: FlaskClient, url: str = url) -> Any:
            return client.post(url, data={"reason": "Rotated home."})

        results = race(race_app, [end] * 3, clients)

        assert statuses(results) == Counter({303: 3})
        winners, refusals = _outcomes(clients)
        assert len(winners) == 1, f"{len(winners)} ends succeeded"
        assert refusals == ["This representation has already ended."] * 2
        rep, actions = _row(race_app, rep_id)
        assert actions == ["representation.grant", "representation.end"]
        assert (rep.status, rep.ended_by_id) == (RepresentationStatus.ENDED, enders[winners[0]])
        by_self = enders[winners[0]] == delegate_id
        assert _notifications(race_app, delegate_id) == (
            [] if by_self else ["representation.ended"]
        )
    with race_app.app_context():
        # The focal point's own representation was never touched by the races.
        assert (
            db.session.scalar(
                sa.select(Representation.status).where(Representation.user_id == focal_point_id)
            )
            is RepresentationStatus.VERIFIED
        )


def test_two_focal_point_claims_verified_at_once_make_one_focal_point(race_app):
    with race_app.test_request_context():
        staff_ids = (_user(staff=True).id, _user(staff=True).id)
        claims = [
            claim_representation(_user(), get_participant("KEN"), role="focal_point").id
            for _ in range(2)
        ]
        db.session.commit()
    clients = [_client(race_app, staff_id) for staff_id in staff_ids]

    results = race(
        race_app,
        [lambda c, r=rep_id: c.post(f"/staff/representations/{r}/verify") for rep_id in claims],
        clients,
    )

    assert statuses(results) == Counter({303: 2})
    winners, refusals = _outcomes(clients)
    assert len(winners) == 1
    assert "already has a verified focal point" in refusals[0]
    with race_app.app_context():
        stored = db.session.scalars(
            sa.select(Representation.status)
            .where(Representation.id.in_(claims))
            .order_by(Representation.id)
        ).all()
        assert sorted(stored) == [RepresentationStatus.PENDING, RepresentationStatus.VERIFIED]
        loser = claims[1 - winners[0]]
        assert audit_actions("representation", loser) == ["representation.claim"]
