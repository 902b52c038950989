"""Invitation follows membership: a participant that joins later is invited to the
body's future meetings; one that withdraws (or is removed) is no longer invited to them;
past meetings keep their invitees and answers; guests stay guests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.bodies import memberships
from coalition.bodies.models import Membership, MembershipStatus
from coalition.extensions import db
from coalition.meetings import invitations, rsvps
from coalition.meetings.models import Invitation, InvitationSource, Rsvp
from tests.conftest import state
from tests.initiatives.rules_support import endorse
from tests.meetings.conftest import schedule, wall


def invited_codes(meeting) -> set[str]:
    return {i.participant.code for i in invitations.invitees(meeting)}


def _past(mw, **values):
    return schedule(
        mw, actor=mw.staff, start=wall(-10, 9), end=wall(-10, 11), record_past=True, **values
    )


def test_the_bodys_active_members_are_invited_when_it_is_scheduled(mw):
    meeting = schedule(mw)
    assert invited_codes(meeting) == {"GHA", "FRA"}


def test_a_participant_that_joins_later_is_invited_to_future_meetings_only(mw):
    past = _past(mw)
    future = schedule(mw)
    memberships.join(mw.initiative, actor=mw.other)  # DEU joins (open policy)
    db.session.commit()
    assert "DEU" in invited_codes(future)
    assert "DEU" not in invited_codes(past)


def test_approval_invitation_and_direct_addition_invite_too(mw, make_user):
    future = schedule(mw)
    membership = memberships.invite(mw.initiative, state("DEU"), actor=mw.co_chair)
    assert "DEU" not in invited_codes(future)  # invited to the body is not a member yet
    memberships.accept_invitation(membership, actor=mw.other)
    memberships.add_member(mw.initiative, state("CAN"), actor=mw.staff)
    db.session.commit()
    assert {"DEU", "CAN"} <= invited_codes(future)


def test_a_participant_that_withdraws_is_not_invited_to_future_meetings(mw):
    past = _past(mw)
    rsvps_past = Rsvp(
        meeting_id=past.id,
        participant_id=state("FRA").id,
        response="attending",
        answered_by_id=mw.member.id,
    )
    db.session.add(rsvps_past)
    future = schedule(mw)
    rsvps.answer(future, actor=mw.member, response="attending")
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.participant_id == state("FRA").id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    memberships.withdraw(membership, actor=mw.member)
    db.session.commit()
    assert "FRA" not in invited_codes(future)
    # The past meeting keeps its invitee and its answer.
    assert "FRA" in invited_codes(past)
    assert (
        db.session.scalar(sa.select(Rsvp.response).where(Rsvp.meeting_id == past.id)).value
        == "attending"
    )
    # The withdrawn invitation is kept, closed, not deleted.
    row = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.meeting_id == future.id, Invitation.participant_id == state("FRA").id
        )
    )
    assert row.withdrawn_at is not None


def test_a_removed_member_is_not_invited_to_future_meetings(mw):
    future = schedule(mw)
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.participant_id == state("FRA").id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    memberships.remove(membership, actor=mw.staff, reason="Asked to leave")
    db.session.commit()
    assert "FRA" not in invited_codes(future)


def test_rejoining_invites_again(mw):
    future = schedule(mw)
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.participant_id == state("FRA").id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    memberships.withdraw(membership, actor=mw.member)
    memberships.join(mw.initiative, actor=mw.member)
    db.session.commit()
    assert "FRA" in invited_codes(future)
    rows = db.session.scalars(
        sa.select(Invitation).where(
            Invitation.meeting_id == future.id, Invitation.participant_id == state("FRA").id
        )
    ).all()
    assert len(rows) == 2  # the history: one withdrawn, one open


def test_a_guest_stays_invited_when_a_membership_of_its_own_ends(mw):
    future = schedule(mw)
    invitations.add_guest(future, state("DEU"), actor=mw.co_chair)
    memberships.join(mw.initiative, actor=mw.other)
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.participant_id == state("DEU").id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    memberships.withdraw(membership, actor=mw.other)
    db.session.commit()
    open_rows = db.session.scalars(
        sa.select(Invitation).where(
            Invitation.meeting_id == future.id,
            Invitation.participant_id == state("DEU").id,
            Invitation.withdrawn_at.is_(None),
        )
    ).all()
    assert [r.source for r in open_rows] == [InvitationSource.GUEST]


def test_cancelled_meetings_are_not_joined_later(mw):
    from coalition.meetings import services

    future = schedule(mw)
    services.cancel(future, actor=mw.co_chair)
    memberships.join(mw.initiative, actor=mw.other)
    db.session.commit()
    assert "DEU" not in invited_codes(future)


def test_alliance_wide_meetings_invite_the_endorsers(mw):
    endorse(state("SGP"))
    meeting = schedule(mw, actor=mw.staff, body=None)
    assert {"GHA", "SGP"} <= invited_codes(meeting)
    assert "DEU" not in invited_codes(meeting)


def test_meetings_invitations_and_answers_are_never_deleted(mw):
    """The database refuses, whatever code runs against it."""
    meeting = schedule(mw)
    rsvps.answer(meeting, actor=mw.member, response="declined")
    db.session.commit()
    for table in ("meeting_rsvps", "meeting_invitations", "meetings"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.session.begin_nested():
            db.session.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608


def test_joining_costs_one_statement_for_invitations_however_many_meetings(
    mw, client, count_queries, make_user
):
    """The membership hook is one INSERT … SELECT: an open join runs as many statements
    with fifty future meetings as with none."""
    from tests.conftest import PASSWORD

    def join_as(code: str) -> int:
        user = make_user(represent=code)
        client.post("/logout")
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        with count_queries() as q:
            response = client.post(f"/initiatives/{mw.initiative.slug}/join")
        assert response.status_code == 303
        return q.count

    none = join_as("DEU")
    for n in range(50):
        schedule(mw, title=f"Session {n}", start=wall(10 + n, 9), end=wall(10 + n, 10))
    many = join_as("CAN")
    assert many == none
    invited = db.session.scalar(
        sa.select(sa.func.count(Invitation.id)).where(
            Invitation.participant_id == state("CAN").id, Invitation.withdrawn_at.is_(None)
        )
    )
    assert invited == 50
