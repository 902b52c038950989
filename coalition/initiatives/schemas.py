"""Marshmallow schemas of the initiatives API (the OpenAPI document is built from them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from coalition import limits
from coalition.api.schemas import (
    LOCALIZED,
    PageArgs,
    content_language_field,
    page_schema,
    texts_field,
    translation_field,
)
from coalition.bodies.models import JoinPolicy
from coalition.initiatives.models import Axis, InitiativeStatus
from coalition.text import NOT_BLANK_PATTERN

AXES = [a.value for a in Axis]
POLICIES = [p.value for p in JoinPolicy]
INITIATIVE_STATUSES = [s.value for s in InitiativeStatus]


class InitiativeListArgs(PageArgs):
    axis = fields.String(validate=validate.OneOf(AXES))
    status = fields.String(validate=validate.OneOf(INITIATIVE_STATUSES))
    q = fields.String(
        validate=validate.Length(max=limits.SEARCH_MAX),
        metadata={"description": "Words to find in the title or summary."},
    )


class InitiativeSchema(Schema):
    slug = fields.String()
    title = fields.String(metadata={"description": f"The title {LOCALIZED}."})
    summary = fields.String(metadata={"description": f"The summary {LOCALIZED}."})
    language = fields.String(
        metadata={"enum": ["en", "fr"], "description": "The language it was written in."}
    )
    titles = texts_field("title")
    summaries = texts_field("summary")
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
    description = fields.String(metadata={"description": f"Markdown, {LOCALIZED}."})
    descriptions = texts_field("description (Markdown)")
    results = fields.String(metadata={"description": "Markdown."})
    proposed_by = fields.String(
        allow_none=True, metadata={"description": "Code of the proposing participant."}
    )
    activated_at = fields.DateTime(allow_none=True)
    concluded_at = fields.DateTime(allow_none=True)


InitiativePageSchema = page_schema(InitiativeSchema, "InitiativePage")


#: Titles and summaries cannot be blank: the services refuse what is only spaces and
#: control characters (422); the pattern says so in the OpenAPI document.
NOT_BLANK = {"pattern": NOT_BLANK_PATTERN}


class InitiativeCreateSchema(Schema):
    title = fields.String(
        required=True, validate=validate.Length(min=1, max=limits.TITLE_MAX), metadata=NOT_BLANK
    )
    summary = fields.String(
        required=True, validate=validate.Length(min=1, max=limits.SUMMARY_MAX), metadata=NOT_BLANK
    )
    description = fields.String(load_default="", validate=validate.Length(max=limits.TEXT_MAX))
    language = content_language_field(load_default="en")
    title_translation = translation_field(limits.TITLE_MAX, "title", load_default="")
    summary_translation = translation_field(limits.SUMMARY_MAX, "summary", load_default="")
    description_translation = translation_field(limits.TEXT_MAX, "description", load_default="")
    axis = fields.String(required=True, validate=validate.OneOf(AXES))
    join_policy = fields.String(required=True, validate=validate.OneOf(POLICIES))
    slug = fields.String(
        load_default=None,
        allow_none=True,
        validate=[
            validate.Length(max=limits.SLUG_MAX),
            validate.Regexp(
                limits.SLUG_PATTERN,
                # The service's message, so that the answer is the same whichever refuses.
                error=_l(
                    "Use lower-case letters, digits and hyphens only (at most %(n)s).",
                    n=limits.SLUG_MAX,
                ),
            ),
        ],
        metadata={
            "description": "The address (/initiatives/{slug}); made from the title if omitted."
        },
    )
    seat_limit = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=limits.SEAT_LIMIT_MAX),
    )
    launched_on = fields.Date(load_default=None, allow_none=True)


class InitiativeUpdateSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=limits.TITLE_MAX), metadata=NOT_BLANK)
    summary = fields.String(
        validate=validate.Length(min=1, max=limits.SUMMARY_MAX), metadata=NOT_BLANK
    )
    description = fields.String(validate=validate.Length(max=limits.TEXT_MAX))
    language = content_language_field()
    title_translation = translation_field(limits.TITLE_MAX, "title")
    summary_translation = translation_field(limits.SUMMARY_MAX, "summary")
    description_translation = translation_field(limits.TEXT_MAX, "description")
    join_policy = fields.String(validate=validate.OneOf(POLICIES))
    seat_limit = fields.Integer(
        allow_none=True, validate=validate.Range(min=1, max=limits.SEAT_LIMIT_MAX)
    )
    launched_on = fields.Date(allow_none=True)
    results = fields.String(validate=validate.Length(max=limits.TEXT_MAX))
