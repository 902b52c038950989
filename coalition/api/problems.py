"""RFC 9457 problem details, the shape of every API error."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from werkzeug.http import HTTP_STATUS_CODES


def problem_response(
    status: int, detail: Any, *, errors: dict[str, Any] | None = None, title: str | None = None
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": str(detail) if detail is not None else HTTP_STATUS_CODES.get(status, "Error"),
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="coalition"'
    return response
