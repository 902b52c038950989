"""Marshmallow schemas of the initiatives API (the OpenAPI document is built from them)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from coalition.api.schemas import PageArgs, page_schema
from coalition.initiatives.models import Axis, InitiativeStatus, JoinPolicy, MembershipStatus
from coalition.initiatives.services import NOTE_MAX, SEAT_LIMIT_MAX, TEXT_MAX

AXES = [a.value for a in Axis]
POLICIES = [p.value for p in JoinPolicy]
INITIATIVE_STATUSES = [s.value for s in InitiativeStatus]
MEMBERSHIP_STATUSES = [s.value for s in MembershipStatus]


class InitiativeListArgs(PageArgs):
    axis = fields.String(validate=validate.OneOf(AXES))
    status = fields.String(validate=validate.OneOf(INITIATIVE_STATUSES))
    q = fields.String(metadata={"description": "Words to find in the title or summary."})


class InitiativeParticipantSchema(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()


class InitiativeSchema(Schema):
    slug = fields.String()
    title = fields.String()
    summary = fields.String()
    axis = fields.String(metadata={"enum": AXES})
    status = fields.String(metadata={"enum": INITIATIVE_STATUSES})
    join_policy = fields.String(metadata={"enum": POLICIES})
    seat_limit = fields.Integer(allow_none=True)
    launched_on = fields.Date(allow_none=True)
    member_count = fields.Integer(metadata={"description": "Active members and partners."})
    co_chairs = fields.List(
        fields.String(), metadata={"description": "Codes of the current co-chairs."}
    )


class InitiativeDetailSchema(InitiativeSchema):
    description = fields.String(metadata={"description": "Markdown."})
    results = fields.String(metadata={"description": "Markdown."})
    proposed_by = fields.String(
        allow_none=True, metadata={"description": "Code of the proposing participant."}
    )
    activated_at = fields.DateTime(allow_none=True)
    concluded_at = fields.DateTime(allow_none=True)


InitiativePageSchema = page_schema(InitiativeSchema, "InitiativePage")


class InitiativeCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=500))
    description = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX))
    axis = fields.String(required=True, validate=validate.OneOf(AXES))
    join_policy = fields.String(required=True, validate=validate.OneOf(POLICIES))
    slug = fields.String(load_default=None, allow_none=True)
    seat_limit = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=SEAT_LIMIT_MAX)
    )
    launched_on = fields.Date(load_default=None, allow_none=True)


class InitiativeUpdateSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    summary = fields.String(validate=validate.Length(min=1, max=500))
    description = fields.String(validate=validate.Length(max=TEXT_MAX))
    join_policy = fields.String(validate=validate.OneOf(POLICIES))
    seat_limit = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=SEAT_LIMIT_MAX))
    launched_on = fields.Date(allow_none=True)
    results = fields.String(validate=validate.Length(max=TEXT_MAX))


class MembershipListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(MEMBERSHIP_STATUSES))


class MembershipSchema(Schema):
    id = fields.Integer()
    participant = fields.Nested(InitiativeParticipantSchema)
    body = fields.String(metadata={"description": "The slug of the initiative or group."})
    role = fields.String(metadata={"enum": ["member", "partner"]})
    status = fields.String(metadata={"enum": MEMBERSHIP_STATUSES})
    since = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True)


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
    direct = fields.Boolean(load_default=False)
    message = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX)
    )


class ReasonSchema(Schema):
    reason = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX)
    )


class CoChairSchema(Schema):
    participant = fields.Nested(InitiativeParticipantSchema)
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)


class CoChairCreateSchema(Schema):
    participant = fields.String(required=True)
