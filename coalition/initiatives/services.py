"""The lifecycle of initiatives: proposing, editing, activating, concluding, and the
directory's search. Memberships and co-chairs are the bodies package's (one machine for
every kind of body); this module uses it.

Every write takes the acting user as `actor`, asks coalition.initiatives.rules, records a
public audit event, and never commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from coalition import limits, permissions
from coalition.audit.services import record
from coalition.bilingual import translation_cleaners
from coalition.bodies import memberships
from coalition.bodies.co_chairs import start_co_chair_row
from coalition.bodies.editing import (
    apply_changes,
    choose_slug,
    clean_date,
    clean_seat_limit,
    short,
    slug_taken_error,
)
from coalition.bodies.models import JoinPolicy
from coalition.bodies.queries import co_chairs_of
from coalition.db import flush_or, utcnow
from coalition.errors import Conflict, InvalidValue, refuse
from coalition.extensions import db
from coalition.initiatives import rules
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from coalition.participants.models import Participant
from coalition.text import clean_line, clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User

E = TypeVar("E", bound=StrEnum)

#: Fixed path segments under /initiatives/ that no initiative may take as its slug.
RESERVED_SLUGS = frozenset({"propose", "new", "edit", "history"})

EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "language",
    "title_translation",
    "summary_translation",
    "description_translation",
    "join_policy",
    "seat_limit",
    "launched_on",
    "results",
)


# -- reading ------------------------------------------------------------------------------


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
    word of *q* must appear in the title or the summary, in either language."""
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
                Initiative.title_translation.icontains(word, autoescape=True),
                Initiative.summary_translation.icontains(word, autoescape=True),
            )
        )
    return stmt.order_by(_STATUS_ORDER, Initiative.title, Initiative.id)


# -- proposing and editing ----------------------------------------------------------------


_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "title": lambda v: clean_line(v, "title", required=True, max_length=limits.TITLE_MAX),
    "summary": lambda v: clean_text(v, "summary", required=True, max_length=limits.SUMMARY_MAX),
    "description": lambda v: clean_text(v, "description", max_length=limits.TEXT_MAX),
    "results": lambda v: clean_text(v, "results", max_length=limits.TEXT_MAX),
    "axis": parse_axis,
    "join_policy": parse_join_policy,
    "seat_limit": clean_seat_limit,
    "launched_on": lambda v: clean_date(v, "launched_on"),
    **translation_cleaners(),
}


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
    language: str = "en",
    title_translation: str = "",
    summary_translation: str = "",
    description_translation: str = "",
) -> Initiative:
    """A participant of the Alliance proposes an initiative; it becomes its first co-chair.

    Title, summary and description are in *language*; the *_translation texts, optional,
    in the other one.

    Raises Conflict when the participant already has limits.PROPOSALS_WAITING_MAX
    proposals waiting (its row is locked first, so that two proposals sent at once
    cannot both pass the count)."""
    _lock_acting_participant(actor)
    refuse(rules.propose_refusal(actor))
    participant = permissions.require_acting_participant(actor)
    values = {
        name: _CLEANERS[name](value)
        for name, value in {
            "title": title,
            "summary": summary,
            "description": description,
            "axis": axis,
            "join_policy": join_policy,
            "seat_limit": seat_limit,
            "launched_on": launched_on,
            "language": language,
            "title_translation": title_translation,
            "summary_translation": summary_translation,
            "description_translation": description_translation,
        }.items()
    }
    initiative = Initiative(
        slug=choose_slug(values["title"], slug, reserved=RESERVED_SLUGS, fallback="initiative"),
        status=InitiativeStatus.PROPOSED,
        proposed_by_id=participant.id,
        active_count=0,
        **values,
    )
    db.session.add(initiative)
    flush_or(slug_taken_error())
    _record("initiative.propose", initiative, actor, after={"status": initiative.status.value})
    memberships.add_founder(initiative, participant, actor=actor)
    start_co_chair_row(initiative, participant, actor)
    return initiative


def _lock_acting_participant(actor: User) -> None:
    """Lock the row of the participant *actor* speaks for (PostgreSQL; SQLite serializes
    writers anyway): proposals of one participant are counted one at a time."""
    participant = permissions.acting_participant(actor)
    if participant is not None and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.select(Participant.id).where(Participant.id == participant.id).with_for_update()
        )


def edit_initiative(initiative: Initiative, *, actor: User, **fields: Any) -> Initiative:
    """Change the page: title, summary, description, join policy, seat limit, dates, results."""
    refuse(rules.edit_refusal(actor, initiative))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidValue(_("This cannot be changed here."), field=sorted(unknown)[0])
    cleaned = {name: _CLEANERS[name](value) for name, value in fields.items()}

    before, after = apply_changes(initiative, cleaned)
    if not after:
        return initiative
    _record("initiative.edit", initiative, actor, before=short(before), after=short(after))
    return initiative


# -- activating and concluding --------------------------------------------------------------


def activate_initiative(initiative: Initiative, *, actor: User) -> Initiative:
    """Staff activate a proposed initiative: from now on participants can join it."""
    refuse(rules.activate_refusal(actor, initiative))
    if not co_chairs_of(initiative):
        raise Conflict(_("An initiative needs at least one co-chair before it is activated."))
    values: dict[str, Any] = {"activated_at": utcnow()}
    if initiative.launched_on is None:
        values["launched_on"] = utcnow().date()
    _change_status(initiative, InitiativeStatus.ACTIVE, values, actor=actor)
    _record("initiative.activate", initiative, actor, before={"status": "proposed"})
    return initiative


def conclude_initiative(initiative: Initiative, *, actor: User) -> Initiative:
    """Staff conclude an active initiative: no one joins it any more; its record stays.
    Waiting requests are cancelled and invitations revoked; members stay members."""
    refuse(rules.conclude_refusal(actor, initiative))
    _change_status(initiative, InitiativeStatus.CONCLUDED, {"concluded_at": utcnow()}, actor=actor)
    _record("initiative.conclude", initiative, actor, before={"status": "active"})
    memberships.close_waiting(
        initiative, actor=actor, reason=str(_("The initiative was concluded."))
    )
    return initiative


def refuse_proposal(initiative: Initiative, *, actor: User, reason: str) -> Initiative:
    """Staff refuse a proposed initiative, saying why: it is concluded without ever being
    active (its record stays public; see Initiative.was_refused), and no longer counts
    among its proposer's proposals waiting. Invitations sent while proposed are revoked.
    Raises InvalidValue(field="reason") when no reason is given."""
    refuse(rules.refuse_proposal_refusal(actor, initiative))
    reason = clean_text(reason, "reason", required=True, max_length=limits.NOTE_MAX)
    _change_status(
        initiative,
        InitiativeStatus.CONCLUDED,
        {"concluded_at": utcnow()},
        actor=actor,
        expected=InitiativeStatus.PROPOSED,
        refusal=rules.refuse_proposal_refusal,
    )
    _record(
        "initiative.refuse",
        initiative,
        actor,
        before={"status": "proposed"},
        after={"status": initiative.status.value, "reason": reason},
    )
    memberships.close_waiting(initiative, actor=actor, reason=str(_("The proposal was refused.")))
    return initiative


def _change_status(
    initiative: Initiative,
    new: InitiativeStatus,
    values: dict[str, Any],
    *,
    actor: User,
    expected: InitiativeStatus | None = None,
    refusal: Callable[[User, Initiative], Any] | None = None,
) -> None:
    """Conditional UPDATE from the status the rules saw; a lost race is their Conflict.

    The body row is locked first, so that a join request racing a conclusion either
    lands before it (and is then cancelled by it) or sees the concluded status."""
    expected = expected or initiative.status
    memberships.lock_body(initiative)
    result = db.session.execute(
        sa.update(Initiative)
        .where(Initiative.id == initiative.id, Initiative.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(initiative)
    if result.rowcount != 1:
        if refusal is not None:
            refuse(refusal(actor, initiative))
        refuse(
            rules.activate_refusal(actor, initiative)
            if new is InitiativeStatus.ACTIVE
            else rules.conclude_refusal(actor, initiative)
        )


def _record(
    action: str,
    initiative: Initiative,
    actor: User,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(
        action,
        object_type="initiative",
        object_id=initiative.id,
        object_label=initiative.title,
        actor=actor,
        participant=permissions.acting_participant(actor),
        body=initiative,
        before=before,
        after=after if after is not None else {"status": initiative.status.value},
        public=True,
    )
