"""API: the caller's participant endorses the Alliance declaration, or withdraws."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from coalition import permissions
from coalition.alliance import services
from coalition.api.auth import require_api_user
from coalition.api.docs import token_required
from coalition.api.schemas import PageArgs, ParticipantRefSchema, page_schema
from coalition.extensions import db
from coalition.pagination import paginate
from coalition.participants.services import get_participant

blp = Blueprint(
    "alliance_api",
    __name__,
    description="Endorsements of the Alliance declaration: joining and leaving the Alliance.",
)


class EndorsementSchema(Schema):
    participant = fields.Nested(ParticipantRefSchema)
    endorsed_at = fields.DateTime()
    withdrawn_at = fields.DateTime(allow_none=True)


EndorsementPageSchema = page_schema(EndorsementSchema, "EndorsementPage")


@blp.get("/alliance/endorsements")
@blp.arguments(PageArgs, location="query")
@blp.response(200, EndorsementPageSchema)
def list_endorsements(args: dict) -> dict:
    """The Alliance's current participants (open endorsements), oldest first. Public."""
    page = paginate(services.open_endorsements_query(), args["page"], args["per_page"])
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}


@blp.post("/alliance/endorsements")
@blp.response(201, EndorsementSchema)
@token_required(403, 409)
def create_endorsement():
    """The caller's verified participant endorses the declaration (409 if it already does)."""
    user = require_api_user()
    participant = permissions.require_acting_participant(user)
    endorsement = services.endorse(participant, actor=user)
    db.session.commit()
    return endorsement


@blp.delete("/alliance/endorsements/<code>")
@blp.response(204)
@token_required(403, 409)
def delete_endorsement(code: str) -> None:
    """The caller's own participant withdraws its endorsement (409 if it has none)."""
    user = require_api_user()
    participant = get_participant(code)
    services.withdraw_endorsement(participant, actor=user)
    db.session.commit()
