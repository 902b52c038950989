"""Terms of membership: a membership may end on a set day (a seat on a governing body,
say). Staff and, where the body's kind lets them, its co-chairs renew a term or end it;
the terms that have run out are ended by `flask terms end` (idempotent). An ended term
closes the membership (`removed`, the reason saying the term ended), recorded and told
like any removal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload

from coalition import limits
from coalition.audit.services import record
from coalition.bodies import rules
from coalition.bodies.models import Membership, MembershipStatus
from coalition.db import utcnow
from coalition.errors import InvalidValue, refuse
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.accounts.models import User

#: How far ahead the Secretariat looks for terms to renew or end.
TERMS_HORIZON_DAYS = 90


def today() -> date:
    return utcnow().date()


def clean_term_end(value: Any, *, field: str = "term_ends_on") -> date | None:
    """The day a term ends, from a date or "YYYY-MM-DD"; None for no term. It must be
    after today (a term that has already ended is ended, not set) and within
    limits.TERM_YEARS_MAX years."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidValue(_("Give a date as YYYY-MM-DD."), field=field) from None
    now = today()
    if day <= now:
        raise InvalidValue(_("A term ends after today."), field=field)
    if day > now + timedelta(days=366 * limits.TERM_YEARS_MAX):
        raise InvalidValue(
            _("A term lasts at most %(n)s years.", n=limits.TERM_YEARS_MAX), field=field
        )
    return day


def renew_term(membership: Membership, term_ends_on: Any, *, actor: User) -> Membership:
    """Set a new end to an active membership's term (None: no end), recorded."""
    refuse(rules.term_refusal(actor, membership))
    new = clean_term_end(term_ends_on)
    old = membership.term_ends_on
    result = db.session.execute(
        sa.update(Membership)
        .where(Membership.id == membership.id, Membership.status == MembershipStatus.ACTIVE)
        .values(term_ends_on=new)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(membership)
    if result.rowcount != 1:
        refuse(rules.status_conflict(membership))
    record(
        "membership.term",
        object_type="membership",
        object_id=membership.id,
        object_label=membership.participant.name,
        actor=actor,
        participant=membership.participant,
        body=membership.body,
        before={"term_ends_on": old},
        after={"term_ends_on": new},
        public=True,
    )
    return membership


def end_term(membership: Membership, *, actor: User | None) -> Membership:
    """End an active membership's term now (staff, co-chairs; None: the command line for
    terms that ran out): the membership closes as `removed`, the reason saying so."""
    if actor is not None:
        refuse(rules.term_refusal(actor, membership))
    if membership.term_ends_on is None:
        refuse(rules.NO_TERM)
    from coalition.bodies.memberships import close_as_consequence

    close_as_consequence(
        membership,
        actor=actor,
        action="membership.term_end",
        reason=f"The term ended on {min(membership.term_ends_on, today()).isoformat()}.",
        notice="membership.term_ended",
    )
    return membership


def expired_terms(on: date | None = None) -> list[Membership]:
    """Active memberships whose term has ended by *on* (today), bodies first (1 query)."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(
                Membership.status == MembershipStatus.ACTIVE,
                Membership.term_ends_on <= (on or today()),
            )
            .options(joinedload(Membership.body), joinedload(Membership.participant))
            .order_by(Membership.body_id, Membership.id)
        )
    )


def end_expired_terms(on: date | None = None) -> int:
    """End every term that has run out by *on*; returns how many (0 when run again)."""
    ended = expired_terms(on)
    for membership in ended:
        end_term(membership, actor=None)
    return len(ended)
