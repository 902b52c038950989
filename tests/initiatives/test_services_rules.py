"""The rules of initiatives, called as services (the same ones the pages and the API call)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from coalition.audit.models import AuditEvent
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import CoChair, Membership, MembershipRole, MembershipStatus
from coalition.bodies.queries import co_chairs_of, get_body, get_membership, open_membership
from coalition.db import utcnow
from coalition.errors import Conflict, InvalidValue, NotAllowed, NotFound
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import Initiative, InitiativeStatus
from coalition.notifications.models import Notification
from tests.conftest import state
from tests.initiatives import rules_support
from tests.initiatives.rules_support import endorse, events_for

world = rules_support.world  # fixture


def notifications_of(user, kind):
    return list(
        db.session.scalars(
            sa.select(Notification).where(
                Notification.user_id == user.id, Notification.kind == kind
            )
        )
    )


# -- proposing -----------------------------------------------------------------------------------


def test_proposing_makes_the_proposer_an_active_member_and_first_co_chair(world):
    initiative = world.initiative(activate=False, seat_limit=10)

    assert initiative.status is InitiativeStatus.PROPOSED
    assert initiative.slug == "cyber-norms"
    assert initiative.proposed_by_id == world.gha.id
    (membership,) = db.session.scalars(
        sa.select(Membership).where(Membership.body_id == initiative.id)
    ).all()
    assert (membership.participant_id, membership.status, membership.role) == (
        world.gha.id,
        MembershipStatus.ACTIVE,
        MembershipRole.MEMBER,
    )
    assert membership.since is not None
    assert [c.participant.code for c in co_chairs_of(initiative)] == ["GHA"]
    db.session.refresh(initiative)
    assert initiative.active_count == 1
    actions = {
        e.action
        for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.body_id == initiative.id)
        )
    }
    assert actions == {"initiative.propose", "membership.join", "co_chair.assign"}


def test_a_state_that_does_not_endorse_the_alliance_cannot_propose(world):
    with pytest.raises(NotAllowed, match="endorse"):
        services.propose_initiative(
            actor=world.member,
            title="Outer space",
            summary="Keep it peaceful.",
            axis="international_law",
            join_policy="open",
        )
    assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0


def test_an_organization_cannot_propose_even_if_it_endorses(world):
    endorse(world.org)
    with pytest.raises(NotAllowed, match="proposed by states"):
        services.propose_initiative(
            actor=world.org_user,
            title="Civic space",
            summary="Protect civic space.",
            axis="governance_gaps",
            join_policy="open",
        )


@pytest.mark.parametrize("role", ["anonymous", "plain", "staff"])
def test_someone_acting_for_no_participant_cannot_propose(world, role):
    with pytest.raises(NotAllowed):
        services.propose_initiative(
            actor=world.actor(role),
            title="Anything",
            summary="Anything.",
            axis="governance_gaps",
            join_policy="open",
        )


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("axis", {"axis": "peace"}),
        ("join_policy", {"join_policy": "lottery"}),
        ("title", {"title": "   "}),
        ("summary", {"summary": ""}),
        ("seat_limit", {"seat_limit": 0}),
        ("slug", {"slug": "Not A Slug!"}),
    ],
)
def test_proposing_refuses_invalid_values_naming_the_field(world, field, values):
    args = {
        "title": "Outer space",
        "summary": "Keep it peaceful.",
        "axis": "international_law",
        "join_policy": "open",
    }
    args.update(values)
    with pytest.raises(InvalidValue) as error:
        services.propose_initiative(actor=world.co_chair, **args)
    assert error.value.field == field


def test_slugs_are_generated_ascii_and_unique(world):
    first = world.initiative(title="Égalité des genres", activate=False)
    second = world.initiative(title="Égalité des genres", activate=False)
    assert first.slug == "egalite-des-genres"
    assert second.slug == "egalite-des-genres-2"


def test_an_explicit_slug_already_taken_is_refused_on_the_slug_field(world):
    world.initiative(title="Cyber norms", activate=False)
    with pytest.raises(Conflict) as error:
        services.propose_initiative(
            actor=world.co_chair,
            title="Other",
            summary="Other.",
            axis="governance_gaps",
            join_policy="open",
            slug="cyber-norms",
        )
    assert error.value.field == "slug"


def test_get_initiative_and_membership_raise_not_found(world):
    with pytest.raises(NotFound):
        get_body("nothing-here", kind=Initiative)
    with pytest.raises(NotFound):
        get_membership(999_999)


# -- status of the initiative --------------------------------------------------------------------


def test_staff_activate_then_conclude(world):
    initiative = world.initiative(activate=False)
    services.activate_initiative(initiative, actor=world.staff)
    assert initiative.status is InitiativeStatus.ACTIVE
    assert initiative.activated_at is not None
    assert initiative.launched_on == datetime.now(UTC).date()
    services.conclude_initiative(initiative, actor=world.staff)
    assert initiative.status is InitiativeStatus.CONCLUDED
    assert initiative.concluded_at is not None
    assert [e.action for e in events_for("initiative", initiative.id)][-2:] == [
        "initiative.activate",
        "initiative.conclude",
    ]


@pytest.mark.parametrize("role", ["anonymous", "plain", "other", "co_chair"])
def test_only_staff_change_the_status_of_an_initiative(world, role):
    initiative = world.initiative(activate=False)
    with pytest.raises(NotAllowed):
        services.activate_initiative(initiative, actor=world.actor(role))
    db.session.refresh(initiative)
    assert initiative.status is InitiativeStatus.PROPOSED


def test_activating_twice_or_concluding_a_proposal_is_a_conflict(world):
    initiative = world.initiative(activate=True)
    with pytest.raises(Conflict):
        services.activate_initiative(initiative, actor=world.staff)
    proposal = world.initiative(title="Other", activate=False)
    with pytest.raises(Conflict):
        services.conclude_initiative(proposal, actor=world.staff)


# -- editing -------------------------------------------------------------------------------------


def test_co_chairs_and_staff_edit_the_page(world):
    initiative = world.initiative()
    services.edit_initiative(initiative, actor=world.co_chair, title="Cyber norms now")
    services.edit_initiative(initiative, actor=world.staff, results="A declaration.")
    assert (initiative.title, initiative.results) == ("Cyber norms now", "A declaration.")
    assert [e.action for e in events_for("initiative", initiative.id)][-2:] == [
        "initiative.edit",
        "initiative.edit",
    ]


@pytest.mark.parametrize("role", ["anonymous", "plain", "other", "member"])
def test_others_cannot_edit_the_page(world, role):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    with pytest.raises(NotAllowed):
        services.edit_initiative(initiative, actor=world.actor(role), title="Hijacked")
    db.session.refresh(initiative)
    assert initiative.title == "Cyber norms"


def test_the_seat_limit_cannot_go_below_the_active_members(world):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    with pytest.raises(Conflict) as error:
        services.edit_initiative(initiative, actor=world.staff, seat_limit=1)
    assert error.value.field == "seat_limit"
    services.edit_initiative(initiative, actor=world.staff, seat_limit=2)
    assert initiative.seat_limit == 2


def test_editing_refuses_an_invalid_join_policy(world):
    initiative = world.initiative()
    with pytest.raises(InvalidValue) as error:
        services.edit_initiative(initiative, actor=world.staff, join_policy="lottery")
    assert error.value.field == "join_policy"


# -- joining -------------------------------------------------------------------------------------


def test_joining_an_open_initiative_takes_effect_at_once(world):
    initiative = world.initiative(policy="open")
    membership = memberships.join(initiative, actor=world.member, message="Glad to")
    assert membership.status is MembershipStatus.ACTIVE
    assert membership.role is MembershipRole.MEMBER
    assert membership.since is not None
    db.session.refresh(initiative)
    assert initiative.active_count == 2
    (event,) = events_for("membership", membership.id)
    assert (event.action, event.is_public, event.body_id, event.participant_id) == (
        "membership.join",
        True,
        initiative.id,
        world.fra.id,
    )
    assert event.after == {"status": "active"}


def test_an_organization_joins_as_a_partner(world):
    initiative = world.initiative(policy="open")
    membership = memberships.join(initiative, actor=world.org_user)
    assert membership.role is MembershipRole.PARTNER


def test_joining_an_approval_initiative_asks_the_co_chairs(world):
    initiative = world.initiative(policy="approval")
    membership = memberships.join(initiative, actor=world.member, message="Please")
    assert membership.status is MembershipStatus.PENDING
    assert membership.since is None
    db.session.refresh(initiative)
    assert initiative.active_count == 1
    assert len(notifications_of(world.co_chair, "membership.requested")) == 1
    assert [e.action for e in events_for("membership", membership.id)] == ["membership.request"]


def test_an_invitation_only_initiative_cannot_be_joined(world):
    initiative = world.initiative(policy="invitation")
    with pytest.raises(Conflict, match="only by invitation"):
        memberships.join(initiative, actor=world.member)
    assert open_membership(initiative, world.fra) is None


@pytest.mark.parametrize("activate", [False, True])
def test_only_active_initiatives_take_joins(world, activate):
    initiative = world.initiative(activate=activate)
    if activate:
        services.conclude_initiative(initiative, actor=world.staff)
    with pytest.raises(Conflict):
        memberships.join(initiative, actor=world.member)
    assert open_membership(initiative, world.fra) is None


@pytest.mark.parametrize(
    ("policy", "message"),
    [("open", "already a member"), ("approval", "already requested")],
)
def test_joining_twice_is_a_conflict(world, policy, message):
    initiative = world.initiative(policy=policy)
    memberships.join(initiative, actor=world.member)
    with pytest.raises(Conflict, match=message):
        memberships.join(initiative, actor=world.member)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.body_id == initiative.id, Membership.participant_id == world.fra.id
            )
        )
        == 1
    )


def test_joining_as_a_member_gives_the_seat_back(world):
    """The insert finds the membership (there is no lookup first): the seat it took for
    the second join is given back in the same transaction."""
    initiative = world.initiative(seat_limit=5)
    memberships.join(initiative, actor=world.member)
    with pytest.raises(Conflict, match="already a member"):
        memberships.join(initiative, actor=world.member)
    db.session.refresh(initiative)
    assert initiative.active_count == 2


def test_a_member_joining_a_full_body_is_told_it_is_a_member(world):
    initiative = world.initiative(seat_limit=2)
    memberships.join(initiative, actor=world.member)
    with pytest.raises(Conflict, match="already a member"):
        memberships.join(initiative, actor=world.member)


def test_an_invited_participant_asking_to_join_by_invitation_only_is_told_to_accept(world):
    initiative = world.initiative(policy="invitation")
    memberships.invite(initiative, world.fra, actor=world.co_chair)
    with pytest.raises(Conflict, match="accept the invitation"):
        memberships.join(initiative, actor=world.member)


def test_joining_while_invited_says_to_accept_the_invitation(world):
    initiative = world.initiative(policy="approval")
    memberships.invite(initiative, world.fra, actor=world.co_chair)
    with pytest.raises(Conflict, match="accept the invitation"):
        memberships.join(initiative, actor=world.member)


@pytest.mark.parametrize("role", ["anonymous", "plain"])
def test_joining_needs_a_verified_participant(world, role):
    initiative = world.initiative()
    with pytest.raises(NotAllowed):
        memberships.join(initiative, actor=world.actor(role))


def test_after_leaving_a_participant_may_join_again_and_history_is_kept(world):
    initiative = world.initiative()
    first = memberships.join(initiative, actor=world.member)
    memberships.withdraw(first, actor=world.member)
    second = memberships.join(initiative, actor=world.member)
    assert first.id != second.id
    assert first.status is MembershipStatus.WITHDRAWN
    assert first.ended_at is not None
    assert second.status is MembershipStatus.ACTIVE


# -- the seat limit ------------------------------------------------------------------------------


def test_the_seat_limit_refuses_one_more_active_member(world):
    initiative = world.initiative(seat_limit=2)
    memberships.join(initiative, actor=world.member)
    with pytest.raises(Conflict, match="seat limit"):
        memberships.join(initiative, actor=world.other)
    assert open_membership(initiative, world.deu) is None
    db.session.refresh(initiative)
    assert initiative.active_count == 2


def test_the_seat_limit_holds_on_approval_and_a_withdrawal_frees_a_seat(world):
    initiative = world.initiative(policy="approval", seat_limit=2)
    fra = memberships.join(initiative, actor=world.member)
    deu = memberships.join(initiative, actor=world.other)
    memberships.approve(fra, actor=world.co_chair)
    with pytest.raises(Conflict, match="seat limit"):
        memberships.approve(deu, actor=world.co_chair)
    assert deu.status is MembershipStatus.PENDING
    memberships.withdraw(fra, actor=world.member)
    memberships.approve(deu, actor=world.co_chair)
    assert deu.status is MembershipStatus.ACTIVE
    db.session.refresh(initiative)
    assert initiative.active_count == 2


def test_the_active_count_always_equals_the_active_memberships(world):
    initiative = world.initiative(policy="approval")
    fra = memberships.join(initiative, actor=world.member)
    memberships.approve(fra, actor=world.staff)
    inv = memberships.invite(initiative, world.deu, actor=world.co_chair)
    memberships.accept_invitation(inv, actor=world.other)
    memberships.remove(fra, actor=world.staff, reason="Asked to leave")
    db.session.refresh(initiative)
    active = db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.body_id == initiative.id, Membership.status == MembershipStatus.ACTIVE
        )
    )
    assert initiative.active_count == active == 2


# -- deciding, answering, leaving ----------------------------------------------------------------


def test_approving_activates_and_notifies_the_member(world):
    initiative = world.initiative(policy="approval")
    membership = memberships.join(initiative, actor=world.member)
    memberships.approve(membership, actor=world.co_chair)
    assert membership.status is MembershipStatus.ACTIVE
    assert membership.since is not None
    assert len(notifications_of(world.member, "membership.approved")) == 1
    event = events_for("membership", membership.id)[-1]
    assert (event.action, event.before, event.after) == (
        "membership.approve",
        {"status": "pending"},
        {"status": "active", "acted_for": "GHA"},
    )


def test_declining_keeps_the_reason_and_notifies(world):
    initiative = world.initiative(policy="approval")
    membership = memberships.join(initiative, actor=world.member)
    memberships.decline(membership, actor=world.co_chair, reason="Not now")
    assert (membership.status, membership.reason) == (MembershipStatus.DECLINED, "Not now")
    assert membership.ended_at is not None
    assert len(notifications_of(world.member, "membership.declined")) == 1


def test_a_decided_request_cannot_be_decided_again(world):
    initiative = world.initiative(policy="approval")
    membership = memberships.join(initiative, actor=world.member)
    memberships.approve(membership, actor=world.co_chair)
    with pytest.raises(Conflict, match="already been decided"):
        memberships.decline(membership, actor=world.staff)
    assert membership.status is MembershipStatus.ACTIVE


def test_a_cancelled_request_cannot_be_approved(world):
    initiative = world.initiative(policy="approval")
    membership = memberships.join(initiative, actor=world.member)
    memberships.cancel_request(membership, actor=world.member)
    with pytest.raises(Conflict, match="cancelled"):
        memberships.approve(membership, actor=world.co_chair)
    assert membership.status is MembershipStatus.CANCELLED


def test_a_stale_object_still_cannot_decide_twice(world):
    """Two co-chairs load the same request; the second decision is told it came late."""
    initiative = world.initiative(policy="approval")
    membership = memberships.join(initiative, actor=world.member)
    db.session.execute(
        sa.update(Membership)
        .where(Membership.id == membership.id)
        .values(status=MembershipStatus.DECLINED, ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    assert membership.status is MembershipStatus.PENDING  # stale in memory
    with pytest.raises(Conflict, match="declined"):
        memberships.approve(membership, actor=world.co_chair)
    assert membership_status(membership.id) is MembershipStatus.DECLINED
    db.session.refresh(initiative)
    assert initiative.active_count == 1


def membership_status(membership_id):
    return db.session.scalar(sa.select(Membership.status).where(Membership.id == membership_id))


def test_invitations_are_accepted_or_declined_by_the_invitee(world):
    initiative = world.initiative(policy="invitation")
    fra = memberships.invite(initiative, world.fra, actor=world.co_chair, message="Join us")
    assert fra.status is MembershipStatus.INVITED
    assert len(notifications_of(world.member, "membership.invited")) == 1
    memberships.accept_invitation(fra, actor=world.member)
    assert fra.status is MembershipStatus.ACTIVE
    assert len(notifications_of(world.co_chair, "membership.invitation_accepted")) == 1

    deu = memberships.invite(initiative, world.deu, actor=world.staff)
    memberships.decline_invitation(deu, actor=world.other)
    assert deu.status is MembershipStatus.DECLINED
    assert len(notifications_of(world.co_chair, "membership.invitation_declined")) == 1


def test_inviting_a_member_is_a_conflict(world):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    with pytest.raises(Conflict, match="already a member"):
        memberships.invite(initiative, world.fra, actor=world.co_chair)


def test_an_invitation_cannot_be_accepted_once_the_initiative_concluded(world):
    initiative = world.initiative(policy="invitation")
    membership = memberships.invite(initiative, world.fra, actor=world.co_chair)
    services.conclude_initiative(initiative, actor=world.staff)
    with pytest.raises(Conflict):
        memberships.accept_invitation(membership, actor=world.member)
    # Concluding revoked it, recorded; accepting changes nothing.
    assert membership.status is MembershipStatus.REVOKED


def test_a_revoked_invitation_cannot_be_accepted(world):
    initiative = world.initiative(policy="invitation")
    membership = memberships.invite(initiative, world.fra, actor=world.co_chair)
    memberships.revoke_invitation(membership, actor=world.co_chair)
    with pytest.raises(Conflict, match="revoked"):
        memberships.accept_invitation(membership, actor=world.member)


def test_staff_add_a_member_directly(world):
    initiative = world.initiative(policy="invitation")
    membership = memberships.add_member(initiative, world.fra, actor=world.staff)
    assert membership.status is MembershipStatus.ACTIVE
    assert events_for("membership", membership.id)[0].action == "membership.add"


def test_removal_needs_a_reason_and_notifies(world):
    initiative = world.initiative()
    membership = memberships.join(initiative, actor=world.member)
    with pytest.raises(InvalidValue) as error:
        memberships.remove(membership, actor=world.staff, reason="  ")
    assert error.value.field == "reason"
    assert membership.status is MembershipStatus.ACTIVE
    memberships.remove(membership, actor=world.staff, reason="Left the Alliance")
    assert (membership.status, membership.reason) == (MembershipStatus.REMOVED, "Left the Alliance")
    assert len(notifications_of(world.member, "membership.removed")) == 1


# -- co-chairs (invariant 5) ---------------------------------------------------------------------


def test_a_co_chair_must_be_an_active_state_member(world):
    initiative = world.initiative(policy="approval")
    with pytest.raises(Conflict, match="active member"):
        co_chairs.assign_co_chair(initiative, world.fra, actor=world.staff)
    pending = memberships.join(initiative, actor=world.member)
    with pytest.raises(Conflict, match="active member"):
        co_chairs.assign_co_chair(initiative, world.fra, actor=world.staff)
    memberships.approve(pending, actor=world.co_chair)
    co_chair = co_chairs.assign_co_chair(initiative, world.fra, actor=world.staff)
    assert co_chair.ended_at is None
    assert [c.participant.code for c in co_chairs_of(initiative)] == ["GHA", "FRA"]


def test_an_organization_cannot_co_chair(world):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.org_user)
    with pytest.raises(Conflict, match="states"):
        co_chairs.assign_co_chair(initiative, world.org, actor=world.staff)


def test_assigning_a_co_chair_twice_is_a_conflict(world):
    initiative = world.initiative()
    with pytest.raises(Conflict, match="already a co-chair"):
        co_chairs.assign_co_chair(initiative, world.gha, actor=world.staff)


@pytest.mark.parametrize("role", ["anonymous", "plain", "other", "member", "co_chair"])
def test_only_staff_assign_and_end_co_chairs(world, role):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    with pytest.raises(NotAllowed):
        co_chairs.assign_co_chair(initiative, world.fra, actor=world.actor(role))
    with pytest.raises(NotAllowed):
        co_chairs.end_co_chair(initiative, world.gha, actor=world.actor(role))
    assert [c.participant.code for c in co_chairs_of(initiative)] == ["GHA"]


def test_the_last_co_chair_of_an_active_initiative_cannot_leave(world):
    initiative = world.initiative()
    gha_membership = open_membership(initiative, world.gha)
    with pytest.raises(Conflict, match="at least one co-chair"):
        co_chairs.end_co_chair(initiative, world.gha, actor=world.staff)
    with pytest.raises(Conflict, match="handing over"):
        memberships.withdraw(gha_membership, actor=world.co_chair)
    with pytest.raises(Conflict, match="at least one co-chair"):
        memberships.remove(gha_membership, actor=world.staff, reason="Testing")
    assert gha_membership.status is MembershipStatus.ACTIVE
    assert len(co_chairs_of(initiative)) == 1


def test_a_co_chair_hands_over_then_withdraws(world):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    co_chairs.assign_co_chair(initiative, world.fra, actor=world.staff)
    gha_membership = open_membership(initiative, world.gha)
    with pytest.raises(Conflict, match="handing over"):
        memberships.withdraw(gha_membership, actor=world.co_chair)
    ended = co_chairs.end_co_chair(initiative, world.gha, actor=world.staff)
    assert ended.ended_at is not None
    memberships.withdraw(gha_membership, actor=world.co_chair)
    assert gha_membership.status is MembershipStatus.WITHDRAWN
    assert [c.participant.code for c in co_chairs_of(initiative)] == ["FRA"]
    # GHA's delegate no longer manages the initiative.
    with pytest.raises(NotAllowed):
        services.edit_initiative(initiative, actor=world.co_chair, title="Mine")


def test_removing_a_co_chair_ends_the_role_when_another_remains(world):
    initiative = world.initiative()
    fra = memberships.join(initiative, actor=world.member)
    co_chairs.assign_co_chair(initiative, world.fra, actor=world.staff)
    memberships.remove(fra, actor=world.staff, reason="Rotation")
    assert [c.participant.code for c in co_chairs_of(initiative)] == ["GHA"]
    ended = db.session.scalar(
        sa.select(CoChair).where(
            CoChair.body_id == initiative.id, CoChair.participant_id == fra.participant_id
        )
    )
    assert ended.ended_at is not None


def test_activation_needs_a_co_chair(world):
    initiative = world.initiative(activate=False)
    db.session.execute(
        sa.update(CoChair).where(CoChair.body_id == initiative.id).values(ended_at=utcnow())
    )
    with pytest.raises(Conflict, match="co-chair"):
        services.activate_initiative(initiative, actor=world.staff)


def test_a_co_chair_delegate_decides_only_its_own_bodies(world):
    mine = world.initiative(policy="approval", title="Mine")
    endorse(state("DEU"))
    theirs = services.propose_initiative(
        actor=world.other,
        title="Theirs",
        summary="Another one.",
        axis="international_law",
        join_policy="approval",
    )
    services.activate_initiative(theirs, actor=world.staff)
    request = memberships.join(theirs, actor=world.member)
    with pytest.raises(NotAllowed):
        memberships.approve(request, actor=world.co_chair)
    assert request.status is MembershipStatus.PENDING
    assert open_membership(mine, world.fra) is None
