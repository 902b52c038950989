"""Every "may this person do that" rule, asked by views, API endpoints, services and templates.

A person acts for at most one participant: the one staff verified their claim for. No
rule here takes the participant from the request; it always comes from the verified
representation, which is how a delegate is kept from acting for anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import lazy_gettext as _

from coalition.errors import NotAllowed
from coalition.extensions import db
from coalition.participants.models import Participant
from coalition.representations.models import (
    Representation,
    RepresentationRole,
    RepresentationStatus,
)

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.bodies.models import Body, Membership
    from coalition.meetings.models import Meeting


def _is_user(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_enabled


def is_staff(user: User | None) -> bool:
    return _is_user(user) and (user.is_staff or user.is_admin)


def is_admin(user: User | None) -> bool:
    return _is_user(user) and user.is_admin


def acting_representation(user: User | None) -> Representation | None:
    """The user's verified representation, loaded once per request."""
    if not _is_user(user):
        return None
    cache = g.setdefault("_acting_representation", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = db.session.scalars(
            sa.select(Representation)
            .where(
                Representation.user_id == user.id,
                Representation.status == RepresentationStatus.VERIFIED,
            )
            .options(sa.orm.joinedload(Representation.participant))
        ).one_or_none()
    return cache[user.id]


def with_acting_representation(stmt: sa.Select, user_id: sa.ColumnElement[int]) -> sa.Select:
    """*stmt*, which reads one user (whose id is *user_id*), also reading that user's
    verified representation and its participant, for remember_acting_representation():
    a signed-in request then costs one query fewer."""
    return (
        stmt.add_columns(Representation)
        .outerjoin(
            Representation,
            sa.and_(
                Representation.user_id == user_id,
                Representation.status == RepresentationStatus.VERIFIED,
            ),
        )
        .options(sa.orm.joinedload(Representation.participant))
    )


def remember_acting_representation(user: User, representation: Representation | None) -> None:
    """What acting_representation(user) answers for the rest of the request, read with
    the user (with_acting_representation)."""
    if has_request_context():
        g.setdefault("_acting_representation", {})[user.id] = representation


def forget_acting_representation() -> None:
    """After a representation changed within this request."""
    if has_request_context():
        g.pop("_acting_representation", None)


def acting_participant(user: User | None) -> Participant | None:
    rep = acting_representation(user)
    return rep.participant if rep else None


def require_acting_participant(user: User | None) -> Participant:
    """The participant the user speaks for; NotAllowed if staff have verified none."""
    participant = acting_participant(user)
    if participant is None:
        raise NotAllowed(
            _("You can act for a participant only once staff have verified that you represent it.")
        )
    return participant


def can_act_for(user: User | None, participant: Participant) -> bool:
    acting = acting_participant(user)
    return acting is not None and acting.id == participant.id


def is_focal_point_of(user: User | None, participant: Participant) -> bool:
    rep = acting_representation(user)
    return (
        rep is not None
        and rep.participant_id == participant.id
        and rep.role is RepresentationRole.FOCAL_POINT
    )


def can_claim_representation(user: User | None) -> bool:
    return _is_user(user)


def can_verify_representations(user: User | None) -> bool:
    return is_staff(user)


def can_withdraw_claim(user: User | None, representation: Representation) -> bool:
    """Only the claimant withdraws their claim."""
    return _is_user(user) and representation.user_id == user.id


def can_end_representation(user: User | None, representation: Representation) -> bool:
    """Staff, the person themself, or the participant's focal point (for its other delegates)."""
    if is_staff(user):
        return True
    if not _is_user(user):
        return False
    if representation.user_id == user.id:
        return True
    return is_focal_point_of(user, representation.participant)


def can_see_representatives(user: User | None) -> bool:
    """Names of current representatives are shown to logged-in users only."""
    return _is_user(user)


def can_see_representation_history(user: User | None, participant: Participant) -> bool:
    return is_staff(user) or can_act_for(user, participant)


def can_manage_organizations(user: User | None) -> bool:
    return is_staff(user)


def can_edit_participant(user: User | None, participant: Participant) -> bool:
    return is_staff(user)


def can_manage_staff(user: User | None) -> bool:
    return is_admin(user)


def can_read_audit_log(user: User | None) -> bool:
    return is_staff(user)


def can_endorse_for(user: User | None, participant: Participant) -> bool:
    return can_act_for(user, participant)


# -- bodies (initiatives, working groups) -------------------------------------------------


def is_current_co_chair(participant: Participant | None, body: Body) -> bool:
    """Whether *participant* co-chairs *body* now (the body's co-chairs are read once per
    request; services that change them call forget_co_chairs)."""
    if participant is None:
        return False
    from coalition.bodies.queries import co_chairs_of

    cache = _co_chair_cache()
    if body.id not in cache:
        cache[body.id] = {c.participant_id for c in co_chairs_of(body)}
    return participant.id in cache[body.id]


def remember_co_chairs(body: Body, participant_ids: set[int]) -> None:
    """A page that loaded the body's co-chairs anyway saves the question a query."""
    _co_chair_cache()[body.id] = participant_ids


def _co_chair_cache() -> dict[int, set[int]]:
    return g.setdefault("_co_chairs", {}) if has_request_context() else {}


def forget_co_chairs() -> None:
    if has_request_context():
        g.pop("_co_chairs", None)


def is_co_chair_delegate(user: User | None, body: Body) -> bool:
    return is_current_co_chair(acting_participant(user), body)


def can_manage_body(user: User | None, body: Body) -> bool:
    """Edit the page, decide requests, invite: staff and the body's co-chairs' delegates."""
    return is_staff(user) or is_co_chair_delegate(user, body)


def can_decide_membership(user: User | None, membership: Membership) -> bool:
    return can_manage_body(user, membership.body)


def can_act_on_own_membership(user: User | None, membership: Membership) -> bool:
    """Accept or decline an invitation, cancel a request, withdraw: the member itself."""
    return can_act_for(user, membership.participant)


def can_read_membership_reason(user: User | None, membership: Membership) -> bool:
    """A removal's reason is public: the public history shows it, as the removal form says.
    Any other reason (a declined request, say) is for the participant's delegates, the
    body's co-chairs and staff."""
    from coalition.bodies.models import MembershipStatus

    if membership.status is MembershipStatus.REMOVED:
        return True
    return (
        is_staff(user)
        or can_act_for(user, membership.participant)
        or is_co_chair_delegate(user, membership.body)
    )


def can_see_requests_of(user: User | None, participant: Participant) -> bool:
    """On a participant's page: its pending requests and invitations, those that came to
    nothing, and every reason given to it — for its delegates and staff. Everyone sees
    the bodies it belongs or belonged to and its co-chair roles (a body's co-chairs see
    the requests made to their body on the body's page)."""
    return is_staff(user) or can_act_for(user, participant)


def can_add_members(user: User | None, body: Body) -> bool:
    """Add participants directly: staff, and the co-chairs of bodies whose kind lets them."""
    return is_staff(user) or (body.co_chairs_add_members and is_co_chair_delegate(user, body))


def can_remove_member(user: User | None, body: Body) -> bool:
    return can_add_members(user, body)


def can_assign_co_chairs(user: User | None, body: Body) -> bool:
    return is_staff(user)


def can_manage_groups(user: User | None) -> bool:
    """Create and close working groups."""
    return is_staff(user)


def can_read_rosters(user: User | None) -> bool:
    """Every body's roster with terms, the terms ending soon, the Secretariat's home."""
    return is_staff(user)


def can_change_initiative_status(user: User | None) -> bool:
    """Activate or conclude an initiative."""
    return is_staff(user)


# -- meetings -------------------------------------------------------------------------------


def can_schedule_meeting(user: User | None, body: Body | None) -> bool:
    """Staff, for any body and Alliance-wide (*body* None); a body's co-chair delegates."""
    return is_staff(user) or (body is not None and is_co_chair_delegate(user, body))


def can_manage_meeting(user: User | None, meeting: Meeting) -> bool:
    """Change, cancel, invite guests, read every answer, record minutes."""
    return can_schedule_meeting(user, meeting.body)


def is_invited(user: User | None, meeting: Meeting) -> bool:
    """Whether the participant the user speaks for is invited to *meeting* now."""
    from coalition.meetings.invitations import is_invited as invited

    return invited(user, meeting)


def can_see_meeting(user: User | None, meeting: Meeting) -> bool:
    """Public meetings are everyone's; members-only ones their invitees' and managers'."""
    return meeting.is_public or can_see_meeting_details(user, meeting)


def can_see_meeting_details(user: User | None, meeting: Meeting) -> bool:
    """The online link, the invitees' note, drafts: invitees, co-chairs and staff."""
    return is_staff(user) or is_invited(user, meeting) or can_manage_meeting(user, meeting)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise NotAllowed unless *allowed*; the one way services refuse an actor."""
    if not allowed:
        raise NotAllowed(message or _("You are not allowed to do that."))
