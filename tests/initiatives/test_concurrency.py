"""Invariants 2 and 3 under concurrent requests, with real commits on PostgreSQL.

Each request runs in its own thread, app context, session and database connection,
released together by a barrier. The database (not luck) decides: a partial unique index
keeps one open membership per participant, the CHECK on active_count keeps the seat
limit, and conditional UPDATEs let only one of two simultaneous decisions through.
SQLite serializes every writer (BEGIN IMMEDIATE), so these races cannot happen there.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.alliance.models import Endorsement
from coalition.alliance.services import is_alliance_participant
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import Body, Membership, MembershipStatus
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import Initiative
from coalition.participants.models import Participant
from coalition.representations.models import (
    Representation,
    RepresentationRole,
    RepresentationStatus,
)
from tests.conftest import PASSWORD
from tests.race import POSTGRES_ONLY, fresh_database_app, race, statuses

pytestmark = POSTGRES_ONLY

API = "/api/v1"


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from fresh_database_app(tmp_path_factory)


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


def test_twenty_simultaneous_joins_by_one_participant_make_one_membership(race_app):
    body = _initiative(race_app, policy="open")
    with race_app.app_context():
        _user, token = _delegate("FRA")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{API}/initiatives/{body['slug']}/memberships"

    results = race(race_app, [lambda c: c.post(url, headers=headers) for _ in range(20)])

    assert statuses(results) == Counter({201: 1, 409: 19})
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

    results = race(race_app, [lambda c: c.post(url, headers=headers) for _ in range(20)])

    assert statuses(results) == Counter({201: 1, 409: 19})
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

    results = race(race_app, [join_with(t) for t in tokens])

    assert statuses(results) == Counter({201: 3, 409: 7})
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
            ids.append(memberships.join(initiative, actor=user).id)
        db.session.commit()
    headers = {"Authorization": f"Bearer {body['chair_token']}"}

    results = race(
        race_app,
        [
            lambda c, mid=mid: c.post(f"{API}/memberships/{mid}/approve", headers=headers)
            for mid in ids
        ],
    )

    assert statuses(results) == Counter({200: 2, 409: 3})
    with race_app.app_context():
        assert db.session.get(Initiative, body["id"]).active_count == 3


def test_two_co_chairs_deciding_one_request_at_once_one_wins_the_other_is_told(race_app):
    body = _initiative(race_app, policy="approval")
    with race_app.test_request_context():
        initiative = db.session.get(Initiative, body["id"])
        fra_user, fra_token = _delegate("FRA")
        memberships.add_member(initiative, fra_user_participant(fra_user), actor=body["staff"])
        co_chairs.assign_co_chair(initiative, fra_user_participant(fra_user), actor=body["staff"])
        requests = []
        for code in ("DEU", "ITA", "ESP", "PRT", "BRA"):
            user, _token = _delegate(code)
            requests.append(memberships.join(initiative, actor=user).id)
        db.session.commit()
    gha = {"Authorization": f"Bearer {body['chair_token']}"}
    fra = {"Authorization": f"Bearer {fra_token}"}

    for membership_id in requests:
        results = race(
            race_app,
            [
                lambda c, m=membership_id: c.post(f"{API}/memberships/{m}/approve", headers=gha),
                lambda c, m=membership_id: c.post(
                    f"{API}/memberships/{m}/decline", json={"reason": "Full"}, headers=fra
                ),
            ],
        )
        counted = statuses(results)
        assert counted == Counter({200: 1, 409: 1}), counted
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


CONCLUSION_RACERS = ["FRA", "DEU", "ITA", "ESP", "PRT", "BRA", "CHL", "KEN", "JPN", "CAN",
                     "ARG", "MEX", "NGA", "SEN", "IND"]  # fmt: skip


@pytest.mark.parametrize("round_", range(3))
def test_join_requests_racing_a_conclusion_leave_nothing_waiting(race_app, round_):
    """Every request lands before the conclusion (which then cancels it) or is refused
    because the initiative is concluded: none is left pending on a concluded initiative."""
    body = _initiative(race_app, policy="approval")
    with race_app.app_context():
        tokens = [_delegate(code)[1] for code in CONCLUSION_RACERS]
        db.session.commit()
    url = f"{API}/initiatives/{body['slug']}/memberships"
    staff = {"Authorization": f"Bearer {body['staff_token']}"}

    def request_with(token: str) -> Callable[[Any], Any]:
        return lambda c: c.post(url, headers={"Authorization": f"Bearer {token}"})

    conclude = [lambda c: c.post(f"{API}/initiatives/{body['slug']}/conclude", headers=staff)]
    results = race(race_app, [request_with(t) for t in tokens] + conclude)

    counted = statuses(results)
    assert results[-1].status_code == 200
    assert set(counted) <= {200, 201, 409}
    with race_app.app_context():
        waiting = db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.body_id == body["id"], Membership.status == MembershipStatus.PENDING
            )
        )
        assert waiting == 0
