"""Two people acting on one representation, one after the other, on both databases: the
second is refused naming the state the first left, and nothing is recorded twice.

The stale cases replay, in sequence, what a race does: the second request read the
row before the first committed its change. (test_representation_races.py runs the real
race on PostgreSQL.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from coalition.accounts.models import User
from coalition.errors import Conflict
from coalition.extensions import db
from coalition.representations.models import Representation, RepresentationStatus
from coalition.representations.queries import get_representation
from coalition.representations.services import (
    end_representation,
    reject_representation,
    verify_representation,
    withdraw_claim,
)
from tests.conftest import audit_actions, notification_kinds
from tests.representations.conftest import representation, representations_of

ACTS: dict[str, Callable[[Representation, User], Any]] = {
    "verify": lambda rep, actor: verify_representation(rep, actor=actor),
    "reject": lambda rep, actor: reject_representation(
        rep, actor=actor, reason="Unknown to the mission."
    ),
    "withdraw": lambda rep, actor: withdraw_claim(rep, actor=actor),
}

#: After each decision: the stored status, the claimant's notifications, and what a
#: second decision is told.
AFTER = {
    "verify": (
        RepresentationStatus.VERIFIED,
        ["representation.verified"],
        "This claim was already verified.",
    ),
    "reject": (
        RepresentationStatus.REJECTED,
        ["representation.rejected"],
        "This claim was already rejected.",
    ),
    "withdraw": (RepresentationStatus.ENDED, [], "This claim was already withdrawn."),
}


def end(rep: Representation, actor: User) -> Representation:
    return end_representation(rep, actor=actor, reason="Rotated home.")


PAIRS = [(first, second) for first in ACTS for second in ACTS if first != second]


def stale_copy(app: Flask, rep_id: int) -> Representation:
    """The representation as a request read it (with its person and participant), in a
    session now closed: whatever is committed after this, the copy does not know."""
    with app.test_request_context():
        return get_representation(rep_id)


def act_and_commit(app: Flask, act: Callable[..., Any], rep_id: int, actor_id: int) -> None:
    with app.test_request_context():
        act(get_representation(rep_id), db.session.get(User, actor_id))
        db.session.commit()


def act_on_stale(
    app: Flask, act: Callable[..., Any], stale: Representation, actor_id: int
) -> Conflict:
    """*act* on the stale copy; the Conflict it must raise (its change rolled back)."""
    with app.test_request_context():
        db.session.add(stale)
        with pytest.raises(Conflict) as refused:
            act(stale, db.session.get(User, actor_id))
        db.session.rollback()
    return refused.value


@pytest.fixture
def actors(make_user):
    """The claimant and two staff members: one to verify, one to reject."""
    claimant = make_user()
    return {
        "claimant": claimant,
        "verify": make_user(staff=True),
        "reject": make_user(staff=True),
        "withdraw": claimant,
    }


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_a_decision_on_a_claim_read_before_another_decision_is_refused(
    app, make_claim, read, actors, first, second
):
    rep = make_claim(actors["claimant"])
    stale = stale_copy(app, rep.id)
    act_and_commit(app, ACTS[first], rep.id, actors[first].id)

    refused = act_on_stale(app, ACTS[second], stale, actors[second].id)

    status, notes, message = AFTER[first]
    assert str(refused.message) == message
    assert read(lambda: representation(rep.id).status) is status
    assert read(lambda: audit_actions("representation", rep.id)) == [
        "representation.claim",
        f"representation.{first}",
    ]
    assert read(lambda: notification_kinds(actors["claimant"])) == notes


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_the_second_decision_over_http_is_told_what_the_first_decided(
    client, login_as, make_claim, read, actors, first, second
):
    rep = make_claim(actors["claimant"])
    urls = {
        "verify": (f"/staff/representations/{rep.id}/verify", {}),
        "reject": (f"/staff/representations/{rep.id}/reject", {"reason": "Unknown."}),
        "withdraw": (f"/participants/claim/{rep.id}/withdraw", {}),
    }
    login_as(actors[first]).post(urls[first][0], data=urls[first][1])

    url, data = urls[second]
    response = login_as(actors[second]).post(url, data=data, follow_redirects=True)

    status, notes, message = AFTER[first]
    assert message in response.get_data(as_text=True)
    assert read(lambda: representation(rep.id).status) is status
    assert read(lambda: audit_actions("representation", rep.id)) == [
        "representation.claim",
        f"representation.{first}",
    ]
    assert read(lambda: notification_kinds(actors["claimant"])) == notes


@pytest.mark.parametrize("second", ["staff", "focal_point", "self"])
def test_ending_a_representation_read_before_it_ended_records_one_end(app, make_user, read, second):
    delegate = make_user(represent="GHA")
    enders = {
        "staff": make_user(staff=True),
        "focal_point": make_user(represent="GHA", focal_point=True),
        "self": delegate,
    }
    rep_id = read(lambda: representations_of(delegate)[0].id)
    stale = stale_copy(app, rep_id)
    act_and_commit(app, end, rep_id, make_user(staff=True).id)

    refused = act_on_stale(app, end, stale, enders[second].id)

    assert str(refused.message) == "This representation has already ended."
    assert read(lambda: audit_actions("representation", rep_id)) == ["representation.end"]
    assert read(lambda: notification_kinds(delegate)) == ["representation.ended"]


def test_ending_twice_over_http_records_one_end(client, make_user, login_as, read):
    delegate = make_user(represent="GHA")
    rep_id = read(lambda: representations_of(delegate)[0].id)
    url = f"/representations/{rep_id}/end"
    login_as(make_user(staff=True)).post(url, data={"reason": "Rotated home."})

    response = login_as(delegate).post(url, data={"reason": ""}, follow_redirects=True)

    assert "This representation has already ended." in response.get_data(as_text=True)
    assert read(lambda: audit_actions("representation", rep_id)) == ["representation.end"]
    assert read(lambda: representation(rep_id).ended_by_id) != delegate.id
