"""Representations: claims, staff decisions, withdrawals, ends and grants.

Every status change is one conditional UPDATE (`… WHERE id = :id AND status =
:expected`), as membership changes are: of several people acting on one representation
at once, exactly one wins, and only the winner records an audit event and notifies; the
others get Conflict naming the state the winner left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError

from coalition import limits, permissions
from coalition.accounts.services import end_sessions
from coalition.audit.services import record
from coalition.db import flush_or, utcnow
from coalition.errors import Conflict, InvalidValue
from coalition.extensions import db
from coalition.representations.models import (
    Representation,
    RepresentationRole,
    RepresentationStatus,
)
from coalition.representations.queries import open_representation
from coalition.text import clean_line, clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant


# -- recording and telling ---------------------------------------------------------------------


def _rep_state(rep: Representation) -> dict[str, Any]:
    return {
        "user": rep.user.email if rep.user is not None else rep.user_id,
        "participant": rep.participant.code if rep.participant is not None else None,
        "role": rep.role,
        "status": rep.status,
        "reason": rep.reason,
    }


def _record_rep(
    action: str,
    rep: Representation,
    *,
    actor: User | None,
    before: dict[str, Any] | None = None,
) -> None:
    record(
        action,
        object_type="representation",
        object_id=rep.id,
        object_label=f"{rep.user.email} → {rep.participant.code}",
        actor=actor,
        participant=rep.participant,
        before=before,
        after=_rep_state(rep),
    )
    db.session.flush()
    # Who acts for whom is cached for the request; this change makes it stale.
    permissions.forget_acting_representation()


def _notify_person(rep: Representation, kind: str, **data: Any) -> None:
    from coalition.notifications.services import notify_users

    notify_users(
        [rep.user],
        kind,
        link=f"/participants/{rep.participant.code}",
        user=rep.user.name,
        participant=rep.participant.name,
        participant_code=rep.participant.code,
        **data,
    )
    db.session.flush()


# -- refusals -----------------------------------------------------------------------------------


def _focal_point_taken() -> Conflict:
    return Conflict(
        _(
            "This participant already has a verified focal point. End that representation "
            "first, or verify this person as a delegate."
        ),
        field="role",
    )


def _already_open() -> Conflict:
    return Conflict(
        _(
            "You already represent a participant or wait for a claim to be verified. "
            "Withdraw or end it first: a person speaks for one participant at a time."
        ),
        field="participant",
    )


def _status_conflict(rep: Representation) -> Conflict:
    """The refusal when a representation is no longer in the state an act expects."""
    if rep.status is RepresentationStatus.PENDING:
        return Conflict(_("This claim is still waiting for staff to verify it."))
    if rep.status is RepresentationStatus.VERIFIED:
        return Conflict(_("This claim was already verified."))
    if rep.status is RepresentationStatus.REJECTED:
        return Conflict(_("This claim was already rejected."))
    if rep.was_withdrawn:
        return Conflict(_("This claim was already withdrawn."))
    return Conflict(_("This representation has already ended."))


def _reason(reason: str | None, *, required: bool = True) -> str:
    reason = clean_text(reason, "reason", max_length=limits.NOTE_MAX)
    if required and not reason:
        raise InvalidValue(_("Please give a reason."), field="reason")
    return reason


# -- changing status ----------------------------------------------------------------------------


class _StaleStatus(Exception):
    """The row was not in the expected state when the UPDATE reached it."""


def _expect(rep: Representation, expected: RepresentationStatus) -> None:
    """The friendly pre-check; _transition is what holds under concurrent requests."""
    if rep.status is not expected:
        raise _status_conflict(rep)


def _transition(rep: Representation, *, expected: RepresentationStatus, **values: Any) -> None:
    """`UPDATE … SET <values> WHERE id = :id AND status = :expected` (and, when the role
    changes, `AND role = <the role read>`), then *rep* reloaded.

    On PostgreSQL a concurrent UPDATE of the row waits for the first to commit, then
    finds the status changed and matches nothing. Raises Conflict naming the current
    state when no row matched, or the focal-point refusal when the partial unique index
    refused a verification.
    """
    stmt = sa.update(Representation).where(
        Representation.id == rep.id, Representation.status == expected
    )
    if "role" in values:
        stmt = stmt.where(Representation.role == rep.role)
    try:
        with db.session.begin_nested():
            result = db.session.execute(
                stmt.values(**values).execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                raise _StaleStatus
    except _StaleStatus:
        db.session.refresh(rep)
        raise _status_conflict(rep) from None
    except IntegrityError:
        db.session.refresh(rep)
        if values.get("status") is not RepresentationStatus.VERIFIED:
            raise  # no index guards the other changes: a bug, not a race
        raise _focal_point_taken() from None
    db.session.refresh(rep)


def _has_other_focal_point(participant_id: int, rep_id: int | None) -> bool:
    stmt = sa.select(Representation.id).where(
        Representation.participant_id == participant_id,
        Representation.role == RepresentationRole.FOCAL_POINT,
        Representation.status == RepresentationStatus.VERIFIED,
    )
    if rep_id is not None:
        stmt = stmt.where(Representation.id != rep_id)
    return db.session.scalar(stmt) is not None


def claim_representation(
    user: User,
    participant: Participant,
    *,
    role: RepresentationRole | str,
    position: str | None = None,
) -> Representation:
    """Ask to represent *participant*; the claim waits for staff (status pending).

    Until staff verify it, the user acts for no one. Raises Conflict (field
    "participant") if the user already has a pending or verified representation.
    """
    permissions.require(permissions.can_claim_representation(user))
    try:
        role = RepresentationRole(role)
    except ValueError:
        raise InvalidValue(_("Choose focal point or delegate."), field="role") from None
    position = clean_line(position, "position", max_length=limits.POSITION_MAX) or None
    if open_representation(user) is not None:
        raise _already_open()
    rep = Representation(
        user_id=user.id,
        participant_id=participant.id,
        role=role,
        status=RepresentationStatus.PENDING,
        position=position,
    )
    db.session.add(rep)
    # The partial unique index keeps one open representation per person under races.
    flush_or(_already_open())
    _record_rep("representation.claim", rep, actor=user)
    from coalition.notifications.services import notify_users, staff_users

    notify_users(
        staff_users(),
        "representation.claimed",
        link="/staff/representations",
        user=user.name,
        participant=participant.name,
        participant_code=participant.code,
        reason=position or "",
    )
    db.session.flush()
    return rep


def verify_representation(rep: Representation, *, actor: User) -> Representation:
    """Staff confirm the claim: from now on the person acts for the participant.

    Raises Conflict if the claim is no longer pending, or if it is a focal-point claim
    and the participant already has a verified focal point.
    """
    permissions.require(permissions.can_verify_representations(actor))
    _expect(rep, RepresentationStatus.PENDING)
    if rep.role is RepresentationRole.FOCAL_POINT and _has_other_focal_point(
        rep.participant_id, rep.id
    ):
        raise _focal_point_taken()
    before = _rep_state(rep)
    _transition(
        rep,
        expected=RepresentationStatus.PENDING,
        status=RepresentationStatus.VERIFIED,
        decided_at=utcnow(),
        decided_by_id=actor.id,
    )
    _record_rep("representation.verify", rep, actor=actor, before=before)
    _notify_person(rep, "representation.verified")
    return rep


def reject_representation(rep: Representation, *, actor: User, reason: str) -> Representation:
    """Staff refuse the claim, saying why. Raises InvalidValue (field "reason") without
    one, Conflict if the claim is no longer pending."""
    permissions.require(permissions.can_verify_representations(actor))
    reason = _reason(reason)
    _expect(rep, RepresentationStatus.PENDING)
    before = _rep_state(rep)
    _transition(
        rep,
        expected=RepresentationStatus.PENDING,
        status=RepresentationStatus.REJECTED,
        decided_at=utcnow(),
        decided_by_id=actor.id,
        reason=reason,
    )
    _record_rep("representation.reject", rep, actor=actor, before=before)
    _notify_person(rep, "representation.rejected", reason=reason)
    return rep


def withdraw_claim(rep: Representation, *, actor: User) -> Representation:
    """The claimant withdraws a claim staff have not decided yet (it ends).

    Raises Conflict if staff decided it (or it was withdrawn) meanwhile.
    """
    permissions.require(permissions.can_withdraw_claim(actor, rep))
    _expect(rep, RepresentationStatus.PENDING)
    before = _rep_state(rep)
    now = utcnow()
    _transition(
        rep,
        expected=RepresentationStatus.PENDING,
        status=RepresentationStatus.ENDED,
        # Decided and ended at the same instant: that is how a withdrawal reads later.
        decided_at=now,
        ended_at=now,
        ended_by_id=actor.id,
        reason=str(_("Withdrawn by the claimant.")),
    )
    _record_rep("representation.withdraw", rep, actor=actor, before=before)
    return rep


def end_representation(
    rep: Representation, *, actor: User, reason: str | None = None
) -> Representation:
    """End a verified representation: the diplomat moved on. History is kept.

    Allowed to staff, the person themself, and the participant's focal point. A reason
    is required unless the person ends their own representation. Raises Conflict if the
    representation is not (or no longer) verified.
    """
    permissions.require(permissions.can_end_representation(actor, rep))
    by_self = rep.user_id == actor.id
    reason = _reason(reason, required=not by_self)
    if by_self and not reason:
        reason = str(_("Ended by the representative."))
    _expect(rep, RepresentationStatus.VERIFIED)
    before = _rep_state(rep)
    _transition(
        rep,
        expected=RepresentationStatus.VERIFIED,
        status=RepresentationStatus.ENDED,
        ended_at=utcnow(),
        ended_by_id=actor.id,
        reason=reason,
    )
    _record_rep("representation.end", rep, actor=actor, before=before)
    # The person no longer speaks for the participant: no session begun while they did
    # carries on (the view keeps the acting session of someone ending their own).
    end_sessions(rep.user)
    if not by_self:
        _notify_person(rep, "representation.ended", reason=reason)
    return rep


def grant_representation(
    user: User,
    participant: Participant,
    *,
    focal_point: bool = False,
    actor: User | None = None,
) -> Representation:
    """Make *user* a verified representative at once (command line, demo data).

    Idempotent: a verified representation of the same participant is kept (and made the
    focal point if asked); a pending claim for it is verified. Raises Conflict if the
    user speaks for another participant, or the participant has another focal point.
    An *actor*, when given, must be staff; without one the audit event has no actor.
    """
    if actor is not None:
        permissions.require(permissions.can_verify_representations(actor))
    role = RepresentationRole.FOCAL_POINT if focal_point else RepresentationRole.DELEGATE
    rep = open_representation(user)
    if rep is not None and rep.participant_id != participant.id:
        raise Conflict(
            _(
                "%(user)s already represents another participant (%(code)s).",
                user=user.email,
                code=rep.participant.code,
            )
        )
    if (
        rep is not None
        and rep.status is RepresentationStatus.VERIFIED
        and (rep.role is role or rep.role is RepresentationRole.FOCAL_POINT)
    ):
        return rep
    if focal_point and _has_other_focal_point(participant.id, rep.id if rep else None):
        raise _focal_point_taken()
    decision = {"decided_at": utcnow(), "decided_by_id": actor.id if actor is not None else None}
    if rep is None:
        before = None
        rep = Representation(
            user_id=user.id,
            participant_id=participant.id,
            role=role,
            status=RepresentationStatus.VERIFIED,
            **decision,
        )
        db.session.add(rep)
        flush_or(_focal_point_taken())
    else:
        before = _rep_state(rep)
        # A claim is decided here; a verified delegate made the focal point keeps the
        # decision that verified it (the database refuses to rewrite it).
        values = decision if rep.status is RepresentationStatus.PENDING else {}
        _transition(
            rep, expected=rep.status, role=role, status=RepresentationStatus.VERIFIED, **values
        )
    _record_rep("representation.grant", rep, actor=actor, before=before)
    return rep
