"""Participants: loading the states, looking participants up, organizations, and the
people who speak for them (claims, verification, ending a representation)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload

from coalition import permissions
from coalition.audit.services import record
from coalition.db import utcnow
from coalition.errors import Conflict, InvalidValue, NotFound
from coalition.extensions import db
from coalition.i18n import timezone_choices
from coalition.participants import countries
from coalition.participants.models import (
    OrganizationCategory,
    Participant,
    ParticipantKind,
    Representation,
    RepresentationRole,
    RepresentationStatus,
    UNStatus,
)

if TYPE_CHECKING:
    from coalition.accounts.models import User

OPEN_STATUSES = (RepresentationStatus.PENDING, RepresentationStatus.VERIFIED)

#: An organization's code: lower-case words of letters and digits joined by hyphens.
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def seed_states() -> int:
    """Create every UN member and observer state that is missing; returns how many.

    Idempotent: existing states (and what staff edited on them, such as the time
    zone) are left as they are.
    """
    existing = set(
        db.session.scalars(
            sa.select(Participant.code).where(Participant.kind == ParticipantKind.STATE)
        )
    )
    created = 0
    for record_ in countries.states():
        if record_.alpha3 in existing:
            continue
        db.session.add(
            Participant(
                kind=ParticipantKind.STATE,
                code=record_.alpha3,
                iso_alpha2=record_.alpha2,
                name=record_.name,
                un_status=UNStatus(record_.un_status),
                timezone=record_.timezone,
            )
        )
        created += 1
    db.session.flush()
    return created


def get_participant(code: str) -> Participant:
    """The participant with this code (GHA, or an organization's slug), else NotFound."""
    participant = db.session.scalar(sa.select(Participant).where(Participant.code == code))
    if participant is None and len(code) == 3:
        participant = db.session.scalar(
            sa.select(Participant).where(Participant.code == code.upper())
        )
    if participant is None:
        raise NotFound(_("There is no participant with the code %(code)s.", code=code))
    return participant


def get_representation(representation_id: int) -> Representation:
    rep = db.session.scalar(
        sa.select(Representation)
        .where(Representation.id == representation_id)
        .options(joinedload(Representation.participant), joinedload(Representation.user))
    )
    if rep is None:
        raise NotFound(_("There is no such representation."))
    return rep


# -- finding participants -------------------------------------------------------------------


def sort_key(text: str) -> str:
    """Accents and case do not decide the order: Égypte sorts with the E's."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _localized_alpha2_matching(words: list[str]) -> list[str]:
    """Alpha-2 codes of the territories whose name in the reader's language has every word."""
    territories = get_locale().territories if get_locale() is not None else {}
    matching = []
    for alpha2, name in territories.items():
        key = sort_key(name)
        if len(alpha2) == 2 and all(word in key for word in words):
            matching.append(alpha2)
    return matching


def search_statement(q: str | None = None, kind: str | None = None) -> sa.Select:
    """Participants matching every word of *q* (in the name, code, acronym, or a state's
    name in the reader's language) and of *kind*; ordered by canonical name."""
    stmt = sa.select(Participant)
    if kind:
        stmt = stmt.where(Participant.kind == ParticipantKind(kind))
    words = [w for w in (q or "").split() if w.strip()]
    if words:
        conditions = []
        for word in words:
            pattern = f"%{_escape_like(word.lower())}%"
            conditions.append(
                sa.or_(
                    Participant.name.ilike(pattern, escape="\\"),
                    Participant.code.ilike(pattern, escape="\\"),
                    Participant.acronym.ilike(pattern, escape="\\"),
                )
            )
        plain = sa.and_(*conditions)
        localized = _localized_alpha2_matching([sort_key(w) for w in words])
        stmt = stmt.where(
            sa.or_(plain, Participant.iso_alpha2.in_(localized)) if localized else plain
        )
    return stmt.order_by(Participant.name, Participant.code)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class DirectoryRow:
    participant: Participant
    display_name: str
    endorses_alliance: bool


def directory(q: str | None, kind: str | None) -> list[DirectoryRow]:
    """Every matching participant with its Alliance endorsement, sorted by the name the
    reader sees: one query, whatever the number of rows.

    The sort is by localized name (Allemagne comes before Belgique in French), which SQL
    cannot do for CLDR names; participants number in the hundreds, so the whole list is
    read once and paged in Python.
    """
    from coalition.alliance.services import endorses_now
    from coalition.labels import participant_name

    endorsed = endorses_now(Participant.id).correlate(Participant)
    stmt = search_statement(q, kind).add_columns(endorsed.label("endorsed"))
    rows = [
        DirectoryRow(participant, participant_name(participant), bool(flag))
        for participant, flag in db.session.execute(stmt)
    ]
    rows.sort(key=lambda row: (sort_key(row.display_name), row.participant.code))
    return rows


def all_participants_sorted() -> list[tuple[str, str]]:
    """(code, localized name) of every participant, by localized name, for a select box."""
    from coalition.labels import participant_name

    participants = db.session.scalars(sa.select(Participant))
    pairs = [(p.code, participant_name(p)) for p in participants]
    return sorted(pairs, key=lambda pair: (sort_key(pair[1]), pair[0]))


def current_representations(participant: Participant) -> list[Representation]:
    """Verified representations of *participant*, focal point first, with their people."""
    return list(
        db.session.scalars(
            sa.select(Representation)
            .where(
                Representation.participant_id == participant.id,
                Representation.status == RepresentationStatus.VERIFIED,
            )
            .options(joinedload(Representation.user))
            .order_by(Representation.role.desc(), Representation.decided_at)
        )
    )


def representation_history(participant: Participant) -> list[Representation]:
    """Every representation of *participant*, newest claim first (never deleted)."""
    return list(
        db.session.scalars(
            sa.select(Representation)
            .where(Representation.participant_id == participant.id)
            .options(
                joinedload(Representation.user),
                joinedload(Representation.decided_by),
                joinedload(Representation.ended_by),
            )
            .order_by(Representation.claimed_at.desc(), Representation.id.desc())
        )
    )


def open_representation(user: User) -> Representation | None:
    """The user's pending or verified representation, if any."""
    return db.session.scalar(
        sa.select(Representation)
        .where(Representation.user_id == user.id, Representation.status.in_(OPEN_STATUSES))
        .options(joinedload(Representation.participant))
    )


def pending_claims_statement() -> sa.Select:
    """Claims waiting for staff, oldest first."""
    return (
        sa.select(Representation)
        .where(Representation.status == RepresentationStatus.PENDING)
        .options(joinedload(Representation.user), joinedload(Representation.participant))
        .order_by(Representation.claimed_at, Representation.id)
    )


# -- representations ---------------------------------------------------------------------------


def _changed() -> None:
    permissions.forget_acting_representation()


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
    position = (position or "").strip() or None
    if position is not None and len(position) > 200:
        raise InvalidValue(_("Use at most %(n)d characters.", n=200), field="position")
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
    db.flush_or(_already_open())
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
    _changed()
    return rep


def _require_status(rep: Representation, *statuses: RepresentationStatus) -> None:
    if rep.status not in statuses:
        raise Conflict(
            _(
                "This representation is %(status)s: it cannot be changed that way.",
                status=_status_label(rep.status),
            )
        )


def _status_label(status: RepresentationStatus) -> str:
    from coalition.labels import label

    return label(status)


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidValue(_("Please give a reason."), field="reason")
    if len(reason) > 2000:
        raise InvalidValue(_("Use at most %(n)d characters.", n=2000), field="reason")
    return reason


def _has_other_focal_point(participant_id: int, rep_id: int | None) -> bool:
    stmt = sa.select(Representation.id).where(
        Representation.participant_id == participant_id,
        Representation.role == RepresentationRole.FOCAL_POINT,
        Representation.status == RepresentationStatus.VERIFIED,
    )
    if rep_id is not None:
        stmt = stmt.where(Representation.id != rep_id)
    return db.session.scalar(stmt) is not None


def verify_representation(rep: Representation, *, actor: User) -> Representation:
    """Staff confirm the claim: from now on the person acts for the participant.

    Raises Conflict if the claim is no longer pending, or if it is a focal-point claim
    and the participant already has a verified focal point.
    """
    permissions.require(permissions.can_verify_representations(actor))
    _require_status(rep, RepresentationStatus.PENDING)
    if rep.role is RepresentationRole.FOCAL_POINT and _has_other_focal_point(
        rep.participant_id, rep.id
    ):
        raise _focal_point_taken()
    before = _rep_state(rep)
    rep.status = RepresentationStatus.VERIFIED
    rep.decided_at = utcnow()
    rep.decided_by_id = actor.id
    db.flush_or(_focal_point_taken())
    _record_rep("representation.verify", rep, actor=actor, before=before)
    _notify_person(rep, "representation.verified")
    db.session.flush()
    _changed()
    return rep


def reject_representation(rep: Representation, *, actor: User, reason: str) -> Representation:
    """Staff refuse the claim, saying why. Raises InvalidValue (field "reason") without one."""
    permissions.require(permissions.can_verify_representations(actor))
    reason = _reason(reason)
    _require_status(rep, RepresentationStatus.PENDING)
    before = _rep_state(rep)
    rep.status = RepresentationStatus.REJECTED
    rep.decided_at = utcnow()
    rep.decided_by_id = actor.id
    rep.reason = reason
    db.session.flush()
    _record_rep("representation.reject", rep, actor=actor, before=before)
    _notify_person(rep, "representation.rejected", reason=reason)
    db.session.flush()
    _changed()
    return rep


def withdraw_claim(rep: Representation, *, actor: User) -> Representation:
    """The claimant withdraws a claim staff have not decided yet (it ends)."""
    permissions.require(actor is not None and rep.user_id == getattr(actor, "id", None))
    _require_status(rep, RepresentationStatus.PENDING)
    before = _rep_state(rep)
    now = utcnow()
    rep.status = RepresentationStatus.ENDED
    rep.decided_at = now
    rep.ended_at = now
    rep.ended_by_id = actor.id
    rep.reason = str(_("Withdrawn by the claimant."))
    db.session.flush()
    _record_rep("representation.withdraw", rep, actor=actor, before=before)
    _changed()
    return rep


def end_representation(
    rep: Representation, *, actor: User, reason: str | None = None
) -> Representation:
    """End a verified representation: the diplomat moved on. History is kept.

    Allowed to staff, the person themself, and the participant's focal point. A reason
    is required unless the person ends their own representation.
    """
    permissions.require(permissions.can_end_representation(actor, rep))
    by_self = rep.user_id == actor.id
    reason = (reason or "").strip() if by_self else _reason(reason)
    if by_self and not reason:
        reason = str(_("Ended by the representative."))
    _require_status(rep, RepresentationStatus.VERIFIED)
    before = _rep_state(rep)
    rep.status = RepresentationStatus.ENDED
    rep.ended_at = utcnow()
    rep.ended_by_id = actor.id
    rep.reason = reason
    db.session.flush()
    _record_rep("representation.end", rep, actor=actor, before=before)
    if not by_self:
        _notify_person(rep, "representation.ended", reason=reason)
    db.session.flush()
    _changed()
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
    before = _rep_state(rep) if rep is not None else None
    if rep is None:
        rep = Representation(user_id=user.id, participant_id=participant.id, role=role)
        db.session.add(rep)
    rep.role = role
    rep.status = RepresentationStatus.VERIFIED
    rep.decided_at = utcnow()
    rep.decided_by_id = actor.id if actor is not None else None
    db.flush_or(_focal_point_taken())
    _record_rep("representation.grant", rep, actor=actor, before=before)
    db.session.flush()
    _changed()
    return rep


# -- organizations and time zones ------------------------------------------------------------


@dataclass
class OrganizationData:
    code: str
    name: str
    category: str
    acronym: str | None = None
    website: str | None = None
    description: str | None = None
    timezone: str = "UTC"


def _clean_organization(data: OrganizationData, *, current: Participant | None) -> dict[str, Any]:
    code = (data.code or "").strip().lower()
    if not CODE_PATTERN.match(code) or not 2 <= len(code) <= 64:
        raise InvalidValue(
            _(
                "Use 2 to 64 lower-case letters, digits and single hyphens, "
                "e.g. unesco or article-19."
            ),
            field="code",
        )
    taken = db.session.scalar(
        sa.select(Participant.id).where(
            sa.func.lower(Participant.code) == code,
            Participant.id != (current.id if current is not None else -1),
        )
    )
    if taken is not None:
        raise _code_taken(code)
    name = (data.name or "").strip()
    if not name:
        raise InvalidValue(_("Please give the organization's name."), field="name")
    if len(name) > 200:
        raise InvalidValue(_("Use at most %(n)d characters.", n=200), field="name")
    acronym = (data.acronym or "").strip() or None
    if acronym is not None and len(acronym) > 32:
        raise InvalidValue(_("Use at most %(n)d characters.", n=32), field="acronym")
    try:
        category = OrganizationCategory(data.category)
    except ValueError:
        raise InvalidValue(_("Choose a category from the list."), field="category") from None
    website = (data.website or "").strip() or None
    if website is not None:
        parsed = urlparse(website)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(website) > 300:
            raise InvalidValue(
                _("Give a full web address, starting with https://."), field="website"
            )
    description = (data.description or "").strip() or None
    return {
        "code": code,
        "name": name,
        "acronym": acronym,
        "category": category,
        "website": website,
        "description": description,
        "timezone": _zone(data.timezone),
    }


def _zone(zone: str | None) -> str:
    zone = (zone or "").strip()
    if zone not in timezone_choices():
        raise InvalidValue(_("Choose a time zone from the list."), field="timezone")
    return zone


def _org_state(org: Participant) -> dict[str, Any]:
    return {
        "code": org.code,
        "name": org.name,
        "acronym": org.acronym,
        "category": org.category,
        "website": org.website,
        "description": org.description,
        "timezone": org.timezone,
    }


def _code_taken(code: str) -> Conflict:
    return Conflict(
        _("Another participant already uses the code %(code)s.", code=code), field="code"
    )


def create_organization(data: OrganizationData, *, actor: User) -> Participant:
    """A new organization (staff). Raises InvalidValue / Conflict about one field."""
    permissions.require(permissions.can_manage_organizations(actor))
    values = _clean_organization(data, current=None)
    org = Participant(kind=ParticipantKind.ORGANIZATION, **values)
    db.session.add(org)
    db.flush_or(_code_taken(values["code"]))
    record(
        "participant.create",
        object_type="participant",
        object_id=org.id,
        object_label=org.code,
        actor=actor,
        participant=org,
        after=_org_state(org),
    )
    db.session.flush()
    return org


def update_organization(org: Participant, data: OrganizationData, *, actor: User) -> Participant:
    """Edit an organization (staff). Raises InvalidValue / Conflict about one field."""
    permissions.require(permissions.can_edit_participant(actor, org))
    if org.kind is not ParticipantKind.ORGANIZATION:
        raise Conflict(_("Only a state's reference time zone can be changed."))
    values = _clean_organization(data, current=org)
    before = _org_state(org)
    for key, value in values.items():
        setattr(org, key, value)
    after = _org_state(org)
    if before != after:
        db.flush_or(_code_taken(values["code"]))
        record(
            "participant.update",
            object_type="participant",
            object_id=org.id,
            object_label=org.code,
            actor=actor,
            participant=org,
            before=before,
            after=after,
        )
        db.session.flush()
    return org


def set_reference_timezone(participant: Participant, zone: str, *, actor: User) -> Participant:
    """Change a participant's reference time zone (staff); InvalidValue if unknown."""
    permissions.require(permissions.can_edit_participant(actor, participant))
    zone = _zone(zone)
    if zone != participant.timezone:
        before = {"timezone": participant.timezone}
        participant.timezone = zone
        record(
            "participant.update",
            object_type="participant",
            object_id=participant.id,
            object_label=participant.code,
            actor=actor,
            participant=participant,
            before=before,
            after={"timezone": zone},
        )
        db.session.flush()
    return participant
