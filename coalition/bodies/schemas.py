"""Marshmallow schemas of memberships and co-chairs in the API (any kind of body)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from coalition import limits
from coalition.api.schemas import JsonBoolean, PageArgs, ParticipantRefSchema, page_schema
from coalition.bodies.models import MembershipRole, MembershipStatus
from coalition.text import NOT_BLANK_PATTERN

MEMBERSHIP_STATUSES = [s.value for s in MembershipStatus]


class MembershipListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(MEMBERSHIP_STATUSES))


class MembershipSchema(Schema):
    id = fields.Integer()
    participant = fields.Nested(ParticipantRefSchema)
    body = fields.String(metadata={"description": "The slug of the initiative or group."})
    role = fields.String(metadata={"enum": [r.value for r in MembershipRole]})
    status = fields.String(metadata={"enum": MEMBERSHIP_STATUSES})
    since = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    term_ends_on = fields.Date(
        allow_none=True, metadata={"description": "The day the member's term ends, if any."}
    )


MembershipPageSchema = page_schema(MembershipSchema, "MembershipPage")


class MembershipCreateSchema(Schema):
    participant = fields.String(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Staff and co-chairs: the participant to invite (or, with "
            "`direct`, staff: to add). Omit to join as the caller's participant."
        },
    )
    direct = JsonBoolean(load_default=False)
    message = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=limits.NOTE_MAX)
    )


class ReasonSchema(Schema):
    reason = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=limits.NOTE_MAX)
    )


class RemovalSchema(Schema):
    """A removal says why: the member is told."""

    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=limits.NOTE_MAX),
        # Not only spaces: the service refuses a blank reason (422).
        metadata={"pattern": NOT_BLANK_PATTERN},
    )


class CoChairSchema(Schema):
    participant = fields.Nested(ParticipantRefSchema)
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)


class CoChairCreateSchema(Schema):
    participant = fields.String(required=True)
