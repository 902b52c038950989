"""The JSON API under /api/v1, documented by an OpenAPI 3 document generated from the code."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask, Response
from flask_smorest import Api
from werkzeug.exceptions import HTTPException
from werkzeug.routing import UnicodeConverter

from coalition import limits
from coalition.api.docs import ProblemsPlugin, no_nul_in_strings, path_segment_schema
from coalition.api.problems import MEDIA_TYPE, ProblemSchema, problem_response
from coalition.i18n import is_api_request


class CoalitionApi(Api):
    ERROR_SCHEMA = ProblemSchema
    # No catch-all `default` response: each operation lists the statuses it answers, so
    # that a client (and schemathesis) can tell a documented answer from a surprise.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_responses(self) -> None:
        """One response component per error status (`NOT_FOUND`…): a Problem, as
        application/problem+json, which is what the server sends."""
        # Called by _init_spec once the plugins exist and before any schema is converted
        # (Problem is the first): the place to teach the converters.
        self.ma_plugin.converter.add_attribute_function(no_nul_in_strings)
        for status in HTTPStatus:
            if status >= 400:
                self.spec.components.response(
                    status.name,
                    {
                        "description": status.phrase,
                        "content": {MEDIA_TYPE: {"schema": self.ERROR_SCHEMA}},
                    },
                    lazy=True,
                )

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
                    errors.update(_flat(location_messages))
        status = error.code or 500
        if status == 422 and errors:
            detail = "Invalid values: " + ", ".join(sorted(errors))
        elif status == 413:
            detail = f"The request is too large: at most {limits.UPLOAD_BYTES_MAX // 2**20} MB."
        else:
            detail = error.description
        return problem_response(status, detail, errors=errors, headers=error.get_headers())


def _flat(messages: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """marshmallow nests the messages of a list's items and of nested objects
    (`{"agenda": {"0": [...]}}`); the Problem's `errors` maps a field to its messages, so
    a nested field is named by its path: `agenda.0`."""
    flat: dict[str, list[str]] = {}
    for name, value in messages.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flat(value, f"{path}."))
        else:
            flat[path] = [str(m) for m in value] if isinstance(value, list) else [str(value)]
    return flat


api = CoalitionApi()
api.register_converter(UnicodeConverter, path_segment_schema)


def _vary_on_language(response: Response) -> Response:
    """API answers depend on Accept-Language (names, messages): caches must key on it."""
    if is_api_request():
        response.vary.add("Accept-Language")
    return response


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
                    "verified participant. A token sent with a read must be valid too (401 "
                    "otherwise). Errors are application/problem+json (RFC 9457)."
                )
            },
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    api.init_app(app, spec_kwargs={"extra_plugins": [ProblemsPlugin()]})
    auth.init_app(app)
    app.after_request(_vary_on_language)

    from coalition.alliance.api import blp as alliance_blp
    from coalition.audit.api import blp as audit_blp
    from coalition.bodies.api import blp as memberships_blp
    from coalition.groups.api import blp as groups_blp
    from coalition.initiatives.api import blp as initiatives_blp
    from coalition.meetings.api import blp as meetings_blp
    from coalition.participants.api import blp as participants_blp
    from coalition.planner.api import blp as planner_blp

    blueprints = (participants_blp, alliance_blp, initiatives_blp, groups_blp, memberships_blp)
    for blp in (*blueprints, audit_blp, meetings_blp, planner_blp):
        api.register_blueprint(blp, url_prefix="/api/v1")
        csrf.exempt(blp)  # Bearer tokens, not cookies: no cross-site request can carry one.
