"""Two withdrawals of one endorsement, one after the other, on both databases: the
second is told the participant no longer endorses, and nothing is recorded twice.

The stale case replays what a race does: the second request read the open row before
the first closed it. (test_endorsement_races.py runs the real race on PostgreSQL.)
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.alliance import services
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.errors import Conflict
from coalition.extensions import db
from tests.conftest import state


def _withdraw_events(participant_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "alliance.withdraw", AuditEvent.participant_id == participant_id
        )
    )


def test_a_withdrawal_that_read_the_row_before_another_closed_it_is_refused_once(
    app, make_user, monkeypatch
):
    """What the race does, replayed: the second request read the open endorsement, then
    the first closed it. The second must be told, not close it again nor record twice."""
    first, second = make_user(represent="GHA"), make_user(represent="GHA")
    with app.test_request_context():
        services.endorse(state("GHA"), actor=db.session.get(User, first.id))
        db.session.commit()
    with app.test_request_context():
        stale = services.open_endorsement(state("GHA"))
        db.session.expunge(stale)
    with app.test_request_context():
        services.withdraw_endorsement(state("GHA"), actor=db.session.get(User, first.id))
        db.session.commit()

    with app.test_request_context():
        monkeypatch.setattr(
            services, "open_endorsement", lambda _p: db.session.merge(stale, load=False)
        )
        with pytest.raises(Conflict, match="does not endorse"):
            services.withdraw_endorsement(state("GHA"), actor=db.session.get(User, second.id))
        db.session.rollback()

    with app.app_context():
        row = db.session.get(Endorsement, stale.id)
        assert row.withdrawn_by_id == first.id
        assert _withdraw_events(state("GHA").id) == 1


def test_withdrawing_twice_through_the_api_is_a_409_the_second_time(client, app, make_user):
    delegate = make_user(represent="GHA")
    with app.app_context():
        _row, token = create_api_token(db.session.get(User, delegate.id))
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/alliance/endorsements", headers=headers).status_code == 201

    assert client.delete("/api/v1/alliance/endorsements/GHA", headers=headers).status_code == 204
    again = client.delete("/api/v1/alliance/endorsements/GHA", headers=headers)

    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    with app.app_context():
        assert _withdraw_events(state("GHA").id) == 1
