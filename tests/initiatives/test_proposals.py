"""Proposals: a participant has at most limits.PROPOSALS_WAITING_MAX of them waiting at
once (the rule in the services, answered alike by the pages and the API); the
Secretariat lists the proposals waiting and refuses them, saying why."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition import limits
from coalition.bodies import memberships
from coalition.bodies.models import MembershipStatus
from coalition.errors import Conflict, InvalidValue, NotAllowed
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import Initiative, InitiativeStatus
from tests.initiatives import rules_support
from tests.initiatives.rules_support import events_for

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture

API = "/api/v1"


def propose(world, n: int) -> Initiative:
    return world.initiative(title=f"Proposal {n}", activate=False)


def count(status: InitiativeStatus) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Initiative.id)).where(Initiative.status == status)
    )


# -- the limit, in the services ------------------------------------------------------------


def test_a_participant_may_have_only_so_many_proposals_waiting(world):
    for n in range(limits.PROPOSALS_WAITING_MAX):
        propose(world, n)
    with pytest.raises(Conflict) as error:
        propose(world, 99)
    assert "Ghana already has 3 proposals waiting" in str(error.value.message)
    assert count(InitiativeStatus.PROPOSED) == limits.PROPOSALS_WAITING_MAX


def test_activated_or_refused_proposals_no_longer_count(world):
    first, second, _third = (propose(world, n) for n in range(3))
    services.activate_initiative(first, actor=world.staff)
    propose(world, 3)  # activated: one place free
    services.refuse_proposal(second, actor=world.staff, reason="Duplicates an active one.")
    propose(world, 4)  # refused: another place free
    with pytest.raises(Conflict):
        propose(world, 5)


def test_the_limit_is_per_participant(world):
    for n in range(limits.PROPOSALS_WAITING_MAX):
        propose(world, n)
    rules_support.endorse(world.fra)
    services.propose_initiative(
        actor=world.member,
        title="France's idea",
        summary="Another participant's proposal.",
        axis="governance_gaps",
        join_policy="open",
    )
    assert count(InitiativeStatus.PROPOSED) == limits.PROPOSALS_WAITING_MAX + 1


# -- the limit, through both interfaces ---------------------------------------------------------


def test_the_api_answers_409_once_the_limit_is_reached(world, client, api_headers):
    for n in range(limits.PROPOSALS_WAITING_MAX):
        propose(world, n)
    db.session.commit()
    response = client.post(
        f"{API}/initiatives",
        json={
            "title": "One more",
            "summary": "S.",
            "axis": "governance_gaps",
            "join_policy": "open",
        },
        headers=api_headers(world.co_chair),
    )
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "proposals waiting" in response.get_json()["detail"]


def test_the_propose_page_says_why_and_refuses_with_409(world, client, login_as):
    for n in range(limits.PROPOSALS_WAITING_MAX):
        propose(world, n)
    db.session.commit()
    login_as(world.co_chair)
    page = client.get("/initiatives/propose").get_data(as_text=True)
    assert "Ghana already has 3 proposals waiting for the Secretariat" in page
    assert '<form method="post" action="/initiatives/propose"' not in page
    response = client.post(
        "/initiatives/propose",
        data={
            "title": "One more",
            "summary": "S.",
            "axis": "governance_gaps",
            "join_policy": "open",
        },
    )
    assert response.status_code == 409
    assert "proposals waiting" in response.get_data(as_text=True)
    directory = client.get("/initiatives").get_data(as_text=True)
    assert "/initiatives/propose" not in directory
    assert "Ghana already has 3 proposals waiting" in directory


# -- refusing -------------------------------------------------------------------------------


def test_staff_refuse_a_proposal_with_a_reason_recorded_in_public(world):
    initiative = propose(world, 1)
    invitation = memberships.invite(initiative, world.deu, actor=world.co_chair)
    with pytest.raises(InvalidValue) as error:
        services.refuse_proposal(initiative, actor=world.staff, reason="  ")
    assert error.value.field == "reason"

    services.refuse_proposal(initiative, actor=world.staff, reason="Outside the Alliance's aims.")

    assert initiative.status is InitiativeStatus.CONCLUDED
    assert initiative.was_refused
    assert invitation.status is MembershipStatus.REVOKED
    event = events_for("initiative", initiative.id)[-1]
    assert (event.action, event.is_public) == ("initiative.refuse", True)
    assert event.after["reason"] == "Outside the Alliance's aims."


@pytest.mark.parametrize("role", ["co_chair", "member", "plain"])
def test_only_staff_refuse(world, role):
    initiative = propose(world, 1)
    with pytest.raises(NotAllowed):
        services.refuse_proposal(initiative, actor=getattr(world, role), reason="No.")
    assert initiative.status is InitiativeStatus.PROPOSED


def test_only_a_proposal_can_be_refused(world):
    initiative = world.initiative()
    with pytest.raises(Conflict):
        services.refuse_proposal(initiative, actor=world.staff, reason="Too late.")
    assert initiative.status is InitiativeStatus.ACTIVE


def test_the_staff_list_shows_waiting_proposals_and_refuses_one(world, client, login_as):
    waiting = propose(world, 1)
    propose(world, 2)
    world.initiative(title="Already active")
    db.session.commit()
    login_as(world.staff)
    page = client.get("/staff/proposals")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Proposal 1" in html
    assert "Proposal 2" in html
    assert "Already active" not in html
    assert "Proposed by Ghana" in html
    assert "2 proposals waiting" in html

    response = client.post(
        f"/initiatives/{waiting.slug}/refuse",
        data={"refuse-reason": "Please merge it with Proposal 2.", "back": "staff"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/proposals")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The proposal “Proposal 1” is refused" in html
    assert ">Proposal 1</a>" not in html
    assert "1 proposal waiting" in html
    history = client.get(f"/initiatives/{waiting.slug}/history").get_data(as_text=True)
    assert "The Secretariat refused the proposal: Please merge it with Proposal 2." in history
    refused = client.get("/initiatives?status=concluded").get_data(as_text=True)
    assert "proposal refused" in refused


def test_refusing_without_a_reason_changes_nothing(world, client, login_as):
    initiative = propose(world, 1)
    db.session.commit()
    login_as(world.staff)
    response = client.post(f"/initiatives/{initiative.slug}/refuse", data={"refuse-reason": ""})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Initiative, initiative.id).status is InitiativeStatus.PROPOSED


@pytest.mark.parametrize("role", ["anonymous", "co_chair", "member"])
def test_only_staff_see_the_list_and_refuse_through_the_pages(world, client, login_as, role):
    initiative = propose(world, 1)
    db.session.commit()
    if role != "anonymous":
        login_as(getattr(world, role))
    assert client.get("/staff/proposals").status_code in (302, 403)
    response = client.post(f"/initiatives/{initiative.slug}/refuse", data={"refuse-reason": "No"})
    assert response.status_code in (302, 403)
    db.session.expire_all()
    assert db.session.get(Initiative, initiative.id).status is InitiativeStatus.PROPOSED
