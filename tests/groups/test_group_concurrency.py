"""The seat limit and invariant 4 under concurrent requests, with real commits on
PostgreSQL. SQLite serializes every writer (BEGIN IMMEDIATE): these races cannot happen
there, so the module runs on PostgreSQL only (tests/race.py says why when skipped)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token, hash_password
from coalition.bodies import memberships
from coalition.bodies.models import Body, JoinPolicy, Membership, MembershipStatus
from coalition.extensions import db
from coalition.groups import services
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from coalition.participants.models import Participant, ParticipantKind
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


def _user(code: str | None = None, *, staff: bool = False) -> tuple[User, str]:
    n = uuid.uuid4().hex[:8]
    user = User(
        email=f"group-race-{n}@example.org",
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


def _codes(n: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Participant.code)
            .where(Participant.kind == ParticipantKind.STATE)
            .order_by(Participant.code)
            .limit(n)
        )
    )


def _active(body_id: int) -> tuple[int, int]:
    """(active memberships counted, the body's active_count)."""
    counted = db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.body_id == body_id, Membership.status == MembershipStatus.ACTIVE
        )
    )
    return counted, db.session.get(Body, body_id).active_count


def _group(app: Flask, seats: int) -> dict[str, Any]:
    with app.test_request_context():
        staff, token = _user(staff=True)
        group = services.create_group(
            actor=staff, title=f"Convening group {uuid.uuid4().hex[:6]}", seat_limit=seats
        )
        db.session.commit()
        return {"id": group.id, "slug": group.slug, "staff": staff.id, "token": token}


def test_forty_simultaneous_additions_to_sixteen_seats_leave_sixteen_members(race_app):
    body = _group(race_app, seats=16)
    with race_app.app_context():
        codes = _codes(40)
    headers = {"Authorization": f"Bearer {body['token']}"}
    url = f"{API}/groups/{body['slug']}/memberships"

    results = race(
        race_app,
        [lambda c, code=code: c.post(url, json={"participant": code}, headers=headers)
         for code in codes],
    )  # fmt: skip

    assert statuses(results) == Counter({201: 16, 409: 24})
    refused = [r.get_json()["detail"] for r in results if r.status_code == 409]
    assert all("seat limit" in detail for detail in refused)
    with race_app.app_context():
        assert _active(body["id"]) == (16, 16)


@pytest.mark.parametrize("round_", range(3))
def test_a_bulk_change_and_single_additions_never_exceed_the_seats_together(race_app, round_):
    body = _group(race_app, seats=16)
    with race_app.app_context():
        codes = _codes(40)
    headers = {"Authorization": f"Bearer {body['token']}"}
    with race_app.test_request_context():
        group = db.session.get(Body, body["id"])
        staff = db.session.get(User, body["staff"])
        for code in codes[:10]:
            memberships.add_member(
                group,
                db.session.scalar(sa.select(Participant).where(Participant.code == code)),
                actor=staff,
            )
        db.session.commit()
    bulk_url = f"{API}/groups/{body['slug']}/memberships/bulk"
    single_url = f"{API}/groups/{body['slug']}/memberships"
    calls = [lambda c: c.post(bulk_url, json={"add": codes[10:15]}, headers=headers)]
    calls += [
        lambda c, code=code: c.post(single_url, json={"participant": code}, headers=headers)
        for code in codes[15:20]
    ]

    results = race(race_app, calls)

    counted = statuses(results)
    assert set(counted) <= {200, 201, 409}
    with race_app.app_context():
        active, count = _active(body["id"])
        assert active == count <= 16
        bulk = results[0]
        singles = sum(1 for r in results[1:] if r.status_code == 201)
        if bulk.status_code == 200:
            assert bulk.get_json()["applied"] is True
            assert active == 10 + 5 + singles
        else:
            # Refused as a whole (the singles took the seats first): none of it applied.
            assert bulk.status_code == 409
            assert any(r["outcome"] == "seat_limit" for r in bulk.get_json()["rows"])
            assert active == 10 + singles


@pytest.mark.parametrize("round_", range(5))
def test_leaving_the_initiative_while_being_added_to_its_group_never_leaves_a_stray_member(
    race_app, round_
):
    """Invariant 4 under concurrency: the withdrawal and the addition both lock the
    initiative; whichever comes second sees the first."""
    with race_app.test_request_context():
        staff, staff_token = _user(staff=True)
        code = _codes(60)[40 + round_]
        delegate, delegate_token = _user(code)
        initiative = Initiative(
            slug=f"race-initiative-{uuid.uuid4().hex[:8]}",
            title="Race initiative",
            summary="Who gets there first.",
            axis=Axis.GOVERNANCE_GAPS,
            join_policy=JoinPolicy.OPEN,
            status=InitiativeStatus.ACTIVE,
            active_count=0,
        )
        db.session.add(initiative)
        db.session.flush()
        membership = memberships.join(initiative, actor=delegate)
        group = services.create_group(actor=staff, title="Race group", initiative=initiative)
        db.session.commit()
        ids = {"membership": membership.id, "group": group.id, "slug": group.slug}

    results = race(
        race_app,
        [
            lambda c: c.post(
                f"{API}/memberships/{ids['membership']}/withdraw",
                headers={"Authorization": f"Bearer {delegate_token}"},
            ),
            lambda c: c.post(
                f"{API}/groups/{ids['slug']}/memberships",
                json={"participant": code},
                headers={"Authorization": f"Bearer {staff_token}"},
            ),
        ],
    )

    assert results[0].status_code == 200
    assert results[1].status_code in (201, 409)
    with race_app.app_context():
        open_in_group = db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.body_id == ids["group"],
                Membership.status.in_(["pending", "invited", "active"]),
            )
        )
        assert open_in_group == 0
        assert _active(ids["group"]) == (0, 0)
