"""The meeting pages people read: the calendar (a month grid, or a list), one meeting,
its calendar file, the answers as CSV, and the private subscription feed. The forms that
change meetings are in coalition.meetings.manage, on the same blueprint."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from babel import Locale
from babel.dates import format_date, format_time
from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coalition import permissions
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Body
from coalition.bodies.queries import get_body
from coalition.conditional import Validator, validator
from coalition.db import utcnow
from coalition.errors import NotFound
from coalition.extensions import db
from coalition.initiatives.models import Axis
from coalition.initiatives.queries import parse_enum
from coalition.labels import choices
from coalition.meetings import (
    conflicts,
    documents,
    feeds,
    ics,
    invitations,
    queries,
    regions,
    rsvps,
    rules,
)
from coalition.meetings.models import Meeting
from coalition.meetings.times import shown, viewer_zone
from coalition.opendata.views import _csv_lines
from coalition.pagination import page_args

bp = Blueprint("meetings", __name__)


def user():
    return current_user if current_user.is_authenticated else None


@bp.app_template_global()
def meeting_times(meeting: Meeting):
    """A meeting's times in the reader's zone and in its own (for every template)."""
    return shown(meeting.starts_at, meeting.ends_at, meeting.timezone)


@bp.app_template_global()
def crosses_midnight(meeting: Meeting) -> bool:
    """Whether the meeting ends on a later day than it starts in the reader's zone: what
    meeting_times(meeting).crosses_midnight says, without writing out every time (the
    month grid asks it of every meeting it shows)."""
    tz = viewer_zone()
    start, end = meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz)
    return start.date() != (end - timedelta(microseconds=1)).date()


@bp.app_template_global()
def region_name(code: str) -> str:
    return regions.region_name(code)


@bp.app_template_global()
def start_time(meeting: Meeting) -> str:
    """ "15:00": when the meeting starts, in the reader's zone."""
    return format_time(meeting.starts_at.astimezone(viewer_zone()), "short", locale=get_locale())


@bp.app_template_global()
def month_name(first: date) -> str:
    return format_date(first, "LLLL y", locale=get_locale())


@bp.app_template_global()
def weekday_names(weekdays: list[int]) -> list[tuple[str, str]]:
    """(full, short) names of the weekdays in the reader's language, in that order."""
    days = Locale.parse(str(get_locale())).days["format"]
    return [(days["wide"][d], days["abbreviated"][d]) for d in weekdays]


_CHANGED_FIELDS = {
    "title": _l("title"),
    "local_start": _l("start"),
    "local_end": _l("end"),
    "timezone": _l("time zone"),
    "format": _l("format"),
    "venue": _l("venue"),
    "online_url": _l("online link"),
    "visibility": _l("visibility"),
    "status": _l("status"),
    "description": _l("description"),
    "invitee_note": _l("details for invitees"),
}


@bp.app_template_global()
def change_label(name: str) -> str:
    return str(_CHANGED_FIELDS.get(name, name))


# -- the calendar ---------------------------------------------------------------------------


def _filters() -> dict[str, Any]:
    slug = request.args.get("body", "").strip()[:80]
    body = None
    if slug:
        try:
            body = get_body(slug)
        except NotFound:
            body = None
    return {"body": body, "axis": parse_enum(Axis, request.args.get("axis"))}


@bp.get("/meetings")
def index() -> str:
    filters = _filters()
    stmt = queries.filtered(user(), **filters)
    tz = viewer_zone()
    view = "list" if request.args.get("view") == "list" else "month"
    context: dict[str, Any] = {
        "view": view,
        "filters": filters,
        "axes": choices(Axis),
        "bodies": _bodies_with_meetings(),
        "when": request.args.get("when") if request.args.get("when") == "past" else "upcoming",
        "reader_zone": tz.key,
    }
    if view == "month":
        today = utcnow().astimezone(tz).date()
        first = queries.parse_month(request.args.get("month"), today)
        context["month"] = queries.month(stmt, first, tz)
    else:
        page, per_page = page_args()
        pick = queries.past if context["when"] == "past" else queries.upcoming
        context["page"] = pick(stmt, page, per_page)
    return render_template("meetings/index.html", **context)


def _bodies_with_meetings() -> list[sa.Row]:
    """The bodies the calendar can be filtered by (1 query): the slug and title of each
    (named columns, not whole bodies with their descriptions), found by one look into
    the meetings' index per body rather than by reading every meeting's body."""
    has_meetings = sa.select(Meeting.id).where(Meeting.body_id == Body.id).exists()
    return list(
        db.session.execute(
            sa.select(Body.slug, Body.title, Body.language, Body.title_translation)
            .where(has_meetings)
            .order_by(Body.title)
        )
    )


# -- one meeting -----------------------------------------------------------------------------


HISTORY_ACTIONS = [
    "meeting.schedule",
    "meeting.change",
    "meeting.agenda",
    "meeting.cancel",
    "meeting.held",
]
#: Fields of a change shown in the public history; the others say only "changed".
_PUBLIC_FIELDS = ("title", "local_start", "local_end", "timezone", "format", "venue", "status")


def history(meeting: Meeting, *, details: bool) -> list[dict[str, Any]]:
    """The meeting's changes, oldest first, from the audit log (1 query); the online link
    and the invitees' note are named but not shown unless *details*."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == "meeting",
            AuditEvent.object_id == meeting.id,
            AuditEvent.action.in_(HISTORY_ACTIONS),
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    entries = []
    for event in events:
        after = event.after or {}
        changes = []
        if event.action == "meeting.change":
            for name, value in after.items():
                if details or name in _PUBLIC_FIELDS:
                    changes.append((name, (event.before or {}).get(name), value))
                else:
                    changes.append((name, None, None))
        reason = after.get("reason") if event.action == "meeting.cancel" else None
        entries.append(
            {
                "action": event.action,
                "when": event.occurred_at,
                "changes": changes,
                "reason": reason,
            }
        )
    return entries


@bp.get("/meetings/<int:meeting_id>")
def detail(meeting_id: int) -> str:
    viewer = user()
    meeting = queries.get_meeting(meeting_id, user=viewer)
    details = permissions.can_see_meeting_details(viewer, meeting)
    manage = permissions.can_manage_meeting(viewer, meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "details": details,
        "manage": manage,
        "rules": rules,
        "invited": permissions.is_invited(viewer, meeting),
        "rsvp_refusal": rules.rsvp_refusal(viewer, meeting) if viewer else None,
        "own_answer": rsvps.own_answer(meeting, viewer),
        "documents": documents.documents_of(meeting, drafts=details),
        "history": history(meeting, details=details),
        "answers": rsvps.answers(meeting) if manage else None,
        "invitees": invitations.invitees(meeting) if details else None,
        "series": queries.series_view(meeting, viewer),
        "overlaps": conflicts.of_meetings([meeting], viewer=viewer) if manage else [],
    }
    if context["rsvp_refusal"] is None and viewer is not None:
        from coalition.meetings.manage import rsvp_form

        context["rsvp_form"] = rsvp_form(context["own_answer"])
    if manage:
        from coalition.meetings.manage import guest_form

        context["guest_form"] = guest_form(meeting, context["invitees"])
    return render_template("meetings/detail.html", **context)


def _calendar_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        mimetype="text/calendar",
        headers={
            "Content-Type": ics.CONTENT_TYPE,
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-cache",
        },
    )


@bp.get("/meetings/<int:meeting_id>.ics")
def calendar_file(meeting_id: int) -> Response:
    viewer = user()
    meeting = queries.get_meeting(meeting_id, user=viewer)
    if meeting.series_id is None:
        private = {meeting.id} if permissions.can_see_meeting_details(viewer, meeting) else set()
        content = ics.calendar([meeting], private_ids=private)
    else:
        # The whole series as far as the reader may see it.
        rows = queries.series_occurrences(meeting.series_id, viewer)
        shown = {meeting.series_id: rows}
        private = queries.details_ids(viewer, rows)
        content = ics.calendar([], private_ids=private, whole_series=shown)
    return _calendar_response(content, f"meeting-{meeting.id}.ics")


@bp.get("/calendar/<token>.ics")
def feed(token: str) -> Response:
    """The user's private feed: the meetings its participant is invited to now, with
    their members-only details (the user being an invitee of each).

    Calendar apps poll it (hourly, as REFRESH-INTERVAL asks): it carries an ETag and a
    Last-Modified from the data version, and a poll that finds nothing changed is a 304
    without the feed being read. The ETag holds the language (the calendar's name) and
    the day (meetings leave the feed a year after they end, with no write)."""
    owner = feeds.user_for_token(token)
    if owner is None:
        abort(404)
    check = validator(f"calendar-{get_locale()}-{utcnow():%Y%m%d}")
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    if check.last_modified is not None and check.last_modified < today:
        check = Validator(check.etag, today)
    unchanged = check.not_modified()
    if unchanged is not None:
        unchanged.headers["Cache-Control"] = "private, no-cache"
        return unchanged
    participant = permissions.acting_participant(owner)
    meetings = queries.feed_entries(participant) if participant else []
    content = ics.calendar(
        meetings,
        private_ids={m.id for m in meetings},
        name=_("Coalition meetings"),
    )
    response = check.apply(_calendar_response(content, "coalition.ics"))
    # A private feed (its URL is its secret): kept by the calendar app, not by caches
    # on the way.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/meetings/<int:meeting_id>/rsvps.csv")
def answers_csv(meeting_id: int) -> Response:
    """The list of participants a secretariat prints for the room (co-chairs, staff)."""
    viewer = user()
    meeting = queries.get_meeting(meeting_id, user=viewer)
    permissions.require(permissions.can_manage_meeting(viewer, meeting))
    rows = rsvps.csv_rows(rsvps.answers(meeting))
    return Response(
        "".join(_csv_lines(rsvps.CSV_COLUMNS, rows)),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="meeting-{meeting.id}-participants.csv"',
        },
    )


# Their routes are on bp too.
from coalition.meetings import manage as _manage  # noqa: E402, F401
from coalition.meetings import records as _records  # noqa: E402, F401
