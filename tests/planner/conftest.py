"""Helpers for the planner tests: offices in any zone, a body with members, and an
expectation computed minute by minute with zoneinfo, independently of the planner."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from coalition.bodies.models import JoinPolicy, Membership, MembershipRole, MembershipStatus
from coalition.extensions import db
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from coalition.participants.models import OrganizationCategory, Participant, ParticipantKind

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def office_in(zone: str) -> str:
    """An organization whose reference zone is *zone* (organizations have no public
    holidays and a Saturday-Sunday weekend); returns its code."""
    code = "office-" + zone.lower().replace("/", "-").replace("_", "-")
    if db.session.scalar(sa.select(Participant.id).where(Participant.code == code)) is None:
        db.session.add(
            Participant(
                kind=ParticipantKind.ORGANIZATION,
                code=code,
                name=f"Office in {zone}",
                category=OrganizationCategory.OTHER,
                timezone=zone,
            )
        )
        db.session.commit()
    return code


def initiative_with(
    slug: str,
    active: Iterable[str],
    *,
    pending: Iterable[str] = (),
    withdrawn: Iterable[str] = (),
) -> str:
    """An active initiative whose members are the participants with these codes, in
    these states (written directly: memberships are tested elsewhere)."""
    active, pending, withdrawn = list(active), list(pending), list(withdrawn)
    ids = dict(
        db.session.execute(
            sa.select(Participant.code, Participant.id).where(
                Participant.code.in_(active + pending + withdrawn)
            )
        ).all()
    )
    initiative = Initiative(
        slug=slug,
        title=f"Initiative {slug}",
        summary="A thematic coalition.",
        axis=Axis.GOVERNANCE_GAPS,
        join_policy=JoinPolicy.APPROVAL,
        status=InitiativeStatus.ACTIVE,
        activated_at=START,
        launched_on=START.date(),
        active_count=len(active),
    )
    db.session.add(initiative)
    db.session.flush()
    rows = []
    for codes, status in (
        (active, MembershipStatus.ACTIVE),
        (pending, MembershipStatus.PENDING),
        (withdrawn, MembershipStatus.WITHDRAWN),
    ):
        for code in codes:
            rows.append(
                {
                    "body_id": initiative.id,
                    "participant_id": ids[code],
                    "role": MembershipRole.MEMBER,
                    "status": status,
                    "created_at": START,
                    "since": START if status is not MembershipStatus.PENDING else None,
                    "ended_at": START if status is MembershipStatus.WITHDRAWN else None,
                }
            )
    db.session.execute(sa.insert(Membership), rows)
    db.session.commit()
    return slug


def expected_seat(start: datetime, minutes: int, zone: str, hours=(8, 20)) -> dict:
    """What the planner must say of an office in *zone* for a meeting at *start*, found
    by looking at every minute of the meeting on the zone's clock: inside when every
    minute falls within the working hours of a Monday-to-Friday, at night when some
    minute falls between 22:00 and 06:00."""
    tz = ZoneInfo(zone)
    inside, night = True, False
    first_day = start.astimezone(tz).date()
    for n in range(minutes):
        local = (start + timedelta(minutes=n)).astimezone(tz)
        if not (hours[0] <= local.hour < hours[1]) or local.date() != first_day:
            inside = False
        if local.weekday() >= 5:
            inside = False
        if local.hour >= 22 or local.hour < 6:
            night = True
    return {
        "local_start": start.astimezone(tz).isoformat(),
        "local_end": (start + timedelta(minutes=minutes)).astimezone(tz).isoformat(),
        "inside": inside,
        "night": night,
    }


def local_day_bounds(day: str, zone: str) -> tuple[datetime, datetime]:
    """UTC instants of the local midnights that begin and end *day* in *zone*."""
    tz = ZoneInfo(zone)
    begin = datetime.fromisoformat(day).replace(tzinfo=tz)
    end = (begin.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=tz)
    return begin.astimezone(UTC), end.astimezone(UTC)
