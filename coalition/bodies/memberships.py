"""The membership machine, for every kind of body: join, request, invite, add, decide,
answer, cancel, withdraw, remove, and what ends with a departure.

Every act takes the acting user as `actor`, asks coalition.bodies.rules whether it is
allowed (raising its Refusal otherwise), changes the row, records one public audit event
and notifies whom it concerns; it never commits. The parts it is built of (the insert,
the conditional UPDATE, the seat count, the locks) are coalition.bodies.machine's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from coalition import limits, permissions
from coalition.bodies import rules
from coalition.bodies.co_chairs import end_co_chair_row
from coalition.bodies.machine import (
    co_chair_row,
    create,
    create_many,
    lock_body,
    notify_co_chairs,
    notify_member,
    notify_members,
    record_change,
    transition,
)
from coalition.bodies.models import (
    Body,
    JoinPolicy,
    Membership,
    MembershipStatus,
)
from coalition.bodies.queries import co_chairs_of
from coalition.bodies.terms import clean_term_end
from coalition.errors import InvalidValue, refuse
from coalition.extensions import db
from coalition.text import clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant

__all__ = ["lock_body"]  # used by co-chairs and lifecycles, which lock the body first


def _note(value: str | None, field: str) -> str | None:
    return clean_text(value, field, max_length=limits.NOTE_MAX) or None


# -- joining and inviting -----------------------------------------------------------------


def join(body: Body, *, actor: User, message: str | None = None) -> Membership:
    """The actor's participant joins (open policy) or asks to join (approval policy)."""
    # Its open membership, if any, is not looked up first: the insert finds it (and says
    # so as the rule would), one query fewer on every join. Only when another rule
    # refuses is it looked up, as it is the better answer.
    if rules.join_refusal(actor, body, own=None) is not None:
        refuse(rules.join_refusal(actor, body))
    participant = permissions.require_acting_participant(actor)
    message = _note(message, "message")
    if body.join_policy is JoinPolicy.OPEN:
        membership = create(
            body, participant, actor=actor, status=MembershipStatus.ACTIVE, message=message
        )
        record_change("membership.join", membership, actor, None)
        return membership
    membership = create(
        body, participant, actor=actor, status=MembershipStatus.PENDING, message=message
    )
    record_change("membership.request", membership, actor, None)
    notify_co_chairs(membership, "membership.requested", asks=True, message=membership.message)
    return membership


def invite(
    body: Body, participant: Participant, *, actor: User, message: str | None = None
) -> Membership:
    """Co-chairs (and staff) invite a participant; it accepts or declines."""
    refuse(rules.invite_refusal(actor, body, participant))
    membership = create(
        body,
        participant,
        actor=actor,
        status=MembershipStatus.INVITED,
        message=_note(message, "message"),
        by_manager=True,
    )
    record_change("membership.invite", membership, actor, None)
    notify_member(membership, "membership.invited", asks=True, message=membership.message)
    return membership


def add_member(
    body: Body, participant: Participant, *, actor: User, term_ends_on: date | str | None = None
) -> Membership:
    """Staff (and, where the body's kind lets them, its co-chairs) add a participant
    directly as an active member (or partner), for a term ending on *term_ends_on* if
    given; its delegates are told."""
    [membership] = add_members(body, [participant], actor=actor, term_ends_on=term_ends_on)
    return membership


def add_members(
    body: Body,
    participants: Sequence[Participant],
    *,
    actor: User,
    term_ends_on: date | str | None = None,
) -> list[Membership]:
    """add_member() for several participants at once, all or none, in a fixed number
    of statements whatever their number (a bulk change of a group's members)."""
    refuse(rules.add_members_refusal(actor, body, participants))
    rows = create_many(
        body,
        participants,
        actor=actor,
        status=MembershipStatus.ACTIVE,
        by_manager=True,
        term_ends_on=clean_term_end(term_ends_on),
    )
    for membership in rows:
        record_change("membership.add", membership, actor, None)
    notify_members(rows, "membership.added")
    return rows


def add_founder(body: Body, participant: Participant, *, actor: User) -> Membership:
    """The proposer's membership, created with the body it proposed (as a join)."""
    membership = create(
        body, participant, actor=actor, status=MembershipStatus.ACTIVE, by_manager=True
    )
    record_change("membership.join", membership, actor, None)
    return membership


# -- deciding and answering ---------------------------------------------------------------


def approve(membership: Membership, *, actor: User) -> Membership:
    refuse(rules.approve_refusal(actor, membership))
    transition(membership, MembershipStatus.ACTIVE, actor=actor, action="membership.approve")
    notify_member(membership, "membership.approved")
    return membership


def decline(membership: Membership, *, actor: User, reason: str | None = None) -> Membership:
    refuse(rules.decide_refusal(actor, membership))
    reason = _note(reason, "reason")
    transition(
        membership,
        MembershipStatus.DECLINED,
        actor=actor,
        action="membership.decline",
        reason=reason,
    )
    notify_member(membership, "membership.declined", reason=reason or "")
    return membership


def cancel_request(membership: Membership, *, actor: User) -> Membership:
    """The requester takes its request back; the co-chairs are told that no decision is
    needed any more."""
    refuse(rules.own_refusal(actor, membership, MembershipStatus.PENDING))
    transition(membership, MembershipStatus.CANCELLED, actor=actor, action="membership.cancel")
    notify_co_chairs(membership, "membership.request_cancelled")
    return membership


def accept_invitation(membership: Membership, *, actor: User) -> Membership:
    refuse(rules.accept_refusal(actor, membership))
    transition(membership, MembershipStatus.ACTIVE, actor=actor, action="membership.accept")
    notify_co_chairs(membership, "membership.invitation_accepted")
    return membership


def decline_invitation(membership: Membership, *, actor: User) -> Membership:
    refuse(rules.own_refusal(actor, membership, MembershipStatus.INVITED))
    transition(
        membership,
        MembershipStatus.DECLINED,
        actor=actor,
        action="membership.decline_invitation",
    )
    notify_co_chairs(membership, "membership.invitation_declined")
    return membership


def revoke_invitation(membership: Membership, *, actor: User) -> Membership:
    refuse(rules.revoke_refusal(actor, membership))
    transition(membership, MembershipStatus.REVOKED, actor=actor, action="membership.revoke")
    return membership


# -- leaving ------------------------------------------------------------------------------


def withdraw(membership: Membership, *, actor: User, reason: str | None = None) -> Membership:
    """The member leaves, saying why if it wishes (the reason is kept with the membership,
    for its co-chairs and staff). A co-chair hands over first. What depends on the
    membership ends with it (a group's members leave it with its initiative). The
    co-chairs are told."""
    refuse(rules.own_refusal(actor, membership, MembershipStatus.ACTIVE))
    reason = _note(reason, "reason")
    lock_body(membership.body)
    if co_chair_row(membership) is not None:
        refuse(rules.co_chair_cannot_leave())
    transition(
        membership,
        MembershipStatus.WITHDRAWN,
        actor=actor,
        action="membership.withdraw",
        reason=reason,
    )
    membership.body.on_member_left(membership, actor=actor)
    notify_co_chairs(membership, "membership.withdrawn", reason=reason or "")
    return membership


def remove(membership: Membership, *, actor: User, reason: str | None) -> Membership:
    """Staff (or, where the body's kind lets them, its co-chairs) remove an active member,
    saying why; a co-chair's role and what depends on the membership end with it."""
    refuse(rules.remove_refusal(actor, membership))
    reason = _note(reason, "reason")
    if not reason:
        raise InvalidValue(rules.REMOVAL_REASON_REQUIRED, field="reason")
    end_active(
        membership, MembershipStatus.REMOVED, actor=actor, action="membership.remove", reason=reason
    )
    notify_member(membership, "membership.removed", reason=reason)
    return membership


def end_active(
    membership: Membership,
    new: MembershipStatus,
    *,
    actor: User | None,
    action: str,
    reason: str,
) -> None:
    """Close an active membership (removed, or withdrawn with its parent) under the body's
    lock: a co-chair role ends with it, unless the body must keep its last co-chair; then
    the body's kind ends what depends on it. The caller asked the rules and tells whom
    it concerns."""
    body = membership.body
    lock_body(body)
    co_chair = co_chair_row(membership)
    if co_chair is not None and body.must_keep_a_co_chair and len(co_chairs_of(body)) <= 1:
        refuse(rules.last_co_chair())
    transition(membership, new, actor=actor, action=action, reason=reason)
    if co_chair is not None:
        end_co_chair_row(co_chair, body, membership.participant, actor)
    body.on_member_left(membership, actor=actor)


def close_as_consequence(
    membership: Membership,
    *,
    actor: User | None,
    action: str,
    reason: str,
    notice: str,
    left_as: MembershipStatus = MembershipStatus.REMOVED,
    **notice_data: Any,
) -> None:
    """End an open membership because of another act (its term ended; the participant
    left the initiative a group belongs to): active → *left_as*, invited → revoked,
    pending → cancelled, recorded under *action* with *reason*; the member's delegates
    get the *notice*."""
    if membership.status is MembershipStatus.ACTIVE:
        end_active(membership, left_as, actor=actor, action=action, reason=reason)
    else:
        closed = {
            MembershipStatus.INVITED: MembershipStatus.REVOKED,
            MembershipStatus.PENDING: MembershipStatus.CANCELLED,
        }[membership.status]
        transition(membership, closed, actor=actor, action=action, reason=reason)
    notify_member(membership, notice, **notice_data)


def close_waiting(body: Body, *, actor: User, reason: str) -> None:
    """Cancel the body's pending requests and revoke its invitations, each recorded, so
    that none waits forever for a body that no longer takes members."""
    closing = {
        MembershipStatus.PENDING: (MembershipStatus.CANCELLED, "membership.cancel"),
        MembershipStatus.INVITED: (MembershipStatus.REVOKED, "membership.revoke"),
    }
    waiting = db.session.scalars(
        sa.select(Membership)
        .where(Membership.body_id == body.id, Membership.status.in_(list(closing)))
        .options(sa.orm.joinedload(Membership.participant))
    ).all()
    for membership in waiting:
        new, action = closing[membership.status]
        transition(membership, new, actor=actor, action=action, reason=reason)
