"""Adding and removing many participants of a working group at once, all or nothing.

bulk_change() first plans every row — will be added, already a member, not a member of
the initiative, unknown code, would exceed the seat limit, will be removed, not a member
— in a fixed number of queries. A dry run stops there (the preview). Otherwise the plan
is made again under the locks (the group's initiative shared, then the group
exclusively, the order every addition and departure takes), and only if no row is
refused does it apply, each row through the membership machine, inside one savepoint:
every row is applied, or none.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from coalition import limits, permissions
from coalition.bodies import memberships
from coalition.bodies.machine import lock_body
from coalition.bodies.models import OPEN_MEMBERSHIP_STATUSES, Membership, MembershipStatus
from coalition.errors import Conflict, DomainError, InvalidValue, refuse
from coalition.extensions import db
from coalition.groups import rules
from coalition.groups.models import WorkingGroup
from coalition.participants.models import Participant
from coalition.text import clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User

#: What a participant code may look like: GHA, gha, article-19.
CODE_RE = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")

#: Said in the public history when a bulk removal gives no reason of its own.
DEFAULT_REMOVAL_REASON = "Removed from the group in a bulk change."


class Outcome(enum.StrEnum):
    """A row's outcome: the same words in the preview, the API and the tests."""

    ADDED = "added"
    REMOVED = "removed"
    ALREADY_MEMBER = "already_member"
    NOT_MEMBER = "not_member"
    NOT_INITIATIVE_MEMBER = "not_initiative_member"
    UNKNOWN = "unknown"
    SEAT_LIMIT = "seat_limit"


#: Outcomes that refuse the whole change. Already a member (when adding) and not a member
#: (when removing) are nothing to do: the same change sent twice is harmless.
REFUSED = frozenset({Outcome.UNKNOWN, Outcome.NOT_INITIATIVE_MEMBER, Outcome.SEAT_LIMIT})


@dataclass
class Row:
    #: The code as given (trimmed), or the participant's own code once found.
    code: str
    operation: str  # "add" or "remove"
    outcome: Outcome
    participant: Participant | None = None
    #: The open membership a removal ends.
    membership: Membership | None = None

    @property
    def refused(self) -> bool:
        return self.outcome in REFUSED


@dataclass
class BulkResult:
    applied: bool
    rows: list[Row]
    #: Codes given more than once (each counted once).
    duplicates: list[str] = field(default_factory=list)
    seats_free: int | None = None

    @property
    def refused(self) -> list[Row]:
        return [r for r in self.rows if r.refused]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome)

    @property
    def changes(self) -> int:
        return self.count(Outcome.ADDED) + self.count(Outcome.REMOVED)


def distinct_codes(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """(codes in order of first appearance, trimmed and without empties; the duplicates):
    `gha` and `GHA` are the same code."""
    seen: set[str] = set()
    distinct: list[str] = []
    duplicates: list[str] = []
    for raw in codes:
        code = str(raw).strip()
        if not code:
            continue
        key = code.casefold()
        if key in seen:
            if code not in duplicates:
                duplicates.append(code)
            continue
        seen.add(key)
        distinct.append(code)
    return distinct, duplicates


def find_participants(codes: Sequence[str]) -> dict[str, Participant]:
    """The participants named by *codes*, whatever their case (1 query): code as given →
    participant. State codes are upper case (GHA), organizations' lower case (icnl)."""
    wellformed = [c for c in codes if len(c) <= limits.SLUG_MAX and CODE_RE.match(c)]
    if not wellformed:
        return {}
    variants = {v for c in wellformed for v in (c, c.upper(), c.lower())}
    by_code = {
        p.code: p
        for p in db.session.scalars(sa.select(Participant).where(Participant.code.in_(variants)))
    }
    found = {}
    for code in wellformed:
        participant = by_code.get(code) or by_code.get(code.upper()) or by_code.get(code.lower())
        if participant is not None:
            found[code] = participant
    return found


def bulk_change(
    group: WorkingGroup,
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    dry_run: bool = True,
    actor: User,
    reason: str | None = None,
) -> BulkResult:
    """Plan (and unless *dry_run*, apply) adding the participants *add* and removing
    *remove*, by code. Applied only if no row is refused; all rows or none.

    Raises NotAllowed for the wrong actor, InvalidValue for too many codes or a code
    both to add and to remove, Conflict when a closed group is asked to take members."""
    refuse(rules.bulk_refusal(actor, group))
    to_add, add_duplicates = distinct_codes(add)
    to_remove, remove_duplicates = distinct_codes(remove)
    if len(to_add) + len(to_remove) > limits.BULK_ROWS_MAX:
        raise InvalidValue(
            _(
                "At most %(n)s participants can be changed at once; send the rest afterwards.",
                n=limits.BULK_ROWS_MAX,
            ),
            field="add" if to_add else "remove",
        )
    both = {c.casefold() for c in to_add} & {c.casefold() for c in to_remove}
    if both:
        code = next(c for c in to_add if c.casefold() in both)
        raise InvalidValue(
            _("%(code)s is both to add and to remove: choose one.", code=code), field="remove"
        )
    if to_add:
        refuse(group.membership_refusal(by_manager=True))
    removal_reason = clean_text(reason, "reason", max_length=limits.NOTE_MAX) or (
        DEFAULT_REMOVAL_REASON
    )
    if not dry_run:
        _lock(group)
    # A co-chair's delegate removing its own participant would lose the right to go on:
    # that removal comes last, and its seat is not counted free for the additions.
    acting = permissions.acting_participant(actor)
    own_last = None if permissions.is_staff(actor) or acting is None else acting.id
    result = _plan(group, to_add, to_remove, own_last=own_last)
    result.duplicates = add_duplicates + remove_duplicates
    if dry_run or result.refused:
        return result
    if result.changes:
        try:
            with db.session.begin_nested():
                _apply(group, result.rows, actor=actor, reason=removal_reason, own_last=own_last)
        except DomainError as error:
            # Nothing of the change remains; under the locks this means a rule changed
            # its answer between the plan and the act, which the plan is there to prevent.
            raise Conflict(error.message) from error
    result.applied = True  # with no change to make, the group is already as asked
    return result


def _lock(group: WorkingGroup) -> None:
    """The group's initiative (shared), then the group (exclusive): the order additions
    and departures lock them in, so that none deadlocks with this change."""
    group.lock_initiative()
    lock_body(group)


def _plan(
    group: WorkingGroup, to_add: list[str], to_remove: list[str], *, own_last: int | None
) -> BulkResult:
    """Every row's outcome, in 4 queries whatever their number (the group's own rules:
    who is in, whom it admits, its seats). *own_last*: the
    participant whose removal is applied after the additions (its seat is not free
    for them)."""
    participants = find_participants([*to_add, *to_remove])
    ids = [p.id for p in participants.values()]
    open_rows: dict[int, Membership] = {}
    if ids:
        open_rows = {
            m.participant_id: m
            for m in db.session.scalars(
                sa.select(Membership).where(
                    Membership.body_id == group.id,
                    Membership.participant_id.in_(ids),
                    Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
                )
            )
        }
    not_admitted = group.admission_refusals(list(participants.values()))
    db.session.refresh(group, ["active_count"])

    rows: list[Row] = []
    for code in to_remove:
        participant = participants.get(code)
        membership = open_rows.get(participant.id) if participant else None
        if participant is None:
            rows.append(Row(code, "remove", Outcome.UNKNOWN))
        elif membership is None or membership.status is not MembershipStatus.ACTIVE:
            rows.append(Row(participant.code, "remove", Outcome.NOT_MEMBER, participant))
        else:
            rows.append(Row(participant.code, "remove", Outcome.REMOVED, participant, membership))
    removed = sum(
        1
        for r in rows
        if r.outcome is Outcome.REMOVED and (r.participant is None or r.participant.id != own_last)
    )
    seats_free = None
    if group.seat_limit is not None:
        seats_free = group.seat_limit - group.active_count + removed
    free = seats_free
    adds: list[Row] = []
    for code in to_add:
        participant = participants.get(code)
        if participant is None:
            adds.append(Row(code, "add", Outcome.UNKNOWN))
        elif participant.id in open_rows:
            adds.append(Row(participant.code, "add", Outcome.ALREADY_MEMBER, participant))
        elif participant.id in not_admitted:
            adds.append(Row(participant.code, "add", Outcome.NOT_INITIATIVE_MEMBER, participant))
        elif free is not None and free <= 0:
            adds.append(Row(participant.code, "add", Outcome.SEAT_LIMIT, participant))
        else:
            if free is not None:
                free -= 1
            adds.append(Row(participant.code, "add", Outcome.ADDED, participant))
    return BulkResult(applied=False, rows=adds + rows, seats_free=seats_free)


def _apply(
    group: WorkingGroup, rows: list[Row], *, actor: User, reason: str, own_last: int | None
) -> None:
    """Removals first (they free seats), then the additions at once, then the acting
    co-chair's own removal, all through the membership machine: its rules, audit events
    and notices, as if done one by one."""

    def remove(row: Row) -> None:
        row.membership.body = group
        row.membership.participant = row.participant
        memberships.remove(row.membership, actor=actor, reason=reason)

    removals = [r for r in rows if r.outcome is Outcome.REMOVED and r.membership is not None]
    own = [r for r in removals if r.participant is not None and r.participant.id == own_last]
    for row in removals:
        if row not in own:
            remove(row)
    added = [r.participant for r in rows if r.outcome is Outcome.ADDED and r.participant]
    if added:
        memberships.add_members(group, added, actor=actor)
    for row in own:
        remove(row)
