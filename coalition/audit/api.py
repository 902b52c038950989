"""API: the audit log, for staff."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from coalition import permissions
from coalition.api.auth import require_api_user
from coalition.api.docs import token_required
from coalition.api.schemas import PageArgs, page_schema
from coalition.audit.services import events_query
from coalition.errors import InvalidValue
from coalition.pagination import paginate

blp = Blueprint("audit_api", __name__, description="The audit log (staff only).")


#: A row id as the integer columns hold it: 1 to 2**31 - 1, written without leading zeros.
ID_PATTERN = (
    "[1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
    "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
    "|214748364[0-7]"
)


class AuditArgs(PageArgs):
    object = fields.String(
        load_default=None,
        metadata={
            "description": "`type:id` (e.g. `membership:12`) or just `type`",
            "pattern": f"^[^:\\x00]*(:({ID_PATTERN}))?$",
        },
    )
    actor = fields.String(load_default=None, metadata={"description": "the actor's e-mail"})
    action = fields.String(
        load_default=None,
        metadata={"description": "an action (`alliance.endorse`) or a prefix (`alliance`)"},
    )
    participant = fields.String(
        load_default=None, metadata={"description": "code of the participant acted for"}
    )


class AuditEventSchema(Schema):
    id = fields.Integer()
    occurred_at = fields.DateTime()
    actor = fields.Function(lambda e: e.actor.email if e.actor else None)
    participant = fields.Function(lambda e: e.participant.code if e.participant else None)
    action = fields.String()
    object_type = fields.String()
    object_id = fields.Integer(allow_none=True)
    object_label = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


AuditPageSchema = page_schema(AuditEventSchema, "AuditEventPage")


def _parse_object(value: str | None) -> tuple[str | None, int | None]:
    if not value:
        return None, None
    object_type, sep, object_id = value.partition(":")
    if not sep:
        return object_type, None
    # ASCII digits only ("²".isdigit() is true), no id beyond the integer columns', as the
    # OpenAPI document's pattern says.
    if not re.fullmatch(ID_PATTERN, object_id):
        raise InvalidValue(_("Give the object as type:number, e.g. membership:12."), field="object")
    return object_type, int(object_id)


@blp.get("/audit")
@blp.arguments(AuditArgs, location="query")
@blp.response(200, AuditPageSchema)
@token_required(403)
def list_events(args: dict) -> dict:
    """Audit events, newest first, filtered by object, actor, action and participant."""
    user = require_api_user()
    permissions.require(permissions.can_read_audit_log(user))
    object_type, object_id = _parse_object(args["object"])
    stmt = events_query(
        action=args["action"],
        actor_email=args["actor"],
        participant_code=args["participant"],
        object_type=object_type,
        object_id=object_id,
    )
    page = paginate(stmt, args["page"], args["per_page"])
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}
