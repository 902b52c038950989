"""Writing the demo's facts into the database, idempotently."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.bodies.models import (
    Body,
    CoChair,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.demo.facts import (
    ACCOUNTS,
    ENDORSEMENTS,
    INITIATIVES,
    ORGANIZATIONS,
    DemoInitiative,
)
from coalition.demo.meetings import load_meetings
from coalition.extensions import db
from coalition.initiatives.models import Initiative, InitiativeStatus
from coalition.participants.models import Participant, ParticipantKind
from coalition.representations.models import Representation, RepresentationStatus

# -- loading --------------------------------------------------------------------------------


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _participants() -> dict[str, Participant]:
    return {p.code: p for p in db.session.scalars(sa.select(Participant))}


def _load_organizations(known: dict[str, Participant]) -> None:
    for code, name, acronym, category, zone, website in ORGANIZATIONS:
        if code in known:
            continue
        org = Participant(
            kind=ParticipantKind.ORGANIZATION,
            code=code,
            name=name,
            acronym=acronym,
            category=category,
            timezone=zone,
            website=website,
            created_at=_at(date(2019, 9, 1)),
        )
        db.session.add(org)
        known[code] = org
    db.session.flush()


def _load_accounts(known: dict[str, Participant]) -> list[tuple[str, str, str]]:
    from coalition.accounts.services import hash_password

    printed = []
    existing = {
        u.email: u
        for u in db.session.scalars(sa.select(User).where(User.email.in_([a[0] for a in ACCOUNTS])))
    }
    for email, name, password, staff, admin, code, role, status, what in ACCOUNTS:
        printed.append((email, password, what))
        if email in existing:
            continue
        user = User(
            email=email,
            name=name,
            password_hash=hash_password(password),
            is_staff=staff,
            is_admin=admin,
            timezone=known[code].timezone if code and code in known else None,
        )
        db.session.add(user)
        db.session.flush()
        if code is None:
            continue
        claimed = _at(date(2021, 9, 1), 9)
        db.session.add(
            Representation(
                user_id=user.id,
                participant_id=known[code].id,
                role=role,
                status=status,
                position="Demo account",
                claimed_at=claimed,
                decided_at=claimed + timedelta(days=1)
                if status is not RepresentationStatus.PENDING
                else None,
            )
        )
    db.session.flush()
    return printed


def _load_endorsements(known: dict[str, Participant]) -> None:
    endorsing = set(
        db.session.scalars(
            sa.select(Endorsement.participant_id).where(Endorsement.withdrawn_at.is_(None))
        )
    )
    for code, day in ENDORSEMENTS:
        participant = known[code]
        if participant.id in endorsing:
            continue
        db.session.add(Endorsement(participant_id=participant.id, endorsed_at=_at(day)))
        endorsing.add(participant.id)
    db.session.flush()


def _event(
    action: str,
    *,
    when: datetime,
    body: Body,
    participant: Participant | None,
    object_type: str,
    object_id: int,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    db.session.add(
        AuditEvent(
            occurred_at=when,
            actor_id=None,
            participant_id=participant.id if participant else None,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=participant.name if participant else body.title,
            body_id=body.id,
            is_public=True,
            before=before,
            after=after,
        )
    )


def _load_initiative(spec: DemoInitiative, known: dict[str, Participant]) -> None:
    launched = _at(spec.launched_on, 10)
    proposer = known[spec.co_chairs[0]]
    initiative = Initiative(
        slug=spec.slug,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        language="en",
        title_translation=spec.title_fr,
        summary_translation=spec.summary_fr,
        results=spec.results,
        axis=spec.axis,
        join_policy=spec.join_policy,
        seat_limit=spec.seat_limit,
        status=spec.status,
        launched_on=spec.launched_on,
        proposed_by_id=proposer.id,
        activated_at=launched if spec.status is InitiativeStatus.ACTIVE else None,
        created_at=launched - timedelta(days=14),
        active_count=0,
    )
    db.session.add(initiative)
    db.session.flush()
    _event(
        "initiative.propose",
        when=initiative.created_at,
        body=initiative,
        participant=proposer,
        object_type="initiative",
        object_id=initiative.id,
        after={"status": "proposed"},
    )

    memberships: list[tuple[Membership, Participant, str]] = []
    for code, day in spec.members:
        participant = known[code]
        since = _at(day, 10 if code in spec.co_chairs else 14)
        founder = code in spec.co_chairs or day <= spec.launched_on
        membership = Membership(
            body_id=initiative.id,
            participant_id=participant.id,
            role=MembershipRole.MEMBER if participant.is_state else MembershipRole.PARTNER,
            status=MembershipStatus.ACTIVE,
            created_at=since - (timedelta(0) if founder else timedelta(days=7)),
            since=since,
        )
        action = "membership.join"
        if not founder and spec.join_policy is JoinPolicy.APPROVAL:
            action = "membership.approve"
        elif not founder and spec.join_policy is JoinPolicy.INVITATION:
            action = "membership.accept"
        elif founder and spec.join_policy is JoinPolicy.INVITATION and code not in spec.co_chairs:
            action = "membership.add"
        memberships.append((membership, participant, action))
    for code, day, message in spec.pending:
        memberships.append(
            (
                Membership(
                    body_id=initiative.id,
                    participant_id=known[code].id,
                    role=MembershipRole.MEMBER if known[code].is_state else MembershipRole.PARTNER,
                    status=MembershipStatus.PENDING,
                    created_at=_at(day, 9),
                    message=message,
                ),
                known[code],
                "membership.request",
            )
        )
    for code, day, message in spec.invited:
        memberships.append(
            (
                Membership(
                    body_id=initiative.id,
                    participant_id=known[code].id,
                    role=MembershipRole.MEMBER if known[code].is_state else MembershipRole.PARTNER,
                    status=MembershipStatus.INVITED,
                    created_at=_at(day, 9),
                    message=message,
                ),
                known[code],
                "membership.invite",
            )
        )
    db.session.add_all(m for m, _p, _a in memberships)
    db.session.flush()
    for membership, participant, action in memberships:
        if action in ("membership.approve", "membership.accept"):
            # The request (or invitation) came first, then the decision.
            first = "membership.request" if action == "membership.approve" else "membership.invite"
            first_status = "pending" if first == "membership.request" else "invited"
            _event(
                first,
                when=membership.created_at,
                body=initiative,
                participant=participant,
                object_type="membership",
                object_id=membership.id,
                after={"status": first_status},
            )
            before = {"status": first_status}
        else:
            before = None
        _event(
            action,
            when=membership.since or membership.created_at,
            body=initiative,
            participant=participant,
            object_type="membership",
            object_id=membership.id,
            before=before,
            after={"status": membership.status.value},
        )

    for code in spec.co_chairs:
        participant = known[code]
        member = next(m for m, p, _a in memberships if p is participant)
        co_chair = CoChair(
            body_id=initiative.id, participant_id=participant.id, started_at=member.since
        )
        db.session.add(co_chair)
        db.session.flush()
        _event(
            "co_chair.assign",
            when=member.since,
            body=initiative,
            participant=participant,
            object_type="co_chair",
            object_id=co_chair.id,
            before={"co_chair": False},
            after={"co_chair": True},
        )
    if spec.status is InitiativeStatus.ACTIVE:
        _event(
            "initiative.activate",
            when=launched,
            body=initiative,
            participant=None,
            object_type="initiative",
            object_id=initiative.id,
            before={"status": "proposed"},
            after={"status": "active"},
        )
    initiative.active_count = sum(
        1 for m, _p, _a in memberships if m.status is MembershipStatus.ACTIVE
    )
    db.session.flush()


def demo_is_loaded() -> bool:
    """Whether the demo was loaded on this database before."""
    first = INITIATIVES[0].slug
    return db.session.scalar(sa.select(sa.exists().where(Initiative.slug == first))) or False


def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo; returns the demo accounts as (e-mail, password, what it is).

    Expects the states to be loaded (seed_states). Idempotent; never commits.
    """
    known = _participants()
    _load_organizations(known)
    accounts = _load_accounts(known)
    _load_endorsements(known)
    existing = set(
        db.session.scalars(
            sa.select(Initiative.slug).where(Initiative.slug.in_([s.slug for s in INITIATIVES]))
        )
    )
    for spec in INITIATIVES:
        if spec.slug not in existing:
            _load_initiative(spec, known)
    from coalition.demo.groups import load_groups

    load_groups(known)
    load_meetings(known)
    return accounts
