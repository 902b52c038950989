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
from coalition.participants.models import (
    Participant,
    Representation,
    RepresentationRole,
    RepresentationStatus,
)

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.initiatives.models import Body, Membership


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
    if participant is None:
        return False
    from coalition.initiatives.models import CoChair

    cache = g.setdefault("_co_chairs", {}) if has_request_context() else {}
    key = (participant.id, body.id)
    if key not in cache:
        cache[key] = (
            db.session.scalar(
                sa.select(CoChair.id).where(
                    CoChair.body_id == body.id,
                    CoChair.participant_id == participant.id,
                    CoChair.ended_at.is_(None),
                )
            )
            is not None
        )
    return cache[key]


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


def can_remove_member(user: User | None, body: Body) -> bool:
    return is_staff(user)


def can_assign_co_chairs(user: User | None, body: Body) -> bool:
    return is_staff(user)


def can_change_initiative_status(user: User | None) -> bool:
    """Activate or conclude an initiative."""
    return is_staff(user)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise NotAllowed unless *allowed*; the one way services refuse an actor."""
    if not allowed:
        raise NotAllowed(message or _("You are not allowed to do that."))
