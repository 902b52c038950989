"""Reading meetings: which a reader may see, one meeting, the month grid, the lists of a
body, a participant and the home page, the subscription feed. Every function runs a
fixed number of statements whatever the number of meetings; nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coalition import permissions
from coalition.bodies.models import CO_CHAIR_IS_CURRENT, Body, CoChair
from coalition.db import utcnow
from coalition.errors import NotFound
from coalition.extensions import db
from coalition.meetings import invitations
from coalition.meetings.models import AgendaItem, Meeting, MeetingStatus, Visibility
from coalition.meetings.times import viewer_zone
from coalition.meetings.values import LONGEST
from coalition.pagination import Page, paginate

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant

#: A month view shows at most this many meetings (far above any real month).
MONTH_MAX = 1_000
#: The subscription feed carries meetings that ended at most this long ago.
FEED_PAST = timedelta(days=365)
#: No meeting lasts longer than this (values.LONGEST, with a day to spare for a change of
#: a zone's rules that moves an end): a meeting not yet over started less than this ago.
LONGEST_SPAN = LONGEST + timedelta(days=1)


def not_over(now: datetime) -> sa.ColumnElement[bool]:
    """SQL: meetings ending after *now*. The bound on the start says nothing more, but
    lets the database read the indexes on starts_at from there instead of walking every
    meeting ever held (the cost of an upcoming list stays that of what is to come)."""
    return sa.and_(Meeting.ends_at > now, Meeting.starts_at > now - LONGEST_SPAN)


def over(now: datetime) -> sa.ColumnElement[bool]:
    """SQL: meetings ended by *now*; they started before it, which bounds the index scan
    of the latest-first lists to the meetings held."""
    return sa.and_(Meeting.ends_at <= now, Meeting.starts_at < now)


def visible_to(user: User | None) -> sa.ColumnElement[bool]:
    """SQL: the meetings *user* may see — public ones; members-only ones its participant
    is invited to or co-chairs the body of; every one for staff."""
    if permissions.is_staff(user):
        return sa.true()
    condition = Meeting.visibility == Visibility.PUBLIC
    participant = permissions.acting_participant(user)
    if participant is not None:
        co_chaired = sa.select(CoChair.body_id).where(
            CoChair.participant_id == participant.id, CO_CHAIR_IS_CURRENT
        )
        condition = sa.or_(
            condition,
            Meeting.id.in_(invitations.invited_meeting_ids(participant.id)),
            Meeting.body_id.in_(co_chaired),
        )
    return condition


def get_meeting(meeting_id: int, *, user: User | None) -> Meeting:
    """The meeting with its body and agenda, if *user* may see it; else NotFound (a
    members-only meeting does not exist for those it is not for)."""
    meeting = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(joinedload(Meeting.body), joinedload(Meeting.series), selectinload(Meeting.agenda))
    )
    if meeting is None or not permissions.can_see_meeting(user, meeting):
        raise NotFound(_("There is no such meeting."))
    return meeting


def _listed(stmt: sa.Select) -> sa.Select:
    return stmt.options(joinedload(Meeting.body), joinedload(Meeting.series))


def filtered(
    user: User | None,
    *,
    body: Body | None = None,
    axis: Any = None,
    participant: Participant | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> sa.Select[tuple[Meeting]]:
    """Meetings *user* may see, overlapping [start, end), of *body*, of the initiatives
    of *axis*, to which *participant* is invited."""
    stmt = _listed(sa.select(Meeting).where(visible_to(user)))
    if body is not None:
        stmt = stmt.where(Meeting.body_id == body.id)
    if axis is not None:
        from coalition.initiatives.models import Initiative

        stmt = stmt.where(
            Meeting.body_id.in_(sa.select(Initiative.id).where(Initiative.axis == axis))
        )
    if participant is not None:
        stmt = stmt.where(Meeting.id.in_(invitations.invited_meeting_ids(participant.id)))
    if start is not None:
        stmt = stmt.where(Meeting.ends_at > start)
    if end is not None:
        stmt = stmt.where(Meeting.starts_at < end)
    return stmt


def upcoming(stmt: sa.Select, page: int, per_page: int) -> Page:
    return paginate(
        stmt.where(not_over(utcnow())).order_by(Meeting.starts_at, Meeting.id),
        page,
        per_page,
    )


def past(stmt: sa.Select, page: int, per_page: int) -> Page:
    return paginate(
        stmt.where(over(utcnow())).order_by(Meeting.starts_at.desc(), Meeting.id.desc()),
        page,
        per_page,
    )


# -- short lists: a body's page, the dashboard, the home page -------------------------------


@dataclass
class MeetingLists:
    upcoming: list[Meeting]
    past: list[Meeting]


def _next_and_last(stmt: sa.Select, limit: int) -> MeetingLists:
    now = utcnow()
    return MeetingLists(
        upcoming=list(
            db.session.scalars(
                stmt.where(not_over(now)).order_by(Meeting.starts_at, Meeting.id).limit(limit)
            )
        ),
        past=list(
            db.session.scalars(
                stmt.where(over(now))
                .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
                .limit(limit)
            )
        ),
    )


def of_body(body: Body, user: User | None, limit: int = 5) -> MeetingLists:
    """A body's next and latest meetings that *user* may see (2 queries)."""
    return _next_and_last(filtered(user, body=body), limit)


def of_participant(participant: Participant, limit: int = 5) -> MeetingLists:
    """The next and latest meetings *participant* is invited to (2 queries)."""
    stmt = _listed(
        sa.select(Meeting).where(Meeting.id.in_(invitations.invited_meeting_ids(participant.id)))
    )
    return _next_and_last(stmt, limit)


def next_public(limit: int = 5) -> list[Meeting]:
    """The home page's next public meetings still to be held (1 query)."""
    return list(
        db.session.scalars(
            _listed(sa.select(Meeting))
            .where(
                Meeting.visibility == Visibility.PUBLIC,
                Meeting.status == MeetingStatus.SCHEDULED,
                not_over(utcnow()),
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
    )


def feed_meetings(participant: Participant) -> list[Meeting]:
    """Every meeting *participant* is invited to, from a year back, with its body and
    agenda (2 queries, however many: selectinload would split a long list of ids)."""
    return _meetings_with_agenda(
        sa.and_(
            Meeting.id.in_(invitations.invited_meeting_ids(participant.id)),
            Meeting.ends_at > utcnow() - FEED_PAST,
        )
    )


@dataclass(frozen=True, slots=True)
class Titled:
    """What a feed shows of a body (its title) or an agenda item (position, title)."""

    title: str
    position: int = 0


@dataclass(slots=True)
class FeedMeeting:
    """The columns of a meeting a calendar event shows (coalition.meetings.ics), read as
    plain rows: building a thousand ORM objects, their bodies and agenda items was most
    of a feed's time. The attribute names are Meeting's, so that ics reads either."""

    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    online_url: str
    invitee_note: str
    visibility: Visibility
    status: MeetingStatus
    sequence: int
    cancel_reason: str
    created_at: datetime
    updated_at: datetime
    body: Titled | None
    agenda: list[Titled] = field(default_factory=list)
    series_id: None = None


_FEED_COLUMNS = (
    Meeting.id,
    Meeting.title,
    Meeting.description,
    Meeting.starts_at,
    Meeting.ends_at,
    Meeting.timezone,
    Meeting.venue,
    Meeting.online_url,
    Meeting.invitee_note,
    Meeting.visibility,
    Meeting.status,
    Meeting.sequence,
    Meeting.cancel_reason,
    Meeting.created_at,
    Meeting.updated_at,
)


def feed_entries(participant: Participant) -> list[FeedMeeting | Meeting]:
    """feed_meetings(), the meetings outside a series as FeedMeeting rows (2 queries;
    2 more when some are occurrences of a series, which come as Meetings)."""
    condition = sa.and_(
        Meeting.id.in_(invitations.invited_meeting_ids(participant.id)),
        Meeting.ends_at > utcnow() - FEED_PAST,
    )
    rows = db.session.execute(
        sa.select(*_FEED_COLUMNS, Meeting.series_id, Body.title)
        .outerjoin(Body, Body.id == Meeting.body_id)
        .where(condition)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    agendas: dict[int, list[Titled]] = defaultdict(list)
    for meeting_id, position, title in db.session.execute(
        sa.select(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.title)
        .where(AgendaItem.meeting_id.in_(sa.select(Meeting.id).where(condition)))
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
    ):
        agendas[meeting_id].append(Titled(title, position))
    in_series = {row[0] for row in rows if row[-2] is not None}
    series_meetings = (
        {m.id: m for m in _meetings_with_agenda(Meeting.id.in_(in_series))} if in_series else {}
    )
    entries: list[FeedMeeting | Meeting] = []
    for *values, series_id, body_title in rows:
        if series_id is not None:
            entries.append(series_meetings[values[0]])
            continue
        entries.append(
            FeedMeeting(
                *values,
                body=Titled(body_title) if body_title is not None else None,
                agenda=agendas.get(values[0], []),
            )
        )
    return entries


def _meetings_with_agenda(condition: sa.ColumnElement[bool]) -> list[Meeting]:
    meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(condition)
            .options(joinedload(Meeting.body))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    agendas: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in db.session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.meeting_id.in_(sa.select(Meeting.id).where(condition)))
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
    ):
        agendas[item.meeting_id].append(item)
    for meeting in meetings:
        set_committed_value(meeting, "agenda", agendas[meeting.id])
    return meetings


# -- series ----------------------------------------------------------------------------------


def series_occurrences(series_id: int, user: User | None) -> list[Meeting]:
    """The occurrences of the series *user* may see, by RECURRENCE-ID (1 query)."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.series_id == series_id, visible_to(user))
            .options(joinedload(Meeting.body), selectinload(Meeting.agenda))
            .order_by(Meeting.recurrence_id)
        )
    )


def details_ids(user: User | None, meetings: list[Meeting]) -> set[int]:
    """Which of *meetings* (of one body) *user* may see the details of (at most 1 query)."""
    if not meetings:
        return set()
    if permissions.is_staff(user) or permissions.can_manage_meeting(user, meetings[0]):
        return {m.id for m in meetings}
    participant = permissions.acting_participant(user)
    if participant is None:
        return set()
    return set(
        db.session.scalars(
            invitations.invited_meeting_ids(participant.id).where(
                invitations.Invitation.meeting_id.in_([m.id for m in meetings])
            )
        )
    )


@dataclass
class SeriesView:
    text: str
    occurrences: list[Meeting]


def series_view(meeting: Meeting, user: User | None) -> SeriesView | None:
    """The meeting's series as its page shows it (1 query), or None."""
    if meeting.series is None:
        return None
    from coalition.meetings.series import describe

    return SeriesView(describe(meeting.series), series_occurrences(meeting.series_id, user))


# -- the month grid ---------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    meetings: list[Meeting] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weekdays: list[int]  # 0 = Monday, in the order of the reader's locale
    weeks: list[list[Day]]
    count: int
    truncated: bool

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def parse_month(value: str | None, today: date) -> date:
    """The first day of the month "YYYY-MM", else of *today*'s month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2200 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def month(stmt: sa.Select, first: date, tz=None) -> Month:
    """The weeks of the month of *first* in the reader's zone, each day with the meetings
    starting on it there (1 query)."""
    tz = tz or viewer_zone()
    first_weekday = Locale.parse(str(get_locale())).first_week_day
    grid_start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    following = (first + timedelta(days=32)).replace(day=1)
    grid_end = following + timedelta(days=(first_weekday - following.weekday()) % 7)
    start = datetime(grid_start.year, grid_start.month, grid_start.day, tzinfo=tz)
    end = datetime(grid_end.year, grid_end.month, grid_end.day, tzinfo=tz)
    rows = list(
        db.session.scalars(
            stmt.where(Meeting.starts_at >= start, Meeting.starts_at < end)
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(MONTH_MAX + 1)
        )
    )
    today = datetime.now(tz).date()
    days = {
        grid_start + timedelta(days=n): Day(
            grid_start + timedelta(days=n),
            (grid_start + timedelta(days=n)).month == first.month,
            grid_start + timedelta(days=n) == today,
        )
        for n in range((grid_end - grid_start).days)
    }
    for meeting in rows[:MONTH_MAX]:
        days[meeting.starts_at.astimezone(tz).date()].meetings.append(meeting)
    ordered = [days[d] for d in sorted(days)]
    return Month(
        first=first,
        weekdays=[(first_weekday + n) % 7 for n in range(7)],
        weeks=[ordered[n : n + 7] for n in range(0, len(ordered), 7)],
        count=min(len(rows), MONTH_MAX),
        truncated=len(rows) > MONTH_MAX,
    )
