"""Invariants 2 and 3 under concurrent requests, with real commits on PostgreSQL.

Each request runs in its own thread, app context, session and database connection,
released together by a barrier. The database (not luck) decides: a partial unique index
keeps one open membership per participant, the CHECK on active_count keeps the seat
limit, and conditional UPDATEs let only one of two simultaneous decisions through.
SQLite serializes every writer (BEGIN IMMEDIATE), so these races cannot happen there.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.alliance.models import Endorsement
from coalition.alliance.services import is_alliance_participant
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import Body, Initiative, Membership, MembershipStatus
from coalition.participants.models import (
    Participant,
    Representation,
    RepresentationRole,
    RepresentationStatus,
)
from tests.conftest import PASSWORD, make_app, prepare_database

URL = os.environ.get("TEST_DATABASE_URL", "")

pytestmark = [
    pytest.mark.committed,
    pytest.mark.skipif(
        not URL.startswith("postgresql"),
        reason="concurrent writers need PostgreSQL: SQLite serializes every write transaction",
    ),
]

API = "/api/v1"


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A fresh database of its own, with real commits, dropped at the end."""
    server = URL.rsplit("/", 1)[0]
    name = f"coalition_race_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        app = make_app(
            f"{server}/{name}".replace("postgresql://", "postgresql+psycopg://", 1),
            tmp_path_factory.mktemp("race"),
        )
        prepare_database(app)
        yield app
        with app.app_context():
            db.engine.dispose()
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _delegate(code: str, *, staff: bool = False) -> tuple[User, str]:
    """A verified delegate of *code* (or staff when code is empty) and an API token."""
    from coalition.accounts.services import hash_password

    n = uuid.uuid4().hex[:8]
    user = User(
        email=f"race-{n}@example.org",
        name=f"Racer {n}",
        password_hash=hash_password(PASSWORD),
        is_staff=staff,
    )
    db.session.add(user)
    db.session.flush()
    if code:
        participant = db.session.scalar(sa.select(Participant).where(Participant.code == code))
        db.session.add(
            Representation(
                user_id=user.id,
                participant_id=participant.id,
                role=RepresentationRole.DELEGATE,
                status=RepresentationStatus.VERIFIED,
                decided_at=user.created_at,
            )
        )
        db.session.flush()
    _row, token = create_api_token(user)
    return user, token


def _initiative(app: Flask, *, policy: str, seat_limit: int | None = None) -> dict[str, Any]:
    """An active initiative proposed by a fresh GHA delegate; returns ids, slug and people."""
    with app.test_request_context():
        chair, chair_token = _delegate("GHA")
        staff, staff_token = _delegate("", staff=True)
        gha = db.session.scalar(sa.select(Participant).where(Participant.code == "GHA"))
        if not is_alliance_participant(gha):
            db.session.add(Endorsement(participant_id=gha.id))
            db.session.flush()
        initiative = services.propose_initiative(
            actor=chair,
            title=f"Race {uuid.uuid4().hex[:8]}",
            summary="Who gets there first.",
            axis="governance_gaps",
            join_policy=policy,
            seat_limit=seat_limit,
        )
        services.activate_initiative(initiative, actor=staff)
        db.session.commit()
        return {
            "id": initiative.id,
            "slug": initiative.slug,
            "chair_token": chair_token,
            "staff": staff,
            "staff_token": staff_token,
        }


def _race(app: Flask, calls: list[Callable[[Any], Any]]) -> list[Any]:
    """Run each call(client) in its own thread, all released at once; their responses."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        try:
            results[i] = calls[i](client)
        except Exception as error:  # a crash must fail the test, not vanish in a thread
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _statuses(results: list[Any]) -> Counter:
    for result in results:
        assert not isinstance(result, Exception), repr(result)
    return Counter(r.status_code for r in results)


def test_twenty_simultaneous_joins_by_one_participant_make_one_membership(race_app):
    body = _initiative(race_app, policy="open")
    with race_app.app_context():
        _user, token = _delegate("FRA")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{API}/initiatives/{body['slug']}/memberships"

    results = _race(race_app, [lambda c: c.post(url, headers=headers) for _ in range(20)])

    assert _statuses(results) == Counter({201: 1, 409: 19})
    conflicts = [r.get_json() for r in results if r.status_code == 409]
    assert all("already a member" in c["detail"] for c in conflicts)
    with race_app.app_context():
        fra = db.session.scalar(sa.select(Participant.id).where(Participant.code == "FRA"))
        rows = db.session.scalars(
            sa.select(Membership).where(
                Membership.body_id == body["id"], Membership.participant_id == fra
            )
        ).all()
        assert [m.status for m in rows] == [MembershipStatus.ACTIVE]
        assert db.session.get(Body, body["id"]).active_count == 2


def test_twenty_simultaneous_requests_by_one_participant_make_one_request(race_app):
    body = _initiative(race_app, policy="approval")
    with race_app.app_context():
        _user, token = _delegate("ITA")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{API}/initiatives/{body['slug']}/memberships"

    results = _race(race_app, [lambda c: c.post(url, headers=headers) for _ in range(20)])

    assert _statuses(results) == Counter({201: 1, 409: 19})
    with race_app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(Membership.body_id == body["id"])
        )
        assert count == 2  # the proposer and one request


SEAT_RACERS = ["FRA", "DEU", "ITA", "ESP", "PRT", "BRA", "CHL", "KEN", "JPN", "CAN"]


def test_the_seat_limit_holds_when_more_participants_race_than_there_are_seats(race_app):
    body = _initiative(race_app, policy="open", seat_limit=4)  # the proposer holds one
    with race_app.app_context():
        tokens = [_delegate(code)[1] for code in SEAT_RACERS]
        db.session.commit()
    url = f"{API}/initiatives/{body['slug']}/memberships"

    def join_with(token: str) -> Callable[[Any], Any]:
        return lambda c: c.post(url, headers={"Authorization": f"Bearer {token}"})

    results = _race(race_app, [join_with(t) for t in tokens])

    assert _statuses(results) == Counter({201: 3, 409: 7})
    assert all("seat limit" in r.get_json()["detail"] for r in results if r.status_code == 409)
    with race_app.app_context():
        initiative = db.session.get(Initiative, body["id"])
        active = db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.body_id == body["id"], Membership.status == MembershipStatus.ACTIVE
            )
        )
        assert initiative.active_count == active == 4


def test_the_seat_limit_holds_when_co_chairs_approve_at_once(race_app):
    body = _initiative(race_app, policy="approval", seat_limit=3)  # two seats left
    codes = ["ARG", "MEX", "NGA", "SEN", "IND"]
    with race_app.test_request_context():
        ids = []
        for code in codes:
            user, _token = _delegate(code)
            initiative = db.session.get(Initiative, body["id"])
            ids.append(services.join(initiative, actor=user).id)
        db.session.commit()
    headers = {"Authorization": f"Bearer {body['chair_token']}"}

    results = _race(
        race_app,
        [
            lambda c, mid=mid: c.post(f"{API}/memberships/{mid}/approve", headers=headers)
            for mid in ids
        ],
    )

    assert _statuses(results) == Counter({200: 2, 409: 3})
    with race_app.app_context():
        assert db.session.get(Initiative, body["id"]).active_count == 3


def test_two_co_chairs_deciding_one_request_at_once_one_wins_the_other_is_told(race_app):
    body = _initiative(race_app, policy="approval")
    with race_app.test_request_context():
        initiative = db.session.get(Initiative, body["id"])
        fra_user, fra_token = _delegate("FRA")
        services.add_member(initiative, fra_user_participant(fra_user), actor=body["staff"])
        services.assign_co_chair(initiative, fra_user_participant(fra_user), actor=body["staff"])
        requests = []
        for code in ("DEU", "ITA", "ESP", "PRT", "BRA"):
            user, _token = _delegate(code)
            requests.append(services.join(initiative, actor=user).id)
        db.session.commit()
    gha = {"Authorization": f"Bearer {body['chair_token']}"}
    fra = {"Authorization": f"Bearer {fra_token}"}

    for membership_id in requests:
        results = _race(
            race_app,
            [
                lambda c, m=membership_id: c.post(f"{API}/memberships/{m}/approve", headers=gha),
                lambda c, m=membership_id: c.post(
                    f"{API}/memberships/{m}/decline", json={"reason": "Full"}, headers=fra
                ),
            ],
        )
        statuses = _statuses(results)
        assert statuses == Counter({200: 1, 409: 1}), statuses
        winner = next(r for r in results if r.status_code == 200).get_json()["status"]
        loser = next(r for r in results if r.status_code == 409).get_json()
        assert "already been decided" in loser["detail"]
        with race_app.app_context():
            stored = db.session.scalar(
                sa.select(Membership.status).where(Membership.id == membership_id)
            )
            assert stored.value == winner

    with race_app.app_context():
        active = db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.body_id == body["id"], Membership.status == MembershipStatus.ACTIVE
            )
        )
        assert db.session.get(Initiative, body["id"]).active_count == active


def fra_user_participant(user: User) -> Participant:
    return db.session.scalar(
        sa.select(Participant)
        .join(Representation, Representation.participant_id == Participant.id)
        .where(Representation.user_id == user.id)
    )
