"""Participants: loading the states, looking participants up, the directory,
organizations and their reference time zones."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlparse

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _

from coalition import limits, permissions
from coalition.audit.services import record
from coalition.collation import sort_key
from coalition.db import flush_or
from coalition.errors import Conflict, InvalidValue, NotFound
from coalition.extensions import db
from coalition.i18n import names_language, timezone_choices
from coalition.limits import SEARCH_MAX
from coalition.pagination import Page
from coalition.participants import countries
from coalition.participants.models import (
    OrganizationCategory,
    Participant,
    ParticipantKind,
    UNStatus,
)
from coalition.text import clean_line, clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User

#: An organization's code: lower-case words of letters and digits joined by hyphens.
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Seeded(NamedTuple):
    created: int
    updated: int


def seed_states() -> Seeded:
    """Create every UN member and observer state that is missing, and give every state
    the UN's names, UN status and M49 regions from the data file; says how many states
    it created and how many existing ones it updated.

    Idempotent: running it again changes nothing; after the data file is refreshed it
    updates the names and regions of the existing states (a state the UN renames is
    renamed everywhere), and leaves what staff edited, such as the time zone, alone.
    """
    existing = {
        p.code: p
        for p in db.session.scalars(
            sa.select(Participant).where(Participant.kind == ParticipantKind.STATE)
        )
    }
    created = updated = 0
    for record_ in countries.states():
        participant = existing.get(record_.alpha3)
        if participant is None:
            participant = Participant(
                kind=ParticipantKind.STATE,
                code=record_.alpha3,
                iso_alpha2=record_.alpha2,
                timezone=record_.timezone,
            )
            db.session.add(participant)
            created += 1
        reference = {
            "name": record_.name,
            "un_status": UNStatus(record_.un_status),
            "names": dict(record_.names),
            "formal_names": dict(record_.formal_names) or None,
            "region_code": record_.region_code or None,
            "subregion_code": record_.subregion_code or None,
            "intermediate_region_code": record_.intermediate_region_code or None,
        }
        changed = {k: v for k, v in reference.items() if getattr(participant, k) != v}
        for key, value in changed.items():
            setattr(participant, key, value)
        if changed and participant.id is not None:
            updated += 1
    db.session.flush()
    return Seeded(created, updated)


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


# -- finding participants -------------------------------------------------------------------


def in_region(code: str) -> sa.ColumnElement[bool]:
    """States in the M49 region, sub-region or intermediate region *code*."""
    return sa.or_(
        Participant.region_code == code,
        Participant.subregion_code == code,
        Participant.intermediate_region_code == code,
    )


def search_statement(
    q: str | None = None, kind: str | None = None, region: str | None = None
) -> sa.Select:
    """Participants matching *q*, of *kind*, in *region* (an M49 code), unordered.

    A state matches when one of its names has every word of *q*, accents and case aside:
    the UN's short and formal names in its six languages, and names it is known by
    (Turkey, Vatican, Korea, Allemagne), matched in memory; any participant matches by
    its English name, code or acronym. One query whatever the number of names.
    """
    stmt = sa.select(Participant)
    if kind:
        stmt = stmt.where(Participant.kind == ParticipantKind(kind))
    if region:
        stmt = stmt.where(in_region(region))
    words = [w for w in (q or "")[:SEARCH_MAX].split() if w.strip()]
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
        states = countries.matching_codes(" ".join(words))
        stmt = stmt.where(sa.or_(plain, Participant.code.in_(states)) if states else plain)
    return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def by_name(language: str | None = None) -> Callable[[Participant], tuple]:
    """Sort key for participants: the name a reader of *language* (default: the reader's)
    sees, collated as that reader expects, then the code."""
    from coalition.labels import participant_name

    language = language or names_language()
    collate = sort_key(language)
    return lambda p: (collate(participant_name(p, language)), p.code)


def find_participants(
    q: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    *,
    language: str | None = None,
) -> list[Participant]:
    """Every matching participant, sorted by its name in *language* (default: the
    reader's), one query.

    Names are sorted by collation, which SQL cannot do alike on SQLite and PostgreSQL;
    participants number in the hundreds, so the list is read whole and paged in Python.
    """
    return sorted(db.session.scalars(search_statement(q, kind, region)), key=by_name(language))


def name_column(language: str) -> sa.ColumnElement[str]:
    """SQL: the name labels.participant_name gives in *language*: a state's UNTERM short
    name in that language, else its English one, else (organizations) its own name."""
    return sa.func.coalesce(
        sa.func.nullif(Participant.names[language].as_string(), ""),
        sa.func.nullif(Participant.names["en"].as_string(), ""),
        Participant.name,
    )


def sorted_ids(
    stmt: sa.Select, language: str | None = None, *, key: Callable[[Any], tuple] | None = None
) -> list[int]:
    """Ids of the participants *stmt* (a select of Participant) chooses, sorted by the
    name a reader of *language* sees (or by *key*), one query.

    Collation cannot be done alike in SQL on SQLite and PostgreSQL, so the order is made
    here; but only from light rows (id, kind, code, region, the one name), never whole
    participants with their names in six languages: the page then loads the few it shows
    (load_in_order). Reading whole rows to show a page of them cost five times more.
    """
    language = language or names_language()
    rows = db.session.execute(
        stmt.with_only_columns(
            Participant.id,
            Participant.kind,
            Participant.code,
            Participant.region_code,
            name_column(language).label("display_name"),
        )
    ).all()
    collate = sort_key(language)
    key = key or (lambda row: (collate(row.display_name), row.code))
    return [row.id for row in sorted(rows, key=key)]


def load_in_order(ids: list[int], stmt: sa.Select | None = None) -> list[Any]:
    """The participants of *ids* in that order, one query; with *stmt*
    (a select of Participant and more columns), its rows for those ids. It runs even
    for no id, so that a page runs the same statements whether it is empty or not."""
    whole = stmt is None
    stmt = sa.select(Participant) if stmt is None else stmt
    found = {row[0].id: row for row in db.session.execute(stmt.where(Participant.id.in_(ids)))}
    rows = [found[i] for i in ids if i in found]
    return [row[0] for row in rows] if whole else rows


def participants_page(
    q: str | None,
    kind: str | None,
    region: str | None,
    page: int,
    per_page: int,
    *,
    language: str | None = None,
) -> Page:
    """One page of the matching participants by the name a reader of *language* sees
    (2 queries, the cost of the second that of the page)."""
    ids = sorted_ids(search_statement(q, kind, region), language)
    start = (page - 1) * per_page
    return Page(load_in_order(ids[start : start + per_page]), page, per_page, len(ids))


@dataclass
class DirectoryRow:
    participant: Participant
    display_name: str
    endorses_alliance: bool


def directory(
    q: str | None, kind: str | None, region: str | None = None, *, page: int = 1, per_page: int
) -> Page:
    """One page of the matching participants with their Alliance endorsements, sorted by
    the name the reader sees: 2 queries, whatever the number of rows (see sorted_ids)."""
    from coalition.alliance.services import endorses_now
    from coalition.labels import participant_name

    language = names_language()
    ids = sorted_ids(search_statement(q, kind, region), language)
    start = (page - 1) * per_page
    endorsed = endorses_now(Participant.id).correlate(Participant)
    rows = load_in_order(
        ids[start : start + per_page], sa.select(Participant, endorsed.label("endorsed"))
    )
    items = [DirectoryRow(p, participant_name(p, language), bool(flag)) for p, flag in rows]
    return Page(items, page, per_page, len(ids))


def all_participants_sorted() -> list[tuple[str, str]]:
    """(code, name) of every participant, by the name the reader sees, for a select box."""
    from coalition.labels import participant_name

    language = names_language()
    return [(p.code, participant_name(p, language)) for p in find_participants()]


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
    if code in reserved_codes():
        raise InvalidValue(
            _(
                "%(code)s is part of the site's own addresses (/participants/%(code)s): "
                "choose another code.",
                code=code,
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
    name = clean_line(data.name, "name", max_length=limits.NAME_MAX)
    if not name:
        raise InvalidValue(_("Please give the organization's name."), field="name")
    acronym = clean_line(data.acronym, "acronym", max_length=limits.ACRONYM_MAX) or None
    try:
        category = OrganizationCategory(data.category)
    except ValueError:
        raise InvalidValue(_("Choose a category from the list."), field="category") from None
    website = clean_line(data.website, "website", max_length=None) or None
    if website is not None:
        parsed = urlparse(website)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(website) > 300:
            raise InvalidValue(
                _("Give a full web address, starting with https://."), field="website"
            )
    description = clean_text(data.description, "description", max_length=limits.TEXT_MAX) or None
    return {
        "code": code,
        "name": name,
        "acronym": acronym,
        "category": category,
        "website": website,
        "description": description,
        "timezone": _zone(data.timezone),
    }


#: A fixed segment right after /participants/ in a route (/participants/claim).
_PARTICIPANTS_SEGMENT = re.compile(r"^(?:/api/v\d+)?/participants/([^/<]+)")


def reserved_codes() -> frozenset[str]:
    """Words that the site's own addresses use right after /participants/: an
    organization with such a code would have a page no one can reach. Read from the URL
    map, so that a page added there later is reserved too."""
    words = set()
    for rule in current_app.url_map.iter_rules():
        match = _PARTICIPANTS_SEGMENT.match(rule.rule)
        if match:
            words.add(match.group(1).lower())
    return frozenset(words)


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
    flush_or(_code_taken(values["code"]))
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
        flush_or(_code_taken(values["code"]))
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
