"""Simultaneous acts on one meeting, with real commits (PostgreSQL: SQLite serializes
every writer): two delegates of one participant answering at once leave one answer and
two recorded acts; a cancellation and a closing sent together, one wins, the other is
told (409), and the SEQUENCE is raised once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.audit.models import AuditEvent
from coalition.bodies import memberships
from coalition.extensions import db
from coalition.initiatives import services as initiatives
from coalition.meetings import services
from coalition.meetings.models import Meeting, Rsvp
from coalition.representations.models import (
    Representation,
    RepresentationRole,
    RepresentationStatus,
)
from tests.conftest import state
from tests.initiatives.rules_support import endorse
from tests.race import POSTGRES_ONLY, fresh_database_app, race, statuses

pytestmark = POSTGRES_ONLY


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from fresh_database_app(tmp_path_factory)


def _user(code: str | None = None, *, staff: bool = False) -> User:
    n = db.session.scalar(sa.select(sa.func.count(User.id))) + 1
    user = User(email=f"racer{n}@example.org", name=f"Racer {n}", password_hash="x", is_staff=staff)
    db.session.add(user)
    db.session.flush()
    if code:
        db.session.add(
            Representation(
                user_id=user.id,
                participant_id=state(code).id,
                role=RepresentationRole.DELEGATE,
                status=RepresentationStatus.VERIFIED,
                decided_at=user.created_at,
            )
        )
        db.session.flush()
    return user


def _setup(app: Flask, *, past: bool = False) -> tuple[int, dict[str, str]]:
    """A meeting of a new initiative co-chaired by GHA that FRA joined; API tokens."""
    with app.test_request_context():
        chair, fra1, fra2, staff = _user("GHA"), _user("FRA"), _user("FRA"), _user(staff=True)
        endorse(state("GHA"))
        n = db.session.scalar(sa.select(sa.func.count(Meeting.id)))
        initiative = initiatives.propose_initiative(
            actor=chair, title=f"Race {n}", summary="s", axis="governance_gaps", join_policy="open"
        )
        initiatives.activate_initiative(initiative, actor=staff)
        memberships.join(initiative, actor=fra1)
        day = datetime.now(UTC) + timedelta(days=-1 if past else 20)
        meeting = services.schedule(
            initiative,
            actor=staff,
            title="Raced",
            start=f"{day:%Y-%m-%d}T09:00",
            end=f"{day:%Y-%m-%d}T10:00",
            timezone="UTC",
            format="virtual",
            visibility="public",
            record_past=past,
        )
        tokens = {
            name: create_api_token(user)[1]
            for name, user in {"chair": chair, "fra1": fra1, "fra2": fra2, "staff": staff}.items()
        }
        db.session.commit()
        return meeting.id, tokens


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_two_delegates_answering_at_once_leave_one_answer(race_app):
    meeting_id, tokens = _setup(race_app)
    results = race(
        race_app,
        [
            lambda c: c.put(
                f"/api/v1/meetings/{meeting_id}/rsvp",
                json={"response": "attending"},
                headers=_auth(tokens["fra1"]),
            ),
            lambda c: c.put(
                f"/api/v1/meetings/{meeting_id}/rsvp",
                json={"response": "declined"},
                headers=_auth(tokens["fra2"]),
            ),
        ],
    )
    assert statuses(results) == Counter({200: 2})
    with race_app.app_context():
        rows = db.session.scalars(sa.select(Rsvp).where(Rsvp.meeting_id == meeting_id)).all()
        events = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.object_id == meeting_id, AuditEvent.action == "meeting.rsvp"
            )
        ).all()
        assert len(rows) == 1
        assert len(events) == 2
        db.session.remove()


def test_cancel_and_close_sent_together_one_wins(race_app):
    meeting_id, tokens = _setup(race_app, past=True)
    results = race(
        race_app,
        [
            lambda c: c.post(
                f"/api/v1/meetings/{meeting_id}/cancel", json={}, headers=_auth(tokens["staff"])
            ),
            lambda c: c.post(
                f"/api/v1/meetings/{meeting_id}/held", json={}, headers=_auth(tokens["chair"])
            ),
        ],
    )
    assert statuses(results) == Counter({200: 1, 409: 1})
    with race_app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.sequence == 1
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(
                AuditEvent.object_id == meeting_id,
                AuditEvent.action.in_(["meeting.cancel", "meeting.held"]),
            )
        ).all()
        assert len(actions) == 1
        db.session.remove()
