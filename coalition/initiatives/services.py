"""The rules of initiatives: proposing, activating, joining, deciding, leaving, co-chairing.

Every write takes the acting user as `actor`, checks it through coalition.permissions,
records a public audit event for every membership change, and never commits.

Two rules hold in the database as well as here, so that they also hold under
concurrent requests:

- one open (pending, invited, active) membership per body and participant: a partial
  unique index; an insert that loses the race fails and is reported as the same
  Conflict as the friendly pre-check;
- the seat limit: every transition into `active` increments `bodies.active_count` with
  one atomic UPDATE, which the CHECK `active_count <= seat_limit` refuses when full.

Status changes are conditional UPDATEs (`… WHERE id = :id AND status = :expected`): when
two co-chairs decide the same request at once, one wins and the other is told.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coalition import permissions
from coalition.alliance.services import is_alliance_participant
from coalition.audit.services import record
from coalition.db import utcnow
from coalition.errors import Conflict, InvalidValue, NotAllowed, NotFound
from coalition.extensions import db
from coalition.initiatives.models import (
    OPEN_MEMBERSHIP_STATUSES,
    Axis,
    Body,
    BodyKind,
    CoChair,
    Initiative,
    InitiativeStatus,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.notifications.services import notify_users, representatives
from coalition.participants.models import Participant, ParticipantKind

if TYPE_CHECKING:
    from coalition.accounts.models import User

E = TypeVar("E", bound=StrEnum)

SLUG_MAX = 80
TITLE_MAX = 200
SUMMARY_MAX = 500
#: Long texts (description, results) and short ones (messages, reasons): the same
#: limits as the HTML forms, so that the API cannot store what a form would refuse.
TEXT_MAX = 20_000
NOTE_MAX = 2_000
SEAT_LIMIT_MAX = 10_000
#: Fixed path segments under /initiatives/ that no initiative may take as its slug.
RESERVED_SLUGS = frozenset({"propose", "new", "edit", "history"})
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CLOSED_MEMBERSHIP_STATUSES = frozenset(set(MembershipStatus) - OPEN_MEMBERSHIP_STATUSES)

EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "join_policy",
    "seat_limit",
    "launched_on",
    "results",
)


class _StaleStatus(Exception):
    """The conditional UPDATE matched no row: someone changed the status first."""


# -- reading ------------------------------------------------------------------------------------


def get_initiative(slug: str) -> Initiative:
    initiative = db.session.scalar(sa.select(Initiative).where(Initiative.slug == slug))
    if initiative is None:
        raise NotFound(_("There is no initiative at this address."))
    return initiative


def get_membership(membership_id: int) -> Membership:
    membership = db.session.scalar(
        sa.select(Membership)
        .where(Membership.id == membership_id)
        .options(joinedload(Membership.body), joinedload(Membership.participant))
    )
    if membership is None:
        raise NotFound(_("There is no such membership."))
    return membership


def current_co_chairs(body: Body) -> list[CoChair]:
    return list(
        db.session.scalars(
            sa.select(CoChair)
            .where(CoChair.body_id == body.id, CoChair.ended_at.is_(None))
            .options(joinedload(CoChair.participant))
            .order_by(CoChair.started_at, CoChair.id)
        )
    )


def co_chair_codes(body_ids: Iterable[int]) -> dict[int, list[str]]:
    """Current co-chairs' codes of many bodies in one query (for lists)."""
    ids = list(body_ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.session.execute(
        sa.select(CoChair.body_id, Participant.code)
        .join(Participant, Participant.id == CoChair.participant_id)
        .where(CoChair.body_id.in_(ids), CoChair.ended_at.is_(None))
        .order_by(CoChair.body_id, CoChair.started_at, CoChair.id)
    )
    for body_id, code in rows:
        out[body_id].append(code)
    return out


def _one_of(enum_cls: type[E], value: Any, field: str, message: Callable[[str], Any]) -> E:
    """*value* as a member of *enum_cls*, or InvalidValue naming the field and the choices."""
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum_cls)
        raise InvalidValue(message(choices), field=field) from None


def parse_axis(value: Any, *, field: str = "axis") -> Axis:
    return _one_of(
        Axis,
        value,
        field,
        lambda choices: _("Choose one of the three lines of action: %(choices)s.", choices=choices),
    )


def parse_join_policy(value: Any, *, field: str = "join_policy") -> JoinPolicy:
    return _one_of(
        JoinPolicy,
        value,
        field,
        lambda choices: _("Choose a join policy: %(choices)s.", choices=choices),
    )


def parse_initiative_status(value: Any, *, field: str = "status") -> InitiativeStatus:
    return _one_of(
        InitiativeStatus,
        value,
        field,
        lambda choices: _("Choose a status: %(choices)s.", choices=choices),
    )


def parse_membership_status(value: Any, *, field: str = "status") -> MembershipStatus:
    return _one_of(
        MembershipStatus,
        value,
        field,
        lambda choices: _("Choose a membership status: %(choices)s.", choices=choices),
    )


#: Active initiatives first, then proposed ones, then concluded ones.
_STATUS_ORDER = sa.case(
    (Initiative.status == InitiativeStatus.ACTIVE, 0),
    (Initiative.status == InitiativeStatus.PROPOSED, 1),
    else_=2,
)


def initiatives_query(
    *, axis: Any = None, status: Any = None, q: str | None = None
) -> sa.Select[tuple[Initiative]]:
    """The directory, for the pages and the API alike: filter by axis and status; every
    word of *q* must appear in the title or the summary."""
    stmt = sa.select(Initiative)
    if axis:
        stmt = stmt.where(Initiative.axis == parse_axis(axis))
    if status:
        stmt = stmt.where(Initiative.status == parse_initiative_status(status))
    for word in (q or "").split()[:10]:
        stmt = stmt.where(
            sa.or_(
                Initiative.title.icontains(word, autoescape=True),
                Initiative.summary.icontains(word, autoescape=True),
            )
        )
    return stmt.order_by(_STATUS_ORDER, Initiative.title, Initiative.id)


def memberships_query(
    body: Body, *, status: Any = None, statuses: Iterable[Any] | None = None
) -> sa.Select[tuple[Membership]]:
    """A body's memberships with their participants (one query per page)."""
    stmt = (
        sa.select(Membership)
        .where(Membership.body_id == body.id)
        .options(joinedload(Membership.participant))
    )
    if status:
        stmt = stmt.where(Membership.status == parse_membership_status(status))
    if statuses is not None:
        stmt = stmt.where(Membership.status.in_([parse_membership_status(s) for s in statuses]))
    return stmt.order_by(Membership.created_at, Membership.id)


def open_membership(body: Body, participant: Participant | None) -> Membership | None:
    """The participant's pending, invited or active membership in *body*, if any."""
    if participant is None:
        return None
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.body_id == body.id,
            Membership.participant_id == participant.id,
            Membership.status.in_(list(OPEN_MEMBERSHIP_STATUSES)),
        )
    )


# -- initiatives --------------------------------------------------------------------------------


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def _slug_taken(slug: str) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    return db.session.scalar(sa.select(Body.id).where(Body.slug == slug)) is not None


def _choose_slug(title: str, slug: str | None) -> str:
    if slug is not None and slug.strip():
        slug = slug.strip()
        if len(slug) > SLUG_MAX or not _SLUG_RE.match(slug):
            raise InvalidValue(
                _(
                    "Use lower-case letters, digits and hyphens only (at most %(n)s).",
                    n=SLUG_MAX,
                ),
                field="slug",
            )
        if _slug_taken(slug):
            raise InvalidValue(_("This address is already taken; choose another."), field="slug")
        return slug
    base = slugify(title) or "initiative"
    candidate, n = base, 2
    while _slug_taken(candidate):
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def _clean_text(value: Any, field: str, *, required: bool, max_length: int | None) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise InvalidValue(_("This cannot be empty."), field=field)
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(_("At most %(n)s characters.", n=max_length), field=field)
    return text


def _clean_seat_limit(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidValue(_("Give a whole number of seats, or none."), field="seat_limit")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidValue(
            _("Give a whole number of seats, or none."), field="seat_limit"
        ) from None
    if number < 1:
        raise InvalidValue(_("A seat limit is at least 1."), field="seat_limit")
    if number > SEAT_LIMIT_MAX:
        raise InvalidValue(_("At most %(n)s seats.", n=SEAT_LIMIT_MAX), field="seat_limit")
    return number


def _clean_date(value: Any, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidValue(_("Give a date as YYYY-MM-DD."), field=field) from None


def propose_initiative(
    *,
    actor: User,
    title: str,
    summary: str,
    description: str = "",
    axis: Any,
    join_policy: Any,
    slug: str | None = None,
    seat_limit: int | None = None,
    launched_on: date | None = None,
) -> Initiative:
    """A participant of the Alliance proposes an initiative; it becomes its first co-chair."""
    participant = permissions.require_acting_participant(actor)
    if participant.kind is not ParticipantKind.STATE:
        raise NotAllowed(
            _(
                "Only a state can propose an initiative: the proposer becomes its first "
                "co-chair, and co-chairs are states. An organization can join initiatives "
                "as a partner."
            )
        )
    if not is_alliance_participant(participant):
        raise NotAllowed(
            _(
                "Only participants that endorse the Alliance can propose an initiative. "
                "Endorse the Alliance declaration first."
            )
        )
    title = _clean_text(title, "title", required=True, max_length=TITLE_MAX)
    summary = _clean_text(summary, "summary", required=True, max_length=SUMMARY_MAX)
    description = _clean_text(description, "description", required=False, max_length=TEXT_MAX)
    axis = parse_axis(axis)
    join_policy = parse_join_policy(join_policy)
    seat_limit = _clean_seat_limit(seat_limit)
    launched_on = _clean_date(launched_on, "launched_on")
    slug = _choose_slug(title, slug)

    now = utcnow()
    initiative = Initiative(
        slug=slug,
        title=title,
        summary=summary,
        description=description,
        axis=axis,
        join_policy=join_policy,
        seat_limit=seat_limit,
        launched_on=launched_on,
        status=InitiativeStatus.PROPOSED,
        proposed_by_id=participant.id,
        active_count=0,
    )
    db.session.add(initiative)
    db.flush_or(InvalidValue(_("This address is already taken; choose another."), field="slug"))
    record(
        "initiative.propose",
        object_type="initiative",
        object_id=initiative.id,
        object_label=initiative.title,
        actor=actor,
        participant=participant,
        body=initiative,
        after={"status": initiative.status.value},
        public=True,
    )

    membership = Membership(
        body_id=initiative.id,
        participant_id=participant.id,
        role=MembershipRole.MEMBER,
        status=MembershipStatus.ACTIVE,
        created_at=now,
        created_by_id=actor.id,
        since=now,
    )
    db.session.add(membership)
    db.session.flush()
    _change_active_count(initiative, +1)
    _record_membership("membership.join", membership, initiative, participant, actor, None)

    co_chair = CoChair(
        body_id=initiative.id,
        participant_id=participant.id,
        started_at=now,
        assigned_by_id=actor.id,
    )
    db.session.add(co_chair)
    db.session.flush()
    _record_co_chair("co_chair.assign", co_chair, initiative, participant, actor)
    permissions.forget_co_chairs()
    return initiative


def edit_initiative(initiative: Initiative, *, actor: User, **fields: Any) -> Initiative:
    """Change the page: title, summary, description, join policy, seat limit, dates, results."""
    permissions.require(permissions.can_manage_body(actor, initiative))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidValue(_("This cannot be changed here."), field=field)

    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            cleaned[name] = _clean_text(value, name, required=True, max_length=TITLE_MAX)
        elif name == "summary":
            cleaned[name] = _clean_text(value, name, required=True, max_length=SUMMARY_MAX)
        elif name in ("description", "results"):
            cleaned[name] = _clean_text(value, name, required=False, max_length=TEXT_MAX)
        elif name == "join_policy":
            cleaned[name] = parse_join_policy(value)
        elif name == "seat_limit":
            cleaned[name] = _clean_seat_limit(value)
        elif name == "launched_on":
            cleaned[name] = _clean_date(value, name)

    db.session.refresh(initiative, ["active_count"])
    seat_limit_too_low = _(
        "%(n)s participants are active members now: the seat limit cannot be lower.",
        n=initiative.active_count,
    )
    if cleaned.get("seat_limit") is not None and cleaned["seat_limit"] < initiative.active_count:
        raise InvalidValue(seat_limit_too_low, field="seat_limit")

    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in cleaned.items():
        current = getattr(initiative, name)
        if current != value:
            before[name] = current.value if hasattr(current, "value") else current
            after[name] = value.value if hasattr(value, "value") else value
            setattr(initiative, name, value)
    if not after:
        return initiative
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Members joined meanwhile: the CHECK active_count <= seat_limit refused the change.
        db.session.refresh(initiative)
        raise InvalidValue(seat_limit_too_low, field="seat_limit") from None
    record(
        "initiative.edit",
        object_type="initiative",
        object_id=initiative.id,
        object_label=initiative.title,
        actor=actor,
        participant=permissions.acting_participant(actor),
        body=initiative,
        before=_short(before),
        after=_short(after),
        public=True,
    )
    return initiative


def _short(values: dict[str, Any]) -> dict[str, Any]:
    """Long Markdown texts are logged as their length, not copied into every event."""
    out = {}
    for key, value in values.items():
        if key in ("description", "results") and isinstance(value, str) and len(value) > 200:
            out[key] = value[:200] + "…"
        else:
            out[key] = value
    return out


def _change_initiative_status(
    initiative: Initiative,
    *,
    actor: User,
    expected: InitiativeStatus,
    new: InitiativeStatus,
    action: str,
    values: dict[str, Any],
    conflict: Any,
) -> Initiative:
    result = db.session.execute(
        sa.update(Initiative)
        .where(Initiative.id == initiative.id, Initiative.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(initiative)
        raise Conflict(conflict)
    db.session.refresh(initiative)
    record(
        action,
        object_type="initiative",
        object_id=initiative.id,
        object_label=initiative.title,
        actor=actor,
        participant=permissions.acting_participant(actor),
        body=initiative,
        before={"status": expected.value},
        after={"status": new.value},
        public=True,
    )
    return initiative


def activate_initiative(initiative: Initiative, *, actor: User) -> Initiative:
    """Staff activate a proposed initiative: from now on participants can join it."""
    permissions.require(permissions.can_change_initiative_status(actor))
    if initiative.status is not InitiativeStatus.PROPOSED:
        raise Conflict(_("Only a proposed initiative can be activated; this one is not."))
    if not current_co_chairs(initiative):
        raise Conflict(_("An initiative needs at least one co-chair before it is activated."))
    values: dict[str, Any] = {"activated_at": utcnow()}
    if initiative.launched_on is None:
        values["launched_on"] = utcnow().date()
    return _change_initiative_status(
        initiative,
        actor=actor,
        expected=InitiativeStatus.PROPOSED,
        new=InitiativeStatus.ACTIVE,
        action="initiative.activate",
        values=values,
        conflict=_("Only a proposed initiative can be activated; this one is not."),
    )


def conclude_initiative(initiative: Initiative, *, actor: User) -> Initiative:
    """Staff conclude an active initiative: no one joins it any more; its record stays."""
    permissions.require(permissions.can_change_initiative_status(actor))
    conflict = _("Only an active initiative can be concluded; this one is not.")
    if initiative.status is not InitiativeStatus.ACTIVE:
        raise Conflict(conflict)
    concluded = _change_initiative_status(
        initiative,
        actor=actor,
        expected=InitiativeStatus.ACTIVE,
        new=InitiativeStatus.CONCLUDED,
        action="initiative.conclude",
        values={"concluded_at": utcnow()},
        conflict=conflict,
    )
    _close_open_requests(initiative, actor=actor)
    return concluded


def _close_open_requests(body: Body, *, actor: User) -> None:
    """No one joins a concluded initiative: its pending requests are cancelled and its
    invitations revoked, each recorded, so that none waits for a decision forever.
    Active members stay members: the record of who took part is kept."""
    reason = _("The initiative was concluded.")
    closing = {
        MembershipStatus.PENDING: (MembershipStatus.CANCELLED, "membership.cancel"),
        MembershipStatus.INVITED: (MembershipStatus.REVOKED, "membership.revoke"),
    }
    waiting = db.session.scalars(
        sa.select(Membership)
        .where(Membership.body_id == body.id, Membership.status.in_(list(closing)))
        .options(joinedload(Membership.participant))
    ).all()
    for membership in waiting:
        before = membership.status
        new, action = closing[before]
        _transition(membership, expected=before, new=new, reason=str(reason))
        _record_membership(action, membership, body, membership.participant, actor, before)


# -- membership helpers -------------------------------------------------------------------------


def _role_for(participant: Participant) -> MembershipRole:
    return MembershipRole.MEMBER if participant.is_state else MembershipRole.PARTNER


def _body_link(body: Body) -> str:
    if body.kind is BodyKind.WORKING_GROUP:
        return f"/groups/{body.slug}"
    return f"/initiatives/{body.slug}"


def _seat_limit_reached() -> Conflict:
    return Conflict(_("The seat limit is reached: no seat is free in this body."))


def _require_accepting_members(body: Body, *, allow_proposed: bool = False) -> None:
    """Only active initiatives take new members (staff may also add to proposed ones)."""
    if not isinstance(body, Initiative):
        return
    if body.status is InitiativeStatus.ACTIVE:
        return
    if body.status is InitiativeStatus.PROPOSED:
        if allow_proposed:
            return
        raise Conflict(
            _("This initiative is only proposed: participants can join once staff activate it.")
        )
    raise Conflict(_("This initiative has concluded: it takes no new members."))


def _open_conflict(existing: Membership) -> Conflict:
    if existing.status is MembershipStatus.ACTIVE:
        return Conflict(_("This participant is already a member."))
    if existing.status is MembershipStatus.PENDING:
        return Conflict(
            _("This participant has already requested to join; the request is pending.")
        )
    return Conflict(_("This participant is already invited — accept the invitation to join."))


def _status_conflict(membership: Membership) -> Conflict:
    """The friendly refusal when a membership is no longer in the state an act expects."""
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
    return Conflict(messages[membership.status])


def _change_active_count(body: Body, delta: int) -> None:
    """Atomic `active_count = active_count ± 1`; the CHECK refuses going past the limit."""
    db.session.execute(
        sa.update(Body)
        .where(Body.id == body.id)
        .values(active_count=Body.active_count + delta)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(body, ["active_count"])


def _lock_body(body: Body) -> None:
    """Serialize co-chair changes and departures of one body (PostgreSQL row lock)."""
    db.session.execute(sa.select(Body.id).where(Body.id == body.id).with_for_update())


def _record_membership(
    action: str,
    membership: Membership,
    body: Body,
    participant: Participant,
    actor: User,
    before: MembershipStatus | None,
    **extra: Any,
) -> None:
    after: dict[str, Any] = {"status": membership.status.value}
    after.update({k: v for k, v in extra.items() if v is not None})
    # The event's participant is the member (the public history is about it); whom the
    # actor spoke for, a co-chair's state for instance, is kept beside the change.
    acting = permissions.acting_participant(actor)
    if acting is not None and acting.id != participant.id:
        after["acted_for"] = acting.code
    record(
        action,
        object_type="membership",
        object_id=membership.id,
        object_label=participant.name,
        actor=actor,
        participant=participant,
        body=body,
        before={"status": before.value} if before is not None else None,
        after=after,
        public=True,
    )


def _record_co_chair(
    action: str, co_chair: CoChair, body: Body, participant: Participant, actor: User
) -> None:
    record(
        action,
        object_type="co_chair",
        object_id=co_chair.id,
        object_label=participant.name,
        actor=actor,
        participant=participant,
        body=body,
        before={"co_chair": action != "co_chair.assign"},
        after={"co_chair": action == "co_chair.assign"},
        public=True,
    )


def _notify_co_chairs(body: Body, kind: str, participant: Participant, **data: Any) -> None:
    for co_chair in current_co_chairs(body):
        notify_users(
            representatives(co_chair.participant),
            kind,
            link=_body_link(body),
            participant=participant.name,
            participant_code=participant.code,
            body=body.title,
            **data,
        )


def _notify_member(membership: Membership, kind: str, **data: Any) -> None:
    notify_users(
        representatives(membership.participant),
        kind,
        link=_body_link(membership.body),
        participant=membership.participant.name,
        participant_code=membership.participant.code,
        body=membership.body.title,
        **data,
    )


def _create_membership(
    body: Body,
    participant: Participant,
    *,
    actor: User,
    status: MembershipStatus,
    message: str | None,
) -> Membership:
    """Insert a new open membership; a lost race becomes the pre-check's Conflict."""
    existing = open_membership(body, participant)
    if existing is not None:
        raise _open_conflict(existing)
    if status is MembershipStatus.ACTIVE:
        db.session.refresh(body, ["active_count"])
        if body.seat_limit is not None and body.active_count >= body.seat_limit:
            raise _seat_limit_reached()
    now = utcnow()
    membership = Membership(
        body_id=body.id,
        participant_id=participant.id,
        role=_role_for(participant),
        status=status,
        created_at=now,
        created_by_id=actor.id,
        since=now if status is MembershipStatus.ACTIVE else None,
        message=_clean_text(message, "message", required=False, max_length=NOTE_MAX) or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(membership)
            db.session.flush()
            if status is MembershipStatus.ACTIVE:
                _change_active_count(body, +1)
    except IntegrityError:
        db.session.expire(body, ["active_count"])
        existing = open_membership(body, participant)
        if existing is not None:
            raise _open_conflict(existing) from None
        raise _seat_limit_reached() from None
    return membership


def _transition(
    membership: Membership,
    *,
    expected: MembershipStatus,
    new: MembershipStatus,
    reason: str | None = None,
) -> None:
    """`UPDATE … SET status = :new WHERE id = :id AND status = :expected`, and the count."""
    now = utcnow()
    values: dict[str, Any] = {"status": new}
    if new is MembershipStatus.ACTIVE:
        values["since"] = now
    elif new in CLOSED_MEMBERSHIP_STATUSES:
        values["ended_at"] = now
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
                _change_active_count(body, +1)
            elif expected is MembershipStatus.ACTIVE:
                _change_active_count(body, -1)
    except _StaleStatus:
        db.session.refresh(membership)
        raise _status_conflict(membership) from None
    except IntegrityError:
        db.session.refresh(membership)
        db.session.expire(body, ["active_count"])
        raise _seat_limit_reached() from None
    db.session.refresh(membership)


def _expect(membership: Membership, expected: MembershipStatus) -> None:
    if membership.status is not expected:
        raise _status_conflict(membership)


# -- joining ------------------------------------------------------------------------------------


def join(body: Body, *, actor: User, message: str | None = None) -> Membership:
    """The actor's participant joins (open policy) or asks to join (approval policy)."""
    participant = permissions.require_acting_participant(actor)
    _require_accepting_members(body)
    if body.join_policy is JoinPolicy.INVITATION:
        existing = open_membership(body, participant)
        if existing is not None:
            raise _open_conflict(existing)
        raise Conflict(
            _("This body takes members only by invitation: its co-chairs invite participants.")
        )
    if body.join_policy is JoinPolicy.OPEN:
        membership = _create_membership(
            body, participant, actor=actor, status=MembershipStatus.ACTIVE, message=message
        )
        _record_membership("membership.join", membership, body, participant, actor, None)
        return membership
    membership = _create_membership(
        body, participant, actor=actor, status=MembershipStatus.PENDING, message=message
    )
    _record_membership("membership.request", membership, body, participant, actor, None)
    _notify_co_chairs(body, "membership.requested", participant, message=membership.message)
    return membership


def invite(
    body: Body, participant: Participant, *, actor: User, message: str | None = None
) -> Membership:
    """Co-chairs (and staff) invite a participant; it accepts or declines."""
    permissions.require(permissions.can_manage_body(actor, body))
    _require_accepting_members(body, allow_proposed=True)
    membership = _create_membership(
        body, participant, actor=actor, status=MembershipStatus.INVITED, message=message
    )
    _record_membership("membership.invite", membership, body, participant, actor, None)
    notify_users(
        representatives(participant),
        "membership.invited",
        link=_body_link(body),
        participant=participant.name,
        participant_code=participant.code,
        body=body.title,
        message=membership.message,
    )
    return membership


def add_member(body: Body, participant: Participant, *, actor: User) -> Membership:
    """Staff add a participant directly as an active member (or partner)."""
    permissions.require(permissions.is_staff(actor))
    _require_accepting_members(body, allow_proposed=True)
    membership = _create_membership(
        body, participant, actor=actor, status=MembershipStatus.ACTIVE, message=None
    )
    _record_membership("membership.add", membership, body, participant, actor, None)
    return membership


def approve(membership: Membership, *, actor: User) -> Membership:
    permissions.require(permissions.can_decide_membership(actor, membership))
    _expect(membership, MembershipStatus.PENDING)
    _require_accepting_members(membership.body)
    _transition(membership, expected=MembershipStatus.PENDING, new=MembershipStatus.ACTIVE)
    _record_membership(
        "membership.approve",
        membership,
        membership.body,
        membership.participant,
        actor,
        MembershipStatus.PENDING,
    )
    _notify_member(membership, "membership.approved")
    return membership


def decline(membership: Membership, *, actor: User, reason: str | None = None) -> Membership:
    permissions.require(permissions.can_decide_membership(actor, membership))
    _expect(membership, MembershipStatus.PENDING)
    reason = _clean_text(reason, "reason", required=False, max_length=NOTE_MAX) or None
    _transition(
        membership, expected=MembershipStatus.PENDING, new=MembershipStatus.DECLINED, reason=reason
    )
    _record_membership(
        "membership.decline",
        membership,
        membership.body,
        membership.participant,
        actor,
        MembershipStatus.PENDING,
    )
    _notify_member(membership, "membership.declined", reason=reason or "")
    return membership


def cancel_request(membership: Membership, *, actor: User) -> Membership:
    permissions.require(permissions.can_act_on_own_membership(actor, membership))
    _expect(membership, MembershipStatus.PENDING)
    _transition(membership, expected=MembershipStatus.PENDING, new=MembershipStatus.CANCELLED)
    _record_membership(
        "membership.cancel",
        membership,
        membership.body,
        membership.participant,
        actor,
        MembershipStatus.PENDING,
    )
    return membership


def accept_invitation(membership: Membership, *, actor: User) -> Membership:
    permissions.require(permissions.can_act_on_own_membership(actor, membership))
    _expect(membership, MembershipStatus.INVITED)
    body = membership.body
    if isinstance(body, Initiative) and body.status is not InitiativeStatus.ACTIVE:
        if body.status is InitiativeStatus.PROPOSED:
            raise Conflict(
                _("This initiative is only proposed: accept the invitation once it is active.")
            )
        raise Conflict(_("This initiative is no longer active: the invitation cannot be accepted."))
    _transition(membership, expected=MembershipStatus.INVITED, new=MembershipStatus.ACTIVE)
    _record_membership(
        "membership.accept",
        membership,
        body,
        membership.participant,
        actor,
        MembershipStatus.INVITED,
    )
    _notify_co_chairs(body, "membership.invitation_accepted", membership.participant)
    return membership


def decline_invitation(membership: Membership, *, actor: User) -> Membership:
    permissions.require(permissions.can_act_on_own_membership(actor, membership))
    _expect(membership, MembershipStatus.INVITED)
    _transition(membership, expected=MembershipStatus.INVITED, new=MembershipStatus.DECLINED)
    _record_membership(
        "membership.decline_invitation",
        membership,
        membership.body,
        membership.participant,
        actor,
        MembershipStatus.INVITED,
    )
    _notify_co_chairs(membership.body, "membership.invitation_declined", membership.participant)
    return membership


def revoke_invitation(membership: Membership, *, actor: User) -> Membership:
    permissions.require(permissions.can_decide_membership(actor, membership))
    _expect(membership, MembershipStatus.INVITED)
    _transition(membership, expected=MembershipStatus.INVITED, new=MembershipStatus.REVOKED)
    _record_membership(
        "membership.revoke",
        membership,
        membership.body,
        membership.participant,
        actor,
        MembershipStatus.INVITED,
    )
    return membership


def _is_current_co_chair_now(body: Body, participant: Participant) -> bool:
    """Asked of the database, not the per-request cache: used for refusals under a lock."""
    return (
        db.session.scalar(
            sa.select(CoChair.id).where(
                CoChair.body_id == body.id,
                CoChair.participant_id == participant.id,
                CoChair.ended_at.is_(None),
            )
        )
        is not None
    )


def _co_chair_count(body: Body) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(CoChair.id)).where(
            CoChair.body_id == body.id, CoChair.ended_at.is_(None)
        )
    )


def _keeps_a_co_chair(body: Body) -> bool:
    return isinstance(body, Initiative) and body.status is InitiativeStatus.ACTIVE


def withdraw(membership: Membership, *, actor: User) -> Membership:
    """The member leaves. A co-chair hands over first."""
    permissions.require(permissions.can_act_on_own_membership(actor, membership))
    _expect(membership, MembershipStatus.ACTIVE)
    body = membership.body
    _lock_body(body)
    if _is_current_co_chair_now(body, membership.participant):
        raise Conflict(
            _(
                "A co-chair cannot withdraw before handing over: ask the Secretariat to "
                "assign another co-chair and to end this co-chair role first."
            )
        )
    _transition(membership, expected=MembershipStatus.ACTIVE, new=MembershipStatus.WITHDRAWN)
    _record_membership(
        "membership.withdraw",
        membership,
        body,
        membership.participant,
        actor,
        MembershipStatus.ACTIVE,
    )
    return membership


def remove(membership: Membership, *, actor: User, reason: str | None) -> Membership:
    """Staff remove an active member, saying why; a co-chair's role ends with it."""
    permissions.require(permissions.can_remove_member(actor, membership.body))
    reason = _clean_text(reason, "reason", required=False, max_length=NOTE_MAX)
    if not reason:
        raise InvalidValue(_("Say why the participant is removed."), field="reason")
    _expect(membership, MembershipStatus.ACTIVE)
    body = membership.body
    participant = membership.participant
    _lock_body(body)
    co_chair = db.session.scalar(
        sa.select(CoChair).where(
            CoChair.body_id == body.id,
            CoChair.participant_id == participant.id,
            CoChair.ended_at.is_(None),
        )
    )
    if co_chair is not None and _keeps_a_co_chair(body) and _co_chair_count(body) <= 1:
        raise Conflict(
            _(
                "This participant is the initiative's last co-chair: assign another "
                "co-chair before removing it."
            )
        )
    _transition(
        membership, expected=MembershipStatus.ACTIVE, new=MembershipStatus.REMOVED, reason=reason
    )
    if co_chair is not None:
        _end_co_chair_row(co_chair, body, participant, actor)
    _record_membership(
        "membership.remove", membership, body, participant, actor, MembershipStatus.ACTIVE
    )
    _notify_member(membership, "membership.removed", reason=reason)
    return membership


# -- co-chairs -----------------------------------------------------------------------------------


def assign_co_chair(body: Body, participant: Participant, *, actor: User) -> CoChair:
    """Staff make an active state member a co-chair."""
    permissions.require(permissions.can_assign_co_chairs(actor, body))
    if participant.kind is not ParticipantKind.STATE:
        raise Conflict(_("Co-chairs are states; an organization cannot co-chair."))
    _lock_body(body)
    membership = open_membership(body, participant)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        raise Conflict(
            _(
                "A co-chair must be an active member: %(participant)s is not.",
                participant=participant.name,
                participant_code=participant.code,
            )
        )
    already = _("%(participant)s is already a co-chair.", participant=participant.name)
    if _is_current_co_chair_now(body, participant):
        raise Conflict(already)
    co_chair = CoChair(
        body_id=body.id, participant_id=participant.id, started_at=utcnow(), assigned_by_id=actor.id
    )
    db.session.add(co_chair)
    db.flush_or(Conflict(already))
    _record_co_chair("co_chair.assign", co_chair, body, participant, actor)
    permissions.forget_co_chairs()
    return co_chair


def _end_co_chair_row(co_chair: CoChair, body: Body, participant: Participant, actor: User) -> None:
    co_chair.ended_at = max(utcnow(), co_chair.started_at)
    co_chair.ended_by_id = actor.id
    db.session.flush()
    _record_co_chair("co_chair.end", co_chair, body, participant, actor)
    permissions.forget_co_chairs()


def end_co_chair(body: Body, participant: Participant, *, actor: User) -> CoChair:
    """Staff end a co-chair role; an active initiative keeps at least one co-chair."""
    permissions.require(permissions.can_assign_co_chairs(actor, body))
    _lock_body(body)
    co_chair = db.session.scalar(
        sa.select(CoChair).where(
            CoChair.body_id == body.id,
            CoChair.participant_id == participant.id,
            CoChair.ended_at.is_(None),
        )
    )
    if co_chair is None:
        raise Conflict(_("%(participant)s is not a co-chair.", participant=participant.name))
    if _keeps_a_co_chair(body) and _co_chair_count(body) <= 1:
        raise Conflict(
            _(
                "An active initiative keeps at least one co-chair: assign another co-chair "
                "before ending this one."
            )
        )
    _end_co_chair_row(co_chair, body, participant, actor)
    return co_chair
