"""API: the participants (states and organizations). Public reads."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from coalition.api.schemas import PageArgs, page_schema
from coalition.pagination import paginate
from coalition.participants import services
from coalition.participants.models import ParticipantKind

blp = Blueprint(
    "participants_api",
    __name__,
    description="Participants: every UN member and observer state, and partner organizations.",
)


class ParticipantRecordSchema(Schema):
    code = fields.String(metadata={"description": "ISO 3166-1 alpha-3 (GHA) or a slug (unesco)"})
    name = fields.String(metadata={"description": "canonical English name"})
    kind = fields.String(metadata={"enum": [k.value for k in ParticipantKind]})
    category = fields.String(allow_none=True)
    un_status = fields.String(allow_none=True, metadata={"enum": ["member", "observer"]})
    timezone = fields.String(metadata={"description": "IANA zone of reference"})
    acronym = fields.String(allow_none=True)


class ParticipantListArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf([k.value for k in ParticipantKind]))
    q = fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "words to find in the name, code or acronym"},
    )


ParticipantPageSchema = page_schema(ParticipantRecordSchema, "ParticipantPage")


@blp.get("/participants")
@blp.arguments(ParticipantListArgs, location="query")
@blp.response(200, ParticipantPageSchema)
def list_participants(args: dict) -> dict:
    """Participants, by name; filter by `kind`, search with `q`. Public."""
    stmt = services.search_statement(args.get("q"), args.get("kind"))
    page = paginate(stmt, args["page"], args["per_page"])
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}


@blp.get("/participants/<code>")
@blp.response(200, ParticipantRecordSchema)
def get_participant(code: str):
    """One participant by code (404 if unknown). Public."""
    return services.get_participant(code)
