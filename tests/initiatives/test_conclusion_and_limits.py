"""Concluding closes what waits for a decision; slugs and sizes have limits."""

from __future__ import annotations

import pytest

from coalition import limits
from coalition.bodies import memberships
from coalition.bodies.models import MembershipStatus
from coalition.bodies.queries import open_membership
from coalition.errors import Conflict, InvalidValue
from coalition.initiatives import services
from tests.initiatives import rules_support
from tests.initiatives.rules_support import events_for

world = rules_support.world


def test_concluding_cancels_pending_requests_and_revokes_invitations(world):
    initiative = world.initiative(policy="approval")
    request = memberships.join(initiative, actor=world.member)
    invitation = memberships.invite(initiative, world.deu, actor=world.co_chair)

    services.conclude_initiative(initiative, actor=world.staff)

    assert request.status is MembershipStatus.CANCELLED
    assert invitation.status is MembershipStatus.REVOKED
    assert request.reason == "The initiative was concluded."
    assert [e.action for e in events_for("membership", request.id)][-1] == "membership.cancel"
    assert [e.action for e in events_for("membership", invitation.id)][-1] == "membership.revoke"
    # The proposer's active membership stays: the record of who took part is kept.
    assert open_membership(initiative, world.gha).status is MembershipStatus.ACTIVE


def test_an_initiative_cannot_take_a_fixed_path_as_its_slug(world):
    initiative = world.initiative(title="Propose")
    assert initiative.slug != "propose"
    # Taken by the site's own page, /initiatives/propose: a conflict, as a taken slug is.
    with pytest.raises(Conflict) as error:
        services.propose_initiative(
            actor=world.co_chair,
            title="Anything",
            summary="S",
            axis="governance_gaps",
            join_policy="open",
            slug="propose",
        )
    assert error.value.field == "slug"


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "x" * (limits.TEXT_MAX + 1)), ("seat_limit", limits.SEAT_LIMIT_MAX + 1)],
)
def test_the_service_refuses_what_the_form_would_refuse(world, field, value):
    with pytest.raises(InvalidValue) as error:
        services.propose_initiative(
            actor=world.co_chair,
            title="Big",
            summary="S",
            axis="governance_gaps",
            join_policy="open",
            **{field: value},
        )
    assert error.value.field == field


def test_an_overlong_message_is_refused(world):
    initiative = world.initiative(policy="approval")
    with pytest.raises(InvalidValue) as error:
        memberships.join(initiative, actor=world.member, message="x" * (limits.NOTE_MAX + 1))
    assert error.value.field == "message"


def test_a_co_chairs_decision_records_whom_the_co_chair_spoke_for(world):
    initiative = world.initiative(policy="approval")
    request = memberships.join(initiative, actor=world.member)
    memberships.approve(request, actor=world.co_chair)
    approval = events_for("membership", request.id)[-1]
    assert approval.action == "membership.approve"
    assert approval.participant_id == world.fra.id  # the member: the public history
    assert approval.actor_id == world.co_chair.id
    assert approval.after["acted_for"] == "GHA"  # the co-chair's state
