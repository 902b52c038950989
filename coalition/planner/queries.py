"""The planner's reads: who the participants are (named by code, or a body's members),
and the plan for them. A fixed number of queries whatever their number or the days:
one for codes, two for a body."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from flask_babel import lazy_ngettext as ngettext

from coalition import limits, permissions
from coalition.bodies.models import Body, MembershipStatus
from coalition.bodies.queries import get_body, memberships_query
from coalition.errors import FieldChecks, InvalidValue, NotFound
from coalition.extensions import db
from coalition.i18n import is_known_zone
from coalition.labels import participant_name
from coalition.participants.models import Participant
from coalition.planner.calendars import WorkCalendar
from coalition.planner.fairness import Fairness, body_fairness
from coalition.planner.service import (
    Attendee,
    Candidate,
    HoursInput,
    Plan,
    plan_request,
)

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.meetings.models import Meeting

#: Candidates the page lists, best first.
TOP = 10

_SEPARATORS = re.compile(r"[\s,;]+")


def parse_codes(text: str | None) -> list[str]:
    """Participant codes from "GHA, can sgp": split on commas, semicolons and spaces,
    without repeats, in the order given."""
    return list(dict.fromkeys(code for code in _SEPARATORS.split(text or "") if code))


def participants_by_code(codes: list[str], *, field: str = "participants") -> list[Participant]:
    """The participants with these codes, whatever their case (1 query); InvalidValue
    naming every unknown code."""
    if len(codes) > limits.PLANNER_CODES_MAX:
        raise InvalidValue(
            _("Name at most %(n)d participants.", n=limits.PLANNER_CODES_MAX), field=field
        )
    # States' codes are upper-case, organizations' lower-case: both spellings, so that
    # the unique index on the code answers.
    spellings = {c.upper() for c in codes} | {c.lower() for c in codes}
    found = {
        p.code.casefold(): p
        for p in db.session.scalars(sa.select(Participant).where(Participant.code.in_(spellings)))
    }
    unknown = [code for code in codes if code.casefold() not in found]
    if unknown:
        raise InvalidValue(
            ngettext(
                "Unknown participant code: %(codes)s.",
                "Unknown participant codes: %(codes)s.",
                len(unknown),
                codes=", ".join(unknown),
            ),
            field=field,
        )
    return list({found[c.casefold()].id: found[c.casefold()] for c in codes}.values())


def body_members(slug: str, *, field: str = "body") -> tuple[Body, list[Participant]]:
    """The body at *slug* and its active members and partners (2 queries)."""
    try:
        body = get_body(slug)
    except NotFound:
        raise InvalidValue(_("There is no body %(slug)s.", slug=slug), field=field) from None
    memberships = db.session.scalars(memberships_query(body, status=MembershipStatus.ACTIVE))
    return body, [m.participant for m in memberships]


def body_choices() -> list[tuple[str, str]]:
    """(slug, title) of every body that has members now, by title (1 query)."""
    rows = db.session.execute(
        sa.select(Body.slug, Body.title)
        .where(Body.active_count > 0)
        .order_by(Body.title, Body.slug)
    )
    return [(slug, title) for slug, title in rows]


def attendees(
    participants: Iterable[Participant], names_language: str | None = None
) -> list[Attendee]:
    return [
        Attendee(
            p.code,
            participant_name(p, names_language),
            p.timezone if is_known_zone(p.timezone) else "UTC",
            p.iso_alpha2,
        )
        for p in participants
    ]


@dataclass
class PlannerResult:
    plan: Plan
    body: Body | None
    #: The best candidates, best first.
    best: list[Candidate]
    #: The meeting whose invitees take part, if one was chosen.
    meeting: Meeting | None = None
    #: The burden of each participant from the body's meetings (a body chosen).
    fairness: Fairness | None = None


def find_times(
    *,
    codes: str | None,
    body: str | None,
    first_day: date | None,
    days: int | None,
    duration: int | None,
    hours: HoursInput,
    day_zone: ZoneInfo,
    top: int = TOP,
    names_language: str | None = None,
    meeting: int | None = None,
    viewer: User | None = None,
) -> PlannerResult:
    """The plan for a body's active members, the invitees of *meeting* (which *viewer*
    may see the invitees of) and/or the participants named by *codes* (their union),
    over *days* days of *day_zone* from *first_day*, participants named in
    *names_language* (default: the reader's). InvalidValues naming every field at
    fault: participants, body, meeting, date, days, duration, hours.

    With a body (or a meeting of one), the ranking spreads the burden of its meetings
    so far (coalition.planner.fairness).
    """
    checks = FieldChecks()
    request = checks.run(
        plan_request,
        first_day=first_day,
        days=days,
        duration=duration,
        hours=hours,
        day_zone=day_zone,
    )
    chosen = checks.run(_participants, codes, body, meeting, viewer)
    checks.raise_errors()
    found_body, found_meeting, participants = chosen
    if found_body is None and found_meeting is not None:
        found_body = found_meeting.body
    calendar = WorkCalendar(str(get_locale() or "en"))
    people = attendees(participants, names_language)
    fairness = None
    if found_body is not None:
        fairness = body_fairness(found_body, people, request.hours, calendar)
    plan = Plan(request, people, calendar, fairness.burdens() if fairness else None)
    return PlannerResult(
        plan=plan,
        body=found_body,
        best=plan.ranked(limit=top),
        meeting=found_meeting,
        fairness=fairness,
    )


def meeting_invitees(
    meeting_id: int, viewer: User | None, *, field: str = "meeting"
) -> tuple[Meeting, list[Participant]]:
    """The meeting and everyone invited to it now, if *viewer* may see who is (2
    queries, and those of the permission check)."""
    from coalition.meetings.invitations import invitees
    from coalition.meetings.queries import get_meeting

    refusal = InvalidValue(
        _("There is no meeting %(id)s whose invitees you may see.", id=meeting_id), field=field
    )
    try:
        meeting = get_meeting(meeting_id, user=viewer)
    except NotFound:
        raise refusal from None
    if not permissions.can_see_meeting_details(viewer, meeting):
        raise refusal
    return meeting, [i.participant for i in invitees(meeting)]


def _participants(
    codes: str | None, body: str | None, meeting: int | None, viewer: User | None
) -> tuple[Body | None, Meeting | None, list[Participant]]:
    """The body, the meeting, and the union of the body's active members, the
    meeting's invitees and the participants named by codes."""
    checks = FieldChecks()
    chosen: dict[int, Participant] = {}
    found = checks.run(body_members, body) if body else None
    if found is not None:
        if not found[1]:
            checks.add("body", _("This body has no active members yet."))
        chosen.update((p.id, p) for p in found[1])
    invited = checks.run(meeting_invitees, meeting, viewer) if meeting else None
    if invited is not None:
        if not invited[1]:
            checks.add("meeting", _("No one is invited to this meeting."))
        chosen.update((p.id, p) for p in invited[1])
    named = parse_codes(codes)
    if named:
        chosen.update((p.id, p) for p in checks.run(participants_by_code, named) or [])
    elif not body and not meeting:
        checks.add(
            "participants", _("Choose a body, or give participant codes such as GHA, CAN, SGP.")
        )
    checks.raise_errors()
    return (found[0] if found else None), (invited[0] if invited else None), list(chosen.values())
