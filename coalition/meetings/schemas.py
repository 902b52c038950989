"""Marshmallow schemas of the meetings API (the OpenAPI document is built from them).

Lengths and counts are checked by the services, which name the field in a 422; these
schemas check types and choices."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from coalition import limits
from coalition.api.schemas import (
    LOCALIZED,
    JsonBoolean,
    PageArgs,
    ParticipantRefSchema,
    content_language_field,
    page_schema,
    texts_field,
    translation_field,
)
from coalition.meetings.models import (
    DelegationLevel,
    DocumentKind,
    DocumentLanguage,
    DocumentStatus,
    MeetingFormat,
    MeetingStatus,
    RsvpResponse,
    Visibility,
)
from coalition.text import NOT_BLANK_PATTERN


def _values(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]


def _title(**kwargs) -> fields.String:
    # Not blank and not too long, as the services check: said here so that a client
    # (and schemathesis) knows before sending.
    return fields.String(
        validate=validate.Length(min=1, max=limits.TITLE_MAX),
        metadata={"pattern": NOT_BLANK_PATTERN},
        **kwargs,
    )


_WALL = (
    "A wall-clock time in `timezone`, e.g. 2026-12-03T15:00. A time that happens twice "
    "there (when clocks go back) is taken as the first, unless `start_fold`/`end_fold` is 1 "
    "or the time carries the offset of the second (2026-10-25T02:30+01:00 in Europe/Paris); "
    "a time that does not exist there is refused (422)."
)


class MeetingListArgs(PageArgs):
    body = fields.String(metadata={"description": "Slug of an initiative or group."})
    start = fields.AwareDateTime(
        data_key="from", metadata={"description": "Meetings ending after this instant."}
    )
    end = fields.AwareDateTime(
        data_key="to", metadata={"description": "Meetings starting before this instant."}
    )
    participant = fields.String(
        metadata={"description": "Code of a participant: the meetings it is invited to."}
    )


class BodyRefSchema(Schema):
    slug = fields.String()
    title = fields.String()
    kind = fields.String()


class SeriesRefSchema(Schema):
    id = fields.Integer()
    rule = fields.String(metadata={"description": "The RRULE, ending with COUNT or UNTIL."})
    recurrence_id = fields.String(
        metadata={
            "description": "This occurrence's date and time as the rule makes it, "
            "wall-clock in the series' zone (iCalendar RECURRENCE-ID)."
        }
    )
    exception = fields.Boolean(metadata={"description": "Changed apart from its series."})


class OccurrenceSchema(Schema):
    id = fields.Integer()
    start = fields.DateTime(metadata={"description": "UTC."})
    local_start = fields.String(metadata={"description": "Wall-clock, with its UTC offset."})


class WarningSchema(Schema):
    meeting = fields.Dict(metadata={"description": "id, title, start, end, url"})
    reason = fields.String(metadata={"enum": ["same_body", "shared_co_chair", "co_chair_invited"]})
    message = fields.String()


_SCOPE = fields.String(
    load_default="this",
    validate=validate.OneOf(["this", "following"]),
    metadata={
        "description": "For a meeting of a series: `this` meeting alone, or it and the "
        "`following` ones (the series is split)."
    },
)


class MeetingSchema(Schema):
    id = fields.Integer()
    body = fields.Nested(
        BodyRefSchema, allow_none=True, metadata={"description": "null: Alliance-wide"}
    )
    title = fields.String(metadata={"description": f"The title {LOCALIZED}."})
    description = fields.String(metadata={"description": f"Markdown, {LOCALIZED}."})
    language = fields.String(
        metadata={"enum": ["en", "fr"], "description": "The language it was written in."}
    )
    titles = texts_field("title")
    descriptions = texts_field("description (Markdown)")
    start = fields.DateTime(metadata={"description": "UTC."})
    end = fields.DateTime(metadata={"description": "UTC."})
    timezone = fields.String(metadata={"description": "IANA zone of the wall-clock times."})
    local_start = fields.String(
        metadata={"description": "Wall-clock start in `timezone`, with its UTC offset."}
    )
    local_end = fields.String()
    format = fields.String(metadata={"enum": _values(MeetingFormat)})
    venue = fields.String()
    online_url = fields.String(
        allow_none=True, metadata={"description": "Invitees and staff only; null otherwise."}
    )
    invitee_note = fields.String(
        allow_none=True, metadata={"description": "Invitees and staff only; null otherwise."}
    )
    visibility = fields.String(metadata={"enum": _values(Visibility)})
    status = fields.String(metadata={"enum": _values(MeetingStatus)})
    sequence = fields.Integer(metadata={"description": "iCalendar SEQUENCE."})
    agenda = fields.List(fields.String())
    cancel_reason = fields.String()
    url = fields.String()
    ics_url = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    series = fields.Nested(
        SeriesRefSchema,
        allow_none=True,
        metadata={"description": "The recurring series this meeting is part of; null if none."},
    )
    occurrences = fields.List(
        fields.Nested(OccurrenceSchema),
        metadata={"description": "POST with `recurrence`: every meeting of the new series."},
    )
    warnings = fields.List(
        fields.Nested(WarningSchema),
        metadata={
            "description": "POST, PATCH: meetings at the same time (of the same body, of a "
            "body with the same co-chair, or to which a co-chair is invited). Saved anyway."
        },
    )


MeetingPageSchema = page_schema(MeetingSchema, "MeetingPage")


class MeetingCreateSchema(Schema):
    body = fields.String(
        load_default=None, allow_none=True, metadata={"description": "Slug; null: Alliance-wide."}
    )
    title = _title(required=True)
    description = fields.String(load_default="")
    language = content_language_field(load_default="en")
    title_translation = translation_field(limits.TITLE_MAX, "title", load_default="")
    description_translation = translation_field(limits.TEXT_MAX, "description", load_default="")
    start = fields.String(required=True, metadata={"description": _WALL})
    end = fields.String(required=True, metadata={"description": _WALL})
    timezone = fields.String(
        required=True, metadata={"description": "IANA zone, e.g. Africa/Accra."}
    )
    start_fold = fields.Integer(load_default=None, allow_none=True, validate=validate.OneOf([0, 1]))
    end_fold = fields.Integer(load_default=None, allow_none=True, validate=validate.OneOf([0, 1]))
    format = fields.String(required=True, validate=validate.OneOf(_values(MeetingFormat)))
    venue = fields.String(load_default="")
    online_url = fields.String(load_default="", metadata={"description": "http(s) only."})
    invitee_note = fields.String(load_default="")
    visibility = fields.String(required=True, validate=validate.OneOf(_values(Visibility)))
    agenda = fields.List(
        fields.String(),
        load_default=list,
        metadata={"description": f"At most {limits.AGENDA_ITEMS_MAX} items, in order."},
    )
    record_past = JsonBoolean(
        load_default=False, metadata={"description": "Staff: record a meeting that took place."}
    )
    recurrence = fields.String(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "An RRULE (FREQ=DAILY, WEEKLY or MONTHLY; INTERVAL; BYDAY, with "
            "an ordinal for MONTHLY: 3WE; BYMONTHDAY; COUNT or UNTIL, one of them required; "
            f"at most {limits.SERIES_OCCURRENCES_MAX} meetings): schedules a series, each "
            "meeting at the same wall-clock time in `timezone`. `start` must be one the "
            "rule makes."
        },
    )


class MeetingUpdateSchema(Schema):
    title = _title()
    description = fields.String()
    language = content_language_field()
    title_translation = translation_field(limits.TITLE_MAX, "title")
    description_translation = translation_field(limits.TEXT_MAX, "description")
    start = fields.String(metadata={"description": _WALL})
    end = fields.String(metadata={"description": _WALL})
    timezone = fields.String()
    start_fold = fields.Integer(allow_none=True, validate=validate.OneOf([0, 1]))
    end_fold = fields.Integer(allow_none=True, validate=validate.OneOf([0, 1]))
    format = fields.String(validate=validate.OneOf(_values(MeetingFormat)))
    venue = fields.String()
    online_url = fields.String()
    invitee_note = fields.String()
    visibility = fields.String(validate=validate.OneOf(_values(Visibility)))
    agenda = fields.List(fields.String())
    scope = _SCOPE


class CancelSchema(Schema):
    reason = fields.String(load_default="")
    scope = _SCOPE


class HeldSchema(Schema):
    minutes = fields.String(
        load_default=None, allow_none=True, metadata={"description": "Markdown minutes to record."}
    )
    title = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default="en", validate=validate.OneOf(_values(DocumentLanguage)))
    status = fields.String(load_default="final", validate=validate.OneOf(_values(DocumentStatus)))


class RsvpInSchema(Schema):
    response = fields.String(required=True, validate=validate.OneOf(_values(RsvpResponse)))
    head = fields.String(
        load_default="",
        validate=validate.Length(max=limits.NAME_MAX),
        metadata={"description": "Head of delegation."},
    )
    level = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(_values(DelegationLevel))
    )
    delegates = fields.List(
        fields.String(validate=validate.Length(max=limits.NAME_MAX)),
        load_default=list,
        validate=validate.Length(max=limits.DELEGATES_MAX),
    )


class RsvpSchema(Schema):
    participant = fields.Nested(ParticipantRefSchema)
    response = fields.String(metadata={"enum": _values(RsvpResponse)})
    head = fields.String()
    level = fields.String(allow_none=True, metadata={"enum": _values(DelegationLevel)})
    delegates = fields.List(fields.String())
    answered_at = fields.DateTime()
    answered_by = fields.String(metadata={"description": "Name of the person who answered."})


class RsvpListSchema(Schema):
    items = fields.List(fields.Nested(RsvpSchema))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    unanswered = fields.List(fields.Nested(ParticipantRefSchema))


class GuestSchema(Schema):
    participant = fields.String(required=True)


class InvitationSchema(Schema):
    participant = fields.Nested(ParticipantRefSchema)
    source = fields.String(metadata={"enum": ["member", "guest"]})
    since = fields.DateTime()


class DocumentInSchema(Schema):
    kind = fields.String(load_default="minutes", validate=validate.OneOf(_values(DocumentKind)))
    language = fields.String(required=True, validate=validate.OneOf(_values(DocumentLanguage)))
    title = _title(required=True)
    status = fields.String(required=True, validate=validate.OneOf(_values(DocumentStatus)))
    content = fields.String(
        load_default="",
        validate=validate.Length(max=limits.DOCUMENT_MAX),
        metadata={"description": "Markdown."},
    )


class DocumentVersionInSchema(Schema):
    title = _title(required=True)
    status = fields.String(required=True, validate=validate.OneOf(_values(DocumentStatus)))
    content = fields.String(load_default="", validate=validate.Length(max=limits.DOCUMENT_MAX))


class DocumentVersionSchema(Schema):
    language = fields.String()
    title = fields.String()
    status = fields.String()
    content = fields.String()
    updated_at = fields.DateTime()


class DocumentSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": _values(DocumentKind)})
    versions = fields.List(fields.Nested(DocumentVersionSchema))
