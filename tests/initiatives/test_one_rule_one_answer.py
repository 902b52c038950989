"""One rule, one answer: the page offers exactly what the service accepts, and every way in
(form, API, service, command line) applies the same limits and lookups.

Each test here reproduces a disagreement a review found between two places that used to
restate the same rule.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coalition import limits
from coalition.accounts.models import User
from coalition.audit.models import AuditEvent
from coalition.bodies import memberships, rules
from coalition.errors import DomainError, InvalidValue
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import InitiativeStatus
from tests.initiatives import rules_support

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture

JOIN_BUTTON = re.compile(r'<button type="submit">(Join|Request to join)</button>')


@pytest.mark.parametrize("policy", ["open", "approval", "invitation"])
@pytest.mark.parametrize("status", ["proposed", "active", "concluded"])
@pytest.mark.parametrize("role", ["plain", "other", "member", "org_user", "co_chair", "staff"])
def test_the_page_offers_joining_exactly_when_the_service_accepts_it(
    world, login_as, role, status, policy
):
    initiative = world.initiative(policy=policy, activate=status != "proposed")
    if status == "concluded":
        services.conclude_initiative(initiative, actor=world.staff)
    db.session.commit()
    user = world.actor(role)
    page = login_as(user).get(f"/initiatives/{initiative.slug}").get_data(as_text=True)
    offered = JOIN_BUTTON.search(page) is not None

    refusal = rules.join_refusal(db.session.get(User, user.id), initiative)
    refused_with = None
    try:
        with db.session.begin_nested() as attempt:
            memberships.join(initiative, actor=db.session.get(User, user.id))
            attempt.rollback()
    except DomainError as error:
        refused_with = str(error.message)
    assert refused_with == (str(refusal) if refusal else None)
    assert offered == (refused_with is None)
    if not offered and role in ("other", "member", "org_user"):
        # The page says why, in the service's words (a member sees its membership instead).
        assert str(refusal).replace("'", "&#39;") in page


def test_the_seat_limit_has_one_maximum_in_the_form_the_api_and_the_service(
    world, login_as, client, api_headers
):
    from tests.initiatives.rules_support import endorse

    endorse(world.fra)
    db.session.commit()
    too_many = limits.SEAT_LIMIT_MAX + 1
    fields = {"title": "Oceans", "summary": "Seas.", "axis": "governance_gaps"}

    page = login_as(world.member).post(
        "/initiatives/propose", data={**fields, "join_policy": "open", "seat_limit": too_many}
    )
    assert page.status_code == 422
    assert f"Number must be between 1 and {limits.SEAT_LIMIT_MAX}" in page.get_data(as_text=True)

    response = client.post(
        "/api/v1/initiatives",
        json={**fields, "join_policy": "open", "seat_limit": too_many},
        headers=api_headers(world.member),
    )
    assert response.status_code == 422
    assert "seat_limit" in response.get_json()["errors"]

    with pytest.raises(InvalidValue) as error:
        services.propose_initiative(
            actor=world.member, join_policy="open", seat_limit=too_many, **fields
        )
    assert error.value.field == "seat_limit"

    response = client.post(
        "/api/v1/initiatives",
        json={**fields, "join_policy": "open", "seat_limit": limits.SEAT_LIMIT_MAX},
        headers=api_headers(world.member),
    )
    assert response.status_code == 201


def test_withdrawing_an_endorsement_finds_the_participant_as_every_lookup_does(
    world, client, api_headers
):
    rules_support.endorse(world.fra)
    db.session.commit()
    assert client.get("/api/v1/participants/fra").status_code == 200
    response = client.delete("/api/v1/alliance/endorsements/fra", headers=api_headers(world.member))
    assert response.status_code == 204


def test_an_empty_invitation_says_so_once(world, login_as):
    initiative = world.initiative()
    db.session.commit()
    response = login_as(world.co_chair).post(
        f"/initiatives/{initiative.slug}/invite",
        data={"invite-participant": "", "invite-message": ""},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert page.count('class="flash flash-error"') == 1
    assert "Choose the participant to invite." in page


def test_granting_staff_rights_on_the_command_line_is_recorded(app, runner):
    result = runner.invoke(
        args=["user", "create", "staff@example.org", "--password", "long enough pw", "--staff"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "staff@example.org"))
        assert user.is_staff
        event = db.session.scalar(
            sa.select(AuditEvent).where(
                AuditEvent.action == "user.staff_rights", AuditEvent.object_id == user.id
            )
        )
        assert event is not None
        assert event.actor_id is None
        assert event.after == {"is_staff": True, "is_admin": False}


def test_an_initiative_status_is_still_a_known_value():
    # Guards the parametrization above against a renamed status.
    assert {s.value for s in InitiativeStatus} == {"proposed", "active", "concluded"}
