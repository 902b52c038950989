"""RFC 9457 problem details, the shape of every API error."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response, jsonify
from marshmallow import Schema, fields
from werkzeug.http import HTTP_STATUS_CODES

MEDIA_TYPE = "application/problem+json"


class ProblemSchema(Schema):
    """What every error response carries (the OpenAPI document's `Problem`)."""

    type = fields.String(required=True, metadata={"description": "Always `about:blank`."})
    title = fields.String(required=True, metadata={"description": "The status's phrase."})
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong, in words."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "On invalid values: each field's messages."},
    )


def problem_response(
    status: int,
    detail: Any,
    *,
    errors: dict[str, Any] | None = None,
    title: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> Response:
    """A problem+json response; *extra* members (RFC 9457 extensions) say more, such as
    the rows of a refused bulk change."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": str(detail) if detail is not None else HTTP_STATUS_CODES.get(status, "Error"),
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = MEDIA_TYPE
    # What the error itself says about the request: Allow on a 405, Retry-After on a 429…
    response.headers.extend((k, v) for k, v in headers if k.lower() != "content-type")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="coalition"'
    return response
