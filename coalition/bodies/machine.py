"""The parts of the membership machine (coalition.bodies.memberships): inserting an open
membership, moving one to another status, the active count, the body's lock, the audit
event and the notices. The acts themselves, which ask the rules first, are in
memberships.py; these parts assume the rules were asked.

Two rules hold in the database as well, so that they also hold under concurrent
requests:

- one open (pending, invited, active) membership per body and participant: a partial
  unique index; an insert that loses the race inserts nothing (`ON CONFLICT DO
  NOTHING`) and is reported as the same Conflict as the friendly pre-check;
- the seat limit: every transition into `active` increments `bodies.active_count` with
  one atomic UPDATE, which matches no row when the seats are taken (new memberships)
  or which the CHECK `active_count <= seat_limit` refuses (transitions).

Status changes are conditional UPDATEs (`… WHERE id = :id AND status = :expected`): when
two co-chairs decide the same request at once, one wins and the other is told.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from coalition import permissions
from coalition.audit.services import record
from coalition.bodies import hooks, rules
from coalition.bodies.models import (
    CLOSED_MEMBERSHIP_STATUSES,
    CO_CHAIR_IS_CURRENT,
    OPEN_SQL,
    Body,
    CoChair,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.bodies.queries import co_chairs_of, open_memberships
from coalition.db import insert_or_skip, utcnow
from coalition.errors import refuse
from coalition.extensions import db
from coalition.notifications.services import (
    delegates_of,
    notify_users,
    representatives_of,
    resolve,
)

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant


class _StaleStatus(Exception):
    """The conditional UPDATE matched no row: someone changed the status first."""


def role_for(participant: Participant) -> MembershipRole:
    return MembershipRole.MEMBER if participant.is_state else MembershipRole.PARTNER


def create(
    body: Body,
    participant: Participant,
    *,
    actor: User,
    status: MembershipStatus,
    message: str | None = None,
    by_manager: bool = False,
    term_ends_on: date | None = None,
) -> Membership:
    """create_many() for one participant."""
    [membership] = create_many(
        body,
        [participant],
        actor=actor,
        status=status,
        message=message,
        by_manager=by_manager,
        term_ends_on=term_ends_on,
    )
    return membership


def create_many(
    body: Body,
    participants: Sequence[Participant],
    *,
    actor: User,
    status: MembershipStatus,
    message: str | None = None,
    by_manager: bool = False,
    term_ends_on: date | None = None,
) -> list[Membership]:
    """Insert a new open membership for each participant, in a fixed number of
    statements; a lost race becomes the pre-check's Conflict, and none is inserted.

    What admission to the body depends on (a group's initiative) is locked and asked
    first, then the body's row is locked and read again: a body concluded meanwhile
    (which locks it to close what waits) is seen here, so that no request is left
    waiting on a body that takes no one any more. Parents are always locked before
    their groups, here as on departures, so that the two never deadlock. Active
    memberships will update the body's count: its lock is exclusive from the start, as
    two shared locks each waiting to become exclusive would deadlock."""
    refusals = body.admission_refusals(participants, lock=True)
    if refusals:
        refuse(next(iter(refusals.values())))
    lock_body(body, shared=status is not MembershipStatus.ACTIVE)
    refuse(body.membership_refusal(by_manager=by_manager))
    values = {
        "body_id": body.id,
        "status": status,
        "created_at": utcnow(),
        "created_by_id": actor.id,
        "message": message,
        "term_ends_on": term_ends_on,
    }
    if len(participants) == 1:
        # Neither step raises when it loses a race, and a lost one changes nothing: no
        # savepoint, two statements fewer on every join.
        rows = _take_seats_and_insert(body, participants, values)
    else:
        # Some of several inserts may lose: the savepoint takes back the others.
        try:
            with db.session.begin_nested():
                rows = _take_seats_and_insert(body, participants, values)
                if rows is None:
                    raise _LostRace
        except _LostRace:
            rows = None
    if rows is None:
        _refuse_lost_race(body, participants)
    # RETURNING gives no order: the caller's.
    order = {participant.id: i for i, participant in enumerate(participants)}
    rows.sort(key=lambda membership: order[membership.participant_id])
    for membership, participant in zip(rows, participants, strict=True):
        set_committed_value(membership, "body", body)
        set_committed_value(membership, "participant", participant)
    if status is MembershipStatus.ACTIVE:
        hooks.memberships_activated(body.id, [p.id for p in participants])
    return rows


class _LostRace(Exception):
    """Another request took the seats, or made one of the open memberships, first."""


def _take_seats_and_insert(
    body: Body, participants: Sequence[Participant], values: dict[str, Any]
) -> list[Membership] | None:
    """Take the seats (for active memberships) if free, and insert the open memberships
    unless one exists (ON CONFLICT DO NOTHING on the partial unique index); None when
    either lost a race, having changed nothing if *participants* is one."""
    active = values["status"] is MembershipStatus.ACTIVE
    if active and not take_seats(body, len(participants)):
        return None
    table = Membership.__table__
    # Parameters apart from the statement, which a list in values() would make new
    # (compiled again) on every call.
    inserted = db.session.execute(
        insert_or_skip(table, db.session)
        .on_conflict_do_nothing(
            index_elements=["body_id", "participant_id"], index_where=sa.text(OPEN_SQL)
        )
        .returning(*table.c),
        [
            {
                **values,
                "participant_id": participant.id,
                "role": role_for(participant),
                "since": values["created_at"] if active else None,
            }
            for participant in participants
        ],
    ).all()
    if len(inserted) == len(participants):
        # The rows become the session's own, as if loaded: an ORM INSERT … RETURNING of
        # entities cost 0.2-0.3 ms more per join (issue 12).
        rows = [Membership(**row._mapping) for row in inserted]
        for membership in rows:
            make_transient_to_detached(membership)
            db.session.add(membership)
        return rows
    if active and not inserted:
        change_active_count(body, -len(participants))
    return None


def _refuse_lost_race(body: Body, participants: Sequence[Participant]) -> NoReturn:
    """Refuse as the pre-checks would have: an open membership made meanwhile, else the
    seats taken meanwhile."""
    db.session.expire(body, ["active_count"])
    existing = open_memberships(body, participants)
    raise (rules.open_conflict(existing[0]) if existing else rules.SEAT_LIMIT_REACHED).exception()


def transition(
    membership: Membership,
    new: MembershipStatus,
    *,
    actor: User | None,
    action: str,
    reason: str | None = None,
) -> None:
    """`UPDATE … SET status = :new WHERE id = :id AND status = :expected`, the active
    count, and the audit event. Into `active`, the body's admission rule is asked again
    under its lock."""
    expected = membership.status
    values: dict[str, Any] = {"status": new}
    if new is MembershipStatus.ACTIVE:
        refuse(membership.body.admission_refusal(membership.participant, lock=True))
        values["since"] = utcnow()
    elif new in CLOSED_MEMBERSHIP_STATUSES:
        values["ended_at"] = utcnow()
    if reason is not None:
        values["reason"] = reason
    body = membership.body
    try:
        with db.session.begin_nested():
            result = db.session.execute(
                sa.update(Membership)
                .where(Membership.id == membership.id, Membership.status == expected)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                raise _StaleStatus
            if new is MembershipStatus.ACTIVE:
                change_active_count(body, +1)
            elif expected is MembershipStatus.ACTIVE:
                change_active_count(body, -1)
    except _StaleStatus:
        db.session.refresh(membership)
        refuse(rules.status_conflict(membership))
    except IntegrityError:
        db.session.refresh(membership)
        db.session.expire(body, ["active_count"])
        refuse(rules.SEAT_LIMIT_REACHED)
    db.session.refresh(membership)
    if new is MembershipStatus.ACTIVE:
        hooks.memberships_activated(body.id, [membership.participant_id])
    elif expected is MembershipStatus.ACTIVE:
        hooks.memberships_ended(body.id, [membership.participant_id])
    record_change(action, membership, actor, expected)
    if expected in (MembershipStatus.PENDING, MembershipStatus.INVITED):
        resolve(topic(membership), _resolution(membership, action, actor))


def topic(membership: Membership) -> str:
    """The topic of the notices that ask someone to act on *membership* (co-chairs to
    decide a request, a member to answer an invitation): resolved once it is acted on."""
    return f"membership:{membership.id}"


def _resolution(membership: Membership, action: str, actor: User | None) -> dict[str, Any]:
    """How a request or invitation was dealt with, and by whom: the participant the actor
    spoke for (a co-chair's state, or the member itself), else the Secretariat when staff
    acted, else no one (it ended with something else)."""
    acting = permissions.acting_participant(actor)
    speaks = acting is not None and (
        acting.id == membership.participant_id
        or not permissions.is_staff(actor)
        or permissions.is_current_co_chair(acting, membership.body)
    )
    return {
        "action": action,
        "by_code": acting.code if speaks and acting is not None else None,
        "by_name": acting.name if speaks and acting is not None else None,
        "by_staff": not speaks and permissions.is_staff(actor),
    }


def take_seats(body: Body, count: int) -> bool:
    """Atomic `active_count = active_count + count` if that many seats are free; whether
    they were (the body's row is locked by then, so the answer holds until commit)."""
    result = db.session.execute(
        sa.update(Body)
        .where(
            Body.id == body.id,
            sa.or_(Body.seat_limit.is_(None), Body.active_count + count <= Body.seat_limit),
        )
        .values(active_count=Body.active_count + count)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(body, ["active_count"])
    return result.rowcount == 1


def change_active_count(body: Body, delta: int) -> None:
    """Atomic `active_count = active_count ± delta`; the CHECK refuses going past the limit."""
    db.session.execute(
        sa.update(Body)
        .where(Body.id == body.id)
        .values(active_count=Body.active_count + delta)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(body, ["active_count"])


def lock_body(body: Body, *, shared: bool = False) -> None:
    """Lock the body's row and read it again, in one statement (PostgreSQL; SQLite
    serializes writers anyway): exclusive for its lifecycle, co-chair changes and
    departures, shared for new memberships."""
    kind = type(body)
    db.session.scalars(
        sa.select(kind)
        .where(kind.id == body.id)
        .with_for_update(read=shared)
        .execution_options(populate_existing=True)
    ).one()  # fetched, so that the objects are refreshed, not only the rows locked


def co_chair_row(membership: Membership) -> CoChair | None:
    """The member's current co-chair row, asked of the database (under the body's lock)."""
    for co_chair in co_chairs_of(membership.body):
        if co_chair.participant_id == membership.participant_id:
            return co_chair
    return None


def record_change(
    action: str, membership: Membership, actor: User | None, before: MembershipStatus | None
) -> None:
    after: dict[str, Any] = {"status": membership.status.value}
    if membership.term_ends_on is not None:
        after["term_ends_on"] = membership.term_ends_on
    participant = membership.participant
    # The event's participant is the member (the public history is about it); whom the
    # actor spoke for, a co-chair's state for instance, is kept beside the change.
    # Staff who also represent a state act as the Secretariat unless they co-chair the
    # body: the history must not name their state (as _resolution does for notices).
    acting = permissions.acting_participant(actor)
    if (
        acting is not None
        and acting.id != participant.id
        and (
            not permissions.is_staff(actor)
            or permissions.is_current_co_chair(acting, membership.body)
        )
    ):
        after["acted_for"] = acting.code
    record(
        action,
        object_type="membership",
        object_id=membership.id,
        object_label=participant.name,
        actor=actor,
        participant=participant,
        body=membership.body,
        before={"status": before.value} if before is not None else None,
        after=after,
        public=True,
    )


def _notice(membership: Membership, **data: Any) -> dict[str, Any]:
    participant = membership.participant
    return {
        "participant": participant.name,
        "participant_code": participant.code,
        "body": membership.body.title,
        **data,
    }


def notify_co_chairs(membership: Membership, kind: str, *, asks: bool = False, **data: Any) -> None:
    """Tell the delegates of the body's co-chairs; *asks*: the notice asks them to act on
    the membership (decide a request), and shows as done once someone has."""
    co_chair_ids = sa.select(CoChair.participant_id).where(
        CoChair.body_id == membership.body_id, CO_CHAIR_IS_CURRENT
    )
    notify_users(
        delegates_of(co_chair_ids),
        kind,
        link=membership.body.path,
        topic=topic(membership) if asks else None,
        **_notice(membership, **data),
    )


def notify_member(membership: Membership, kind: str, *, asks: bool = False, **data: Any) -> None:
    notify_members([membership], kind, asks=asks, **data)


def notify_members(
    rows: Sequence[Membership], kind: str, *, asks: bool = False, **data: Any
) -> None:
    """Tell each member's delegates (one query whatever the number of members); *asks*:
    the notice asks them to act (answer an invitation), and shows as done once acted on."""
    delegates = representatives_of([m.participant_id for m in rows])
    for membership in rows:
        notify_users(
            delegates.get(membership.participant_id, []),
            kind,
            link=membership.body.path,
            topic=topic(membership) if asks else None,
            **_notice(membership, **data),
        )
