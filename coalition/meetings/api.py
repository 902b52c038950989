"""The meetings API: list, schedule, change, cancel, close with minutes, answers, guests,
documents. Thin: parse, call the same services as the pages, commit, serialize. The
online link and the invitees' note are null for whoever may not see them."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import g, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from coalition import permissions
from coalition.api.auth import require_api_user
from coalition.api.docs import answers, token_required
from coalition.bilingual import api_texts, localized_text
from coalition.bodies.api import participant_ref
from coalition.bodies.models import Body
from coalition.bodies.queries import get_body
from coalition.errors import NotFound
from coalition.extensions import db
from coalition.mail import external_url
from coalition.meetings import conflicts, documents, invitations, queries, rsvps, series, services
from coalition.meetings.models import DocumentLanguage, Meeting, Rsvp
from coalition.meetings.records import DOCUMENT_REQUEST_MAX
from coalition.meetings.schemas import (
    CancelSchema,
    DocumentInSchema,
    DocumentSchema,
    DocumentVersionInSchema,
    GuestSchema,
    HeldSchema,
    InvitationSchema,
    MeetingCreateSchema,
    MeetingListArgs,
    MeetingPageSchema,
    MeetingSchema,
    MeetingUpdateSchema,
    RsvpInSchema,
    RsvpListSchema,
    RsvpSchema,
)
from coalition.pagination import paginate
from coalition.participants.services import get_participant

blp = Blueprint(
    "meetings_api",
    __name__,
    description="Meetings of initiatives, groups and the Alliance: scheduling, answers, minutes.",
)


@blp.url_value_preprocessor
def _allow_long_documents(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    # Minutes over the limit are refused by the service, naming the field, not by a 413.
    # (URL value preprocessors run before every before_request function, some of which
    # read the body.)
    request.max_content_length = DOCUMENT_REQUEST_MAX


def _viewer():
    return g.get("api_user")


_TEXTS = {"title": ("title", "titles"), "description": ("description", "descriptions")}


def meeting_data(meeting: Meeting, viewer: Any) -> dict[str, Any]:
    details = permissions.can_see_meeting_details(viewer, meeting)
    tz = ZoneInfo(meeting.timezone)
    body = meeting.body
    return {
        "id": meeting.id,
        "body": {"slug": body.slug, "title": localized_text(body, "title"), "kind": body.kind.value}
        if body is not None
        else None,
        **api_texts(meeting, _TEXTS),
        "start": meeting.starts_at,
        "end": meeting.ends_at,
        "timezone": meeting.timezone,
        # With the offset: it tells which of two identical wall-clock times is meant.
        "local_start": meeting.starts_at.astimezone(tz).isoformat(timespec="minutes"),
        "local_end": meeting.ends_at.astimezone(tz).isoformat(timespec="minutes"),
        "format": meeting.format.value,
        "venue": meeting.venue,
        "online_url": meeting.online_url if details else None,
        "invitee_note": meeting.invitee_note if details else None,
        "visibility": meeting.visibility.value,
        "status": meeting.status.value,
        "sequence": meeting.sequence,
        "agenda": [item.title for item in meeting.agenda],
        "cancel_reason": meeting.cancel_reason,
        "url": external_url("meetings.detail", meeting_id=meeting.id),
        "ics_url": external_url("meetings.calendar_file", meeting_id=meeting.id),
        "created_at": meeting.created_at,
        "updated_at": meeting.updated_at,
        "series": _series_ref(meeting),
    }


def _series_ref(meeting: Meeting) -> dict[str, Any] | None:
    if meeting.series is None:
        return None
    return {
        "id": meeting.series_id,
        "rule": series.rule_of(meeting.series).text(ZoneInfo(meeting.series.timezone)),
        "recurrence_id": meeting.recurrence_id.isoformat(timespec="minutes"),
        "exception": meeting.is_exception,
    }


def _warnings(meetings: list[Meeting], viewer: Any) -> list[dict[str, Any]]:
    return [
        {
            "meeting": {
                "id": o.meeting.id,
                "title": localized_text(o.meeting, "title"),
                "start": o.meeting.starts_at.isoformat(),
                "end": o.meeting.ends_at.isoformat(),
                "url": external_url("meetings.detail", meeting_id=o.meeting.id),
            },
            "reason": o.reason,
            "message": o.reason_text,
        }
        for o in conflicts.of_meetings(meetings, viewer=viewer)
    ]


def _named_body(slug: str) -> Body:
    """The body a request names by slug: a body that does not exist is a 404 naming it,
    as a participant's code is (nothing there to list, or to schedule for)."""
    try:
        return get_body(slug)
    except NotFound:
        raise NotFound(
            _("No initiative or working group has the slug %(slug)s.", slug=slug), field="body"
        ) from None


def _get(meeting_id: int) -> Meeting:
    return queries.get_meeting(meeting_id, user=_viewer())


@blp.route("/meetings")
class Meetings(MethodView):
    @blp.arguments(MeetingListArgs, location="query", as_kwargs=True)
    @blp.response(200, MeetingPageSchema)
    @answers(404)
    def get(self, page: int, per_page: int, body=None, start=None, end=None, participant=None):
        """Meetings visible to the caller, by start: `body`, `from`, `to`, `participant`."""
        viewer = _viewer()
        stmt = queries.filtered(
            viewer,
            body=_named_body(body) if body else None,
            participant=get_participant(participant) if participant else None,
            start=start,
            end=end,
        ).order_by(Meeting.starts_at, Meeting.id)
        result = paginate(stmt.options(selectinload(Meeting.agenda)), page, per_page)
        return {
            "items": [meeting_data(m, viewer) for m in result.items],
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }

    @blp.arguments(MeetingCreateSchema)
    @blp.response(201, MeetingSchema)
    @token_required(403, 404, 409)
    def post(self, data: dict[str, Any]):
        """Schedule a meeting: the body's co-chair delegates; staff, also Alliance-wide
        (`body`: null). `start` and `end` are wall-clock times in `timezone`."""
        actor = require_api_user()
        slug = data.pop("body")
        meeting = services.schedule(_named_body(slug) if slug else None, actor=actor, **data)
        made = series.occurrences(meeting.series_id) if meeting.series_id else [meeting]
        warnings = _warnings(made, actor)
        db.session.commit()
        answer = meeting_data(meeting, actor)
        if meeting.series_id:
            answer["occurrences"] = [
                {
                    "id": m.id,
                    "start": m.starts_at,
                    "local_start": m.starts_at.astimezone(ZoneInfo(m.timezone)).isoformat(
                        timespec="minutes"
                    ),
                }
                for m in made
            ]
        answer["warnings"] = warnings
        return answer


@blp.route("/meetings/<int:meeting_id>")
class MeetingResource(MethodView):
    @blp.response(200, MeetingSchema)
    def get(self, meeting_id: int):
        return meeting_data(_get(meeting_id), _viewer())

    # No body changes nothing, as `{}` does.
    @blp.arguments(MeetingUpdateSchema, required=False)
    @blp.response(200, MeetingSchema)
    @token_required(403, 409)
    def patch(self, data: dict[str, Any], meeting_id: int):
        """Change the meeting (co-chairs, staff); invitees are told when its time or
        place changes. `agenda` replaces the agenda."""
        actor = require_api_user()
        meeting = _get(meeting_id)
        agenda = data.pop("agenda", None)
        change = services.change if data.pop("scope") == "this" else series.change_following
        if data:
            change(meeting, actor=actor, record_past=permissions.is_staff(actor), **data)
        if agenda is not None:
            services.set_agenda(meeting, agenda, actor=actor)
        warnings = _warnings([meeting], actor)
        db.session.commit()
        return {**meeting_data(meeting, actor), "warnings": warnings}


@blp.route("/meetings/<int:meeting_id>/cancel", methods=["POST"])
@blp.arguments(CancelSchema)
@blp.response(200, MeetingSchema)
@token_required(403, 409)
def cancel(data: dict[str, Any], meeting_id: int):
    """Cancel (co-chairs, staff); invitees get a METHOD:CANCEL calendar file."""
    actor = require_api_user()
    cancel = services.cancel if data["scope"] == "this" else series.cancel_following
    meeting = cancel(_get(meeting_id), actor=actor, reason=data["reason"])
    db.session.commit()
    return meeting_data(meeting, actor)


@blp.route("/meetings/<int:meeting_id>/held", methods=["POST"])
@blp.arguments(HeldSchema)
@blp.response(200, MeetingSchema)
@token_required(403, 409)
def held(data: dict[str, Any], meeting_id: int):
    """Mark the meeting held (once started), recording `minutes` if given."""
    actor = require_api_user()
    meeting = services.mark_held(_get(meeting_id), actor=actor)
    if data.get("minutes"):
        documents.add_document(
            meeting,
            actor=actor,
            kind="minutes",
            language=data["language"],
            title=data.get("title") or f"Minutes: {meeting.title}",
            status=data["status"],
            content=data["minutes"],
        )
    db.session.commit()
    return meeting_data(meeting, actor)


def _rsvp_data(rsvp: Rsvp) -> dict[str, Any]:
    return {
        "participant": participant_ref(rsvp.participant),
        "response": rsvp.response.value,
        "head": rsvp.head,
        "level": rsvp.level.value if rsvp.level else None,
        "delegates": rsvp.delegates or [],
        "answered_at": rsvp.answered_at,
        "answered_by": rsvp.answered_by.name,
    }


@blp.route("/meetings/<int:meeting_id>/rsvp", methods=["PUT"])
@blp.arguments(RsvpInSchema)
@blp.response(200, RsvpSchema)
@token_required(403, 409)
def rsvp(data: dict[str, Any], meeting_id: int):
    """The caller's participant answers (invitees only, until the meeting starts)."""
    actor = require_api_user()
    answer = rsvps.answer(_get(meeting_id), actor=actor, **data)
    db.session.commit()
    return _rsvp_data(answer)


@blp.route("/meetings/<int:meeting_id>/rsvps")
@blp.response(200, RsvpListSchema)
@token_required(403, 409)
def rsvp_list(meeting_id: int):
    """Every answer, the counts and who has not answered (co-chairs, staff)."""
    actor = require_api_user()
    meeting = _get(meeting_id)
    permissions.require(permissions.can_manage_meeting(actor, meeting))
    result = rsvps.answers(meeting)
    return {
        "items": [_rsvp_data(r) for r in result.rows],
        "counts": {k.value: v for k, v in result.counts.items()},
        "unanswered": [participant_ref(p) for p in result.unanswered],
    }


@blp.route("/meetings/<int:meeting_id>/invitations")
class Invitations(MethodView):
    @blp.response(200, InvitationSchema(many=True))
    @token_required(403, 409)
    def get(self, meeting_id: int):
        """Who is invited (invitees, co-chairs, staff)."""
        viewer = require_api_user()
        meeting = _get(meeting_id)
        permissions.require(permissions.can_see_meeting_details(viewer, meeting))
        return [
            {
                "participant": participant_ref(i.participant),
                "source": i.source.value,
                "since": i.created_at,
            }
            for i in invitations.invitees(meeting)
        ]

    @blp.arguments(GuestSchema)
    @blp.response(201, InvitationSchema)
    @token_required(403, 409)
    def post(self, data: dict[str, Any], meeting_id: int):
        """Invite a participant as a guest (co-chairs, staff)."""
        actor = require_api_user()
        participant = get_participant(data["participant"])
        invitation = invitations.add_guest(_get(meeting_id), participant, actor=actor)
        db.session.commit()
        return {
            "participant": participant_ref(participant),
            "source": invitation.source.value,
            "since": invitation.created_at,
        }


@blp.route("/meetings/<int:meeting_id>/invitations/<code>", methods=["DELETE"])
@blp.response(204)
@token_required(403, 409)
def remove_guest(meeting_id: int, code: str):
    """Withdraw a guest's invitation (co-chairs, staff)."""
    actor = require_api_user()
    invitations.remove_guest(_get(meeting_id), get_participant(code), actor=actor)
    db.session.commit()


def _documents(meeting: Meeting, viewer: Any) -> list[dict[str, Any]]:
    drafts = permissions.can_see_meeting_details(viewer, meeting)
    return [
        {"id": d.id, "kind": d.kind.value, "versions": d.versions}
        for d in documents.documents_of(meeting, drafts=drafts)
    ]


@blp.route("/meetings/<int:meeting_id>/documents")
class Documents(MethodView):
    @blp.response(200, DocumentSchema(many=True))
    def get(self, meeting_id: int):
        """Minutes and outcome documents; drafts only for invitees, co-chairs, staff."""
        viewer = _viewer()
        return _documents(_get(meeting_id), viewer)

    @blp.arguments(DocumentInSchema)
    @blp.response(201, DocumentSchema(many=True))
    @token_required(403, 409)
    def post(self, data: dict[str, Any], meeting_id: int):
        """Record a document in one language (co-chairs, staff)."""
        actor = require_api_user()
        meeting = _get(meeting_id)
        documents.add_document(meeting, actor=actor, **data)
        db.session.commit()
        return _documents(meeting, actor)


# The language in the path is one of the document languages (404 otherwise, as for any
# address that does not exist), which the OpenAPI document lists.
_LANGUAGES = ", ".join(language.value for language in DocumentLanguage)


@blp.route(
    f"/meetings/<int:meeting_id>/documents/<int:document_id>/<any({_LANGUAGES}):language>",
    methods=["PUT"],
)
@blp.arguments(DocumentVersionInSchema)
@blp.response(200, DocumentSchema(many=True))
@token_required(403, 409)
def put_version(data: dict[str, Any], meeting_id: int, document_id: int, language: str):
    """Write the document's version in `language` (a translation, or a revision)."""
    actor = require_api_user()
    meeting = _get(meeting_id)
    documents.save_version(meeting, document_id, language, actor=actor, **data)
    db.session.commit()
    return _documents(meeting, actor)
