"""API: the audit log, for staff."""

from __future__ import annotations

import re

from flask import request, url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from coalition import permissions
from coalition.api.auth import require_api_user
from coalition.api.docs import token_required
from coalition.api.schemas import PageArgs
from coalition.audit import paging
from coalition.audit.paging import ID_PATTERN
from coalition.audit.services import events_page
from coalition.errors import InvalidValue

blp = Blueprint("audit_api", __name__, description="The audit log (staff only).")


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


#: Page numbers reach the first events only (OFFSET costs what it skips); beyond, the
#: `next` links' cursors. 50 pages of at most 200 stay within the counted window.
AUDIT_MAX_PAGE = paging.COUNT_CAP // 200


class AuditPageArgs(AuditArgs):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=AUDIT_MAX_PAGE),
        metadata={"description": "the first pages; beyond, follow `next` (a cursor)"},
    )
    cursor = fields.String(
        load_default=None,
        metadata={
            "description": "where to go on: the `next_cursor` of the previous answer (its "
            "`next` link carries it with the same filters); `page` is then not used",
            "pattern": paging.CURSOR_PATTERN,
        },
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


class AuditEventPageSchema(Schema):
    """The list envelope, paged by cursor past the counted window."""

    items = fields.List(fields.Nested(AuditEventSchema))
    page = fields.Integer(
        allow_none=True, metadata={"description": "the page number asked for; null with a cursor"}
    )
    per_page = fields.Integer()
    total = fields.Integer(
        metadata={
            "description": f"events matching, counted up to {paging.COUNT_CAP:,}: "
            "beyond, `total_exact` is false"
        }
    )
    total_exact = fields.Boolean(metadata={"description": "whether `total` is the count"})
    next_cursor = fields.String(allow_none=True, metadata={"description": "older events"})
    next = fields.String(
        allow_none=True,
        metadata={"description": "the URL of the next page (older events), also in `Link`"},
    )


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
@blp.arguments(AuditPageArgs, location="query")
@blp.response(200, AuditEventPageSchema)
@token_required(403)
def list_events(args: dict) -> tuple[dict, int, dict[str, str]]:
    """Audit events, newest first, filtered by object, actor, action and participant."""
    user = require_api_user()
    permissions.require(permissions.can_read_audit_log(user))
    object_type, object_id = _parse_object(args["object"])
    cursor = args["cursor"]
    offset = (args["page"] - 1) * args["per_page"]
    page = events_page(
        per_page=args["per_page"],
        after=cursor,
        offset=0 if cursor else offset,
        action=args["action"],
        actor_email=args["actor"],
        participant_code=args["participant"],
        object_type=object_type,
        object_id=object_id,
    )
    following = None
    headers: dict[str, str] = {}
    if page.next_cursor:
        query = {k: v for k, v in request.args.items() if k not in ("page", "cursor")}
        following = url_for("audit_api.list_events", **query, cursor=page.next_cursor)
        headers["Link"] = f'<{following}>; rel="next"'
    return (
        {
            "items": page.items,
            "page": None if cursor else args["page"],
            "per_page": page.per_page,
            "total": page.total,
            "total_exact": page.total_exact,
            "next_cursor": page.next_cursor,
            "next": following,
        },
        200,
        headers,
    )
