"""The demo's working groups: the Community of Democracies' Convening Group as an
Alliance-level body (enlarged from 10 to 16 seats), and two groups of initiatives.

Members come only from explicit additions to each group (no participant joins anything
else through them); members of an initiative's group are active members of it; some
have terms, one ending within the Secretariat's 90 days. Loaded once per slug.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from coalition.bodies.models import (
    CoChair,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.bodies.terms import today
from coalition.demo.load import _event
from coalition.extensions import db
from coalition.groups.models import GroupStatus, WorkingGroup
from coalition.initiatives.models import Initiative
from coalition.participants.models import Participant


@dataclass
class DemoGroup:
    slug: str
    title: str
    summary: str
    mandate: str
    formed_on: date
    #: The initiative's slug; None: the Alliance.
    initiative: str | None
    co_chairs: list[tuple[str, date]]
    #: (code, since, term ends on or None).
    members: list[tuple[str, date, date | None]]
    seat_limit: int | None = None
    #: Seat limits before the current one: (limit, changed on), oldest first.
    earlier_seat_limits: list[tuple[int, date]] = field(default_factory=list)


def _soon() -> date:
    """A term the Secretariat sees among those ending within 90 days."""
    return today() + timedelta(days=45)


def groups() -> list[DemoGroup]:
    warsaw = date(2000, 6, 27)
    enlarged = date(2006, 5, 15)
    return [
        DemoGroup(
            slug="convening-group",
            title="Convening Group",
            summary=(
                "The governing body that convenes the ministerial conferences, enlarged "
                "from 10 to 16 members."
            ),
            mandate=(
                "Founded with the Warsaw Declaration (June 2000), the Convening Group "
                "prepares the ministerial conferences and follows up their commitments "
                "with the Permanent Secretariat in Warsaw.\n\n"
                "- It decides by **consensus**;\n"
                "- its chair rotates every two years (Mali chaired the Bamako conference "
                "in November 2007, then Portugal took over);\n"
                "- it was enlarged from 10 to 16 members, completed in 2006."
            ),
            formed_on=warsaw,
            initiative=None,
            co_chairs=[("PRT", date(2007, 11, 17))],
            members=[
                *(
                    (code, warsaw, None)
                    for code in [
                        "CHL",
                        "CZE",
                        "IND",
                        "MLI",
                        "MEX",
                        "POL",
                        "PRT",
                        "KOR",
                        "ZAF",
                        "USA",
                    ]
                ),
                ("CPV", enlarged, date(2027, 6, 30)),
                ("SLV", enlarged, date(2027, 6, 30)),
                ("ITA", enlarged, date(2027, 6, 30)),
                ("MNG", enlarged, date(2027, 6, 30)),
                ("MAR", enlarged, date(2027, 6, 30)),
                ("PHL", enlarged, _soon()),
            ],
            seat_limit=16,
            earlier_seat_limits=[(10, enlarged - timedelta(days=30))],
        ),
        DemoGroup(
            slug="infodemic-working-group",
            title="Working group on the infodemic",
            summary=(
                "Members of the Partnership facing the flood of false and misleading "
                "information about COVID-19."
            ),
            mandate=(
                "Formed by members of the International Partnership for Information and "
                "Democracy in 2020, the working group drafts recommendations to platforms "
                "and states on the *infodemic*: transparency of algorithms, moderation, "
                "and support to reliable journalism."
            ),
            formed_on=date(2020, 6, 2),
            initiative="international-partnership-for-information-and-democracy",
            co_chairs=[("CAN", date(2020, 6, 2))],
            members=[
                ("CAN", date(2020, 6, 2), None),
                ("FRA", date(2020, 6, 2), None),
                ("CRI", date(2020, 6, 2), date(2027, 12, 31)),
                ("DNK", date(2020, 6, 2), None),
                ("LVA", date(2020, 6, 2), date(2027, 12, 31)),
                ("LTU", date(2020, 6, 16), _soon()),
                ("SEN", date(2020, 6, 16), date(2027, 12, 31)),
                ("TUN", date(2020, 9, 1), None),
                ("CHE", date(2020, 9, 1), None),
                ("rsf", date(2020, 6, 2), None),
            ],
        ),
        DemoGroup(
            slug="paris-call-drafting-group",
            title="Drafting group on the nine principles' progress report",
            summary=(
                "Eight seats to draft the yearly report on how the nine principles are applied."
            ),
            mandate=(
                "The drafting group prepares the Paris Call's progress report: for each of "
                "the nine principles, what supporters have done and what remains. Its text "
                "goes to all supporters for comment before the Paris Peace Forum."
            ),
            formed_on=date(2021, 2, 1),
            initiative="paris-call-for-trust-and-security-in-cyberspace",
            co_chairs=[("FRA", date(2021, 2, 1))],
            members=[
                ("FRA", date(2021, 2, 1), None),
                ("CAN", date(2021, 2, 1), date(2027, 11, 12)),
                ("CHL", date(2021, 2, 1), date(2027, 11, 12)),
                ("DEU", date(2021, 2, 1), date(2027, 11, 12)),
                ("JPN", date(2021, 2, 8), date(2027, 11, 12)),
                ("KOR", date(2021, 2, 8), date(2027, 11, 12)),
                ("SGP", date(2021, 2, 8), date(2027, 11, 12)),
                ("oecd", date(2021, 2, 8), date(2027, 11, 12)),
            ],
            seat_limit=8,
        ),
    ]


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def load_groups(known: dict[str, Participant]) -> None:
    specs = groups()
    existing = set(
        db.session.scalars(
            sa.select(WorkingGroup.slug).where(WorkingGroup.slug.in_([g.slug for g in specs]))
        )
    )
    for spec in specs:
        if spec.slug not in existing:
            _load_group(spec, known)


def _load_group(spec: DemoGroup, known: dict[str, Participant]) -> None:
    initiative = None
    if spec.initiative is not None:
        initiative = db.session.scalar(
            sa.select(Initiative).where(Initiative.slug == spec.initiative)
        )
    formed = _at(spec.formed_on, 9)
    first_limit = spec.earlier_seat_limits[0][0] if spec.earlier_seat_limits else spec.seat_limit
    group = WorkingGroup(
        slug=spec.slug,
        title=spec.title,
        summary=spec.summary,
        description=spec.mandate,
        initiative_id=initiative.id if initiative else None,
        status=GroupStatus.ACTIVE,
        join_policy=JoinPolicy.INVITATION,
        seat_limit=spec.seat_limit,
        active_count=len(spec.members),
        created_at=formed,
    )
    db.session.add(group)
    db.session.flush()
    _event(
        "group.create",
        when=formed,
        body=group,
        participant=None,
        object_type="group",
        object_id=group.id,
        after={"status": "active", "seat_limit": first_limit},
    )
    limits = [*spec.earlier_seat_limits, (spec.seat_limit, None)]
    for (old, changed_on), (new, _next) in itertools.pairwise(limits):
        _event(
            "group.edit",
            when=_at(changed_on, 10),
            body=group,
            participant=None,
            object_type="group",
            object_id=group.id,
            before={"seat_limit": old},
            after={"seat_limit": new},
        )
    rows = []
    for code, since, term in spec.members:
        participant = known[code]
        membership = Membership(
            body_id=group.id,
            participant_id=participant.id,
            role=MembershipRole.MEMBER if participant.is_state else MembershipRole.PARTNER,
            status=MembershipStatus.ACTIVE,
            created_at=_at(since, 11),
            since=_at(since, 11),
            term_ends_on=term,
        )
        rows.append((membership, participant))
    db.session.add_all(m for m, _p in rows)
    db.session.flush()
    for membership, participant in rows:
        after = {"status": "active"}
        if membership.term_ends_on:
            after["term_ends_on"] = membership.term_ends_on.isoformat()
        _event(
            "membership.add",
            when=membership.since,
            body=group,
            participant=participant,
            object_type="membership",
            object_id=membership.id,
            after=after,
        )
    for code, since in spec.co_chairs:
        participant = known[code]
        co_chair = CoChair(
            body_id=group.id, participant_id=participant.id, started_at=_at(since, 12)
        )
        db.session.add(co_chair)
        db.session.flush()
        _event(
            "co_chair.assign",
            when=co_chair.started_at,
            body=group,
            participant=participant,
            object_type="co_chair",
            object_id=co_chair.id,
            before={"co_chair": False},
            after={"co_chair": True},
        )
    db.session.flush()
