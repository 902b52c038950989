"""The JSON API under /api/v1, documented by an OpenAPI 3 document generated from the code."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from coalition.api.problems import problem_response


class CoalitionApi(Api):
    def handle_http_exception(self, error: HTTPException) -> Response:
        """Every HTTP error as problem+json, validation messages under `errors`."""
        data: dict[str, Any] = getattr(error, "data", None) or {}
        messages = data.get("messages")
        errors = None
        if isinstance(messages, dict):
            # webargs groups messages by location ("json", "query"); the caller wants fields.
            errors = {}
            for location_messages in messages.values():
                if isinstance(location_messages, dict):
                    errors.update(location_messages)
        status = error.code or 500
        if status == 422 and errors:
            detail = "Invalid values: " + ", ".join(sorted(errors))
        else:
            detail = error.description
        return problem_response(status, detail, errors=errors)


api = CoalitionApi()


def init_api(app: Flask) -> None:
    from coalition.api import auth
    from coalition.extensions import csrf

    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": (
                    "Coalition's JSON API. Reads of public data need no token; writes "
                    "take `Authorization: Bearer <token>` and act for the token owner's "
                    "verified participant. Errors are application/problem+json."
                )
            },
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    api.init_app(app)
    auth.init_app(app)

    from coalition.alliance.api import blp as alliance_blp
    from coalition.audit.api import blp as audit_blp
    from coalition.initiatives.api import blp as initiatives_blp
    from coalition.participants.api import blp as participants_blp

    for blp in (participants_blp, alliance_blp, initiatives_blp, audit_blp):
        api.register_blueprint(blp, url_prefix="/api/v1")
        csrf.exempt(blp)  # Bearer tokens, not cookies: no cross-site request can carry one.
