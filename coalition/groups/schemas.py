"""Marshmallow schemas of the working groups API (the OpenAPI document is built from them)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from coalition import limits
from coalition.api.problems import ProblemSchema
from coalition.api.schemas import (
    LOCALIZED,
    JsonBoolean,
    PageArgs,
    content_language_field,
    page_schema,
    texts_field,
    translation_field,
)
from coalition.groups.bulk import Outcome
from coalition.groups.models import GroupStatus

GROUP_STATUSES = [s.value for s in GroupStatus]
_CODE = fields.String(validate=validate.Length(min=1, max=limits.SLUG_MAX))


class GroupListArgs(PageArgs):
    initiative = fields.String(
        validate=validate.Length(max=limits.SLUG_MAX),
        metadata={
            "description": "An initiative's slug: its groups. Empty (or `-`): the "
            "Alliance-level groups. Absent: all groups."
        },
    )
    status = fields.String(validate=validate.OneOf(GROUP_STATUSES))


class GroupSchema(Schema):
    slug = fields.String()
    title = fields.String(metadata={"description": f"The title {LOCALIZED}."})
    summary = fields.String(metadata={"description": f"The summary {LOCALIZED}."})
    language = fields.String(
        metadata={"enum": ["en", "fr"], "description": "The language it was written in."}
    )
    titles = texts_field("title")
    summaries = texts_field("summary")
    initiative = fields.String(
        allow_none=True, metadata={"description": "The initiative's slug; null: Alliance level."}
    )
    status = fields.String(metadata={"enum": GROUP_STATUSES})
    seat_limit = fields.Integer(allow_none=True)
    member_count = fields.Integer(metadata={"description": "Active members and partners."})
    co_chairs = fields.List(
        fields.String(), metadata={"description": "Codes of the current co-chairs."}
    )


class GroupDetailSchema(GroupSchema):
    mandate = fields.String(metadata={"description": f"Markdown, {LOCALIZED}."})
    mandates = texts_field("mandate (Markdown)")
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


GroupPageSchema = page_schema(GroupSchema, "GroupPage")


class GroupCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=limits.TITLE_MAX))
    slug = fields.String(load_default=None, allow_none=True)
    summary = fields.String(load_default="", validate=validate.Length(max=limits.SUMMARY_MAX))
    mandate = fields.String(load_default="", validate=validate.Length(max=limits.TEXT_MAX))
    language = content_language_field(load_default="en")
    title_translation = translation_field(limits.TITLE_MAX, "title", load_default="")
    summary_translation = translation_field(limits.SUMMARY_MAX, "summary", load_default="")
    mandate_translation = translation_field(limits.TEXT_MAX, "mandate", load_default="")
    initiative = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The initiative's slug; null for an Alliance-level body."},
    )
    seat_limit = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=limits.SEAT_LIMIT_MAX),
    )


class GroupUpdateSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=limits.TITLE_MAX))
    summary = fields.String(validate=validate.Length(max=limits.SUMMARY_MAX))
    mandate = fields.String(validate=validate.Length(max=limits.TEXT_MAX))
    language = content_language_field()
    title_translation = translation_field(limits.TITLE_MAX, "title")
    summary_translation = translation_field(limits.SUMMARY_MAX, "summary")
    mandate_translation = translation_field(limits.TEXT_MAX, "mandate")
    seat_limit = fields.Integer(
        allow_none=True, validate=validate.Range(min=1, max=limits.SEAT_LIMIT_MAX)
    )


class GroupMembershipCreateSchema(Schema):
    participant = fields.String(required=True, validate=validate.Length(min=1, max=limits.SLUG_MAX))
    term_ends_on = fields.Date(load_default=None, allow_none=True)


class TermSchema(Schema):
    term_ends_on = fields.Date(
        required=True,
        allow_none=True,
        metadata={"description": "The new end of the term; null: no end."},
    )


class BulkChangeSchema(Schema):
    add = fields.List(_CODE, load_default=list, validate=validate.Length(max=limits.BULK_ROWS_MAX))
    remove = fields.List(
        _CODE, load_default=list, validate=validate.Length(max=limits.BULK_ROWS_MAX)
    )
    dry_run = JsonBoolean(load_default=False)
    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=limits.NOTE_MAX),
        metadata={"description": "Why the participants in `remove` are removed (public)."},
    )


class BulkRowSchema(Schema):
    code = fields.String()
    outcome = fields.String(metadata={"enum": [o.value for o in Outcome]})


class BulkResultSchema(Schema):
    applied = fields.Boolean()
    rows = fields.List(fields.Nested(BulkRowSchema))


class BulkRefusedSchema(ProblemSchema):
    """409: nothing was changed; the rows say which were refused, and why."""

    applied = fields.Boolean(metadata={"description": "Always false."})
    rows = fields.List(fields.Nested(BulkRowSchema))
