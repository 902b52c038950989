"""Who may do what to a membership or a co-chair role now, and why not.

Each function returns None when the act is allowed, else a Refusal saying why. The
membership services raise it; views and templates show the button only when there is
none, and its message otherwise — one answer everywhere. The database still has the last
word under concurrency (unique indexes, conditional UPDATEs, the seat-limit CHECK): these
are the friendly checks, asked first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _

from coalition import permissions
from coalition.bodies.models import Body, JoinPolicy, Membership, MembershipStatus
from coalition.bodies.queries import open_membership, open_memberships
from coalition.errors import Conflict, Refusal
from coalition.labels import participant_name

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant

#: open_membership not loaded by the caller: the rule asks the database.
UNKNOWN: Any = object()

#: A removal is public: its reason is shown in the body's history.
REMOVAL_REASON_REQUIRED = _("Give the reason for the removal: it is shown in the public history.")

SEAT_LIMIT_REACHED = Refusal(
    _("The seat limit is reached: no seat is free in this body."), Conflict
)

DIRECT_MEMBERSHIP_ONLY = Refusal(
    _(
        "Members of this body are added by the Secretariat or its co-chairs: contact them "
        "if you wish to take part."
    ),
    Conflict,
)

NO_TERM = Refusal(
    _("This membership has no term to end: remove the member instead, giving the reason."),
    Conflict,
)


def _not_verified() -> Refusal:
    return Refusal(
        _("You can act for a participant only once staff have verified that you represent it.")
    )


def _not_allowed() -> Refusal:
    return Refusal(_("You are not allowed to do that."))


def open_conflict(existing: Membership) -> Refusal:
    if existing.status is MembershipStatus.ACTIVE:
        return Refusal(_("This participant is already a member."), Conflict)
    if existing.status is MembershipStatus.PENDING:
        return Refusal(
            _("This participant has already requested to join; the request is pending."),
            Conflict,
        )
    return Refusal(
        _("This participant is already invited — accept the invitation to join."), Conflict
    )


def status_conflict(membership: Membership) -> Refusal:
    """The refusal when a membership is no longer in the state an act expects."""
    messages = {
        MembershipStatus.PENDING: _(
            "This is a request to join, still waiting for the co-chairs' decision."
        ),
        MembershipStatus.INVITED: _("This is an invitation, still waiting for an answer."),
        MembershipStatus.ACTIVE: _("This has already been decided: the membership is active."),
        MembershipStatus.DECLINED: _("This has already been decided: it was declined."),
        MembershipStatus.CANCELLED: _("This request was cancelled."),
        MembershipStatus.REVOKED: _("This invitation was revoked."),
        MembershipStatus.WITHDRAWN: _("This membership has ended: the participant withdrew."),
        MembershipStatus.REMOVED: _("This membership has ended: the participant was removed."),
    }
    return Refusal(messages[membership.status], Conflict)


def _expect(membership: Membership, status: MembershipStatus) -> Refusal | None:
    return None if membership.status is status else status_conflict(membership)


# -- joining and inviting -----------------------------------------------------------------


def join_refusal(user: User | None, body: Body, *, own: Any = UNKNOWN) -> Refusal | None:
    """Why the user's participant cannot join (open policy) or ask to join (approval)
    *body* now. *own*: its open membership, when the caller has it loaded."""
    participant = permissions.acting_participant(user)
    if participant is None:
        return _not_verified()
    if refusal := body.membership_refusal():
        return refusal
    if body.direct_membership_only:
        return DIRECT_MEMBERSHIP_ONLY
    existing = open_membership(body, participant) if own is UNKNOWN else own
    if existing is not None:
        return open_conflict(existing)
    if body.join_policy is JoinPolicy.INVITATION:
        return Refusal(
            _(
                "Participants join this body only by invitation: contact its co-chairs if "
                "you wish to take part."
            ),
            Conflict,
        )
    if body.join_policy is JoinPolicy.OPEN and body.seats_full:
        return SEAT_LIMIT_REACHED
    return None


def invite_refusal(
    user: User | None, body: Body, participant: Participant | None = None
) -> Refusal | None:
    """Why the user cannot invite (*participant*, when named) to *body*."""
    if not permissions.can_manage_body(user, body):
        return _not_allowed()
    if body.direct_membership_only:
        return DIRECT_MEMBERSHIP_ONLY
    if refusal := body.membership_refusal(by_manager=True):
        return refusal
    if participant is not None and (existing := open_membership(body, participant)):
        return open_conflict(existing)
    if participant is not None:
        return body.admission_refusal(participant)
    return None


def add_member_refusal(
    user: User | None, body: Body, participant: Participant | None = None
) -> Refusal | None:
    """Why the user cannot add (*participant*, when named) directly as an active member."""
    return add_members_refusal(user, body, [participant] if participant is not None else [])


def add_members_refusal(
    user: User | None, body: Body, participants: Sequence[Participant]
) -> Refusal | None:
    """Why the user cannot add all of *participants* at once directly as active members
    (the first reason found), in a fixed number of queries whatever their number."""
    if not permissions.can_add_members(user, body):
        return _not_allowed()
    if refusal := body.membership_refusal(by_manager=True):
        return refusal
    if existing := open_memberships(body, participants):
        return open_conflict(existing[0])
    if refusals := body.admission_refusals(participants):
        return next(iter(refusals.values()))
    if body.seat_limit is not None and body.active_count + max(1, len(participants)) > (
        body.seat_limit
    ):
        return SEAT_LIMIT_REACHED
    return None


# -- deciding and answering ---------------------------------------------------------------


def decide_refusal(user: User | None, membership: Membership) -> Refusal | None:
    """Why the user cannot approve or decline this request."""
    if not permissions.can_decide_membership(user, membership):
        return _not_allowed()
    return _expect(membership, MembershipStatus.PENDING)


def approve_refusal(user: User | None, membership: Membership) -> Refusal | None:
    body = membership.body
    return (
        decide_refusal(user, membership)
        or body.membership_refusal()
        or body.admission_refusal(membership.participant)
        or (SEAT_LIMIT_REACHED if body.seats_full else None)
    )


def revoke_refusal(user: User | None, membership: Membership) -> Refusal | None:
    if not permissions.can_decide_membership(user, membership):
        return _not_allowed()
    return _expect(membership, MembershipStatus.INVITED)


def own_refusal(
    user: User | None, membership: Membership, expected: MembershipStatus
) -> Refusal | None:
    """Why the user cannot act on this membership as the member itself (accept or decline
    an invitation, cancel a request, withdraw): only its own participant's delegates can."""
    if not permissions.can_act_on_own_membership(user, membership):
        return _not_allowed()
    return _expect(membership, expected)


def accept_refusal(user: User | None, membership: Membership) -> Refusal | None:
    return (
        own_refusal(user, membership, MembershipStatus.INVITED)
        or membership.body.acceptance_refusal()
        or membership.body.admission_refusal(membership.participant)
        or (SEAT_LIMIT_REACHED if membership.body.seats_full else None)
    )


def co_chair_cannot_leave() -> Refusal:
    return Refusal(
        _(
            "A co-chair cannot withdraw before handing over: ask the Secretariat to assign "
            "another co-chair and to end this co-chair role first."
        ),
        Conflict,
    )


def withdraw_refusal(user: User | None, membership: Membership) -> Refusal | None:
    refusal = own_refusal(user, membership, MembershipStatus.ACTIVE)
    if refusal is None and permissions.is_current_co_chair(membership.participant, membership.body):
        return co_chair_cannot_leave()
    return refusal


def remove_refusal(user: User | None, membership: Membership) -> Refusal | None:
    if not permissions.can_remove_member(user, membership.body):
        return _not_allowed()
    return _expect(membership, MembershipStatus.ACTIVE)


def term_refusal(user: User | None, membership: Membership) -> Refusal | None:
    """Why the user cannot renew or end this membership's term: those who add members
    to the body do, on active memberships."""
    if not permissions.can_add_members(user, membership.body):
        return _not_allowed()
    return _expect(membership, MembershipStatus.ACTIVE)


# -- co-chairs ----------------------------------------------------------------------------


def last_co_chair() -> Refusal:
    return Refusal(
        _(
            "This body must keep at least one co-chair: assign another co-chair before "
            "this one leaves."
        ),
        Conflict,
    )


def assign_co_chair_refusal(
    user: User | None, body: Body, participant: Participant
) -> Refusal | None:
    if not permissions.can_assign_co_chairs(user, body):
        return _not_allowed()
    if not participant.is_state:
        return Refusal(_("Co-chairs are states; an organization cannot co-chair."), Conflict)
    membership = open_membership(body, participant)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        return Refusal(
            _(
                "A co-chair must be an active member: %(participant)s is not.",
                participant=participant_name(participant),
            ),
            Conflict,
        )
    if permissions.is_current_co_chair(participant, body):
        return Refusal(
            _("%(participant)s is already a co-chair.", participant=participant_name(participant)),
            Conflict,
        )
    return None


def end_co_chair_refusal(user: User | None, body: Body, participant: Participant) -> Refusal | None:
    if not permissions.can_assign_co_chairs(user, body):
        return _not_allowed()
    if not permissions.is_current_co_chair(participant, body):
        return Refusal(
            _("%(participant)s is not a co-chair.", participant=participant_name(participant)),
            Conflict,
        )
    return None
